package lab.benchmarks;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The number of benchmark runs {@code bin/lab jmh} announces is the number JMH makes: KvStoreBenchmark has two
 * benchmark methods in AverageTime and a keyDistribution parameter of two values.
 */
class JmhWithProgressTest
{
    private static int planned(final String... args) throws Exception
    {
        return JmhWithProgress.plannedRuns(new CommandLineOptions(args));
    }

    @Test
    void shouldCountMethodsModesAndParameterCombinations() throws Exception
    {
        assertEquals(4, planned("micro\\.KvStoreBenchmark"), "2 methods x 2 distributions");
        assertEquals(2, planned("-p", "keyDistribution=uniform", "micro\\.KvStoreBenchmark"), "-p narrows");
        assertEquals(8, planned("-bm", "avgt,thrpt", "micro\\.KvStoreBenchmark"), "-bm gives each method 2 modes");
        assertEquals(16, planned("-bm", "all", "micro\\.KvStoreBenchmark"), "all: 4 modes");
        assertEquals(2, planned("micro\\.KvStoreBenchmark\\.get"));
        assertEquals(0, planned("NoSuchBenchmark"), "nothing matches: JMH's Main says so");
    }

    /** JMH's output, keeping the lines printed and nothing of the benchmarks themselves. */
    private static final class Lines implements OutputFormat
    {
        final StringBuilder text = new StringBuilder();

        public void iteration(final BenchmarkParams b, final IterationParams p, final int i)
        {
        }

        public void iterationResult(final BenchmarkParams b, final IterationParams p, final int i,
            final IterationResult r)
        {
        }

        public void startBenchmark(final BenchmarkParams b)
        {
            text.append("<JMH's benchmark header>\n");
        }

        public void endBenchmark(final BenchmarkResult r)
        {
            text.append("<JMH's benchmark result>\n");
        }

        public void startRun()
        {
        }

        public void endRun(final Collection<RunResult> r)
        {
        }

        public void print(final String s)
        {
            text.append(s);
        }

        public void println(final String s)
        {
            text.append(s).append('\n');
        }

        public void flush()
        {
        }

        public void close()
        {
        }

        public void verbosePrintln(final String s)
        {
        }

        public void write(final int b)
        {
        }

        public void write(final byte[] b)
        {
        }
    }

    @Test
    void shouldSayWhichRunOfHowManyAndTheTimeLeft()
    {
        final Lines lines = new Lines();
        final AtomicLong now = new AtomicLong();
        final JmhWithProgress.Progress progress = new JmhWithProgress.Progress(lines, 3, now::get);
        progress.startRun();
        for (int i = 0; i < 3; i++)
        {
            progress.startBenchmark(null);
            now.addAndGet(20_000);
            progress.endBenchmark(null);
        }
        assertEquals("""
            # lab-jmh: 3 benchmark runs planned
            # lab-jmh: run 1 of 3
            <JMH's benchmark header>
            <JMH's benchmark result>
            # lab-jmh: [1/3, about 40 s left]

            # lab-jmh: run 2 of 3
            <JMH's benchmark header>
            <JMH's benchmark result>
            # lab-jmh: [2/3, about 20 s left]

            # lab-jmh: run 3 of 3
            <JMH's benchmark header>
            <JMH's benchmark result>
            # lab-jmh: [3/3]

            """, lines.text.toString());
    }
}
