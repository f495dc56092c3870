package lab.core.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A journal of checksummed records in segment files on a {@link Disk}: what a protocol keeps durable (Raft's log,
 * quorum's versions) is written through it, so that framing, checksums and crash recovery exist once and a protocol
 * never reads or writes a file on its own.
 *
 * <p>Records, little-endian: {@code [int length of the rest][int crc32c][byte type]} then the payload; the CRC32C
 * covers the length field, the type and the payload. The caller stages records ({@link #stage}) into a direct
 * buffer; they reach the file with one {@code write} per {@link #write()} or {@link #sync()} (the caller decides when:
 * once per burst, before it sends what depends on them), so what was never written is lost in a crash, as a protocol
 * that syncs before it sends expects. Once a segment has passed its size, the next write starts a new one (a record
 * never spans two) whose first records the {@link SegmentStart} writes, so that older segments can go
 * ({@link #releaseUpTo}). With {@code fsync}, a new segment's name is made durable (the folder synced) before its
 * records count, and so is a release's delete; without it, {@link #sync()} only writes (the page cache: survives a
 * process crash, not a power cut).
 *
 * <p>Recovery ({@link #recover}) replays the segments in order. A record that is cut short by the end of its file, or
 * whose length, checksum or shape ({@link RecordCheck}) is wrong, is a bad record. In the last segment, with no
 * whole valid record after it, it is a write torn by a crash (a power cut keeps a prefix of what was not synced,
 * maybe with garbage up to a sector): the file is cut there and synced, the tail counted ({@link #tornTails()}) and
 * logged. Any other bad record (in an older segment, which was synced whole before the next one began, or followed by
 * a valid record) is corruption of data that was synced: recovery fails with an {@link IllegalStateException}
 * instead of dropping records silently, unless the caller claims no durability ({@code refuseCorruption} false),
 * when the segment is cut there and recovery goes on.
 *
 * <p>Not thread-safe: one node's thread owns it. Staging, writing and syncing allocate nothing.
 */
public final class RecordJournal
{
    /** {@code [length int][crc32c int][type byte]}: what every record starts with. */
    public static final int RECORD_HEADER = 4 + 4 + 1;
    /** Segment size for a journal that never starts a second segment. */
    public static final long ONE_SEGMENT = Long.MAX_VALUE;
    /**
     * Torn tails logged per JVM before the log only says every thousandth (a torture run cuts power thousands of
     * times).
     */
    private static final int TORN_TAILS_LOGGED = 10;
    private static final AtomicLong TORN_TAILS = new AtomicLong();
    /** Recovery reads a segment this much at a time (less for a smaller file). */
    private static final int WINDOW_BYTES = 1 << 20;
    private static final int STAGING_BYTES = 1 << 20;
    /** The length field of a record with an empty payload: the checksum and the type. */
    private static final int MIN_LENGTH = RECORD_HEADER - 4;

    /**
     * Receives the payload of each valid record during recovery, in the order written.
     */
    @FunctionalInterface
    public interface RecordReader
    {
        void onRecord(byte type, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Whether a record whose checksum is right also has a shape the caller wrote (a known type, a length that fits
     * its fields); one that has not is a bad record like a torn one.
     */
    @FunctionalInterface
    public interface RecordCheck
    {
        RecordCheck ANY = (type, buffer, offset, length) -> true;

        boolean valid(byte type, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Writes a new segment's first records ({@link #appendNow}), e.g. the state older segments held, so that they can
     * be released.
     */
    @FunctionalInterface
    public interface SegmentStart
    {
        void onSegmentStart(RecordJournal journal);
    }

    /**
     * What a recovery found: segments read, valid records replayed, and the torn tails it cut (with their bytes).
     */
    public record Recovery(int segments, long records, long tornTails, long tornBytes)
    {
    }

    private static final class Segment
    {
        final String name;
        /** Open for writing; null for a segment recovery read, which is never written again. */
        final DiskFile file;
        /** The highest {@link #mark} of the records written to it ({@link Long#MIN_VALUE}: none). */
        long mark = Long.MIN_VALUE;

        Segment(final String name, final DiskFile file)
        {
            this.name = name;
            this.file = file;
        }

        void close()
        {
            if (file != null)
            {
                file.close();
            }
        }
    }

    private final Disk disk;
    private final String prefix;
    private final String suffix;
    private final long segmentBytes;
    private final int maxRecordLength;
    private final boolean fsync;
    private final String label;
    private final SegmentStart segmentStart;
    private final CRC32C crc = new CRC32C();

    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    /** The segment written to, the last one; null before the first write or {@link #startSegment}. */
    private Segment current;
    private long nextSegment;
    /** Bytes written to the current segment (not counting what is staged). */
    private long position;
    /** Allocated at the first {@link #stage}: a journal only recovered, or never written, needs none. */
    private ByteBuffer stagingBytes;
    private UnsafeBuffer staging;
    private int staged;
    private long stagedMark = Long.MIN_VALUE;
    private ByteBuffer directBytes = ByteBuffer.allocateDirect(64);
    private UnsafeBuffer direct = new UnsafeBuffer(directBytes);
    private boolean unsynced;
    private long writes;
    private long tornTails;
    /** Set by {@link #replay}: it stopped at a bad record (else at one the window does not hold whole). */
    private boolean stoppedAtBadRecord;
    private long replayed;

    /**
     * @param disk            the node's folder.
     * @param prefix          what the segment names start with ({@code raft-3-}), followed by a 10-digit number.
     * @param suffix          what they end with ({@code .seg}).
     * @param segmentBytes    the size past which the next write starts a new segment ({@link #ONE_SEGMENT}: never).
     * @param maxRecordLength the largest length field a record may have: a larger one is a bad record.
     * @param fsync           whether {@link #sync()} reaches the disk and new or deleted names are made durable.
     * @param label           names the journal in errors and logs ({@code "raft log of node 3"}).
     * @param segmentStart    writes each new segment's first records, or null.
     */
    public RecordJournal(final Disk disk, final String prefix, final String suffix, final long segmentBytes,
        final int maxRecordLength, final boolean fsync, final String label, final SegmentStart segmentStart)
    {
        if (segmentBytes <= 0 || maxRecordLength < MIN_LENGTH)
        {
            throw new IllegalArgumentException("segment bytes " + segmentBytes + ", max record length " +
                maxRecordLength);
        }
        this.disk = disk;
        this.prefix = prefix;
        this.suffix = suffix;
        this.segmentBytes = segmentBytes;
        this.maxRecordLength = maxRecordLength;
        this.fsync = fsync;
        this.label = label;
        this.segmentStart = segmentStart;
        for (final String name : segmentNames())
        {
            nextSegment = Math.max(nextSegment, segmentNumber(name) + 1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writing

    /**
     * Reserves a record of {@code payloadLength} bytes; the caller writes its payload into {@link #staging()} at the
     * returned offset before the next call to this journal. May write what was staged before, to make room.
     *
     * @return the payload's offset in {@link #staging()}.
     */
    public int stage(final byte type, final int payloadLength)
    {
        final int length = RECORD_HEADER + payloadLength;
        if (payloadLength < 0 || length - 4 > maxRecordLength)
        {
            throw new IllegalArgumentException(label + ": a record of " + payloadLength + " payload bytes");
        }
        if (staging == null)
        {
            stagingBytes = ByteBuffer.allocateDirect(STAGING_BYTES);
            staging = new UnsafeBuffer(stagingBytes);
        }
        if (staged + length > staging.capacity())
        {
            write();
            if (length > staging.capacity())
            {
                stagingBytes = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1);
                staging = new UnsafeBuffer(stagingBytes);
            }
        }
        final int p = staged;
        staging.putInt(p, length - 4, ByteOrder.LITTLE_ENDIAN);
        staging.putByte(p + 8, type);
        staged += length;
        return p + RECORD_HEADER;
    }

    /**
     * @return the buffer that {@link #stage} returns offsets into (it may be replaced by a later {@code stage}).
     */
    public UnsafeBuffer staging()
    {
        return staging;
    }

    /**
     * Tags the records staged since the last write with {@code mark} (e.g. the highest log index they hold): a
     * segment keeps the highest mark of its records, and {@link #releaseUpTo} compares it.
     */
    public void mark(final long mark)
    {
        stagedMark = Math.max(stagedMark, mark);
    }

    /**
     * Writes what is staged to the current segment with one {@code write}, first starting a new segment when this one
     * has reached its size (the current one synced first, with fsync). Not durable until {@link #sync()}.
     */
    public void write()
    {
        if (staged == 0)
        {
            return;
        }
        if (current == null || position >= segmentBytes)
        {
            startSegment();
        }
        int p = 0;
        while (p < staged)
        {
            final int length = staging.getInt(p, ByteOrder.LITTLE_ENDIAN);
            staging.putInt(p + 4, checksum(stagingBytes, p, length), ByteOrder.LITTLE_ENDIAN);
            p += 4 + length;
        }
        current.file.append(staging, 0, staged);
        position += staged;
        writes++;
        staged = 0;
        unsynced = true;
        current.mark = Math.max(current.mark, stagedMark);
        stagedMark = Long.MIN_VALUE;
    }

    /**
     * Writes what is staged and, with fsync, makes everything written durable (one fsync of the current segment).
     * Throws {@link DiskFailure} when the disk does: the caller must then not count on what it wrote.
     */
    public void sync()
    {
        write();
        syncCurrent();
    }

    /**
     * Appends one record to the current segment at once, past the staged ones' turn: for a {@link SegmentStart}
     * writing a new segment's first records. Not counted in {@link #writes()}.
     */
    public void appendNow(final byte type, final DirectBuffer payload, final int offset, final int payloadLength)
    {
        final int length = RECORD_HEADER + payloadLength;
        if (length > direct.capacity())
        {
            directBytes = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1);
            direct = new UnsafeBuffer(directBytes);
        }
        direct.putInt(0, length - 4, ByteOrder.LITTLE_ENDIAN);
        direct.putByte(8, type);
        direct.putBytes(RECORD_HEADER, payload, offset, payloadLength);
        direct.putInt(4, checksum(directBytes, 0, length - 4), ByteOrder.LITTLE_ENDIAN);
        current.file.append(direct, 0, length);
        position += length;
        unsynced = true;
    }

    /**
     * Starts a new segment now (its name made durable with fsync) and lets the {@link SegmentStart} write its first
     * records; staged records go after them.
     */
    public void startSegment()
    {
        syncCurrent();
        final String name = segmentName(nextSegment++);
        final Segment segment = new Segment(name, disk.create(name));
        if (fsync)
        {
            // A synced record of a file whose name a power cut undoes is lost all the same.
            disk.syncDirectory();
        }
        segments.addLast(segment);
        current = segment;
        position = 0;
        if (segmentStart != null)
        {
            segmentStart.onSegmentStart(this);
        }
    }

    /**
     * Deletes (off the node thread, on a real disk) the segments before the current one whose mark is at most
     * {@code mark}, oldest first, stopping at the first one that is not: what recovery reads stays a suffix.
     */
    public void releaseUpTo(final long mark)
    {
        boolean deleted = false;
        while (!segments.isEmpty() && segments.peekFirst() != current && segments.peekFirst().mark <= mark)
        {
            disk.deleteInBackground(segments.pollFirst().name);
            deleted = true;
        }
        if (deleted && fsync)
        {
            disk.syncDirectory(); // so that a power cut does not bring the deleted segments back
        }
    }

    /**
     * Deletes every segment (a new run's node starting empty); the deletes become durable with the next new
     * segment's folder sync.
     */
    public void deleteAll()
    {
        close();
        for (final String name : segmentNames())
        {
            disk.delete(name);
        }
        nextSegment = 0;
    }

    /**
     * Closes the segments without writing what is staged: a crash loses it too.
     */
    public void close()
    {
        for (final Segment s : segments)
        {
            s.close();
        }
        segments.clear();
        current = null;
        staged = 0;
    }

    /**
     * @return writes of staged records to a file so far.
     */
    public long writes()
    {
        return writes;
    }

    /**
     * @return torn tails cut by recoveries of this journal.
     */
    public long tornTails()
    {
        return tornTails;
    }

    /**
     * @return segment files of the journal: those recovery read and not yet released, and those written since.
     */
    public int segmentCount()
    {
        return segments.size();
    }

    private void syncCurrent()
    {
        if (unsynced && fsync)
        {
            current.file.sync();
        }
        unsynced = false;
    }

    /**
     * CRC32C of the record at {@code p} of {@code buffer} (direct, so no copy): its length field, type and payload.
     */
    private int checksum(final ByteBuffer buffer, final int p, final int length)
    {
        crc.reset();
        buffer.limit(p + 4).position(p);
        crc.update(buffer);
        buffer.limit(p + 4 + length).position(p + 8);
        crc.update(buffer);
        buffer.clear();
        return (int)crc.getValue();
    }

    private String segmentName(final long number)
    {
        return prefix + String.format("%010d", number) + suffix;
    }

    private List<String> segmentNames()
    {
        final List<String> names = new ArrayList<>();
        for (final String name : disk.list(prefix))
        {
            final String middle = name.substring(prefix.length());
            if (middle.length() == 10 + suffix.length() && middle.endsWith(suffix) &&
                middle.chars().limit(10).allMatch(Character::isDigit))
            {
                names.add(name);
            }
        }
        names.sort((a, b) -> Long.compare(segmentNumber(a), segmentNumber(b)));
        return names;
    }

    private long segmentNumber(final String name)
    {
        return Long.parseLong(name.substring(prefix.length(), prefix.length() + 10));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Recovery

    /**
     * Replays the segments on the disk, cutting a torn tail, before anything is written. The segments read stay the
     * oldest ones, never written again, for {@link #releaseUpTo} to delete once {@link #markRecovered} said what they
     * hold; the next write starts a new segment.
     *
     * @param refuseCorruption whether a bad record that cannot be a torn tail fails recovery (with fsync) or is cut
     *                         like one (a journal that claims no durability).
     * @throws IllegalStateException on a bad record before valid data, with {@code refuseCorruption}.
     */
    public Recovery recover(final RecordReader reader, final RecordCheck check, final boolean refuseCorruption)
    {
        if (!segments.isEmpty() || staged > 0)
        {
            throw new IllegalStateException(label + ": recovery after writing");
        }
        final List<String> names = segmentNames();
        final long tornBefore = tornTails;
        long tornBytes = 0;
        replayed = 0;
        // Read a window at a time, not into the heap whole: a segment may be a gigabyte.
        UnsafeBuffer window = null;
        for (int i = 0; i < names.size(); i++)
        {
            final DiskFile file = disk.open(names.get(i));
            try
            {
                final long size = file.size();
                final int windowBytes = (int)Math.min(WINDOW_BYTES, Math.max(64, size));
                if (window == null || window.capacity() < windowBytes)
                {
                    window = new UnsafeBuffer(ByteBuffer.allocateDirect(windowBytes));
                }
                long start = 0;
                while (start < size)
                {
                    final int n = file.read(start, window, 0, (int)Math.min(window.capacity(), size - start));
                    final int used = replay(window, n, reader, check);
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
                            final int grown = Integer.highestOneBit(4 + length) << 1;
                            window = new UnsafeBuffer(ByteBuffer.allocateDirect(grown));
                            continue;
                        }
                    }
                    onBadRecord(file, start, size, i == names.size() - 1, check, refuseCorruption);
                    tornBytes += size - start;
                    break;
                }
            }
            finally
            {
                file.close();
            }
        }
        for (final String name : names)
        {
            final Segment recovered = new Segment(name, null);
            recovered.mark = Long.MAX_VALUE; // until markRecovered says what it holds
            segments.addLast(recovered);
        }
        return new Recovery(names.size(), replayed, tornTails - tornBefore, tornBytes);
    }

    /**
     * Gives the segments {@link #recover} read the mark of what they hold (e.g. the last log index recovered), for
     * {@link #releaseUpTo}; until then they are never released.
     */
    public void markRecovered(final long mark)
    {
        for (final Segment s : segments)
        {
            s.mark = mark;
        }
    }

    private boolean plausibleLength(final int length)
    {
        return length >= MIN_LENGTH && length <= maxRecordLength;
    }

    /**
     * @return whether a whole record with a right checksum and shape starts at {@code p} of {@code in[0, end)}.
     */
    private boolean validRecord(final UnsafeBuffer in, final int p, final int end, final RecordCheck check)
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
        final int crc32c = checksum(in.byteBuffer(), in.wrapAdjustment() + p, length);
        return in.getInt(p + 4, ByteOrder.LITTLE_ENDIAN) == crc32c &&
            check.valid(in.getByte(p + 8), in, p + RECORD_HEADER, length - MIN_LENGTH);
    }

    /**
     * A bad record at {@code offset} of a segment: a torn tail is cut (the file truncated there and synced), counted
     * and logged; one before valid data is corruption of what was synced, an error with {@code refuseCorruption}.
     */
    private void onBadRecord(final DiskFile file, final long offset, final long size, final boolean lastSegment,
        final RecordCheck check, final boolean refuseCorruption)
    {
        final boolean validAfter = validRecordAfter(file, offset + 1, size, check);
        if (refuseCorruption && (!lastSegment || validAfter))
        {
            // Not a DiskFailure: retrying (what a driver does after a failed sync) cannot help.
            throw new IllegalStateException(label + ": bad record at byte " + offset + " of " + file.name() +
                " before " + (validAfter ? "a valid record" : "the segments after it") +
                ": corrupted synced data (recovery refuses to drop it)");
        }
        file.truncate(offset);
        file.sync();
        tornTails++;
        final long torn = TORN_TAILS.incrementAndGet();
        if (torn <= TORN_TAILS_LOGGED || torn % 1000 == 0)
        {
            System.err.println("[journal] " + label + ": cut a torn tail of " + (size - offset) + " bytes at byte " +
                offset + " of " + file.name() + " (" + torn + " torn tails in this JVM)");
        }
    }

    /**
     * @return whether a whole valid record starts anywhere in {@code [from, size)} of the file (a scan at every byte:
     * it runs only after a bad record, over what follows it, normally less than a write and a sector).
     */
    private boolean validRecordAfter(final DiskFile file, final long from, final long size, final RecordCheck check)
    {
        final int windowBytes = (int)Math.min(1 << 16, Math.max(64, size - from));
        UnsafeBuffer window = new UnsafeBuffer(ByteBuffer.allocateDirect(windowBytes));
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
                if (validRecord(window, i, n, check))
                {
                    return true;
                }
            }
            q = next;
        }
        return false;
    }

    /**
     * Hands the whole, valid records at the start of {@code in[0, end)} to the reader; sets
     * {@link #stoppedAtBadRecord} when it stops at a record that is whole in the window but not valid.
     *
     * @return the bytes they take: the next record starts there (0: none is whole).
     */
    private int replay(final UnsafeBuffer in, final int end, final RecordReader reader, final RecordCheck check)
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
            if (!validRecord(in, p, end, check))
            {
                stoppedAtBadRecord = true;
                break;
            }
            reader.onRecord(in.getByte(p + 8), in, p + RECORD_HEADER, length - MIN_LENGTH);
            replayed++;
            p += 4 + length;
        }
        return p;
    }
}
