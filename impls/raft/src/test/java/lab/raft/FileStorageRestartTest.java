package lab.raft;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import lab.harness.storage.FileDisk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node restarted on its folder while its old instance's compaction is still deleting segments in the background
 * (on a real disk, the janitor thread). Under load the restarted node's recovery listed a segment the pending delete
 * then removed ({@code NoSuchFileException} in {@code FileStorage.recover}); a fresh start could have its new first
 * segment removed by a pending delete of the old one of the same name. Here the janitor runs when the test says:
 * between the restarted node's listing and its reading of each file, and after the fresh node's first writes.
 */
class FileStorageRestartTest
{
    private static final UnsafeBuffer VALUE = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5});
    private static final int SEGMENT_BYTES = 200; // a new segment every few entries

    @TempDir
    Path dir;

    private final ArrayDeque<Runnable> janitor = new ArrayDeque<>();

    private void runJanitor()
    {
        while (!janitor.isEmpty())
        {
            janitor.poll().run();
        }
    }

    /**
     * The folder's disk, with the background deletes held until the test runs them.
     */
    private Disk disk()
    {
        return new FileDisk(dir, janitor::add);
    }

    /**
     * {@link #disk()}, with the pending deletes run (as a busy janitor would) just before each file is opened.
     */
    private Disk diskDeletingBeforeEachOpen()
    {
        final FileDisk files = new FileDisk(dir, janitor::add);
        return new Disk()
        {
            public DiskFile open(final String name)
            {
                runJanitor();
                return files.open(name);
            }

            public DiskFile create(final String name)
            {
                return files.create(name);
            }

            public boolean exists(final String name)
            {
                return files.exists(name);
            }

            public java.util.List<String> list(final String prefix)
            {
                return files.list(prefix);
            }

            public void delete(final String name)
            {
                files.delete(name);
            }

            public void deleteInBackground(final String name)
            {
                files.deleteInBackground(name);
            }

            public void syncDirectory()
            {
                files.syncDirectory();
            }
        };
    }

    private static void append(final FileStorage storage, final long seq)
    {
        storage.appended(storage.log().append(3, 7, seq, seq * 10, VALUE, 0, 5, 1));
    }

    /**
     * Entries 1..30, a snapshot at 24: the segments it covers are handed to the janitor, not deleted yet.
     */
    private void compactWithDeletesPending()
    {
        final FileStorage old = new FileStorage(disk(), 0, 64, FileStorage.Fsync.BATCH, true, SEGMENT_BYTES);
        old.saveHardState(3, 1);
        for (int i = 1; i <= 30; i++)
        {
            append(old, i);
            old.sync();
        }
        old.log().compactTo(24, 3);
        old.saveSnapshot(VALUE, 0, 5);
        old.close(); // the node crashes with the deletes pending
        assertTrue(!janitor.isEmpty(), "compaction left background deletes");
    }

    @Test
    void aRestartedNodeRecoversWhileTheOldDeletesRun() throws Exception
    {
        compactWithDeletesPending();
        final FileStorage restarted =
            new FileStorage(diskDeletingBeforeEachOpen(), 0, 64, FileStorage.Fsync.BATCH, false, SEGMENT_BYTES);
        assertEquals(24, restarted.log().snapshotIndex());
        assertEquals(30, restarted.log().lastIndex());
        assertEquals(27, restarted.log().seq(27));
        assertEquals(3, restarted.term());
        assertEquals(1, restarted.votedFor());
        runJanitor();
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".seg") && sizeOf(f) == 0),
                "no segment re-created empty by the recovery");
        }
    }

    @Test
    void aFreshNodesSegmentsSurviveTheOldInstancesPendingDeletes()
    {
        compactWithDeletesPending();
        final FileStorage fresh = new FileStorage(disk(), 0, 64, FileStorage.Fsync.BATCH, true, SEGMENT_BYTES);
        fresh.saveHardState(5, 2);
        append(fresh, 1);
        fresh.sync();
        runJanitor(); // the old instance's deletes, of names the fresh node uses again
        append(fresh, 2);
        fresh.sync();
        fresh.close();

        final FileStorage recovered = new FileStorage(disk(), 0, 64, FileStorage.Fsync.BATCH, false, SEGMENT_BYTES);
        assertEquals(0, recovered.log().snapshotIndex());
        assertEquals(2, recovered.log().lastIndex(), "the fresh node's synced entries");
        assertEquals(5, recovered.term());
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final java.io.IOException ex)
        {
            return -1;
        }
    }
}
