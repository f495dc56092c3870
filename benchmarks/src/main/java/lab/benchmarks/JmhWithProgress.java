package lab.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import lab.harness.cli.StepProgress;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

/**
 * {@code bin/lab jmh}'s entry point: JMH's own {@link Main} with one addition, a line before and after each
 * benchmark run (one benchmark method in one mode with one set of parameters) saying which of how many it is and
 * about how long the rest will take, from the mean time per run so far. JMH's "# Run progress" gives a percentage
 * of planned time only. Listing, help and bad options go to JMH's Main unchanged.
 */
public final class JmhWithProgress
{
    private JmhWithProgress()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final CommandLineOptions options;
        try
        {
            options = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException ex)
        {
            Main.main(args); // prints JMH's own message and exits
            return;
        }
        final int planned = options.shouldHelp() || options.shouldList() || options.shouldListWithParams() ||
            options.shouldListProfilers() || options.shouldListResultFormats() ? 0 : plannedRuns(options);
        if (planned == 0)
        {
            Main.main(args); // lists, helps, or says that nothing matched, as JMH does
            return;
        }
        final OutputFormat out = OutputFormatFactory.createFormatInstance(System.out,
            options.verbosity().orElse(Defaults.VERBOSITY));
        try
        {
            new Runner(options, new Progress(out, planned, System::currentTimeMillis)).run();
        }
        catch (final RunnerException ex)
        {
            System.err.println("ERROR: " + ex.getMessage());
            System.exit(1);
        }
    }

    /**
     * @return the benchmark runs JMH will make for these options: per matching benchmark, its modes (the options'
     * -bm where given, Mode.All as every mode) times every combination of its parameters (-p values where given).
     */
    static int plannedRuns(final Options options)
    {
        int total = 0;
        for (final BenchmarkListEntry entry : BenchmarkList.defaultList().find(OutputFormatFactory
            .createFormatInstance(System.out, org.openjdk.jmh.runner.options.VerboseMode.SILENT),
            options.getIncludes(), options.getExcludes()))
        {
            final List<Mode> modes = new ArrayList<>(options.getBenchModes().isEmpty() ? List.of(entry.getMode()) :
                options.getBenchModes());
            if (modes.remove(Mode.All))
            {
                Arrays.stream(Mode.values()).filter(m -> m != Mode.All && !modes.contains(m)).forEach(modes::add);
            }
            int combinations = 1;
            if (entry.getParams().hasValue())
            {
                for (final Map.Entry<String, String[]> p : entry.getParams().get().entrySet())
                {
                    combinations *= options.getParameter(p.getKey()).hasValue() ?
                        options.getParameter(p.getKey()).get().size() : Math.max(1, p.getValue().length);
                }
            }
            total += modes.size() * combinations;
        }
        return total;
    }

    /**
     * JMH's output with "# lab-jmh: run k of N" before each benchmark run and "[k/N, about S left]" after it.
     */
    static final class Progress implements OutputFormat
    {
        private final OutputFormat out;
        private final int planned;
        private final StepProgress progress;
        private int started;

        Progress(final OutputFormat out, final int planned, final java.util.function.LongSupplier clockMs)
        {
            this.out = out;
            this.planned = planned;
            this.progress = new StepProgress(planned, 0, clockMs);
        }

        public void startBenchmark(final BenchmarkParams params)
        {
            started++;
            out.println("# lab-jmh: run " + started + " of " + planned);
            out.startBenchmark(params);
        }

        public void endBenchmark(final BenchmarkResult result)
        {
            out.endBenchmark(result);
            out.println("# lab-jmh: " + progress.step() + "\n");
        }

        public void iteration(final BenchmarkParams benchParams, final IterationParams params, final int iteration)
        {
            out.iteration(benchParams, params, iteration);
        }

        public void iterationResult(final BenchmarkParams benchParams, final IterationParams params,
            final int iteration, final IterationResult data)
        {
            out.iterationResult(benchParams, params, iteration, data);
        }

        public void startRun()
        {
            out.println("# lab-jmh: " + planned + " benchmark runs planned");
            out.startRun();
        }

        public void endRun(final Collection<RunResult> result)
        {
            out.endRun(result);
        }

        public void print(final String s)
        {
            out.print(s);
        }

        public void println(final String s)
        {
            out.println(s);
        }

        public void flush()
        {
            out.flush();
        }

        public void close()
        {
            out.close();
        }

        public void verbosePrintln(final String s)
        {
            out.verbosePrintln(s);
        }

        public void write(final int b)
        {
            out.write(b);
        }

        public void write(final byte[] b) throws IOException
        {
            out.write(b);
        }
    }
}
