package lab.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.storage.DiskFile;
import lab.core.storage.MemoryDisk;
import lab.harness.sim.SimDisk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * quorum-storage=file: the replica's versions and started ABD writes journaled on a {@code lab.core.storage.Disk}
 * (a {@link lab.core.storage.RecordJournal}, whose framing and recovery have their own tests in core), synced once
 * per burst before the replica answers.
 */
class QuorumDiskTest
{
    /** The first segment of a new run's journal of node 0; a restart writes on in the next one. */
    private static final String FIRST = "quorum-0-0000000000.journal";
    /** A version record with an 8-byte value: the journal's header, key, ts, value. */
    private static final int VERSION_RECORD = 9 + 16 + 8;

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
        disk.sync();
        disk.recordStartedWrite(900, 4);
        disk.sync();
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
        final QuorumDisk disk = new QuorumDisk(files, 0, true);
        disk.put(5, 10, value, 0, 8);
        disk.sync();
        assertNull(new QuorumDisk(files, 0, true).store().get(5));
    }

    @Test
    void shouldCutATornRecordOffAndGoOnAfterTheWholeOnes()
    {
        final MemoryDisk files = new MemoryDisk();
        final QuorumDisk disk = new QuorumDisk(files, 0, true);
        disk.put(5, 10, value, 0, 8);
        disk.sync();
        disk.put(6, 20, value, 0, 8);
        disk.sync();
        // A power cut tore the second record: only a prefix of it reached the disk.
        final DiskFile file = files.open(FIRST);
        file.truncate(file.size() - 5);

        final QuorumDisk restarted = new QuorumDisk(files, 0, false);
        assertEquals(10, versionOf(restarted, 5));
        assertNull(restarted.store().get(6));
        assertEquals(1, restarted.tornTails());
        assertEquals(VERSION_RECORD, file.size(), "the torn tail is cut off");
        restarted.put(7, 30, value, 0, 8);
        restarted.sync();
        final QuorumDisk again = new QuorumDisk(files, 0, false);
        assertEquals(10, versionOf(again, 5));
        assertEquals(30, versionOf(again, 7));
        assertEquals(0, again.tornTails());
    }

    @Test
    void shouldRefuseARecordWhoseChecksumFailsBeforeValidOnes()
    {
        final MemoryDisk files = new MemoryDisk();
        final QuorumDisk disk = new QuorumDisk(files, 0, true);
        disk.put(5, 10, value, 0, 8);
        disk.put(6, 20, value, 0, 8);
        disk.sync();
        final DiskFile file = files.open(FIRST);
        final UnsafeBuffer flipped = new UnsafeBuffer(new byte[1]);
        file.read(VERSION_RECORD - 1, flipped, 0, 1);
        flipped.putByte(0, (byte)(flipped.getByte(0) ^ 1));
        file.write(VERSION_RECORD - 1, flipped, 0, 1);

        // Synced data went bad: dropping version 20 silently could lose an acknowledged write.
        assertThrows(IllegalStateException.class, () -> new QuorumDisk(files, 0, false));
    }

    /**
     * What {@link QuorumDisk#sync()} returned from is kept through a power cut of the simulator's disk, which loses
     * or tears whatever was not synced.
     */
    @Test
    void shouldKeepEverySyncedVersionThroughAPowerCut()
    {
        int lostUnsynced = 0;
        for (int seed = 0; seed < 50; seed++)
        {
            final SimDisk files = new SimDisk(new Random(seed), false);
            final QuorumDisk disk = new QuorumDisk(files, 0, true);
            for (int key = 1; key <= 20; key++)
            {
                disk.put(key, 100 + key, value, 0, key);
                if (key % 4 == 0)
                {
                    disk.sync(); // a burst of four
                }
            }
            disk.put(21, 121, value, 0, 8);
            disk.sync();
            disk.put(22, 122, value, 0, 8); // staged, never synced: nothing that depends on it was sent
            files.powerCut();
            final QuorumDisk restarted = new QuorumDisk(files, 0, false);
            for (int key = 1; key <= 21; key++)
            {
                assertEquals(100 + key, versionOf(restarted, key), "seed " + seed + " key " + key);
            }
            lostUnsynced += versionOf(restarted, 22) == 0 ? 1 : 0;
        }
        assertEquals(50, lostUnsynced, "a record never written is never on disk");
    }

    /**
     * The replica answers a write only at flush, after the version is synced: before, its outbox holds nothing.
     */
    @Test
    void aReplicaWithAJournalAcknowledgesAWriteOnlyAfterFlushSyncedIt()
    {
        final ProtocolSettings settings =
            new ProtocolSettings(3, 1, 1, new TreeMap<>(Map.of("quorum-storage", "file")));
        final QuorumConfig config = new QuorumConfig(settings);
        final int client = settings.clientNode(0);
        final SimDisk files = new SimDisk(new Random(3), false);
        final QuorumReplica replica =
            new QuorumReplica(0, config, new Random(0), false, new QuorumDisk(files, 0, true));
        final QuorumMessages messages = new QuorumMessages();
        value.putLong(0, 55);
        final long ts = Timestamps.of(40, client);
        final int length = messages.encodeWrite(9, 1, 5, ts, -1, true, value, 0, 8);
        final List<Integer> sent = new ArrayList<>();
        final Outbox out = (toNode, buffer, offset, len) -> sent.add(toNode);

        replica.onMessage(client, messages.buffer(), 0, length, 0, out);
        assertTrue(sent.isEmpty(), "the acknowledgement waits for the sync");
        assertEquals(0, files.open(FIRST).size(), "staged, not yet written");
        replica.flush(0, out);
        assertEquals(List.of(client), sent, "the acknowledgement, after the sync");
        assertEquals(0, replica.malformedMessages());
        files.powerCut();
        assertEquals(ts, versionOf(new QuorumDisk(files, 0, false), 5), "what was acknowledged survives");
    }
}
