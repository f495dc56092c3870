package lab.benchmarks.micro;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.core.ProtocolSettings;
import lab.quorum.QuorumFactory;
import lab.quorum.QuorumReplica;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The quorum replica's last-writer-wins merge, {@link QuorumReplica#store}: a write (or read repair, or hinted
 * handoff) carrying timestamp {@code (lamport << 16 | node)} replaces the key's value only when it is newer, and the
 * replica's Lamport clock observes it. {@code staleFraction} of the writes carry an older timestamp and are
 * discarded. Keys and timestamps come from a precomputed ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuorumTimestampMergeBenchmark
{
    private static final int RING = 1 << 16;
    private static final int NODE_BITS = 16;

    @Param({ "10000" })
    public int keys;

    @Param({ "0.5" })
    public double staleFraction;

    @Param({ "64" })
    public int valueSize;

    private final long[] ringKey = new long[RING];
    private final boolean[] ringStale = new boolean[RING];
    private final MutableDirectBuffer value = new UnsafeBuffer(new byte[4096]);
    private QuorumReplica replica;
    private long lamport;
    private int next;

    @Setup
    public void setup()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of());
        replica = (QuorumReplica)new QuorumFactory().newReplica(0, settings, new Random(42), false);
        final Random random = new Random(42);
        for (int i = 0; i < RING; i++)
        {
            ringKey[i] = random.nextInt(keys);
            ringStale[i] = random.nextDouble() < staleFraction;
        }
        for (long k = 0; k < keys; k++)
        {
            replica.store(k, (++lamport << NODE_BITS) | 1, value, 0, valueSize);
        }
    }

    @Benchmark
    public long merge()
    {
        final int i = next++ & (RING - 1);
        final long key = ringKey[i];
        // A stale write carries a timestamp from before the key's current one.
        final long ts = ringStale[i] ? (1L << NODE_BITS) | 2 : (++lamport << NODE_BITS) | 2;
        replica.store(key, ts, value, 0, valueSize);
        return ts;
    }
}
