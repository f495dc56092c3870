package lab.quorum;

import java.nio.ByteOrder;

import lab.core.KvStore;
import lab.core.storage.Disk;
import lab.core.storage.RecordJournal;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a quorum replica keeps across a crash with durable storage: the versions it stored, and, as a replica
 * coordinator, the last ABD write each client session asked it to run.
 *
 * <ul>
 *   <li>{@code quorum-storage=durable}: a model of a disk in memory, handed by the factory to the restarted replica
 *   (as if everything were on disk before the ack). It survives a crash, not a power cut; with volatile storage a
 *   restart gets a fresh one.</li>
 *   <li>{@code quorum-storage=file}: the same state in a {@link RecordJournal} on the node's {@link Disk} (real files,
 *   or under torture the simulator's disk, which loses or tears what was not synced when its node loses power): one
 *   record per stored version or started write, staged as it happens and written and synced once per burst of input
 *   ({@link #sync()}, from the replica's {@code flush}), before the replica sends anything that depends on it. A
 *   restart replays the journal (the journal's recovery: a torn tail cut and counted, a bad record before valid data
 *   refused) and writes on in a new segment. The journal is never compacted: it grows with the writes of the run.</li>
 * </ul>
 */
final class QuorumDisk
{
    private static final byte VERSION = 1;       // [key long][ts long][value bytes...]
    private static final byte STARTED_WRITE = 2; // [session long][seq long]
    private static final int FIXED = 16;
    /** No record is longer (a value larger than this is no client's): a longer length field is a bad record. */
    private static final int MAX_RECORD_LENGTH = 1 << 26;

    private final KvStore store = new KvStore();
    private final Long2LongHashMap startedWrites = new Long2LongHashMap(0);
    private final RecordJournal journal;

    /**
     * A disk in memory ({@code quorum-storage=durable}, or a fresh one for volatile storage).
     */
    QuorumDisk()
    {
        journal = null;
    }

    /**
     * The node's journal on {@code disk} ({@code quorum-storage=file}): what it holds is replayed.
     *
     * @param fresh a new run's node: a journal left in the folder by an earlier run is deleted first.
     */
    QuorumDisk(final Disk disk, final int nodeId, final boolean fresh)
    {
        journal = new RecordJournal(disk, "quorum-" + nodeId + "-", ".journal", RecordJournal.ONE_SEGMENT,
            MAX_RECORD_LENGTH, true, "quorum journal of node " + nodeId, null);
        if (fresh)
        {
            journal.deleteAll();
        }
        else
        {
            journal.recover(this::replay, QuorumDisk::validShape, true);
        }
        // Its name is synced now: a power cut otherwise loses the file itself, whatever its syncs said.
        journal.startSegment();
    }

    KvStore store()
    {
        return store;
    }

    /**
     * @return whether what this disk stores becomes durable only at {@link #sync()} (a journal on a disk), so that
     * the replica must hold back what depends on it until then.
     */
    boolean syncsAtFlush()
    {
        return journal != null;
    }

    /**
     * Writes and syncs what was stored since the last call (one write and one fsync for a burst). Throws
     * {@link lab.core.storage.DiskFailure} if the disk does: the node must not answer for what it stored.
     */
    void sync()
    {
        if (journal != null)
        {
            journal.sync();
        }
    }

    /**
     * @return the seq of the last write this coordinator started for the session, 0 if none.
     */
    long startedWrite(final long sessionId)
    {
        return startedWrites.get(sessionId);
    }

    void recordStartedWrite(final long sessionId, final long seq)
    {
        startedWrites.put(sessionId, seq);
        if (journal != null)
        {
            final int o = journal.stage(STARTED_WRITE, FIXED);
            final UnsafeBuffer b = journal.staging();
            b.putLong(o, sessionId, ByteOrder.LITTLE_ENDIAN);
            b.putLong(o + 8, seq, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Stores version {@code ts} of {@code key} (the caller checked it is newer than the one held).
     */
    void put(final long key, final long ts, final DirectBuffer value, final int offset, final int length)
    {
        store.put(key, value, offset, length, ts);
        if (journal != null)
        {
            final int o = journal.stage(VERSION, FIXED + length);
            final UnsafeBuffer b = journal.staging();
            b.putLong(o, key, ByteOrder.LITTLE_ENDIAN);
            b.putLong(o + 8, ts, ByteOrder.LITTLE_ENDIAN);
            b.putBytes(o + FIXED, value, offset, length);
        }
    }

    /**
     * @return torn tails the journal's recoveries cut (0 in memory).
     */
    long tornTails()
    {
        return journal == null ? 0 : journal.tornTails();
    }

    private static boolean validShape(final byte type, final DirectBuffer in, final int offset, final int length)
    {
        return type == VERSION ? length >= FIXED : type == STARTED_WRITE && length == FIXED;
    }

    private void replay(final byte type, final DirectBuffer in, final int offset, final int length)
    {
        final long a = in.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final long b = in.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
        if (type == VERSION)
        {
            final KvStore.Entry entry = store.get(a);
            if (entry == null || b > entry.version())
            {
                store.put(a, in, offset + FIXED, length - FIXED, b);
            }
        }
        else
        {
            startedWrites.put(a, Math.max(b, startedWrites.get(a)));
        }
    }

    /**
     * Closes the journal without writing what is staged: a crash loses it too, and nothing that depended on it was
     * sent.
     */
    void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }
}
