package lab.raft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import lab.core.storage.RecordJournal;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Raft log as a {@link RecordJournal} of segment files plus two snapshot files per node, on a {@link Disk} the
 * driver hands over (real files, or the simulator's disk that loses what was not synced), with an fsync policy:
 * {@code none} (the page cache: survives a process crash, kill -9 included, not a power cut), {@code batch} (one fsync
 * per {@link #sync()}, i.e. per message that acknowledges or forwards entries) or {@code always} (one per entry).
 *
 * <p>Records (the journal's {@code [length][crc32c][type]} framing, little-endian): HARD {@code [term][vote int]},
 * ENTRY {@code [index][term][clientId][seq][key][valueLength int][value]} or TRUNCATE {@code [fromIndex]}. They are
 * staged and written with one {@code write} per {@link #sync()}; what was never synced is lost in a crash, as the
 * replica expects. Every segment starts with the hard state, so that older segments can go. Recovery (the journal's:
 * a torn tail of the last segment cut and counted, a bad record before valid data an error unless fsync is none)
 * keeps the last hard state, skips what the snapshot covers and applies truncations.
 *
 * <p>Compaction never copies the log: once the snapshot is written, segments holding only entries the snapshot covers
 * are released (deleted with {@link Disk#deleteInBackground}, so that a real disk frees their pages off the node
 * thread: rewriting the log at every compaction used to stall it for milliseconds). Snapshots go to two files in turn,
 * each overwritten in place with a generation and a CRC32C: a crash in the middle of a write leaves that file torn and
 * the other one whole, and recovery takes the newest whole one. (Writing a new file and renaming it over the old one
 * took 1.8 ms for an 840 KB state on this VM, overwriting 0.2 ms; at 150k writes/s every node compacts about 5 times
 * a second.) An installed snapshot resets the log; the file may still hold a suffix beyond it that the leader's
 * history does not, so a TRUNCATE record after the snapshot index follows.
 *
 * <p>All I/O goes through the {@link Disk}: this class decides the records, what to write and when to sync, never
 * how a file is written or read back.
 *
 * <p>Tried and dropped: memory-mapped segments. Their writes need no system call, but every first touch of a page
 * of a new file is a page fault that allocates a block; on this VM's disk that tripled the p99 at 150k writes/s.
 * Having a background thread create and pre-touch the next segment was worse still (writing its zeros competes for
 * the cores and the disk).
 */
public final class FileStorage implements RaftStorage
{
    public enum Fsync
    {
        NONE, BATCH, ALWAYS
    }

    /**
     * Large: creating a file and deleting a full one stalled the writers of this VM's disk for tens of milliseconds
     * (16 MB segments, a new one every second per node at 150k writes/s: write p99 20-82 ms; 1 GB: 4.7-5.8 ms).
     */
    static final int SEGMENT_BYTES = 1 << 30;
    private static final byte HARD = 1;
    private static final byte ENTRY = 2;
    private static final byte TRUNCATE = 3;
    private static final int HARD_PAYLOAD = 8 + 4;
    private static final int TRUNCATE_PAYLOAD = 8;
    /** An entry's fields before its value. */
    private static final int ENTRY_FIXED = 5 * 8 + 4;
    /** No record is longer (a value larger than this is no client's): a longer length field is a bad record. */
    private static final int MAX_RECORD_LENGTH = 1 << 26;
    /** {@code [generation long][index long][term long][length int][crc32c int]}, then the state. */
    private static final int SNAPSHOT_HEADER = 32;

    private final RaftLog log;
    private final Disk disk;
    private final RecordJournal journal;
    /** Two snapshot files, written in turn: the one not holding the latest valid snapshot is overwritten. */
    private final String[] snapshotNames = new String[2];
    private final DiskFile[] snapshotFiles = new DiskFile[2];
    private long snapshotGeneration;
    private int nextSnapshotSlot;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private final Fsync fsync;
    private final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1024);
    private int snapshotLength;
    private ByteBuffer snapshotOut = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer snapshotOutBuffer = new UnsafeBuffer(snapshotOut);
    /** A new segment's first record's payload, the hard state. */
    private final UnsafeBuffer hardPayload = new UnsafeBuffer(new byte[HARD_PAYLOAD]);
    private long term;
    private int votedFor = -1;
    /** The last entry index the file holds (written or staged), after truncations. */
    private long fileLastIndex;

    /**
     * Opens the node's files on {@code disk}, recovering what they hold, or starts empty when {@code fresh}.
     */
    public FileStorage(final Disk disk, final int nodeId, final int logCapacity, final Fsync fsync,
        final boolean fresh)
    {
        this(disk, nodeId, logCapacity, fsync, fresh, SEGMENT_BYTES);
    }

    FileStorage(final Disk disk, final int nodeId, final int logCapacity, final Fsync fsync, final boolean fresh,
        final int segmentBytes)
    {
        this.log = new RaftLog(logCapacity);
        this.fsync = fsync;
        this.disk = disk;
        this.journal = new RecordJournal(disk, "raft-" + nodeId + "-", ".seg", segmentBytes, MAX_RECORD_LENGTH,
            fsync != Fsync.NONE, "raft log of node " + nodeId, this::startSegment);
        for (int i = 0; i < 2; i++)
        {
            snapshotNames[i] = "raft-" + nodeId + ".snap." + i;
        }
        if (fresh)
        {
            journal.deleteAll();
            for (final String name : snapshotNames)
            {
                disk.delete(name);
            }
        }
        else
        {
            recoverSnapshot();
            // Only fsync=none, which claims no durability, cuts a bad record before valid data and goes on.
            journal.recover(this::replay, FileStorage::validShape, fsync != Fsync.NONE);
            // Recovered segments are left to the next compaction to delete, never written again.
            journal.markRecovered(log.lastIndex());
        }
        fileLastIndex = log.lastIndex();
        for (int i = 0; i < 2; i++)
        {
            snapshotFiles[i] = disk.open(snapshotNames[i]);
        }
        journal.startSegment(); // syncs the folder: the deletes of a fresh start, the snapshot files and the segment
        journal.sync();
    }

    public RaftLog log()
    {
        return log;
    }

    public long term()
    {
        return term;
    }

    public int votedFor()
    {
        return votedFor;
    }

    public void saveHardState(final long term, final int votedFor)
    {
        this.term = term;
        this.votedFor = votedFor;
        final int o = journal.stage(HARD, HARD_PAYLOAD);
        final UnsafeBuffer b = journal.staging();
        b.putLong(o, term, ByteOrder.LITTLE_ENDIAN);
        b.putInt(o + 8, votedFor, ByteOrder.LITTLE_ENDIAN);
    }

    public void appended(final long index)
    {
        final int valueLength = log.valueLength(index);
        fileLastIndex = index;
        final int o = journal.stage(ENTRY, ENTRY_FIXED + valueLength);
        final UnsafeBuffer b = journal.staging();
        b.putLong(o, index, ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 8, log.termAt(index), ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 16, log.clientId(index), ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 24, log.seq(index), ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 32, log.key(index), ByteOrder.LITTLE_ENDIAN);
        b.putInt(o + 40, valueLength, ByteOrder.LITTLE_ENDIAN);
        if (valueLength > 0)
        {
            b.putBytes(o + ENTRY_FIXED, log.value(index), 0, valueLength);
        }
        journal.mark(index); // a segment whose entries a snapshot covers can go
        if (fsync == Fsync.ALWAYS)
        {
            sync();
        }
    }

    public void truncated(final long fromIndex)
    {
        stageTruncate(fromIndex);
    }

    public void saveSnapshot(final DirectBuffer state, final int offset, final int length)
    {
        if (state != snapshot)
        {
            snapshot.putBytes(0, state, offset, length);
        }
        snapshotLength = length;
        final int slot = nextSnapshotSlot;
        if (snapshotOut.capacity() < SNAPSHOT_HEADER + length)
        {
            snapshotOut = ByteBuffer.allocateDirect(Integer.highestOneBit(SNAPSHOT_HEADER + length) << 1)
                .order(ByteOrder.LITTLE_ENDIAN);
            snapshotOutBuffer.wrap(snapshotOut);
        }
        final ByteBuffer out = snapshotOut;
        out.clear();
        out.putLong(snapshotGeneration + 1).putLong(log.snapshotIndex()).putLong(log.snapshotTerm()).putInt(length)
            .putInt(0);
        snapshot.getBytes(0, out, SNAPSHOT_HEADER, length);
        out.putInt(28, checksum(out, length));
        snapshotFiles[slot].write(0, snapshotOutBuffer, 0, SNAPSHOT_HEADER + length);
        if (fsync != Fsync.NONE)
        {
            snapshotFiles[slot].sync();
        }
        snapshotGeneration++;
        nextSnapshotSlot = 1 - slot;
        if (fileLastIndex != log.lastIndex())
        {
            // An installed snapshot reset the log: what the file holds after it is not the leader's history.
            stageTruncate(log.lastIndex() + 1);
        }
        sync();
        journal.releaseUpTo(log.snapshotIndex());
    }

    public long fileWrites()
    {
        return journal.writes();
    }

    public long tornTails()
    {
        return journal.tornTails();
    }

    public DirectBuffer snapshot()
    {
        return snapshot;
    }

    public int snapshotLength()
    {
        return snapshotLength;
    }

    public void sync()
    {
        journal.sync();
    }

    /**
     * Closes the files without writing what is staged: a crash loses it too, and nothing that depended on it was
     * sent (the replica syncs before it sends).
     */
    public void close()
    {
        journal.close();
        for (final DiskFile f : snapshotFiles)
        {
            if (f != null)
            {
                f.close();
            }
        }
    }

    /**
     * CRC32C of a snapshot's header (without the checksum field) and state: a snapshot file is overwritten in place,
     * so a crash in the middle of a write leaves a torn one, which recovery must tell from a whole one.
     */
    private int checksum(final ByteBuffer buffer, final int length)
    {
        crc.reset();
        buffer.limit(28).position(0);
        crc.update(buffer);
        buffer.limit(SNAPSHOT_HEADER + length).position(SNAPSHOT_HEADER);
        crc.update(buffer);
        buffer.clear();
        return (int)crc.getValue();
    }

    private void stageTruncate(final long fromIndex)
    {
        fileLastIndex = Math.min(fileLastIndex, fromIndex - 1);
        final int o = journal.stage(TRUNCATE, TRUNCATE_PAYLOAD);
        journal.staging().putLong(o, fromIndex, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A new segment begins with the hard state, so that older segments can be deleted.
     */
    private void startSegment(final RecordJournal journal)
    {
        hardPayload.putLong(0, term, ByteOrder.LITTLE_ENDIAN);
        hardPayload.putInt(8, votedFor, ByteOrder.LITTLE_ENDIAN);
        journal.appendNow(HARD, hardPayload, 0, HARD_PAYLOAD);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Recovery

    /**
     * Loads the newest whole snapshot of the two files, if any, and resets the log to it.
     */
    private void recoverSnapshot()
    {
        int newest = -1;
        ByteBuffer newestBytes = null;
        for (int i = 0; i < 2; i++)
        {
            if (!disk.exists(snapshotNames[i]))
            {
                continue;
            }
            final DiskFile file = disk.open(snapshotNames[i]);
            final byte[] bytes = new byte[Math.toIntExact(file.size())];
            file.read(0, new UnsafeBuffer(bytes), 0, bytes.length);
            file.close();
            final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (in.capacity() < SNAPSHOT_HEADER)
            {
                continue;
            }
            final int length = in.getInt(24);
            if (length < 0 || length > in.capacity() - SNAPSHOT_HEADER || in.getInt(28) != checksum(in, length))
            {
                continue; // torn by a crash while it was written: the other one is the latest
            }
            if (newestBytes == null || in.getLong(0) > newestBytes.getLong(0))
            {
                newest = i;
                newestBytes = in;
            }
        }
        if (newestBytes != null)
        {
            snapshotGeneration = newestBytes.getLong(0);
            nextSnapshotSlot = 1 - newest;
            final int length = newestBytes.getInt(24);
            snapshot.putBytes(0, newestBytes, SNAPSHOT_HEADER, length);
            snapshotLength = length;
            log.resetTo(newestBytes.getLong(8), newestBytes.getLong(16));
        }
    }

    /**
     * A record whose checksum is right must also have the length its type has.
     */
    private static boolean validShape(final byte type, final DirectBuffer in, final int o, final int length)
    {
        return switch (type)
        {
            case HARD -> length == HARD_PAYLOAD;
            case TRUNCATE -> length == TRUNCATE_PAYLOAD;
            case ENTRY -> length >= ENTRY_FIXED && length == ENTRY_FIXED + in.getInt(o + 40, ByteOrder.LITTLE_ENDIAN);
            default -> false;
        };
    }

    /**
     * Applies one recovered record: the last hard state wins, entries the snapshot covers are skipped, an entry or a
     * TRUNCATE at or below the last index cuts the log there first.
     */
    private void replay(final byte type, final DirectBuffer in, final int o, final int length)
    {
        if (type == HARD)
        {
            term = in.getLong(o, ByteOrder.LITTLE_ENDIAN);
            votedFor = in.getInt(o + 8, ByteOrder.LITTLE_ENDIAN);
        }
        else if (type == ENTRY)
        {
            final long index = in.getLong(o, ByteOrder.LITTLE_ENDIAN);
            if (index > log.snapshotIndex())
            {
                if (index <= log.lastIndex())
                {
                    log.truncateFrom(index);
                }
                if (index == log.lastIndex() + 1)
                {
                    log.append(in.getLong(o + 8, ByteOrder.LITTLE_ENDIAN), in.getLong(o + 16, ByteOrder.LITTLE_ENDIAN),
                        in.getLong(o + 24, ByteOrder.LITTLE_ENDIAN), in.getLong(o + 32, ByteOrder.LITTLE_ENDIAN), in,
                        o + ENTRY_FIXED, in.getInt(o + 40, ByteOrder.LITTLE_ENDIAN), 1);
                }
            }
        }
        else
        {
            final long from = in.getLong(o, ByteOrder.LITTLE_ENDIAN);
            if (from > log.snapshotIndex() && from <= log.lastIndex())
            {
                log.truncateFrom(from);
            }
        }
    }
}
