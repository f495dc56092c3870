package lab.harness.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files and folders a command will write before it does any work, so that a run is never measured and
 * then lost for want of a folder. Missing parent folders are created; what cannot be written is a one-line error.
 */
final class OutputPaths
{
    private OutputPaths()
    {
    }

    /**
     * @param file the file the command will write, or null when the flag was not given.
     * @param flag the flag that named it, for the error message.
     */
    static void checkFile(final File file, final String flag)
    {
        if (file == null)
        {
            return;
        }
        final Path path = file.toPath().toAbsolutePath();
        if (Files.isDirectory(path))
        {
            throw new IllegalArgumentException(flag + " " + file + " is a folder: give a file name");
        }
        checkFolder(path.getParent(), flag + " " + file);
        if (Files.exists(path) && !Files.isWritable(path))
        {
            throw new IllegalArgumentException(flag + " " + file + " exists and cannot be written");
        }
    }

    /**
     * @param folder the folder the command will write into (created when missing), or null when not given.
     */
    static void checkFolder(final File folder, final String flag)
    {
        if (folder != null)
        {
            checkFolder(folder.toPath().toAbsolutePath(), flag + " " + folder);
        }
    }

    private static void checkFolder(final Path folder, final String what)
    {
        if (Files.exists(folder) && !Files.isDirectory(folder))
        {
            throw new IllegalArgumentException(what + ": " + folder + " is a file, not a folder");
        }
        try
        {
            Files.createDirectories(folder);
        }
        catch (final java.io.IOException | SecurityException ex)
        {
            throw new IllegalArgumentException(what + ": cannot create the folder " + folder + " (" + ex + ")");
        }
        if (!Files.isWritable(folder))
        {
            throw new IllegalArgumentException(what + ": the folder " + folder + " cannot be written");
        }
    }
}
