package lab.benchmarks.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import lab.raft.FileStorage;
import lab.raft.MemoryStorage;
import lab.raft.RaftLog;
import lab.raft.RaftStorage;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raft log append as the leader does it per PUT: {@link RaftLog#append} then {@link RaftStorage#appended}, and
 * {@link RaftStorage#sync()} every {@code syncEvery} entries (the replica syncs once per message that acknowledges
 * or forwards entries, so {@code syncEvery} plays the batch size). {@code storage=memory} is the simulator's and the
 * default in-process log; {@code file} stages records and writes them with one {@code write} per sync, fsync per
 * {@code fsync} ({@code none}: page cache only). When the ring is full, the log is compacted and a (tiny) snapshot saved,
 * which for {@code file} rewrites the log file: its cost is amortized over {@code capacity} appends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RaftLogBenchmark
{
    @Param({ "memory", "file" })
    public String storage;

    /** For {@code storage=file}: none | batch | always. */
    @Param({ "none" })
    public String fsync;

    @Param({ "1", "64" })
    public int syncEvery;

    @Param({ "64" })
    public int valueSize;

    @Param({ "65536" })
    public int capacity;

    private final MutableDirectBuffer value = new UnsafeBuffer(new byte[4096]);
    private RaftStorage raftStorage;
    private RaftLog log;
    private Path dir;
    private int unsynced;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        if ("file".equals(storage))
        {
            dir = Files.createTempDirectory("lab-jmh-raft-");
            raftStorage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, capacity,
                FileStorage.Fsync.valueOf(fsync.toUpperCase(Locale.ROOT)), true);
        }
        else if ("memory".equals(storage))
        {
            raftStorage = new MemoryStorage(capacity);
        }
        else
        {
            throw new IllegalArgumentException("storage must be memory|file, got " + storage);
        }
        log = raftStorage.log();
        raftStorage.saveHardState(1, 0);
        raftStorage.sync();
        // Fill the ring once so every slot has its value buffer: the steady state of a long run.
        for (int i = 0; i < capacity; i++)
        {
            append();
        }
        raftStorage.sync();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        raftStorage.close();
        if (dir != null)
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public long append()
    {
        if (log.isFull())
        {
            // A snapshot of everything but the last entry, as the replica takes every raft-snapshot-entries.
            raftStorage.sync();
            final long upTo = log.lastIndex() - 1;
            log.compactTo(upTo, log.termAt(upTo));
            raftStorage.saveSnapshot(value, 0, valueSize);
        }
        final long index = log.lastIndex() + 1;
        value.putLong(0, index);
        log.append(1, 7, index, index & 1023, value, 0, valueSize, 1);
        raftStorage.appended(index);
        if (++unsynced >= syncEvery)
        {
            unsynced = 0;
            raftStorage.sync();
        }
        return index;
    }
}
