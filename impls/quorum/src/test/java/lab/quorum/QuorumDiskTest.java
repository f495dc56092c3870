package lab.quorum;

import java.util.Random;

import lab.core.KvStore;
import lab.core.storage.DiskFile;
import lab.core.storage.MemoryDisk;
import lab.harness.sim.SimDisk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * quorum-storage=file: the replica's versions and started ABD writes journaled on a {@code lab.core.storage.Disk}.
 */
class QuorumDiskTest
{
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[32]);

    private static long versionOf(final QuorumDisk disk, final long key)
    {
        final KvStore.Entry entry = disk.store().get(key);
        return entry == null ? 0 : entry.version();
    }

    @Test
    void shouldReplayVersionsAndStartedWritesAfterARestart()
    {
        final MemoryDisk files = new MemoryDisk();
        final QuorumDisk disk = new QuorumDisk(files, 1, true);
        value.putLong(0, 77);
        disk.put(5, 10, value, 0, 8);
        disk.put(5, 12, value, 0, 16);
        disk.put(6, 11, value, 0, 0);
        disk.recordStartedWrite(900, 3);
        disk.recordStartedWrite(900, 4);
        disk.close();

        final QuorumDisk restarted = new QuorumDisk(files, 1, false);
        assertEquals(12, versionOf(restarted, 5));
        assertEquals(16, restarted.store().get(5).length());
        assertEquals(77, restarted.store().get(5).value().getLong(0));
        assertEquals(11, versionOf(restarted, 6));
        assertEquals(4, restarted.startedWrite(900));
        assertEquals(0, restarted.startedWrite(901));
    }

    @Test
    void shouldStartEmptyInANewRunWhateverTheFolderHolds()
    {
        final MemoryDisk files = new MemoryDisk();
        new QuorumDisk(files, 0, true).put(5, 10, value, 0, 8);
        assertNull(new QuorumDisk(files, 0, true).store().get(5));
    }

    @Test
    void shouldCutATornRecordOffAndGoOnAfterTheWholeOnes()
    {
        final MemoryDisk files = new MemoryDisk();
        final QuorumDisk disk = new QuorumDisk(files, 2, true);
        disk.put(5, 10, value, 0, 8);
        disk.put(6, 20, value, 0, 8);
        // A power cut tore the second record: only a prefix of it reached the disk.
        final DiskFile file = files.open("quorum-2.journal");
        file.truncate(file.size() - 5);

        final QuorumDisk restarted = new QuorumDisk(files, 2, false);
        assertEquals(10, versionOf(restarted, 5));
        assertNull(restarted.store().get(6));
        assertEquals(8 + 17 + 8, file.size(), "the torn tail is cut off: new records follow the whole ones");
        restarted.put(7, 30, value, 0, 8);
        final QuorumDisk again = new QuorumDisk(files, 2, false);
        assertEquals(10, versionOf(again, 5));
        assertEquals(30, versionOf(again, 7));
    }

    @Test
    void shouldDropARecordWhoseChecksumFails()
    {
        final MemoryDisk files = new MemoryDisk();
        final QuorumDisk disk = new QuorumDisk(files, 0, true);
        disk.put(5, 10, value, 0, 8);
        disk.put(6, 20, value, 0, 8);
        final DiskFile file = files.open("quorum-0.journal");
        final UnsafeBuffer flipped = new UnsafeBuffer(new byte[1]);
        file.read(file.size() - 1, flipped, 0, 1);
        flipped.putByte(0, (byte)(flipped.getByte(0) ^ 1));
        file.write(file.size() - 1, flipped, 0, 1);

        final QuorumDisk restarted = new QuorumDisk(files, 0, false);
        assertEquals(10, versionOf(restarted, 5));
        assertNull(restarted.store().get(6));
    }

    /**
     * Each record is synced before {@code put} returns, i.e. before the replica acknowledges: a power cut of the
     * simulator's disk, which loses or tears whatever was not synced, loses nothing that was acknowledged.
     */
    @Test
    void shouldKeepEveryAcknowledgedVersionThroughAPowerCut()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            final SimDisk files = new SimDisk(new Random(seed), false);
            final QuorumDisk disk = new QuorumDisk(files, 0, true);
            for (int key = 1; key <= 20; key++)
            {
                disk.put(key, 100 + key, value, 0, key);
            }
            files.powerCut();
            final QuorumDisk restarted = new QuorumDisk(files, 0, false);
            for (int key = 1; key <= 20; key++)
            {
                assertEquals(100 + key, versionOf(restarted, key), "seed " + seed + " key " + key);
            }
        }
    }
}
