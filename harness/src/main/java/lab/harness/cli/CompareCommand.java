package lab.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import lab.core.Durations;
import lab.core.ProtocolFactory;
import lab.core.Protocols;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.ComparisonTable;
import lab.harness.report.Environment;
import lab.harness.report.RepeatSummary;
import lab.harness.report.ResultsFolder;
import lab.harness.report.RunContract;
import lab.harness.report.RunReport;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab compare}: every protocol present, same replicas, same transport, same workload, one table.
 *
 * <p>Protocols run in rounds ({@code --repeat}, 3 by default): every protocol once per round, in an order shuffled
 * per round from {@code --seed} and recorded, all in this JVM. Run in a fixed order once, the protocol that ran last
 * measured 49k, 453k and 398k ops/s in three compares on the same machine against 525-573k alone: the order and the
 * machine's minute-to-minute noise were in the figures. Shuffled rounds spread both over every protocol, and the
 * spread says how much a difference must be to mean anything. The table shows each protocol's median run (by
 * throughput) with min / median / max beside it. Warm-up rule: one unrecorded echo run warms the JIT on the shared
 * code before the first round, and every run has its own warm-up ({@code --warmup}) before its window.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Run every protocol on the embedded in-process cluster with one workload; print one comparison " +
        "table and write a results folder.")
