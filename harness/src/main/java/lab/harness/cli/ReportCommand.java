package lab.harness.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lab.harness.report.html.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab report}: one self-contained HTML file from results folders or run JSON files. Inputs that hold no runs
 * or cannot be read (missing, not JSON, a field of the wrong type), or an output that cannot be written, are one
 * line on stderr and exit 2.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write one self-contained HTML report (charts and tables, opens with no network) from results " +
        "folders or run JSON files.")
public final class ReportCommand implements Callable<Integer>
{
    @Parameters(arity = "1..*", description = "results folders (results/<date>-<name>/) or run-*.json / run.json files")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, description = "HTML file to write (default: report.html in the first folder)")
    Path output;

    public Integer call()
    {
        Path out = output;
        if (out == null)
        {
            final Path first = inputs.get(0);
            out = (first.toFile().isDirectory() ? first : first.toAbsolutePath().getParent()).resolve("report.html");
        }
        final Path written;
        try
        {
            written = HtmlReport.write(inputs, out);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(CheckCommand.oneLine(String.valueOf(ex.getMessage())), ex);
        }
        catch (final UncheckedIOException ex)
        {
            throw new IllegalArgumentException(CheckCommand.oneLine(ex.getMessage() + ": " + reason(ex.getCause())),
                ex);
        }
        System.out.println("report: " + written);
        return 0;
    }

    private static String reason(final Throwable cause)
    {
        if (cause instanceof java.nio.file.NoSuchFileException)
        {
            return "no such folder: " + ((java.nio.file.NoSuchFileException)cause).getFile();
        }
        if (cause instanceof java.nio.file.AccessDeniedException)
        {
            return "permission denied: " + ((java.nio.file.AccessDeniedException)cause).getFile();
        }
        if (cause instanceof java.nio.file.FileSystemException)
        {
            final java.nio.file.FileSystemException fs = (java.nio.file.FileSystemException)cause;
            return fs.getFile() + (fs.getReason() == null ? "" : ": " + fs.getReason());
        }
        return cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    }
}
