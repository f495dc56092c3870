package lab.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lab.harness.api.Durations;
import lab.harness.api.ProtocolFactory;
import lab.harness.api.Protocols;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.ComparisonTable;
import lab.harness.report.Environment;
import lab.harness.report.ResultsFolder;
import lab.harness.report.RunReport;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab compare}: every protocol present, same replicas, same transport, same workload, one table.
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

    @Option(names = "--outstanding", defaultValue = "1", description = "operations in flight per client (default ${DEFAULT-VALUE})")
    int outstanding;

    @picocli.CommandLine.Mixin
    LinkOptions link = new LinkOptions();

    @Option(names = "--threads", defaultValue = "shared", description = "Aeron: shared (every node agent on one " +
        "thread) or per-node (a thread per node, all yielding; for many-core machines) (default ${DEFAULT-VALUE})")
    String threads;

    @Option(names = "--protocols", split = ",", description = "subset to run (default: all, baselines first)")
    List<String> protocols;

    @Option(names = "--results", defaultValue = "results", description = "results root folder (default ${DEFAULT-VALUE})")
    Path resultsRoot;

    @Option(names = "--name", defaultValue = "compare", description = "results folder name suffix (default ${DEFAULT-VALUE})")
    String name;

    public Integer call() throws Exception
    {
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
        final Workload workload = new Workload(readRatio, keys, "uniform", 0.99, valueSize);
        final long durationNs = Durations.parseNs(duration);
        final long warmupNs = Durations.parseNs(warmup);
        final Map<String, Object> environment = Environment.capture();
        final ResultsFolder folder = ResultsFolder.create(resultsRoot, name);
        System.out.printf("compare: %s, %d replicas over %s, workload %s, %d client(s) x %d outstanding, %s each%n",
            names, replicas, transport, workload.describe(), clients, outstanding, duration);
        System.out.printf("env: %s, %s cores, %s, aeron %s, commit %s%n", environment.get("cpu"),
            environment.get("cores"), environment.get("jvm"), environment.get("aeron"), environment.get("commit"));

        // Warm the JIT on the shared code (harness, codecs, Aeron) with a short unrecorded run, so that the first
        // protocol measured is not charged for compiling what every protocol uses.
        final RunConfig jitWarmup = new RunConfig();
        jitWarmup.protocol = "echo";
        jitWarmup.transport = transport;
        jitWarmup.workload = workload;
        jitWarmup.durationNs = Math.min(durationNs, 1_000_000_000L);
        jitWarmup.warmupNs = 0;
        link.applyTo(jitWarmup);
        LabRunner.run(jitWarmup);

        final List<RunResult> results = new ArrayList<>();
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("environment", environment);
        final List<Object> runs = new ArrayList<>();
        for (final String protocol : names)
        {
            final RunConfig config = new RunConfig();
            config.protocol = protocol;
            config.replicas = replicas;
            config.transport = transport;
            config.workload = workload;
            config.clients = clients;
            config.outstanding = outstanding;
            config.durationNs = durationNs;
            config.warmupNs = warmupNs;
            link.applyTo(config);
            config.threading = threads;
            config.hlog = folder.dir().resolve("run-" + protocol + ".hlog");
            System.out.printf("  running %-16s ...", protocol);
            System.out.flush();
            final RunResult result = LabRunner.run(config);
            System.out.printf(" %.0f ops/s%n", result.throughput(result.reads()) + result.throughput(result.writes()));
            results.add(result);
            final Map<String, Object> contract = RunReport.toContract(result, environment);
            folder.writeJson("run-" + protocol + ".json", contract);
            runs.add(contract);
        }
        summary.put("runs", runs);
        final String table = ComparisonTable.text(results);
        System.out.println();
        System.out.print(table);
        System.out.println("hops: measured mean critical-path depth (theory in brackets); msgs/op: all messages " +
            "sent / operations completed");
        folder.writeText("compare.txt", table);
        folder.writeText("compare.csv", ComparisonTable.csv(results));
        folder.writeJson("run.json", summary);
        System.out.println("report: " + lab.harness.report.html.HtmlReport.write(
            java.util.List.of(folder.dir()), folder.dir().resolve("report.html")));
        System.out.println("results: " + folder.dir());
        return 0;
    }
}
