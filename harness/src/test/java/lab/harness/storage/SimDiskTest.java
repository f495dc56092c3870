package lab.harness.storage;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import lab.core.storage.Disk;
import lab.core.storage.DiskFailure;
import lab.core.storage.DiskFile;
import lab.harness.sim.SimDisk;
import lab.harness.sim.SimDisks;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's disk: the contract, and what a power cut or a failed sync keeps.
 */
class SimDiskTest extends DiskContract
{
    Disk disk()
    {
        return new SimDisk(new Random(1), true);
    }

    private static UnsafeBuffer bytes(final String s)
    {
        return new UnsafeBuffer(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aPowerCutKeepsWhatWasSynced()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            final SimDisk disk = new SimDisk(new Random(lab.harness.sim.SimNetwork.deriveSeed(seed, 1)), true);
            final DiskFile f = disk.create("f");
            disk.syncDirectory(); // the name; its bytes below
            f.append(bytes("durable"), 0, 7);
            f.sync();
            f.append(bytes("-maybe"), 0, 6);
            f.append(bytes("-later"), 0, 6);
            disk.powerCut();
            final String left = read(disk.open("f"));
            assertTrue(left.startsWith("durable"), left);
            assertEquals(1, disk.powerCuts());
            // Nothing unsynced is left: a second cut changes nothing.
            disk.powerCut();
            assertEquals(left, read(disk.open("f")));
        }
    }

    @Test
    void aPowerCutLosesKeepsOrTearsTheUnsyncedWritesInOrder()
    {
        final Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < 400; seed++)
        {
            final SimDisk disk = new SimDisk(new Random(lab.harness.sim.SimNetwork.deriveSeed(seed, 1)), false);
            final DiskFile f = disk.create("f");
            disk.syncDirectory();
            f.append(bytes("AAAA"), 0, 4);
            f.append(bytes("BBBB"), 0, 4);
            disk.powerCut();
            final String left = read(disk.open("f"));
            // Without garbage: a prefix of what was written, in the order it was written.
            assertTrue("AAAABBBB".startsWith(left), left);
            outcomes.add(left);
        }
        assertTrue(outcomes.contains(""), outcomes.toString());
        assertTrue(outcomes.contains("AAAA"), outcomes.toString());
        assertTrue(outcomes.contains("AAAABBBB"), outcomes.toString());
        assertTrue(outcomes.stream().anyMatch(s -> s.length() % 4 != 0), "some write torn: " + outcomes);
    }

    @Test
    void aTornWriteMayLeaveGarbageUpToASectorBoundary()
    {
        boolean garbage = false;
        for (int seed = 0; seed < 400 && !garbage; seed++)
        {
            final SimDisk disk = new SimDisk(new Random(lab.harness.sim.SimNetwork.deriveSeed(seed, 1)), true);
            final DiskFile f = disk.create("f");
            disk.syncDirectory();
            f.append(bytes("0123456789"), 0, 10);
            disk.powerCut();
            final long size = disk.open("f").size();
            assertTrue(size <= 10 || size == SimDisk.SECTOR, "size " + size);
            garbage = size == SimDisk.SECTOR;
        }
        assertTrue(garbage);
    }

    @Test
    void aFailedSyncThrowsOnceAndLeavesOnlyWhatWasDurable()
    {
        final SimDisk disk = new SimDisk(new Random(3), false);
        final DiskFile f = disk.create("f");
        disk.syncDirectory();
        f.append(bytes("kept"), 0, 4);
        f.sync();
        f.append(bytes("-unsynced"), 0, 9);
        disk.failNextSync();
        assertThrows(DiskFailure.class, f::sync);
        assertEquals(1, disk.failedSyncs());
        final String left = read(f);
        assertTrue(left.startsWith("kept") && "kept-unsynced".startsWith(left), left);
        f.append(bytes("!"), 0, 1);
        f.sync(); // once
        disk.powerCut();
        assertEquals(left + "!", read(disk.open("f")));
    }

    @Test
    void namesChangedSinceTheLastDirectorySyncAreUndoneByAPowerCut()
    {
        final SimDisk disk = new SimDisk(new Random(5), false);
        final DiskFile kept = disk.create("kept");
        kept.append(bytes("old"), 0, 3);
        kept.sync();
        disk.syncDirectory();
        final DiskFile fresh = disk.create("fresh");
        fresh.append(bytes("synced"), 0, 6);
        fresh.sync(); // its bytes, not its name
        disk.delete("kept");
        disk.powerCut();
        assertFalse(disk.exists("fresh"), "created after the directory's last sync: gone");
        assertTrue(disk.exists("kept"), "deleted after it: back");
        assertEquals("old", read(disk.open("kept")));
        assertEquals(1, disk.directorySyncs());

        disk.create("fresh").append(bytes("synced"), 0, 6);
        disk.open("fresh").sync();
        disk.delete("kept");
        disk.syncDirectory();
        disk.powerCut();
        assertTrue(disk.exists("fresh"));
        assertEquals("synced", read(disk.open("fresh")));
        assertFalse(disk.exists("kept"));
    }

    @Test
    void aFailedDirectorySyncThrowsOnceAndUndoesTheUnsyncedNames()
    {
        final SimDisk disk = new SimDisk(new Random(6), false);
        disk.create("a");
        disk.syncDirectory();
        disk.create("b");
        disk.failNextSync();
        assertThrows(DiskFailure.class, disk::syncDirectory);
        assertTrue(disk.exists("a"));
        assertFalse(disk.exists("b"));
        disk.create("b");
        disk.syncDirectory(); // once
        assertTrue(disk.exists("b"));
    }

    @Test
    void theSameSeedLosesTheSame()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            assertEquals(cutOnce(seed), cutOnce(seed));
        }
    }

    private static String cutOnce(final long seed)
    {
        final SimDisks disks = new SimDisks(seed, true);
        final DiskFile f = disks.disk("", 2).create("f");
        disks.of(2).syncDirectory();
        for (int i = 0; i < 20; i++)
        {
            f.append(bytes("write" + i), 0, 5 + Integer.toString(i).length());
        }
        disks.of(2).powerCut();
        return read(disks.disk("ignored", 2).open("f"));
    }
}
