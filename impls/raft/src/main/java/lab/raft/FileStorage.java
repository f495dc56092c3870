package lab.raft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import lab.core.storage.Disk;
import lab.core.storage.DiskFile;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Raft log as segment files plus a snapshot file per node, on a {@link Disk} the driver hands over (real files,
 * or the simulator's disk that loses what was not synced), with an fsync policy: {@code none} (the page cache:
 * survives a process crash, kill -9 included, not a power cut), {@code batch} (one fsync per {@link #sync()}, i.e. per
 * message that acknowledges or forwards entries) or {@code always} (one per entry).
 *
 * <p>Records, little-endian: {@code [int length of the rest][int crc32c][byte type]} then HARD {@code [term][vote
 * int]}, ENTRY {@code [index][term][clientId][seq][key][valueLength int][value]} or TRUNCATE {@code [fromIndex]}. The
 * CRC32C covers the length field, the type and the payload. They are staged in a direct buffer and written with one
 * {@code write} per {@link #sync()}; what was never synced is lost in a crash, as the replica expects. Once a segment
 * has passed {@value #SEGMENT_BYTES} bytes the next write starts a new one; a record never spans two, and every
 * segment starts with the hard state, so that older segments can go. With an fsync policy, a new segment's name is
 * made durable (the folder synced) before its records count, and so is a compaction's delete.
 *
 * <p>Recovery reads the segments in order, keeps the last hard state, skips what the snapshot covers and applies
 * truncations. A record that is cut short by the end of the file, or whose length, type or checksum is wrong, is a bad
 * record. In the last segment, with no whole valid record after it, it is a write torn by a crash (a power cut keeps
 * a prefix of what was not synced, maybe with garbage up to a sector): the file is cut there and synced, the tail
 * counted ({@link #tornTails()}) and logged. Any other bad record (in an older segment, which was synced whole before
 * the next one began, or followed by a valid record) is corruption of data that was synced: recovery fails with
 * an {@link IllegalStateException} instead of dropping entries silently. Only {@code fsync=none}, which claims no
 * durability, cuts such a segment and goes on.
 *
 * <p>Compaction never copies the log: once the snapshot is written, segments holding only entries the snapshot covers
 * are deleted with {@link Disk#deleteInBackground}, so that a real disk frees their pages off the node thread (rewriting the
 * log at every compaction used to stall it for milliseconds). Snapshots go to two files in turn, each overwritten in
 * place with a generation and a CRC32C: a crash in the middle of a write leaves that file torn and the other one
 * whole, and recovery takes the newest whole one. (Writing a new file and renaming it over the old one took 1.8 ms
 * for an 840 KB state on this VM, overwriting 0.2 ms; at 150k writes/s every node compacts about 5 times a second.) An
 * installed snapshot resets the log; the file may still hold a suffix beyond it that the leader's history does not,
 * so a TRUNCATE record after the snapshot index follows.
 *
 * <p>All I/O goes through the {@link Disk}: this class decides the format, what to write and when to sync, never
 * how a file is written.
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
    /** {@code [length int][crc32c int][type byte]}: what every record starts with. */
    private static final int RECORD_HEADER = 4 + 4 + 1;
    private static final int HARD_LENGTH = RECORD_HEADER + 8 + 4;
    private static final int TRUNCATE_LENGTH = RECORD_HEADER + 8;
    private static final int ENTRY_FIXED = RECORD_HEADER + 5 * 8 + 4;
    /** No record is longer (a value larger than this is no client's): a longer length field is a bad record. */
    private static final int MAX_RECORD_LENGTH = 1 << 26;
    /** Torn tails logged per JVM before the log only says every thousandth (a torture run cuts power thousands of times). */
    private static final int TORN_TAILS_LOGGED = 10;
    private static final java.util.concurrent.atomic.AtomicLong TORN_TAILS = new java.util.concurrent.atomic.AtomicLong();
    /** {@code [generation long][index long][term long][length int][crc32c int]}, then the state. */
    private static final int SNAPSHOT_HEADER = 32;

    /**
     * One segment file, appended to.
     */
    private static final class Segment
    {
        final DiskFile file;
        /** Highest entry index written to it, 0 if none. */
        long lastEntryIndex;

        Segment(final DiskFile file)
        {
            this.file = file;
        }
    }

    private final RaftLog log;
    private final Disk disk;
    private final String prefix;
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
    /** A new segment's first record, the hard state. */
    private final ByteBuffer hardRecordBytes = ByteBuffer.allocateDirect(HARD_LENGTH);
    private final UnsafeBuffer hardRecord = new UnsafeBuffer(hardRecordBytes);
    private long term;
    private int votedFor = -1;

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long nextSegment;
    private long position;
    private ByteBuffer stagingBytes = ByteBuffer.allocateDirect(1 << 20);
    private UnsafeBuffer staging = new UnsafeBuffer(stagingBytes);
    private int staged;
    private boolean unforced;
    /** Highest entry index staged since the last sync, 0 if none. */
    private long stagedLastEntryIndex;
    /** The last entry index the file holds (written or staged), after truncations. */
    private long fileLastIndex;
    /** Segment files from before a restart, deleted once a snapshot covers everything in them. */
    private final List<String> retired = new ArrayList<>();
    private long retiredLastIndex;
    private final int segmentBytes;
    private final int nodeId;
    private long fileWrites;
    private long tornTails;
    /** Set by {@link #replay}: it stopped at a bad record (else at one the window does not hold whole). */
    private boolean stoppedAtBadRecord;

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
        this.segmentBytes = segmentBytes;
        this.nodeId = nodeId;
        this.log = new RaftLog(logCapacity);
        this.fsync = fsync;
        this.disk = disk;
        this.prefix = "raft-" + nodeId + "-";
        for (int i = 0; i < 2; i++)
        {
            snapshotNames[i] = "raft-" + nodeId + ".snap." + i;
        }
        final List<String> existing = segmentFiles();
        if (fresh)
        {
            for (final String name : existing)
            {
                disk.delete(name);
            }
            for (final String name : snapshotNames)
            {
                disk.delete(name);
            }
        }
        else
        {
            recover(existing);
            for (final String name : existing)
            {
                nextSegment = Math.max(nextSegment, segmentNumber(name) + 1);
            }
            // Recovered segments are left to the next compaction to delete, never written again.
            retired.addAll(existing);
        }
        fileLastIndex = log.lastIndex();
        for (int i = 0; i < 2; i++)
        {
            snapshotFiles[i] = disk.open(snapshotNames[i]);
        }
        roll(); // syncs the folder: the deletes of a fresh start, the snapshot files and the first segment
        forceCurrent();
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
        stageHardState();
    }

    public void appended(final long index)
    {
        stageEntry(index);
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
        releaseCovered();
    }

    public long fileWrites()
    {
        return fileWrites;
    }

    public long tornTails()
    {
        return tornTails;
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
        if (staged > 0)
        {
            writeStaged();
        }
        forceCurrent();
    }

    /**
     * Closes the segments without writing what is staged: a crash loses it too, and nothing that depended on it was
     * sent (the replica syncs before it sends).
     */
    public void close()
    {
        for (final Segment s : segments)
        {
            s.file.close();
        }
        segments.clear();
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

    /**
     * CRC32C of the record at {@code p} of {@code buffer} (direct, so no copy): its length field, type and payload.
     */
    private int recordChecksum(final ByteBuffer buffer, final int p, final int length)
    {
        crc.reset();
        buffer.limit(p + 4).position(p);
        crc.update(buffer);
        buffer.limit(p + 4 + length).position(p + 8);
        crc.update(buffer);
        buffer.clear();
        return (int)crc.getValue();
    }

    private void seal(final UnsafeBuffer buffer, final ByteBuffer bytes, final int p)
    {
        final int length = buffer.getInt(p, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(p + 4, recordChecksum(bytes, p, length), ByteOrder.LITTLE_ENDIAN);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Staging and writing

    private int reserve(final int length)
    {
        if (staged + length > staging.capacity())
        {
            writeStaged();
            if (length > staging.capacity())
            {
                stagingBytes = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1);
                staging = new UnsafeBuffer(stagingBytes);
            }
        }
        final int p = staged;
        staged += length;
        return p;
    }

    private void stageHardState()
    {
        final int p = reserve(HARD_LENGTH);
        staging.putInt(p, HARD_LENGTH - 4, ByteOrder.LITTLE_ENDIAN);
        staging.putByte(p + 8, HARD);
        staging.putLong(p + 9, term, ByteOrder.LITTLE_ENDIAN);
        staging.putInt(p + 17, votedFor, ByteOrder.LITTLE_ENDIAN);
        seal(staging, stagingBytes, p);
    }

    private void stageTruncate(final long fromIndex)
    {
        fileLastIndex = Math.min(fileLastIndex, fromIndex - 1);
        final int p = reserve(TRUNCATE_LENGTH);
        staging.putInt(p, TRUNCATE_LENGTH - 4, ByteOrder.LITTLE_ENDIAN);
        staging.putByte(p + 8, TRUNCATE);
        staging.putLong(p + 9, fromIndex, ByteOrder.LITTLE_ENDIAN);
        seal(staging, stagingBytes, p);
    }

    private void stageEntry(final long index)
    {
        final int valueLength = log.valueLength(index);
        fileLastIndex = index;
        stagedLastEntryIndex = Math.max(stagedLastEntryIndex, index);
        final int p = reserve(ENTRY_FIXED + valueLength);
        staging.putInt(p, ENTRY_FIXED - 4 + valueLength, ByteOrder.LITTLE_ENDIAN);
        staging.putByte(p + 8, ENTRY);
        staging.putLong(p + 9, index, ByteOrder.LITTLE_ENDIAN);
        staging.putLong(p + 17, log.termAt(index), ByteOrder.LITTLE_ENDIAN);
        staging.putLong(p + 25, log.clientId(index), ByteOrder.LITTLE_ENDIAN);
        staging.putLong(p + 33, log.seq(index), ByteOrder.LITTLE_ENDIAN);
        staging.putLong(p + 41, log.key(index), ByteOrder.LITTLE_ENDIAN);
        staging.putInt(p + 49, valueLength, ByteOrder.LITTLE_ENDIAN);
        if (valueLength > 0)
        {
            staging.putBytes(p + ENTRY_FIXED, log.value(index), 0, valueLength);
        }
        seal(staging, stagingBytes, p);
    }

    /**
     * Writes the staged records to the current segment with one {@code write}, rolling to a new segment first when the
     * current one has reached its size (records never span two, so each segment recovers on its own).
     */
    private void writeStaged()
    {
        if (position >= segmentBytes)
        {
            forceCurrent();
            roll();
        }
        final Segment current = segments.peekLast();
        current.file.append(staging, 0, staged);
        position += staged;
        fileWrites++;
        staged = 0;
        unforced = true;
        if (stagedLastEntryIndex > 0)
        {
            current.lastEntryIndex = Math.max(current.lastEntryIndex, stagedLastEntryIndex);
            stagedLastEntryIndex = 0;
        }
    }

    private void forceCurrent()
    {
        if (unforced && fsync != Fsync.NONE)
        {
            segments.peekLast().file.sync();
        }
        unforced = false;
    }

    /**
     * Starts a new segment, beginning with the hard state so that older segments can be deleted.
     */
    private void roll()
    {
        final Segment segment = new Segment(disk.create(prefix + String.format("%010d", nextSegment++) + ".seg"));
        if (fsync != Fsync.NONE)
        {
            // A synced record of a file whose name a power cut undoes is lost all the same.
            disk.syncDirectory();
        }
        segments.addLast(segment);
        hardRecord.putInt(0, HARD_LENGTH - 4, ByteOrder.LITTLE_ENDIAN);
        hardRecord.putByte(8, HARD);
        hardRecord.putLong(9, term, ByteOrder.LITTLE_ENDIAN);
        hardRecord.putInt(17, votedFor, ByteOrder.LITTLE_ENDIAN);
        seal(hardRecord, hardRecordBytes, 0);
        segment.file.append(hardRecord, 0, HARD_LENGTH);
        position = HARD_LENGTH;
        unforced = true;
    }

    /**
     * Deletes (off the node thread, on a real disk) the segments before the current one whose entries the snapshot
     * covers.
     */
    private void releaseCovered()
    {
        final long covered = log.snapshotIndex();
        boolean deleted = false;
        while (segments.size() > 1 && segments.peekFirst().lastEntryIndex <= covered)
        {
            disk.deleteInBackground(segments.pollFirst().file.name());
            deleted = true;
        }
        if (!retired.isEmpty() && retiredLastIndex <= covered)
        {
            for (final String name : retired)
            {
                disk.deleteInBackground(name);
            }
            retired.clear();
            deleted = true;
        }
        if (deleted && fsync != Fsync.NONE)
        {
            disk.syncDirectory(); // so that a power cut does not bring the deleted segments back
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Recovery

    private List<String> segmentFiles()
    {
        final List<String> files = new ArrayList<>();
        for (final String name : disk.list(prefix))
        {
            if (name.endsWith(".seg"))
            {
                files.add(name);
            }
        }
        files.sort((a, b) -> Long.compare(segmentNumber(a), segmentNumber(b)));
        return files;
    }

    private long segmentNumber(final String name)
    {
        return Long.parseLong(name.substring(prefix.length(), name.length() - ".seg".length()));
    }

    private void recover(final List<String> files)
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
        // Read a window at a time, not into the heap whole: a segment may be a gigabyte.
        UnsafeBuffer window = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        for (int i = 0; i < files.size(); i++)
        {
            final String name = files.get(i);
            final DiskFile file = disk.open(name);
            try
            {
                final long size = file.size();
                long start = 0;
                while (start < size)
                {
                    final int n = file.read(start, window, 0, (int)Math.min(window.capacity(), size - start));
                    final int used = replay(window, n);
                    start += used;
                    if (start >= size || (used > 0 && !stoppedAtBadRecord))
                    {
                        continue; // done, or the next record starts the next window
                    }
                    if (!stoppedAtBadRecord)
                    {
                        // No whole record in the window: one larger than the window, or one cut short by the end.
                        final int length = size - start >= 4 ? window.getInt(0, ByteOrder.LITTLE_ENDIAN) : -1;
                        if (plausibleLength(length) && start + 4 + length <= size)
                        {
                            window = new UnsafeBuffer(ByteBuffer.allocateDirect(Integer.highestOneBit(4 + length) << 1));
                            continue;
                        }
                    }
                    onBadRecord(file, start, size, i == files.size() - 1);
                    break;
                }
            }
            finally
            {
                file.close();
            }
        }
        retiredLastIndex = log.lastIndex();
    }

    private static boolean plausibleLength(final int length)
    {
        return length >= TRUNCATE_LENGTH - 4 && length <= MAX_RECORD_LENGTH;
    }

    /**
     * @return whether a whole record with a right checksum starts at {@code p} of {@code in[0, end)}.
     */
    private boolean validRecord(final UnsafeBuffer in, final int p, final int end)
    {
        if (p + RECORD_HEADER > end)
        {
            return false;
        }
        final int length = in.getInt(p, ByteOrder.LITTLE_ENDIAN);
        if (!plausibleLength(length) || p + 4 + length > end)
        {
            return false;
        }
        final byte type = in.getByte(p + 8);
        final int expected = type == HARD ? HARD_LENGTH - 4 : type == TRUNCATE ? TRUNCATE_LENGTH - 4 :
            type == ENTRY && length >= ENTRY_FIXED - 4 ? ENTRY_FIXED - 4 + in.getInt(p + 49, ByteOrder.LITTLE_ENDIAN) :
            -1;
        return length == expected &&
            in.getInt(p + 4, ByteOrder.LITTLE_ENDIAN) == recordChecksum(in.byteBuffer(), in.wrapAdjustment() + p, length);
    }

    /**
     * A bad record at {@code offset} of a segment: a torn tail is cut (the file truncated there and synced), counted
     * and logged; one before valid data is corruption of what was synced, an error unless fsync is none.
     */
    private void onBadRecord(final DiskFile file, final long offset, final long size, final boolean lastSegment)
    {
        final boolean validAfter = validRecordAfter(file, offset + 1, size);
        if (fsync != Fsync.NONE && (!lastSegment || validAfter))
        {
            // Not a DiskFailure: retrying (what a driver does after a failed sync) cannot help.
            throw new IllegalStateException("raft log of node " + nodeId + ": bad record at byte " + offset +
                " of " + file.name() + " before " + (validAfter ? "a valid record" : "the segments after it") +
                ": corrupted synced data (recovery refuses to drop it)");
        }
        file.truncate(offset);
        file.sync();
        tornTails++;
        final long torn = TORN_TAILS.incrementAndGet();
        if (torn <= TORN_TAILS_LOGGED || torn % 1000 == 0)
        {
            System.err.println("[raft-log] node " + nodeId + ": cut a torn tail of " + (size - offset) +
                " bytes at byte " + offset + " of " + file.name() + " (" + torn + " torn tails in this JVM)");
        }
    }

    /**
     * @return whether a whole valid record starts anywhere in {@code [from, size)} of the file (a scan at every byte:
     * it runs only after a bad record, over what follows it, normally less than a write and a sector).
     */
    private boolean validRecordAfter(final DiskFile file, final long from, final long size)
    {
        UnsafeBuffer window = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));
        long q = from;
        while (q + RECORD_HEADER <= size)
        {
            final int n = file.read(q, window, 0, (int)Math.min(window.capacity(), size - q));
            long next = q + Math.max(1, n - RECORD_HEADER + 1);
            for (int i = 0; i + RECORD_HEADER <= n; i++)
            {
                final int length = window.getInt(i, ByteOrder.LITTLE_ENDIAN);
                if (!plausibleLength(length) || q + i + 4 + length > size)
                {
                    continue;
                }
                if (i + 4 + length > n)
                {
                    // Whole in the file, not in the window: read again from there (with room for it).
                    if (4 + length > window.capacity())
                    {
                        window = new UnsafeBuffer(ByteBuffer.allocateDirect(Integer.highestOneBit(4 + length) << 1));
                    }
                    next = q + i;
                    break;
                }
                if (validRecord(window, i, n))
                {
                    return true;
                }
            }
            q = next;
        }
        return false;
    }

    /**
     * Applies the whole, valid records at the start of {@code in[0, end)}; sets {@link #stoppedAtBadRecord} when it
     * stops at a record that is whole in the window but not valid.
     *
     * @return the bytes they take: the next record starts there (0: none is whole).
     */
    private int replay(final UnsafeBuffer in, final int end)
    {
        stoppedAtBadRecord = false;
        int p = 0;
        while (p + 4 <= end)
        {
            final int length = in.getInt(p, ByteOrder.LITTLE_ENDIAN);
            if (plausibleLength(length) && p + 4 + length > end)
            {
                break; // one the next window holds, or cut short by the end of the file: the caller tells
            }
            if (!validRecord(in, p, end))
            {
                stoppedAtBadRecord = true;
                break;
            }
            final byte type = in.getByte(p + 8);
            if (type == HARD)
            {
                term = in.getLong(p + 9, ByteOrder.LITTLE_ENDIAN);
                votedFor = in.getInt(p + 17, ByteOrder.LITTLE_ENDIAN);
            }
            else if (type == ENTRY)
            {
                final long index = in.getLong(p + 9, ByteOrder.LITTLE_ENDIAN);
                if (index > log.snapshotIndex())
                {
                    if (index <= log.lastIndex())
                    {
                        log.truncateFrom(index);
                    }
                    if (index == log.lastIndex() + 1)
                    {
                        log.append(in.getLong(p + 17, ByteOrder.LITTLE_ENDIAN),
                            in.getLong(p + 25, ByteOrder.LITTLE_ENDIAN), in.getLong(p + 33, ByteOrder.LITTLE_ENDIAN),
                            in.getLong(p + 41, ByteOrder.LITTLE_ENDIAN), in, p + ENTRY_FIXED,
                            in.getInt(p + 49, ByteOrder.LITTLE_ENDIAN), 1);
                    }
                }
            }
            else
            {
                final long from = in.getLong(p + 9, ByteOrder.LITTLE_ENDIAN);
                if (from > log.snapshotIndex() && from <= log.lastIndex())
                {
                    log.truncateFrom(from);
                }
            }
            p += 4 + length;
        }
        return p;
    }
}
