package lab.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import lab.core.Durations;
import lab.core.ProtocolFactory;
import lab.core.Protocols;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.Environment;
import lab.harness.report.ResultsFolder;
import lab.harness.report.RunContract;
import lab.harness.report.RunReport;
import lab.harness.report.Saturation;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab sweep}: latency-throughput curves over request rates (open loop) or concurrency (closed loop), for one
 * protocol or all, at several replica counts, with each curve's saturation point.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Sweep request rate (open loop) or concurrency (closed loop) and replica counts; print " +
        "latency-throughput curves and the saturation point of each.")
public final class SweepCommand implements Callable<Integer>
{
    @Option(names = "--protocol", defaultValue = "all", description = "a protocol or 'all' (default ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--replicas", split = ",", defaultValue = "3,5,7", description = "default ${DEFAULT-VALUE}")
    List<Integer> replicas;

    @Option(names = "--rates", split = ",", description = "open-loop total rates, e.g. 10000,20000,40000")
    List<Double> rates;

    @Option(names = "--concurrency", split = ",",
        description = "closed-loop outstanding operations per client, e.g. 1,2,4,8,16 (default when no --rates)")
    List<Integer> concurrency;

    @Option(names = "--p99-bound", defaultValue = "1ms",
        description = "saturation: the highest load whose achieved rate is >= 95%% of the requested and whose " +
            "p99 (writes and reads) stays under this bound (default ${DEFAULT-VALUE})")
    String p99Bound;

