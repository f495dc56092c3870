package lab.benchmarks.micro;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.harness.workload.KeyGenerator;
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
 * One key from the workload's generator: YCSB's scrambled Zipfian (a {@code Math.pow} per draw plus FNV-1a
 * scrambling) against the uniform baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KeyGeneratorBenchmark
{
    @Param({ "zipfian", "uniform" })
    public String keyDistribution;

    @Param({ "1000000" })
    public long keys;

    @Param({ "0.99" })
    public double zipfianConstant;

    private KeyGenerator generator;
    private final Random random = new Random(42);

    @Setup
    public void setup()
    {
        generator = KeyGenerator.of(keyDistribution, keys, zipfianConstant);
    }

    @Benchmark
    public long nextKey()
    {
        return generator.nextKey(random);
    }
}
