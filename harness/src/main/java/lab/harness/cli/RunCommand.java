package lab.harness.cli;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;

import lab.core.Durations;
import lab.harness.check.HistoryRecorder;
import lab.harness.multiprocess.ProcessRun;
import lab.harness.check.JepsenHistory;
import lab.harness.cluster.FaultSchedule;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.ProgressListener;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.Environment;
import lab.harness.report.RepeatSummary;
import lab.harness.report.RunReport;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab run}: one protocol, one configuration, on the embedded in-process cluster or the simulator.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one protocol under a closed-loop workload and print latency, throughput, hops and msgs/op.")
public final class RunCommand implements Callable<Integer>
{
    @Option(names = "--protocol", description = "primary-backup|none|echo|... (lab list)", defaultValue = "primary-backup")
    String protocol;

    @Option(names = "--replicas", description = "replica count (default ${DEFAULT-VALUE})", defaultValue = "3")
    int replicas;

    @Option(names = "--transport", description = "ipc|udp|sim (default ${DEFAULT-VALUE})", defaultValue = "ipc")
    String transport;

    @Option(names = "--read-ratio", description = "fraction of GETs in [0,1] (default ${DEFAULT-VALUE})",
        defaultValue = "0.5")
    double readRatio;

    @Option(names = "--keys", description = "key count (default ${DEFAULT-VALUE})", defaultValue = "10000")
    long keys;

    @Option(names = "--key-distribution", description = "uniform|zipfian|latest (default ${DEFAULT-VALUE})",
        defaultValue = "uniform")
    String keyDistribution;

    @Option(names = "--zipfian-constant", description = "Zipf theta (default ${DEFAULT-VALUE})", defaultValue = "0.99")
    double zipfianConstant;

    @Option(names = "--value-size", description = "bytes per value (default ${DEFAULT-VALUE})", defaultValue = "64")
    int valueSize;

    @Option(names = "--clients", description = "client nodes (default ${DEFAULT-VALUE})", defaultValue = "1")
    int clients;

    @Option(names = "--outstanding",
        description = "operations in flight per client (default 1 closed loop, 256 open loop)")
    Integer outstanding;

    @Option(names = "--rate", description = "open loop: total operations per second over all clients " +
        "(latency from each operation's intended start: no coordinated omission); without it, closed loop")
    Double rate;

    @Option(names = "--poisson", description = "open loop: Poisson arrivals instead of constant spacing")
    boolean poisson;

    @Option(names = "--workload", description = "YCSB core workload a|b|c|d (sets read ratio and key distribution)")
    String ycsb;

    @Option(names = "--duration", description = "measured time, e.g. 10s (default ${DEFAULT-VALUE})",
        defaultValue = "10s")
    String duration;

    @Option(names = "--warmup", description = "excluded warm-up, e.g. 2s (default: min(2s, duration/5))")
    String warmup;

    @Option(names = "--op-timeout", description = "an operation not done by then is abandoned (default ${DEFAULT-VALUE})",
        defaultValue = "1s")
    String opTimeout;

    @Option(names = "--seed", description = "seed of every random choice (default ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Option(names = "--idle", description = "node thread idle strategy: auto|busy-spin|yield|backoff|sleep " +
        "(default ${DEFAULT-VALUE}: busy-spin over ipc, yield over udp)", defaultValue = "auto")
    String idle;

    @Option(names = "--mtu", description = "Aeron UDP MTU in bytes, a multiple of 32 up to 65504 (default: Aeron's " +
        "1408, safe on any Ethernet; loopback takes up to 65504)", defaultValue = "0")
    int mtu;

    @Option(names = "--json", description = "write the results contract (JSON) to this file")
    File json;

    @Option(names = "--hlog", description = "write an HdrHistogram interval log (tags read/write) to this file")
    File hlog;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Option(names = "--fault", description = "faults over Aeron, e.g. crash:leader@5s,restart@10s (roles: leader, " +
        "primary, head, tail, middle, ...; or node<i>); with --processes a crash is kill -9 of the node's JVM and a " +
        "restart a new JVM. Also partition:A|B+C@t, isolate:X@t, heal@t, loss:X=5@t, delay:X=2ms@t, slow:X=1ms@t, " +
        "clear:X@t, pause:X@t, resume:X@t, pause:X=50ms@2s..6s/every=200ms (README: Faults beyond crash)")
    String fault;

