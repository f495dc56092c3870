package lab.harness.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FileDiskTest extends DiskContract
{
    @TempDir
    Path dir;

    Disk disk()
    {
        return new FileDisk(dir);
    }

    @Test
    void filesAreRealFilesInTheFolder() throws Exception
    {
        final DiskFile f = disk().create("real");
        f.append(new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3);
        f.sync();
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("real")));
        // A second disk on the same folder (a restarted node) sees it.
        assertEquals(3, new FileDisk(dir).open("real").size());
    }

    @Test
    void aBackgroundDeleteTakesTheNameAtOnceAndNeverRemovesAFileMadeLaterUnderIt() throws Exception
    {
        final java.util.ArrayDeque<Runnable> janitor = new java.util.ArrayDeque<>();
        final FileDisk old = new FileDisk(dir, janitor::add); // the unlinks wait until the test runs them
        old.create("raft-0-0000000000.seg").append(new UnsafeBuffer(new byte[] {1}), 0, 1);
        old.create("raft-0-0000000001.seg").append(new UnsafeBuffer(new byte[] {2}), 0, 1);
        old.deleteInBackground("raft-0-0000000000.seg");
        assertEquals(1, janitor.size());

        // A node restarted on the folder before the unlink ran: the name is gone already.
        final FileDisk restarted = new FileDisk(dir, janitor::add);
        assertEquals(java.util.List.of("raft-0-0000000001.seg"), restarted.list("raft-0-"));
        assertEquals(false, restarted.exists("raft-0-0000000000.seg"));
        // A fresh node makes a file of the same name; the old delete, run now, leaves it alone.
        restarted.create("raft-0-0000000000.seg").append(new UnsafeBuffer(new byte[] {3, 4}), 0, 2);
        janitor.poll().run();
        assertArrayEquals(new byte[] {3, 4}, Files.readAllBytes(dir.resolve("raft-0-0000000000.seg")));
        try (java.util.stream.Stream<Path> left = Files.list(dir))
        {
            assertEquals(2, left.count(), "the renamed file is unlinked");
        }
    }

    @Test
    void theFolderCanBeSynced()
    {
        final FileDisk disk = new FileDisk(dir);
        disk.create("a").sync();
        disk.syncDirectory();
        assertEquals(java.util.List.of("a"), disk.list(""));
    }

    @Test
    void theProviderGivesATemporaryFolderThatTheEndOfTheRunDeletes()
    {
        final FileDiskProvider provider = new FileDiskProvider();
        final FileDisk disk = (FileDisk)provider.disk("", 0);
        disk.create("x").sync();
        assertEquals(disk.dir(), ((FileDisk)provider.disk("", 1)).dir());
        provider.runEnded();
        assertEquals(false, Files.exists(disk.dir()));
        final FileDisk named = (FileDisk)provider.disk(dir.resolve("named").toString(), 0);
        named.create("y");
        provider.runEnded();
        assertEquals(true, Files.exists(named.dir().resolve("y")), "a folder the user named is never deleted");
    }
}
