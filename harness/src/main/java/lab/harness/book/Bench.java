package lab.harness.book;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.RunReport;

/**
 * What an experiment runs on: real runs through {@link LabRunner} (each written as a results-contract JSON file,
 * with the command that reproduces it), repeats with their seeds, the quick/full choice and a progress line.
 */
public final class Bench
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final boolean quick;
    private final int repeats;
    private final long seed;
    private final PrintStream log;
    private final Map<String, Object> environment;
    private final List<String> commands = new ArrayList<>();
    /** Protocols that have run in this JVM: the first run of each is preceded by a warm-up, unrecorded. */
    private final java.util.Set<String> warmed = new java.util.HashSet<>();
    private String experiment = "";
    private int runs;

    /**
     * @param dir         the book's folder: runs go under {@code runs/<experiment>/}.
     * @param quick       shorter runs, one repeat: a smoke test of the book, not a measurement to quote.
     * @param repeats     repeats per point in a full book.
     * @param seed        the first seed; repeat i uses seed + i.
     * @param environment the machine, captured once.
     */
    public Bench(final Path dir, final boolean quick, final int repeats, final long seed, final PrintStream log,
        final Map<String, Object> environment)
    {
        this.dir = dir;
        this.quick = quick;
        this.repeats = quick ? 1 : repeats;
        this.seed = seed;
        this.log = log;
        this.environment = environment;
    }

    public boolean quick()
    {
        return quick;
    }

    public int repeats()
    {
        return repeats;
    }

    public long seed()
    {
        return seed;
    }

    public Map<String, Object> environment()
    {
        return environment;
    }

    public Path dir()
    {
        return dir;
    }

    /**
     * Starts an experiment's bookkeeping (its runs folder and its list of commands).
     */
    void begin(final String name)
    {
        experiment = name;
        commands.clear();
        runs = 0;
    }

    /**
     * @return the commands of the experiment's runs so far, one per distinct configuration.
     */
    List<String> commands()
    {
        return List.copyOf(commands);
    }

    /**
     * Prints a progress line for the experiment under way.
     */
    public void log(final String format, final Object... args)
    {
        log.printf(Locale.ROOT, "  [%s] %s%n", experiment, String.format(Locale.ROOT, format, args));
        log.flush();
    }

    /**
     * Runs one configuration {@link #repeats()} times, seeds {@code seed, seed + 1, ...}.
     *
     * @param label  names the point, e.g. "chain-r5"; also its files' names.
     * @param config makes the configuration for a seed.
     */
    public List<RunResult> repeat(final String label, final LongFunction<RunConfig> config) throws IOException
    {
        final List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < repeats; i++)
        {
            results.add(run(repeats == 1 ? label : label + "-" + (i + 1), config.apply(seed + i)));
        }
        return results;
    }

    /**
     * Runs one configuration once and writes its results contract.
     */
    public RunResult run(final String label, final RunConfig config) throws IOException
    {
        LabRunner.validate(config);
        final String command = RunCommandLine.of(config);
        if (!commands.contains(command))
        {
            commands.add(command);
        }
        warmUp(config);
        final RunResult result = LabRunner.run(config);
        runs++;
        final Path runsDir = dir.resolve("runs").resolve(experiment);
        Files.createDirectories(runsDir);
        final lab.harness.report.RunContract contract = RunReport.toContract(result, environment).with("command",
            command);
        JSON.writeValue(runsDir.resolve(label + ".json").toFile(), contract);
        log("%-28s %9.0f ops/s  write p50 %s  read p50 %s", label, result.achievedRate(),
            p50(result.writes()), p50(result.reads()));
        return result;
    }

    /**
     * The first run of a protocol in a JVM pays for class loading and JIT compilation of its code (a p50 ten times
     * the warm one was seen): one short unrecorded run of the same configuration comes first.
     */
    private void warmUp(final RunConfig config)
    {
        // Per protocol, not per option: the code the JIT must compile is the protocol's, whatever its timeouts.
        if ("sim".equals(config.transport) || !warmed.add(config.protocol))
        {
            return;
        }
        final RunConfig.Builder warm = RunConfig.builder();
        warm.protocol(config.protocol);
        warm.replicas(config.replicas);
        warm.transport(config.transport);
        warm.threading(config.threading);
        warm.workload(config.workload);
        warm.clients(config.clients);
        warm.outstanding(config.outstanding);
        warm.options(new java.util.TreeMap<>(config.options));
        warm.durationNs(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(quick ? 500 : 1500));
        warm.warmupNs(0);
        warm.seed(config.seed);
        LabRunner.run(warm.build());
        log("%-28s (warm-up of %s, unrecorded)", "", config.protocol + (config.options.isEmpty() ? "" : " " +
            config.options));
    }

    private static String p50(final lab.harness.metrics.OpStats stats)
    {
        return stats.count() == 0 ? "-" :
            String.format(Locale.ROOT, "%.0f us", stats.latencyNs().getValueAtPercentile(50) / 1e3);
    }

    /**
     * @return the median over the results of a figure.
     */
    public static Spread spread(final List<RunResult> results, final java.util.function.ToDoubleFunction<RunResult> f)
    {
        final List<Double> v = new ArrayList<>();
        results.forEach(r -> v.add(f.applyAsDouble(r)));
        return Spread.of(v);
    }
}
