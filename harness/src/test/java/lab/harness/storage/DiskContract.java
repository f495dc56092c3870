package lab.harness.storage;

import java.nio.ByteBuffer;
import java.util.List;

import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Disk} does, as seen by a node that does not crash: {@link lab.core.storage.MemoryDisk},
 * {@link FileDisk} and the simulator's {@link lab.harness.sim.SimDisk} each run it. (What a crash keeps differs
 * by design and is tested per disk.)
 */
abstract class DiskContract
{
    abstract Disk disk();

    private static UnsafeBuffer bytes(final String s)
    {
        return new UnsafeBuffer(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static String read(final DiskFile file)
    {
        final ExpandableArrayBuffer into = new ExpandableArrayBuffer((int)file.size() + 1);
        final int n = file.read(0, into, 0, (int)file.size());
        assertEquals(file.size(), n);
        return into.getStringWithoutLengthAscii(0, n);
    }

    @Test
    void openCreatesAnEmptyFileAndAppendsGoAtTheEnd()
    {
        final Disk disk = disk();
        assertFalse(disk.exists("a"));
        final DiskFile a = disk.open("a");
        assertTrue(disk.exists("a"));
        assertEquals(0, a.size());
        a.append(bytes("hello"), 0, 5);
        a.append(bytes("xx world"), 2, 6);
        assertEquals(11, a.size());
        assertEquals("hello world", read(a));
        a.sync();
        a.close();
        final DiskFile again = disk.open("a");
        assertEquals("hello world", read(again));
        again.append(bytes("!"), 0, 1);
        assertEquals("hello world!", read(again));
    }

    @Test
    void syncingTheDirectoryKeepsItsNames()
    {
        final Disk disk = disk();
        disk.create("n1").append(bytes("x"), 0, 1);
        disk.create("n2");
        disk.delete("n2");
        disk.syncDirectory();
        assertTrue(disk.exists("n1"));
        assertFalse(disk.exists("n2"));
        assertEquals(List.of("n1"), disk.list("n"));
        assertEquals("x", read(disk.open("n1")));
    }

    @Test
    void writeOverwritesInPlaceAndMayExtend()
    {
        final Disk disk = disk();
        final DiskFile f = disk.create("f");
        f.append(bytes("abcdef"), 0, 6);
        f.write(2, bytes("XY"), 0, 2);
        assertEquals("abXYef", read(f));
        f.write(5, bytes("123"), 0, 3);
        assertEquals("abXYe123", read(f));
        assertEquals(8, f.size());
    }

    @Test
    void readStopsAtTheEndAndAtAnOffset()
    {
        final Disk disk = disk();
        final DiskFile f = disk.create("r");
        f.append(bytes("0123456789"), 0, 10);
        final ExpandableArrayBuffer into = new ExpandableArrayBuffer(64);
        assertEquals(4, f.read(6, into, 3, 20));
        assertEquals("6789", into.getStringWithoutLengthAscii(3, 4));
        assertEquals(0, f.read(10, into, 0, 5));
        // Into direct memory at an offset of a slice (how the Raft log reads its segments).
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(32), 8, 16);
        assertEquals(3, f.read(1, direct, 2, 3));
        assertEquals("123", direct.getStringWithoutLengthAscii(2, 3));
    }

    @Test
    void writesFromDirectMemoryAtAnOffsetOfASlice()
    {
        final Disk disk = disk();
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(64), 16, 32);
        direct.putStringWithoutLengthAscii(4, "direct");
        final DiskFile f = disk.create("d");
        f.append(direct, 4, 6);
        f.write(0, direct, 4, 3);
        assertEquals("direct", read(f));
    }

    @Test
    void createReplacesWhatTheNameHeld()
    {
        final Disk disk = disk();
        disk.open("c").append(bytes("old"), 0, 3);
        final DiskFile c = disk.create("c");
        assertEquals(0, c.size());
        assertEquals(0, disk.open("c").size());
    }

    @Test
    void truncateCutsTheFile()
    {
        final Disk disk = disk();
        final DiskFile t = disk.create("t");
        t.append(bytes("abcdef"), 0, 6);
        t.truncate(2);
        assertEquals(2, t.size());
        t.append(bytes("Z"), 0, 1);
        t.sync();
        assertEquals("abZ", read(t));
    }

    @Test
    void listIsSortedAndByPrefixAndDeleteRemoves()
    {
        final Disk disk = disk();
        disk.create("raft-1-0000000002.seg");
        disk.create("raft-1-0000000001.seg");
        disk.create("raft-10-0000000000.seg");
        disk.create("raft-1.snap.0");
        assertEquals(List.of("raft-1-0000000001.seg", "raft-1-0000000002.seg"), disk.list("raft-1-"));
        disk.delete("raft-1-0000000001.seg");
        disk.delete("no such file");
        assertEquals(List.of("raft-1-0000000002.seg"), disk.list("raft-1-"));
        assertFalse(disk.exists("raft-1-0000000001.seg"));
    }

    @Test
    void deleteInBackgroundRemovesTheFileSoonAfter() throws InterruptedException
    {
        final Disk disk = disk();
        disk.create("gone").append(bytes("x"), 0, 1);
        disk.deleteInBackground("gone");
        for (int i = 0; i < 500 && disk.exists("gone"); i++)
        {
            Thread.sleep(2);
        }
        assertFalse(disk.exists("gone"));
    }
}