    @Option(names = "--interval", defaultValue = "1s",
        description = "timeline interval (latency over time, progress); default ${DEFAULT-VALUE}, 100ms with --fault")
    String interval;

    @picocli.CommandLine.Mixin
    LinkOptions link = new LinkOptions();

    @Option(names = "--threads", defaultValue = "shared", description = "Aeron: shared (every node agent on one " +
        "thread) or per-node (a thread per node, all yielding; for many-core machines) (default ${DEFAULT-VALUE})")
    String threads;

    @Option(names = "--history", description = "record every operation (invoke/ok/info with times, events in the " +
        "order the lab observed them) to this JSON-lines file, plus FILE.edn in Jepsen's format; check it with " +
        "lab check FILE")
    File history;

    @Option(names = "--processes", description = "one replica per process on this machine over UDP on loopback " +
        "(own media driver each), started, awaited and stopped by this command")
    boolean processes;

    @Option(names = "--cluster", description = "cluster file of replicas already running as processes (lab node), " +
        "possibly on other hosts; load is driven from this process")
    File cluster;

    @Option(names = "--ready-timeout", defaultValue = "20s",
        description = "processes: fail, naming the node, if a node is not ready by then (default ${DEFAULT-VALUE})")
    String readyTimeout;

    @Option(names = "--profile", description = "async-profiler over the measured window into this folder: in one " +
        "process one flamegraph (flame-in-process.html) and folded stacks (in-process.collapsed); with processes one " +
        "flamegraph per node")
    File profile;

    @Option(names = "--profile-event", defaultValue = "auto",
        description = "auto (cpu where perf events work, else itimer)|cpu|itimer|wall (default ${DEFAULT-VALUE})")
    String profileEvent;

    @Option(names = "--stale-reads", description = "measure stale reads (on by default for quorum)")
    boolean staleReads;

    @Option(names = "--repeat", defaultValue = "1", description = "run N times; report min / median / max (default ${DEFAULT-VALUE})")
    int repeat;

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

    @Option(names = "--sim-slow", description = "--transport sim: <replica>=<duration>, every message into that " +
        "replica arrives this much late (a slow replica, e.g. 1=5ms)")
    String simSlow;

    @Option(names = "--chain-ack", description = "chain: tail|head") String chainAck;
    @Option(names = "--reads", description = "chain: tail|craq") String chainReads;
    @Option(names = "--raft-reads", description = "raft: lease|read-index") String raftReads;
    @Option(names = "--batch", description = "raft: max client writes per append") String batch;
    @Option(names = "--fsync", description = "raft: none|batch|always") String fsync;
    @Option(names = "--quorum-mode", description = "quorum: dynamo|abd") String quorumMode;
    @Option(names = "--r", description = "quorum: read quorum R") String r;
    @Option(names = "--w", description = "quorum: write quorum W") String w;
    @Option(names = "--coordinator", description = "quorum: client|replica") String coordinator;

