package lab.quorum;

import java.util.zip.CRC32;

import lab.core.KvStore;
import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * What a quorum replica keeps across a crash with durable storage: the versions it stored, and, as a replica
 * coordinator, the last ABD write each client session asked it to run.
 *
 * <ul>
 *   <li>{@code quorum-storage=durable}: a model of a disk in memory, handed by the factory to the restarted replica
 *   (as if everything were on disk before the ack). It survives a crash, not a power cut; with volatile storage a
 *   restart gets a fresh one.</li>
 *   <li>{@code quorum-storage=file}: the same state journaled on the node's {@link Disk} (real files, or under torture
 *   the simulator's disk, which loses or tears what was not synced when its node loses power): one record per
 *   stored version or started write, synced before the replica sends anything that depends on it (each record is
 *   synced as it is written: the replica answers right after storing). A restart replays the journal; a record
 *   torn by a power cut (short, or failing its CRC-32) ends it and is cut off. The journal is never compacted: it
 *   grows with the writes of the run.</li>
 * </ul>
 */
final class QuorumDisk
{
    /** A record: [length int][crc32 int] then the payload of that length, its first byte the record's type. */
    private static final int RECORD_HEADER = 8;
    private static final byte VERSION = 1;      // [type][key long][ts long][value bytes...]
    private static final byte STARTED_WRITE = 2; // [type][session long][seq long]
    private static final int PAYLOAD_HEADER = 17;

    private final KvStore store = new KvStore();
    private final Long2LongHashMap startedWrites = new Long2LongHashMap(0);
    private final DiskFile journal;
    private final ExpandableArrayBuffer record;
    private final CRC32 crc;

    /**
     * A disk in memory ({@code quorum-storage=durable}, or a fresh one for volatile storage).
     */
    QuorumDisk()
    {
        journal = null;
        record = null;
        crc = null;
    }

    /**
     * The node's journal on {@code disk} ({@code quorum-storage=file}): what it holds is replayed.
     *
     * @param fresh a new run's node: a journal left in the folder by an earlier run is deleted first.
     */
    QuorumDisk(final Disk disk, final int nodeId, final boolean fresh)
    {
        final String name = "quorum-" + nodeId + ".journal";
        if (fresh)
        {
            disk.delete(name);
        }
        final boolean created = !disk.exists(name);
        journal = disk.open(name);
        if (created)
        {
            // The journal's name must be durable before anything synced into it is acknowledged: a power cut
            // otherwise loses the file itself, whatever its syncs said (caught by the simulator's disk).
            disk.syncDirectory();
        }
        record = new ExpandableArrayBuffer(256);
        crc = new CRC32();
        replay();
    }

    KvStore store()
    {
        return store;
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
            record.putByte(RECORD_HEADER, STARTED_WRITE);
            record.putLong(RECORD_HEADER + 1, sessionId);
            record.putLong(RECORD_HEADER + 9, seq);
            append(PAYLOAD_HEADER);
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
            record.putByte(RECORD_HEADER, VERSION);
            record.putLong(RECORD_HEADER + 1, key);
            record.putLong(RECORD_HEADER + 9, ts);
            record.putBytes(RECORD_HEADER + PAYLOAD_HEADER, value, offset, length);
            append(PAYLOAD_HEADER + length);
        }
    }

    private void append(final int payloadLength)
    {
        crc.reset();
        crc.update(record.byteArray(), RECORD_HEADER, payloadLength);
        record.putInt(0, payloadLength);
        record.putInt(4, (int)crc.getValue());
        journal.append(record, 0, RECORD_HEADER + payloadLength);
        journal.sync(); // persist, then acknowledge: the caller sends its answer right after
    }

    private void replay()
    {
        final long size = journal.size();
        if (size > Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException(journal.name() + " is too large to replay: " + size + " bytes");
        }
        final ExpandableArrayBuffer in = new ExpandableArrayBuffer((int)Math.max(64, size));
        final int read = journal.read(0, in, 0, (int)size);
        int position = 0;
        while (position + RECORD_HEADER <= read)
        {
            final int length = in.getInt(position);
            if (length < PAYLOAD_HEADER || length > read - position - RECORD_HEADER)
            {
                break; // torn: the write a power cut interrupted
            }
            crc.reset();
            crc.update(in.byteArray(), position + RECORD_HEADER, length);
            if ((int)crc.getValue() != in.getInt(position + 4))
            {
                break;
            }
            final int p = position + RECORD_HEADER;
            final byte type = in.getByte(p);
            final long a = in.getLong(p + 1);
            final long b = in.getLong(p + 9);
            if (type == VERSION)
            {
                final KvStore.Entry entry = store.get(a);
                if (entry == null || b > entry.version())
                {
                    store.put(a, in, p + PAYLOAD_HEADER, length - PAYLOAD_HEADER, b);
                }
            }
            else if (type == STARTED_WRITE)
            {
                startedWrites.put(a, Math.max(b, startedWrites.get(a)));
            }
            position += RECORD_HEADER + length;
        }
        if (position < size)
        {
            journal.truncate(position); // cut the torn tail off, so that new records follow whole ones
            journal.sync();
        }
    }

    void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }
}
