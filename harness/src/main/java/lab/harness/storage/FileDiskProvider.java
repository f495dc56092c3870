package lab.harness.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import lab.core.storage.Disk;
import lab.core.storage.DiskProvider;

/**
 * Real files: the folder the user named, or for "" a temporary folder of this provider (one per run: a protocol
 * factory asks the {@link java.util.ServiceLoader} for a provider per run), deleted by {@link #runEnded()} so that
 * runs of one JVM (--repeat, sweeps) do not pile files up and deleted files' dirty pages are dropped instead of
 * written back while the next run measures; whatever is left goes when the JVM exits.
 */
public final class FileDiskProvider implements DiskProvider
{
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static Path tempRoot;

    private Path temporary;

    public synchronized Disk disk(final String directory, final int nodeId)
    {
        if (!directory.isEmpty())
        {
            return new FileDisk(Paths.get(directory));
        }
        if (temporary == null)
        {
            temporary = tempRoot().resolve("run-" + INSTANCES.incrementAndGet());
        }
        return new FileDisk(temporary);
    }

    public synchronized void runEnded()
    {
        if (temporary != null)
        {
            deleteTree(temporary);
            temporary = null;
        }
    }

    private static synchronized Path tempRoot()
    {
        if (tempRoot == null)
        {
            try
            {
                final Path root = Files.createTempDirectory("raft-lab-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "raft-lab-cleanup"));
                tempRoot = root;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create a temporary folder for node files", ex);
            }
        }
        return tempRoot;
    }

    private static void deleteTree(final Path root)
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            // best effort at exit
        }
    }
}
