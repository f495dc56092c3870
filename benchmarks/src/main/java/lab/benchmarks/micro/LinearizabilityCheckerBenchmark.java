package lab.benchmarks.micro;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.harness.check.CheckResult;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
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
 * {@link LinearizabilityChecker#check} on a generated linearizable history of {@code operations} reads and writes
 * (see {@link #linearizableHistory}). The history is built once per trial; the checker is reused across
 * invocations, as a run's check would reuse it across keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinearizabilityCheckerBenchmark
{
    @Param({ "10000" })
    public int operations;

    /** Concurrent client sessions: how many operations overlap a given one at most. */
    @Param({ "8" })
    public int processes;

    @Param({ "10" })
    public int keys;

    @Param({ "0.5" })
    public double readRatio;

    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private List<Operation> history;

    @Setup
    public void setup()
    {
        history = linearizableHistory(operations, processes, keys, readRatio, new Random(42));
        final CheckResult result = checker.check(history);
        if (!result.linearizable())
        {
            throw new IllegalStateException("generated history is not linearizable: " + result);
        }
    }

    @Benchmark
    public CheckResult check()
    {
        return checker.check(history);
    }

    /**
     * Operations take effect in sequence at linearization points 100 ns apart, assigned to processes round robin;
     * each operation's interval is its point widened by up to {@code 50 * processes - 1} ns on either side, so
     * intervals of different processes overlap (about {@code processes} at a time) while each process stays
     * sequential. Reads return the register's value at their point; written values are unique; the list is shuffled.
     */
    public static List<Operation> linearizableHistory(
        final int operations, final int processes, final int keys, final double readRatio, final Random random)
    {
        final long step = 100;
        final long jitter = 50L * processes - 1;
        final long[] register = new long[keys];
        final List<Operation> ops = new ArrayList<>(operations);
        long nextValue = 1;
        for (int i = 0; i < operations; i++)
        {
            final long point = 1_000_000L + i * step;
            final long process = i % processes;
            final int key = random.nextInt(keys);
            final long invokeNs = point - (long)(random.nextDouble() * jitter);
            final long completeNs = point + (long)(random.nextDouble() * jitter);
            if (random.nextDouble() < readRatio)
            {
                ops.add(Operation.read(process, key, register[key], invokeNs, completeNs));
            }
            else
            {
                final long value = nextValue++;
                register[key] = value;
                ops.add(Operation.write(process, key, value, invokeNs, completeNs));
            }
        }
        Collections.shuffle(ops, random);
        return ops;
    }
}
