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
