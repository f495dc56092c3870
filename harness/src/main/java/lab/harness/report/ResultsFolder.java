package lab.harness.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code results/<date>-<name>/}: where a command's result files go.
 */
public final class ResultsFolder
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private ResultsFolder(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * @param root results root, e.g. "results".
     * @param name what was run, e.g. "compare".
     */
    public static ResultsFolder create(final Path root, final String name) throws IOException
    {
        final String base = LocalDate.now() + "-" + name;
        Path dir = root.resolve(base);
        for (int i = 2; Files.exists(dir); i++)
        {
            dir = root.resolve(base + "-" + i);
        }
        Files.createDirectories(dir);
        return new ResultsFolder(dir);
    }

    public Path dir()
    {
        return dir;
    }

    public Path writeJson(final String fileName, final Object content) throws IOException
    {
        final Path file = dir.resolve(fileName);
        JSON.writeValue(file.toFile(), content);
        return file;
    }

    public Path writeText(final String fileName, final String content) throws IOException
    {
        final Path file = dir.resolve(fileName);
        Files.writeString(file, content);
        return file;
    }
}