    @Option(names = "--transport", defaultValue = "ipc", description = "ipc|udp|sim (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--duration", defaultValue = "3s", description = "per point (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "1s", description = "per point (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--workload", description = "YCSB preset a|b|c|d (default: 50%% reads, uniform keys)")
    String ycsb;

    @Option(names = "--keys", defaultValue = "10000", description = "default ${DEFAULT-VALUE}")
    long keys;

    @Option(names = "--value-size", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int valueSize;

    @Option(names = "--clients", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    int clients;

    @picocli.CommandLine.Mixin
    LinkOptions link = new LinkOptions();

    @Option(names = "--opt", description = "protocol option key=value (repeatable)")
    Map<String, String> opts = new LinkedHashMap<>();

    @Option(names = "--hedge", description = "tail-tolerant reads: send a read not answered after this delay " +
        "(e.g. 2ms) or the running percentile of recent reads (e.g. p95) to one more replica; quorum and chain with " +
        "--reads craq only (same as --opt hedge=...)")
    String hedge;

    @Option(names = "--tied", description = "tail-tolerant reads: send a read to two replicas at once, each copy " +
        "naming the other; the one that starts serving first cancels the other's copy; quorum and chain with " +
        "--reads craq only, not with --hedge (same as --opt tied=true)")
    boolean tied;

    @Option(names = "--results", defaultValue = "results", description = "results root (default ${DEFAULT-VALUE})")
    Path resultsRoot;

    public Integer call() throws Exception
    {
        final List<String> protocols = new ArrayList<>();
        if ("all".equals(protocol))
        {
            for (final ProtocolFactory f : Protocols.all())
            {
                if (f.fixedReplicas() == 0)
                {
                    protocols.add(f.name());
                }
            }
        }
        else
        {
            protocols.add(Protocols.byName(protocol).name());
        }
        if (protocols.isEmpty())
        {
            throw new IllegalArgumentException("no replicated protocol in this build to sweep (see lab list)");
        }
        final boolean open = rates != null && !rates.isEmpty();
        if (open && concurrency != null && !concurrency.isEmpty())
        {
            throw new IllegalArgumentException("--rates (open loop) and --concurrency (closed loop) sweep different " +
                "things: give one");
        }
        if (!open && (concurrency == null || concurrency.isEmpty()))
        {
            concurrency = List.of(1, 2, 4, 8, 16, 32);
        }
        for (final double rate : open ? rates : List.<Double>of())
        {
            if (!(rate > 0) || Double.isInfinite(rate))
            {
                throw new IllegalArgumentException("--rates must all be > 0, got " + rate);
            }
        }
        for (final int c : open ? List.<Integer>of() : concurrency)
        {
            if (c < 1)
            {
                throw new IllegalArgumentException("--concurrency must all be >= 1, got " + c);
            }
        }
        final long boundNs = Durations.parseNs(p99Bound);
        if (boundNs <= 0)
        {
            throw new IllegalArgumentException("--p99-bound must be > 0");
        }
        final Workload workload = ycsb != null ? Workload.ycsb(ycsb, keys, valueSize) :
            new Workload(0.5, keys, "uniform", 0.99, valueSize);
        final int points = open ? rates.size() : concurrency.size();
        // Every point is checked before the first runs: a bad one must not fail the sweep an hour in.
        for (final String p : protocols)
        {
            for (final int n : replicas)
            {
                for (int i = 0; i < points; i++)
                {
                    LabRunner.validate(config(p, n, i, open, workload));
                }
            }
        }
        final Map<String, Object> environment = Environment.capture();
        final ResultsFolder folder = ResultsFolder.create(resultsRoot, "sweep");
        final StringBuilder csv = new StringBuilder(
            "protocol,replicas,load,requested_rate,achieved_rate,write_p50_us,write_p99_us,read_p50_us,read_p99_us," +
            "timeouts\n");
        final StringBuilder saturation = new StringBuilder();
        final List<Object> runs = new ArrayList<>();
        System.out.printf("sweep %s over %s, replicas %s, %s, p99 bound %s%n", protocols, transport, replicas,
            open ? "open-loop rates " + rates : "closed-loop concurrency " + concurrency, p99Bound);
        System.out.printf("%-16s %4s %10s %12s %12s %9s %9s %9s %9s %8s%n", "protocol", "N", "load", "requested",
            "achieved", "w p50 us", "w p99 us", "r p50 us", "r p99 us", "timeouts");
        final StepProgress progress = new StepProgress(protocols.size() * replicas.size() * points);
        for (final String p : protocols)
        {
            for (final int n : replicas)
            {
                String best = "none (no point met the bound)";
                double bestLoad = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < points; i++)
                {
                    final RunConfig config = config(p, n, i, open, workload).toBuilder()
                        .hlog(folder.dir().resolve("run-" + p + "-r" + n + "-" + i + ".hlog")).build();
                    final RunResult r = LabRunner.run(config);
                    final String load = open ? String.format(Locale.ROOT, "%.0f/s", config.rate) :
                        "c=" + config.outstanding * clients;
                    final double wp50 = r.writes().latencyNs().getValueAtPercentile(50) / 1000.0;
                    final double wp99 = r.writes().latencyNs().getValueAtPercentile(99) / 1000.0;
                    final double rp50 = r.reads().latencyNs().getValueAtPercentile(50) / 1000.0;
                    final double rp99 = r.reads().latencyNs().getValueAtPercentile(99) / 1000.0;
                    final long timeouts = r.writes().timeouts() + r.reads().timeouts();
                    System.out.printf(Locale.ROOT, "%-16s %4d %10s %12.0f %12.0f %9.1f %9.1f %9.1f %9.1f %8d   " +
                        "%s%n", p, n, load, config.rate, r.achievedRate(), wp50, wp99, rp50, rp99, timeouts,
                        progress.step());
                    csv.append(String.format(Locale.ROOT, "%s,%d,%s,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f,%d%n", p, n, load,
                        config.rate, r.achievedRate(), wp50, wp99, rp50, rp99, timeouts));
                    final double loadValue = open ? config.rate : config.outstanding * clients;
                    final Saturation.Point point = new Saturation.Point(loadValue, open ? config.rate : 0,
                        r.achievedRate(), Math.max(wp99, rp99), timeouts);
                    if (Saturation.meetsBound(point, boundNs / 1000.0) && loadValue > bestLoad)
                    {
                        bestLoad = loadValue;
                        best = String.format(Locale.ROOT, "%s (%.0f ops/s achieved, p99 %.1f us)", load,
                            r.achievedRate(), Math.max(wp99, rp99));
                    }
                    // The report draws the bound and marks the knee from these (the same rule as the text above).
                    final Map<String, Object> sweepPoint = new LinkedHashMap<>();
                    sweepPoint.put("p99_bound_us", boundNs / 1000.0);
                    sweepPoint.put("load", loadValue);
                    sweepPoint.put("load_kind", open ? "requested ops/s" : "outstanding operations");
                    final RunContract contract = RunReport.toContract(r, environment).with("sweep", sweepPoint);
                    folder.writeJson("run-" + p + "-r" + n + "-" + i + ".json", contract);
                    runs.add(contract);
                }
                saturation.append(String.format("saturation %-16s N=%d: %s%n", p, n, best));
            }
        }
        System.out.print(saturation);
        folder.writeText("sweep.csv", csv.toString());
        folder.writeText("saturation.txt", "p99 bound " + p99Bound + "\n" + saturation);
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("environment", environment);
        summary.put("p99_bound", p99Bound);
        summary.put("runs", runs);
        folder.writeJson("run.json", summary);
        System.out.println("report: " + lab.harness.report.html.HtmlReport.write(
            java.util.List.of(folder.dir()), folder.dir().resolve("report.html")));
        System.out.println("results: " + folder.dir());
        return 0;
    }

    private RunConfig config(final String p, final int n, final int point, final boolean open, final Workload workload)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(p);
        config.replicas(n);
        config.transport(transport);
        config.workload(workload);
        config.workloadPreset(ycsb);
        config.clients(clients);
        config.durationNs(Durations.parseNs(duration));
        config.warmupNs(Durations.parseNs(warmup));
        config.options().putAll(opts);
        if (hedge != null)
        {
            config.options().put(lab.core.client.ClientPolicy.HEDGE, hedge);
        }
        if (tied)
        {
            config.options().put(lab.core.client.ClientPolicy.TIED, "true");
        }
        link.applyTo(config);
        if (open)
        {
            config.rate(rates.get(point));
            config.outstanding(256);
        }
        else
        {
            config.outstanding(concurrency.get(point));
        }
        return config.build();
    }
}