    public Integer call() throws IOException
    {
        if (repeat < 1)
        {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        // Every output is checked before the run: a result must never be measured and then lost for want of a folder.
        OutputPaths.checkFile(json, "--json");
        OutputPaths.checkFile(hlog, "--hlog");
        OutputPaths.checkFile(history, "--history");
        OutputPaths.checkFolder(profile, "--profile");
        final RunConfig planned = toConfig();
        final lab.core.ProtocolSettings checked = LabRunner.validate(planned); // every check a run makes, first
        final String warning = lab.core.Protocols.byName(planned.protocol).warnings(checked);
        if (!warning.isEmpty())
        {
            System.err.println("lab: warning: " + warning); // a configuration that runs, but not as one may think
        }
        final String historyWarning = history == null ? null :
            lab.harness.check.HistorySize.warning(planned.rate, planned.effectiveWarmupNs(), planned.durationNs);
        if (historyWarning != null)
        {
            System.err.println(historyWarning);
        }
        if (!quiet)
        {
            System.err.println("run: " + flat("", planned.describe()) +
                (repeat > 1 ? " repeat=" + repeat : "") + (processes ? " processes" : "") +
                (cluster != null ? " cluster=" + cluster : ""));
        }
        final List<RunResult> results = new ArrayList<>();
        final Map<String, Object> environment = Environment.capture();
        for (int i = 0; i < repeat; i++)
        {
            final RunConfig.Builder config = toConfig().toBuilder();
            config.seed(config.seed() + i);
            // One recorder serves every client: LabRunner hands it their events in the one order it observed them,
            // behind a lock when clients have threads of their own (--threads per-node).
            final HistoryRecorder recorder = history != null && i == repeat - 1 ? new HistoryRecorder() : null;
            if (recorder != null)
            {
                config.observers(c -> recorder);
            }
            final ProgressListener progress = quiet ? ProgressListener.NONE : new ProgressListener()
            {
                @Override
                public void onProgress(final long elapsedNs, final lab.harness.metrics.TimelinePoint p)
                {
                    System.err.printf("[%6.1fs] %,d ops/s  write p99 %s us  read p99 %s us%n", elapsedNs / 1e9,
                        p.opsPerS(), p.writeP99Us(), p.readP99Us());
                }
            };
            final RunResult result;
            if ((processes || cluster != null) && mtu != 0)
            {
                throw new IllegalArgumentException("--mtu applies to in-process runs; node processes use Aeron's " +
                    "default MTU");
            }
            if (processes || cluster != null)
            {
                final ProcessRun.Options options = new ProcessRun.Options();
                options.readyTimeoutNs = Durations.parseNs(readyTimeout);
                options.profileDir = profile;
                options.profileEvent = profileEvent;
                options.progress = progress;
                result = cluster != null ? ProcessRun.run(config.build(), cluster.toPath(), options) :
                    ProcessRun.runLocal(config.build(), options);
            }
            else
            {
                if (profile != null && "sim".equals(config.transport()))
                {
                    throw new IllegalArgumentException("--profile profiles Aeron runs; --transport sim runs in " +
                        "simulated time");
                }
                config.profileDir(profile);
                config.profileEvent(profileEvent);
                result = LabRunner.run(config.build(), progress);
            }
            results.add(result);
            if (recorder != null)
            {
                JepsenHistory.writeJsonLines(recorder.history(), history.toPath());
                JepsenHistory.writeEdn(recorder.history(), Path.of(history.getPath() + ".edn"));
                System.out.println("history: " + history.getPath() + " (" + recorder.size() + " operations; Jepsen " +
                    "EDN: " + history.getPath() + ".edn)");
            }
            if (i == 0)
            {
                System.out.println(headline(result, environment));
            }
            if (repeat > 1)
            {
                System.out.printf("run %d of %d (seed %d):%n", i + 1, repeat, config.seed());
            }
            System.out.print(RunReport.toTable(result));
        }
        lab.harness.report.RunContract contract = RunReport.toContract(results.get(results.size() - 1), environment);
        if (repeat > 1)
        {
            final RepeatSummary summary = RepeatSummary.of(results);
            contract = contract.with("repeats", summary);
            System.out.println("over " + repeat + " runs (min / median / max): " + summary);
        }
        if (json != null)
        {
            final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            mapper.writeValue(json, contract);
            System.out.println("results: " + json.getPath());
        }
        return 0;
    }

    RunConfig toConfig()
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport(transport);
        config.workload(ycsb != null ? Workload.ycsb(ycsb, keys, valueSize) :
            new Workload(readRatio, keys, keyDistribution, zipfianConstant, valueSize));
        config.workloadPreset(ycsb);
        config.clients(clients);
        config.rate(rate == null ? 0 : rate);
        if (rate != null && !(rate > 0))
        {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        config.poisson(poisson);
        config.outstanding(outstanding != null ? outstanding : (config.rate() > 0 ? 256 : 1));
        config.durationNs(Durations.parseNs(duration));
        config.warmupNs(warmup == null ? -1 : Durations.parseNs(warmup));
        config.opTimeoutNs(Durations.parseNs(opTimeout));
        config.seed(seed);
        config.idle(idle);
        config.mtu(mtu);
        config.hlog(hlog == null ? null : hlog.toPath());
        config.faults(FaultSchedule.parse(fault));
        if (processes && cluster != null)
        {
            throw new IllegalArgumentException("--processes starts its own nodes; --cluster uses running ones: pick one");
        }
        if ((processes || cluster != null) && "ipc".equals(transport))
        {
            config.transport("udp"); // processes talk over UDP; ipc is the default of in-process runs
        }
        config.staleReads(staleReads);
        link.applyTo(config);
        config.threading(threads);
        if (!config.faults().isEmpty() && "sim".equals(transport))
        {
            throw new IllegalArgumentException("--fault runs over Aeron (ipc|udp); simulated faults: lab torture");
        }
        if (simSlow != null)
        {
            slowReplica(config);
        }
        config.intervalNs(fault != null && "1s".equals(interval) ? 100_000_000L : Durations.parseNs(interval));
        config.options().putAll(opts);
        put(config, "chain-ack", chainAck);
        put(config, "reads", chainReads);
        put(config, "raft-reads", raftReads);
        put(config, "batch", batch);
        put(config, "fsync", fsync);
        put(config, "quorum-mode", quorumMode);
        put(config, "r", r);
        put(config, "w", w);
        put(config, "coordinator", coordinator);
        put(config, lab.core.client.ClientPolicy.HEDGE, hedge);
        put(config, lab.core.client.ClientPolicy.TIED, tied ? "true" : null);
        if (!"auto".equals(idle))
        {
            lab.harness.aeron.IdleStrategies.of(idle);
        }
        return config.build();
    }

    private void slowReplica(final RunConfig.Builder config)
    {
        if (!"sim".equals(transport))
        {
            throw new IllegalArgumentException("--sim-slow needs --transport sim (Aeron runs: the slow: fault)");
        }
        final int eq = simSlow.indexOf('=');
        final int node;
        final long delayNs;
        try
        {
            node = Integer.parseInt(simSlow.substring(0, Math.max(0, eq)));
            delayNs = Durations.parseNs(simSlow.substring(eq + 1));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("--sim-slow must be <replica>=<duration>, e.g. 1=5ms, got '" +
                simSlow + "'");
        }
        if (node < 0 || node >= replicas || delayNs <= 0)
        {
            throw new IllegalArgumentException("--sim-slow needs a replica in [0, " + replicas + ") and a delay > 0, " +
                "got '" + simSlow + "'");
        }
        config.sim().slowNode(node, delayNs);
    }

    private static void put(final RunConfig.Builder config, final String name, final String value)
    {
        if (value != null)
        {
            config.options().put(name, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static String headline(final RunResult result, final Map<String, Object> environment)
    {
        final Map<String, Object> c = result.config();
        return String.format("%s  replicas=%s transport=%s clients=%s outstanding=%s duration=%sms %s%n" +
                "options: %s%ntransport: %s%nenv: %s, %s cores, %s, aeron %s, commit %s",
            c.get("protocol"), c.get("replicas"), c.get("transport"), c.get("clients"),
            c.get("outstanding_per_client"), c.get("duration_ms"), flat("workload.", (Map<String, Object>)c.get(
                "workload")), flat("", new LinkedHashMap<>(result.protocolOptions())),
            flat("", new LinkedHashMap<>(result.transportStats())), environment.get("cpu"), environment.get("cores"),
            environment.get("jvm"), environment.get("aeron"), environment.get("commit"));
    }

    /**
     * @return "key=value key.sub=value ..." of a configuration description: one line a person reads (and can paste),
     * not a Java map.
     */
    static String flat(final String prefix, final Map<String, Object> map)
    {
        final StringBuilder sb = new StringBuilder();
        map.forEach((k, v) ->
        {
            if (v instanceof Map)
            {
                @SuppressWarnings("unchecked") final Map<String, Object> inner = (Map<String, Object>)v;
                final String nested = flat(prefix + k + ".", inner);
                if (!nested.isEmpty())
                {
                    sb.append(sb.length() > 0 ? " " : "").append(nested);
                }
            }
            else
            {
                sb.append(sb.length() > 0 ? " " : "").append(prefix).append(k).append('=')
                    .append(v instanceof java.util.Collection ? String.join(",", ((java.util.Collection<?>)v).stream()
                        .map(String::valueOf).toList()) : v);
            }
        });
        return sb.toString();
    }
}
