package lab.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Append-only log file plus a snapshot file per node, with an fsync policy:
 * {@code none} (write to the page cache: survives a process crash, not a power cut), {@code batch} (one fsync per
 * {@link #sync()}, i.e. per message that acknowledges or forwards entries) or {@code always} (one fsync per entry).
 *
 * <p>Log records, little-endian: {@code [int length of the rest][byte type]} then HARD {@code [term][vote int]},
 * ENTRY {@code [index][term][clientId][seq][key][valueLength int][value]} or TRUNCATE {@code [fromIndex]}. A torn
 * record at the end (crash mid-write) is ignored on recovery. A snapshot is written to a temporary file and renamed
 * over the old one. Recovery skips log records the snapshot covers, so after a local compaction the log file is left
 * as it is (rewriting it costs a file copy, a rename and freeing the old file's pages, milliseconds on the node
 * thread at every compaction) until it passes {@link #REWRITE_BYTES}; then it is rewritten to hold only the hard state
 * and the entries after the snapshot. An installed snapshot always rewrites it: the file may hold entries beyond the
 * snapshot that the leader's history does not. Records are staged in a direct buffer and written with one
 * {@code write} per {@link #sync()}.
 */
public final class FileStorage implements RaftStorage
{
    public enum Fsync
    {
        NONE, BATCH, ALWAYS
    }

    private static final byte HARD = 1;
    private static final byte ENTRY = 2;
    private static final byte TRUNCATE = 3;
    private static final int ENTRY_FIXED = 4 + 1 + 5 * 8 + 4;
    /** A log file that has grown past this is rewritten at the next snapshot. */
    static final long REWRITE_BYTES = 64L << 20;

    private final RaftLog log;
    private final Path logFile;
    private final Path snapshotFile;
    private final Fsync fsync;
    private final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1024);
    private int snapshotLength;
    private long term;
    private int votedFor = -1;
    private FileChannel channel;
    private ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private UnsafeBuffer stagingView = new UnsafeBuffer(staging);
    private int staged;
    private boolean unforced;
    /** Bytes in the log file, written or staged. */
    private long fileBytes;
    /** The last entry index the log file holds (written or staged), after truncations. */
    private long fileLastIndex;
    private ByteBuffer snapshotOut = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Opens the node's files in {@code dir}, recovering what they hold, or starts empty when {@code fresh}.
     */
    public FileStorage(final Path dir, final int nodeId, final int logCapacity, final Fsync fsync, final boolean fresh)
    {
        this.log = new RaftLog(logCapacity);
        this.fsync = fsync;
        this.logFile = dir.resolve("raft-" + nodeId + ".log");
        this.snapshotFile = dir.resolve("raft-" + nodeId + ".snap");
        try
        {
            Files.createDirectories(dir);
            if (fresh)
            {
                Files.deleteIfExists(logFile);
                Files.deleteIfExists(snapshotFile);
            }
            else
            {
                recover();
            }
            channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
            fileBytes = channel.size();
            fileLastIndex = log.lastIndex();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("raft storage " + logFile, ex);
        }
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
        final int p = reserve(4 + 1 + 8 + 4);
        stagingView.putInt(p, 1 + 8 + 4, ByteOrder.LITTLE_ENDIAN);
        stagingView.putByte(p + 4, HARD);
        stagingView.putLong(p + 5, term, ByteOrder.LITTLE_ENDIAN);
        stagingView.putInt(p + 13, votedFor, ByteOrder.LITTLE_ENDIAN);
    }

    public void appended(final long index)
    {
        stageEntry(index);
        if (fsync == Fsync.ALWAYS)
        {
            writeStaged();
            force();
        }
    }

    public void truncated(final long fromIndex)
    {
        fileLastIndex = Math.min(fileLastIndex, fromIndex - 1);
        final int p = reserve(4 + 1 + 8);
        stagingView.putInt(p, 1 + 8, ByteOrder.LITTLE_ENDIAN);
        stagingView.putByte(p + 4, TRUNCATE);
        stagingView.putLong(p + 5, fromIndex, ByteOrder.LITTLE_ENDIAN);
    }

    public void saveSnapshot(final DirectBuffer state, final int offset, final int length)
    {
        if (state != snapshot)
        {
            snapshot.putBytes(0, state, offset, length);
        }
        snapshotLength = length;
        try
        {
            final Path tmp = snapshotFile.resolveSibling(snapshotFile.getFileName() + ".tmp");
            if (snapshotOut.capacity() < 20 + length)
            {
                snapshotOut = ByteBuffer.allocateDirect(Integer.highestOneBit(20 + length) << 1)
                    .order(ByteOrder.LITTLE_ENDIAN);
            }
            final ByteBuffer out = snapshotOut;
            out.clear();
            out.putLong(log.snapshotIndex()).putLong(log.snapshotTerm()).putInt(length);
            snapshot.getBytes(0, out, 20, length);
            out.limit(20 + length).position(0);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                while (out.hasRemaining())
                {
                    c.write(out);
                }
                if (fsync != Fsync.NONE)
                {
                    c.force(true);
                }
            }
            Files.move(tmp, snapshotFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // A local compaction leaves the log holding what the file holds; an installed snapshot resets it.
            if (fileLastIndex != log.lastIndex() || fileBytes > REWRITE_BYTES)
            {
                rewriteLog();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("raft snapshot " + snapshotFile, ex);
        }
    }

    /**
     * The log file keeps only what the snapshot does not cover: the hard state and the entries after it.
     */
    private void rewriteLog() throws IOException
    {
        staged = 0;
        staging.clear();
        // Kept open across the rename and closed by the janitor: the kernel frees a replaced file's pages when its
        // last descriptor closes, tens of milliseconds for a large log, and that must not stall the node thread.
        final FileChannel old = channel;
        final Path tmp = logFile.resolveSibling(logFile.getFileName() + ".tmp");
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        saveHardState(term, votedFor);
        for (long i = log.snapshotIndex() + 1; i <= log.lastIndex(); i++)
        {
            stageEntry(i);
        }
        writeStaged();
        if (fsync != Fsync.NONE)
        {
            channel.force(false);
        }
        fileBytes = channel.size();
        fileLastIndex = log.lastIndex();
        channel.close();
        Files.move(tmp, logFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        unforced = false;
        closeLater(old);
    }

    /**
     * One daemon thread, shared by every node's storage, that closes replaced log files off the node thread.
     */
    private static final class Janitor
    {
        static final java.util.concurrent.ExecutorService EXECUTOR =
            java.util.concurrent.Executors.newSingleThreadExecutor(r ->
            {
                final Thread t = new Thread(r, "raft-log-janitor");
                t.setDaemon(true);
                return t;
            });
    }

    private static void closeLater(final FileChannel replaced)
    {
        Janitor.EXECUTOR.execute(() ->
        {
            try
            {
                replaced.close();
            }
            catch (final IOException ex)
            {
                // the file was already unlinked; nothing depends on closing it
            }
        });
    }

    private void stageEntry(final long index)
    {
        final int valueLength = log.valueLength(index);
        fileLastIndex = index;
        final int p = reserve(ENTRY_FIXED + valueLength);
        stagingView.putInt(p, ENTRY_FIXED - 4 + valueLength, ByteOrder.LITTLE_ENDIAN);
        stagingView.putByte(p + 4, ENTRY);
        stagingView.putLong(p + 5, index, ByteOrder.LITTLE_ENDIAN);
        stagingView.putLong(p + 13, log.termAt(index), ByteOrder.LITTLE_ENDIAN);
        stagingView.putLong(p + 21, log.clientId(index), ByteOrder.LITTLE_ENDIAN);
        stagingView.putLong(p + 29, log.seq(index), ByteOrder.LITTLE_ENDIAN);
        stagingView.putLong(p + 37, log.key(index), ByteOrder.LITTLE_ENDIAN);
        stagingView.putInt(p + 45, valueLength, ByteOrder.LITTLE_ENDIAN);
        if (valueLength > 0)
        {
            stagingView.putBytes(p + ENTRY_FIXED, log.value(index), 0, valueLength);
        }
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
        if (unforced && fsync != Fsync.NONE)
        {
            force();
        }
    }

    /**
     * Closes the file without writing what is staged: a crash loses it too, and nothing that depended on it was
     * sent (the replica syncs before it sends).
     */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            // closing after a simulated crash or at shutdown: nothing left to save
        }
    }

    private int reserve(final int length)
    {
        fileBytes += length;
        if (staged + length > staging.capacity())
        {
            writeStaged();
            if (length > staging.capacity())
            {
                staging = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1).order(ByteOrder.LITTLE_ENDIAN);
                stagingView = new UnsafeBuffer(staging);
            }
        }
        final int p = staged;
        staged += length;
        return p;
    }

    private void writeStaged()
    {
        try
        {
            staging.limit(staged).position(0);
            while (staging.hasRemaining())
            {
                channel.write(staging);
            }
            staging.clear();
            staged = 0;
            unforced = true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("raft log write " + logFile, ex);
        }
    }

    private void force()
    {
        try
        {
            channel.force(false);
            unforced = false;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("raft log fsync " + logFile, ex);
        }
    }

    private void recover() throws IOException
    {
        if (Files.exists(snapshotFile))
        {
            final UnsafeBuffer in = new UnsafeBuffer(Files.readAllBytes(snapshotFile));
            final long index = in.getLong(0, ByteOrder.LITTLE_ENDIAN);
            final long snapTerm = in.getLong(8, ByteOrder.LITTLE_ENDIAN);
            final int length = in.getInt(16, ByteOrder.LITTLE_ENDIAN);
            snapshot.putBytes(0, in, 20, length);
            snapshotLength = length;
            log.resetTo(index, snapTerm);
        }
        if (!Files.exists(logFile))
        {
            return;
        }
        final UnsafeBuffer in = new UnsafeBuffer(Files.readAllBytes(logFile));
        final int end = in.capacity();
        int p = 0;
        while (p + 5 <= end)
        {
            final int length = in.getInt(p, ByteOrder.LITTLE_ENDIAN);
            if (length < 1 || p + 4 + length > end)
            {
                break; // torn tail
            }
            final byte type = in.getByte(p + 4);
            if (type == HARD)
            {
                term = in.getLong(p + 5, ByteOrder.LITTLE_ENDIAN);
                votedFor = in.getInt(p + 13, ByteOrder.LITTLE_ENDIAN);
            }
            else if (type == ENTRY)
            {
                final long index = in.getLong(p + 5, ByteOrder.LITTLE_ENDIAN);
                if (index > log.snapshotIndex())
                {
                    if (index <= log.lastIndex())
                    {
                        log.truncateFrom(index);
                    }
                    if (index == log.lastIndex() + 1)
                    {
                        log.append(in.getLong(p + 13, ByteOrder.LITTLE_ENDIAN), in.getLong(p + 21, ByteOrder.LITTLE_ENDIAN),
                            in.getLong(p + 29, ByteOrder.LITTLE_ENDIAN), in.getLong(p + 37, ByteOrder.LITTLE_ENDIAN),
                            in, p + ENTRY_FIXED, in.getInt(p + 45, ByteOrder.LITTLE_ENDIAN), 1);
                    }
                }
            }
            else if (type == TRUNCATE)
            {
                final long from = in.getLong(p + 5, ByteOrder.LITTLE_ENDIAN);
                if (from > log.snapshotIndex())
                {
                    log.truncateFrom(from);
                }
            }
            p += 4 + length;
        }
    }
}