public final class CompareCommand implements Callable<Integer>
{
    @Option(names = "--replicas", defaultValue = "3", description = "replica count (default ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--transport", defaultValue = "ipc", description = "ipc|udp|sim (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--duration", defaultValue = "5s", description = "measured time per protocol (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "1s", description = "warm-up per protocol (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--read-ratio", defaultValue = "0.5", description = "default ${DEFAULT-VALUE}")
    double readRatio;

    @Option(names = "--keys", defaultValue = "10000", description = "default ${DEFAULT-VALUE}")
    long keys;

    @Option(names = "--value-size", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int valueSize;

    @Option(names = "--clients", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    int clients;

    @Option(names = "--outstanding", description = "operations in flight per client (default 1 closed loop, 256 open " +
        "loop)")
    Integer outstanding;

    @Option(names = "--rate", description = "open loop: total operations per second over all clients, the same for " +
        "every protocol (latency from each operation's intended start); without it, closed loop")
    Double rate;

    @Option(names = "--workload", description = "YCSB core workload a|b|c|d (sets read ratio and key distribution)")
    String ycsb;

    @Option(names = "--opt", description = "protocol option key=value (repeatable), given to every protocol that has " +
        "it; an option none of the compared protocols has is an error")
    Map<String, String> opts = new LinkedHashMap<>();

    @Option(names = "--hedge", description = "tail-tolerant reads: send a read not answered after this delay " +
        "(e.g. 2ms) or the running percentile of recent reads (e.g. p95) to one more replica; quorum and chain with " +
        "--reads craq only (same as --opt hedge=...)")
    String hedge;

    @Option(names = "--tied", description = "tail-tolerant reads: send a read to two replicas at once, each copy " +
        "naming the other; the one that starts serving first cancels the other's copy; quorum and chain with " +
        "--reads craq only, not with --hedge (same as --opt tied=true)")
    boolean tied;

    @picocli.CommandLine.Mixin
    LinkOptions link = new LinkOptions();

    @Option(names = "--threads", defaultValue = "shared", description = "Aeron: shared (every node agent on one " +
        "thread) or per-node (a thread per node, all yielding; for many-core machines) (default ${DEFAULT-VALUE})")
    String threads;

    @Option(names = "--protocols", split = ",", description = "subset to run (default: all, baselines first)")
    List<String> protocols;

    @Option(names = "--repeat", defaultValue = "3", description = "rounds: every protocol once per round, in a " +
        "shuffled order; the table gives each protocol's median run and the spread (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the runs and of the rounds' order " +
        "(default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--results", defaultValue = "results", description = "results root folder (default ${DEFAULT-VALUE})")
    Path resultsRoot;

    @Option(names = "--name", defaultValue = "compare", description = "results folder name suffix (default ${DEFAULT-VALUE})")
    String name;

    public Integer call() throws Exception
    {
        if (hedge != null)
        {
            opts.put(lab.core.client.ClientPolicy.HEDGE, hedge); // then given, like any --opt, to who reads it
        }
        if (tied)
        {
            opts.put(lab.core.client.ClientPolicy.TIED, "true");
        }
        final List<String> names = new ArrayList<>();
        if (protocols == null)
        {
            names.add("echo");
            names.add("none");
            for (final ProtocolFactory f : Protocols.all())
            {
                if (!names.contains(f.name()))
                {
                    names.add(f.name());
                }
            }
        }
        else
        {
            for (final String p : protocols)
            {
                names.add(Protocols.byName(p).name());
            }
        }
        if (repeat < 1)
        {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        final Workload workload = ycsb != null ? Workload.ycsb(ycsb, keys, valueSize) :
            new Workload(readRatio, keys, "uniform", 0.99, valueSize);
        if (rate != null && !(rate > 0 && !rate.isInfinite()))
        {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        final java.util.Set<String> optionsUsed = new java.util.TreeSet<>();
        for (final String protocol : names)
        {
            optionsUsed.addAll(optionsOf(protocol).keySet());
        }
        final java.util.Set<String> unused = new java.util.TreeSet<>(opts.keySet());
        unused.removeAll(optionsUsed);
        if (!unused.isEmpty())
        {
            throw new IllegalArgumentException("option(s) " + unused + " apply to none of " + names);
        }
        final long durationNs = Durations.parseNs(duration);
        final long warmupNs = Durations.parseNs(warmup);
        for (final String protocol : names)
        {
            LabRunner.validate(config(protocol, workload, durationNs, warmupNs, 0)); // every bad setting before any work
        }
        final Map<String, Object> environment = Environment.capture();
        final ResultsFolder folder = ResultsFolder.create(resultsRoot, name);
        System.out.printf("compare: %s, %d replicas over %s, workload %s, %d client(s) x %d outstanding, %s each, " +
            "%d round(s) in shuffled order (seed %d)%n", names, replicas, transport, workload.describe(), clients,
            outstanding != null ? outstanding : (rate != null ? 256 : 1), duration, repeat, seed);
        if (rate != null)
        {
            System.out.printf("open loop at %.0f ops/s for every protocol%n", rate);
        }
        System.out.printf("env: %s, %s cores, %s, aeron %s, commit %s%n", environment.get("cpu"),
            environment.get("cores"), environment.get("jvm"), environment.get("aeron"), environment.get("commit"));

        // Warm the JIT on the shared code (harness, codecs, Aeron) with a short unrecorded run, so that the first
        // protocol measured is not charged for compiling what every protocol uses.
        final RunConfig.Builder jitWarmup = RunConfig.builder();
        jitWarmup.protocol("echo");
        jitWarmup.transport(transport);
        jitWarmup.workload(workload);
        jitWarmup.durationNs(Math.min(durationNs, 1_000_000_000L));
        jitWarmup.warmupNs(0);
        link.applyTo(jitWarmup);
        LabRunner.run(jitWarmup.build());

        final Map<String, List<RunResult>> byProtocol = new LinkedHashMap<>();
        names.forEach(p -> byProtocol.put(p, new ArrayList<>()));
        final List<List<String>> rounds = new ArrayList<>();
        final Random shuffle = new Random(seed);
        final int total = repeat * names.size();
        final long startMs = System.currentTimeMillis();
        int done = 0;
        for (int round = 1; round <= repeat; round++)
        {
            final List<String> order = new ArrayList<>(names);
            if (repeat > 1)
            {
                Collections.shuffle(order, shuffle);
            }
            rounds.add(order);
            for (final String protocol : order)
            {
                final RunConfig.Builder config =
                    config(protocol, workload, durationNs, warmupNs, round - 1).toBuilder();
                config.hlog(folder.dir().resolve("run-" + protocol + (repeat > 1 ? "-round" + round : "") + ".hlog"));
                System.out.printf("  [%d/%d] round %d %-16s ...", done + 1, total, round, protocol);
                System.out.flush();
                final RunResult result = LabRunner.run(config.build());
                done++;
                final long etaS = (System.currentTimeMillis() - startMs) * (total - done) / done / 1000;
                System.out.printf(" %,.0f ops/s%s%n", result.achievedRate(), done < total ? "  (about " + etaS +
                    " s left)" : "");
                byProtocol.get(protocol).add(result);
            }
        }

        final List<RunResult> results = new ArrayList<>();
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("environment", environment);
        summary.put("seed", seed);
        summary.put("rounds", rounds);
        final List<Object> runs = new ArrayList<>();
        final StringBuilder spread = new StringBuilder();
        final RunResult echo = byProtocol.containsKey("echo") ? median(byProtocol.get("echo")) : null;
        final StringBuilder perNode = new StringBuilder();
        for (final String protocol : names)
        {
            final List<RunResult> all = byProtocol.get(protocol);
            final RunResult median = median(all);
            results.add(median);
            RunContract contract = RunReport.toContract(median, environment, echo);
            perNode.append(String.format("%n%s (median run, %,.0f ops/s):%n", protocol, median.achievedRate()))
                .append(lab.harness.cluster.CapacityModel.of(median, echo).text());
            if (repeat > 1)
            {
                final RepeatSummary repeats = RepeatSummary.of(all);
                contract = contract.with("repeats", repeats);
                spread.append(spreadLine(protocol, repeats));
            }
            folder.writeJson("run-" + protocol + ".json", contract);
            runs.add(contract);
        }
        summary.put("runs", runs);
        final String table = ComparisonTable.text(results);
        System.out.println();
        System.out.print(table);
        System.out.println("hops: measured mean critical-path depth (theory in brackets); msgs/op: all messages " +
            "sent / operations completed" + (repeat > 1 ? "; each row is the protocol's median run of " + repeat : ""));
        if (repeat > 1)
        {
            final String header = String.format("%nspread over %d rounds, min / median / max:%n%-16s %32s %26s %26s%n",
                repeat, "protocol", "ops/s", "w p99 us", "r p99 us");
            System.out.print(header + spread);
            folder.writeText("compare-spread.txt", header.stripLeading() + spread);
        }
        System.out.print("\nwhere the load lands, per protocol (* marks the bottleneck):" + perNode);
        folder.writeText("compare-nodes.txt", perNode.toString());
        folder.writeText("compare.txt", table);
        folder.writeText("compare.csv", ComparisonTable.csv(results));
        folder.writeJson("run.json", summary);
        System.out.println("report: " + lab.harness.report.html.HtmlReport.write(
            java.util.List.of(folder.dir()), folder.dir().resolve("report.html")));
        System.out.println("results: " + folder.dir());
        return 0;
    }

    private RunConfig config(final String protocol, final Workload workload, final long durationNs,
        final long warmupNs, final int round)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport(transport);
        config.workload(workload);
        config.workloadPreset(ycsb);
        config.clients(clients);
        config.rate(rate == null ? 0 : rate);
        config.outstanding(outstanding != null ? outstanding : (config.rate() > 0 ? 256 : 1));
        config.options().putAll(optionsOf(protocol));
        config.durationNs(durationNs);
        config.warmupNs(warmupNs);
        config.seed(seed + round);
        link.applyTo(config);
        config.threading(threads);
        return config.build();
    }

    /**
     * @return the {@code --opt} options this protocol has (the ones its factory reads), so that one compare can set
     * raft's batch and chain's acks without either refusing the other's.
     */
    private Map<String, String> optionsOf(final String protocol)
    {
        final lab.core.ProtocolFactory factory = Protocols.byName(protocol);
        final lab.core.ProtocolSettings probe =
            new lab.core.ProtocolSettings(Math.max(1, replicas), 1, 1, opts); // a mode option may bring others
        try
        {
            factory.validate(probe);
        }
        catch (final IllegalArgumentException ex)
        {
            // the defaults alone are refused (e.g. too few replicas): the run's own check reports it
        }
        final Map<String, String> own = new LinkedHashMap<>();
        opts.forEach((k, v) ->
        {
            if (probe.knownOptions().contains(k))
            {
                own.put(k, v);
            }
        });
        return own;
    }

    /**
     * @return the run with the median throughput (the lower of the two middle ones for an even count).
     */
    static RunResult median(final List<RunResult> runs)
    {
        final List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(RunResult::achievedRate));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String spreadLine(final String protocol, final RepeatSummary repeats)
    {
        return String.format("%-16s %32s %26s %26s%n", protocol, repeats.throughput().text("%,.0f"),
            repeats.writeP99Us().text("%.1f"), repeats.readP99Us().text("%.1f"));
    }
}
