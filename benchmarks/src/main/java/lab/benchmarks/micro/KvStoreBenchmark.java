package lab.benchmarks.micro;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.core.KvStore;
import lab.harness.workload.KeyGenerator;
import org.agrona.ExpandableArrayBuffer;
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
 * The KV apply every replica runs: {@link KvStore#put} of an existing key (steady state: no allocation) and
 * {@link KvStore#copyValue} (a GET served into a reply buffer). Keys come from a precomputed ring, so the key
 * generator is not measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KvStoreBenchmark
{
    private static final int RING = 1 << 16;

    @Param({ "10000" })
    public int keys;

    @Param({ "uniform", "zipfian" })
    public String keyDistribution;

    @Param({ "64" })
    public int valueSize;

    private final KvStore store = new KvStore();
    private final long[] ring = new long[RING];
    private final MutableDirectBuffer value = new UnsafeBuffer(new byte[4096]);
    private final MutableDirectBuffer reply = new ExpandableArrayBuffer(4096);
    private int next;
    private long version;

    @Setup
    public void setup()
    {
        final KeyGenerator generator = KeyGenerator.of(keyDistribution, keys, 0.99);
        final Random random = new Random(42);
        for (int i = 0; i < RING; i++)
        {
            ring[i] = generator.nextKey(random);
        }
        for (long k = 0; k < keys; k++)
        {
            store.put(k, value, 0, valueSize, 0);
        }
    }

    @Benchmark
    public int put()
    {
        final long key = ring[next++ & (RING - 1)];
        value.putLong(0, key);
        store.put(key, value, 0, valueSize, ++version);
        return store.size();
    }

    @Benchmark
    public int get()
    {
        return store.copyValue(ring[next++ & (RING - 1)], reply, 0);
    }
}
