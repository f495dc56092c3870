package lab.raft;

import java.util.Random;

import lab.harness.sim.SimDisk;
import lab.harness.sim.SimNetwork;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Raft log on the simulator's disk, where a power cut loses or tears what was not synced: with
 * {@code fsync=always} or {@code batch} everything written before a {@link FileStorage#sync()} is recovered, and what
 * is recovered is a prefix of what was written (a torn record at the end is dropped, never misread); with
 * {@code none}, synced entries can be lost (what the torture's negative control shows end to end).
 */
class FileStorageOnSimDiskTest
{
    private static final UnsafeBuffer VALUE = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    private static void append(final FileStorage storage, final long term, final long seq)
    {
        storage.appended(storage.log().append(term, 7, seq, seq * 10, VALUE, 0, VALUE.capacity(), 1));
    }

    @ParameterizedTest
    @EnumSource(FileStorage.Fsync.class)
    void aPowerCutKeepsEverySyncedEntryAndRecoversAPrefix(final FileStorage.Fsync fsync)
    {
        int lostSynced = 0;
        for (long seed = 0; seed < 300; seed++)
        {
            final SimDisk disk = new SimDisk(new Random(SimNetwork.deriveSeed(seed, 5)), false);
            final FileStorage storage = new FileStorage(disk, 0, 1024, fsync, true, 4096);
            storage.saveHardState(2, 1);
            long seq = 0;
            final int synced = 1 + (int)(seed % 40);
            while (seq < synced)
            {
                append(storage, 2, ++seq);
                if (seq % 7 == 0)
                {
                    storage.sync();
                }
            }
            storage.sync();
            final int written = synced + (int)(seed % 13);
            while (seq < written)
            {
                append(storage, 2, ++seq); // not synced (unless fsync=always)
                if (seq % 5 == 0)
                {
                    storage.saveHardState(2, 1);
                }
            }
            disk.powerCut();
            storage.close();

            final FileStorage recovered = new FileStorage(disk, 0, 1024, fsync, false, 4096);
            final RaftLog log = recovered.log();
            assertTrue(log.lastIndex() <= written, "seed " + seed);
            for (long i = 1; i <= log.lastIndex(); i++)
            {
                assertEquals(i, log.seq(i), "seed " + seed + " index " + i);
                assertEquals(i * 10, log.key(i), "seed " + seed + " index " + i);
                assertEquals(12, log.value(i).getByte(11), "seed " + seed + " index " + i);
            }
            if (fsync == FileStorage.Fsync.NONE)
            {
                lostSynced += log.lastIndex() < synced ? 1 : 0;
            }
            else
            {
                assertEquals(2, recovered.term(), "seed " + seed);
                assertEquals(1, recovered.votedFor(), "seed " + seed);
                assertTrue(log.lastIndex() >= synced, "seed " + seed + ": " + log.lastIndex() + " < " + synced);
            }
            if (fsync == FileStorage.Fsync.ALWAYS)
            {
                assertEquals(written, log.lastIndex(), "seed " + seed + ": every append is synced");
            }
        }
        if (fsync == FileStorage.Fsync.NONE)
        {
            assertTrue(lostSynced > 0, "fsync=none never lost an entry the replica had synced");
        }
    }
}
