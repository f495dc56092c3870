package lab.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import lab.harness.aeron.LinkEmulator;
import lab.core.Durations;
import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;
import lab.harness.predict.BatchedDemand;
import lab.harness.predict.Calibrator;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab validate-model}: the capacity model's predictions beside what was measured, with the error.
 * <ol>
 * <li>Latency: every protocol, each replica count and emulated link delay, one client with one operation in flight
 * over in-process IPC: measured p50 per operation type against hops x delay + the service times the same run
 * measured.</li>
 * <li>Throughput with every node on one core: a low-load run (1 x 1) gives each node's demand D_i; a closed loop at
 * saturation (several clients, many operations in flight) measures the throughput, to set beside 1 / sum D_i. In one
 * process all node agents share one thread, which is exactly "every node on one core". Beside it the load-dependent
 * demand ({@link BatchedDemand}): costs per duty cycle, message and byte fitted to runs at a few low loads, applied to
 * what each node handled per operation at saturation (a batching protocol's demand per operation falls with load).</li>
 * <li>Throughput with one core per node (1 / max D_i) needs a core per node thread; on a machine with fewer cores
 * than nodes it cannot be checked, and the command says so.</li>
 * </ol>
 */
@Command(name = "validate-model", mixinStandardHelpOptions = true,
    description = "Print the capacity model's predictions beside measured latency and throughput, with the error.")
public final class ValidateModelCommand implements Callable<Integer>
{
    @Option(names = "--protocols", split = ",", defaultValue = "primary-backup,chain,raft,quorum",
        description = "default ${DEFAULT-VALUE}")
    List<String> protocols;

    @Option(names = "--replicas", split = ",", defaultValue = "3,5", description = "default ${DEFAULT-VALUE}")
    List<Integer> replicas;

    @Option(names = "--delays", split = ",", defaultValue = "200us,1ms", description = "emulated one-way link " +
        "delays for the latency check (default ${DEFAULT-VALUE})")
    List<String> delays;

    @Option(names = "--duration", defaultValue = "2s", description = "measured time per run (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "1s", description = "warm-up per run (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--saturation-clients", defaultValue = "2", description = "clients of the saturation run " +
        "(default ${DEFAULT-VALUE})")
    int saturationClients;

    @Option(names = "--saturation-outstanding", defaultValue = "16", description = "operations in flight per " +
        "client in the saturation run (default ${DEFAULT-VALUE})")
    int saturationOutstanding;

    @Option(names = "--fit-outstanding", split = ",", defaultValue = "1,4,8", description = "operations in " +
        "flight (1 client) of the runs the load-dependent demand is fitted to; must include 1, the 1 x 1 run " +
        "(default ${DEFAULT-VALUE})")
    List<Integer> fitOutstanding;

    @Option(names = "--skip-latency", description = "only the throughput check")
    boolean skipLatency;

    @Option(names = "--skip-throughput", description = "only the latency check")
    boolean skipThroughput;

    @Option(names = "--out", description = "also write the tables to this file")
    Path out;

    public Integer call() throws Exception
    {
        final long durationNs = Durations.parseNs(duration);
        final long warmupNs = Durations.parseNs(warmup);
        if (!fitOutstanding.contains(1) || fitOutstanding.stream().anyMatch(k -> k < 1) ||
            fitOutstanding.stream().distinct().count() < 2)
        {
            throw new IllegalArgumentException("--fit-outstanding needs 1 and at least one other load, every one " +
                ">= 1, got " + fitOutstanding);
        }
        final StringBuilder report = new StringBuilder();
        final int cores = Runtime.getRuntime().availableProcessors();
        emit(report, String.format(Locale.ROOT, "validate-model: %s, replicas %s, %s measured + %s warm-up per run, " +
            "%d cores (absolute times are noisy on a shared machine: read the errors as ratios)%n", protocols, replicas,
            duration, warmup, cores));
        // Warm the JIT on the shared code once, unrecorded.
        LabRunner.run(config("echo", 3, durationNs / 2, 0, 1, 1, null));

        if (!skipLatency)
        {
            emit(report, String.format(Locale.ROOT, "%nlatency: in-process IPC, 1 client x 1 outstanding, " +
                "--link-delay d; predicted = hops (theory) x d + (hops-1) x service per server hop + client demand; " +
                "measured hops above theory mean retries were on the critical path%n"));
            emit(report, String.format(Locale.ROOT, "%-16s %3s %8s %-5s %4s %9s %12s %12s %8s%n", "protocol", "N",
                "delay", "op", "hops", "measured", "predicted us", "measured us", "error"));
            for (final String delay : delays)
            {
                final long delayNs = Durations.parseNs(delay);
                for (final int n : replicas)
                {
                    for (final String protocol : protocols)
                    {
                        final RunResult r = LabRunner.run(config(protocol, n, durationNs, warmupNs, 1, 1,
                            new LinkEmulator.Settings(delayNs, 0, 0)));
                        final CapacityModel model = CapacityModel.of(r, null);
                        latencyRow(report, protocol, n, delay, "write", r, model, r.theory().writeHops(), true);
                        latencyRow(report, protocol, n, delay, "read", r, model, r.theory().readHops(), false);
                    }
                }
            }
        }

        if (!skipThroughput)
        {
            emit(report, String.format(Locale.ROOT, "%nthroughput, every node on one core: in-process IPC (all node " +
                "agents on one thread); measured at saturation (%d clients x %d outstanding) against two " +
                "predictions: 1 / sum D_i with D_i from a 1 x 1 run, and the load-dependent demand (costs per duty " +
                "cycle, message and byte handled (in + out) fitted per role to runs at 1 x %s outstanding, applied to what " +
                "each node handled per operation at saturation)%n", saturationClients, saturationOutstanding,
                fitOutstanding.stream().map(String::valueOf).reduce((a, b) -> a + ", 1 x " + b).orElse("1")));
            emit(report, String.format(Locale.ROOT, "%-16s %3s %11s %10s %12s %10s %12s %12s %12s %8s %8s %8s %9s%n",
                "protocol", "N", "low-load X", "sum D us", "predicted X", "sum D(X) us", "predicted X", "measured X",
                "X / share", "error", "error", "share", "accounted"));
            emit(report, String.format(Locale.ROOT, "%-16s %3s %11s %10s %12s %10s %12s %12s %12s %8s %8s %8s %9s%n",
                "", "", "", "(1 x 1)", "(1 x 1)", "(at load)", "(at load)", "", "", "(1 x 1)", "(load)", "", ""));
            final List<String> fits = new ArrayList<>();
            for (final int n : replicas.subList(0, 1))
            {
                for (final String protocol : protocols)
                {
                    final List<RunResult> fitRuns = new ArrayList<>();
                    RunResult low = null;
                    for (final int outstanding : fitOutstanding)
                    {
                        final RunResult r = LabRunner.run(config(protocol, n, durationNs, warmupNs, 1, outstanding,
                            null));
                        fitRuns.add(r);
                        if (outstanding == 1)
                        {
                            low = r;
                        }
                    }
                    final CapacityModel lowModel = CapacityModel.of(low, null);
                    final BatchedDemand batched = BatchedDemand.fit(fitRuns);
                    batched.byRole().forEach((role, fit) -> fits.add(String.format(Locale.ROOT, "%-16s %-9s %s",
                        protocol, role, Calibrator.describe(fit))));
                    final RunResult sat = LabRunner.run(config(protocol, n, durationNs, warmupNs, saturationClients,
                        saturationOutstanding, null));
                    final Double predicted = lowModel.sharedCore();
                    final BatchedDemand.AtLoad atLoad = batched.at(sat.load().nodes(), sat.totalOps());
                    final Double predictedAtLoad = atLoad.sharedCore();
                    final double measured = sat.achievedRate();
                    double accounted = 0;
                    for (final NodeLoad l : sat.load().nodes())
                    {
                        accounted += (double)(l.busyNs() + l.backgroundNs()) / sat.measuredNs();
                    }
                    // On a loaded machine the node thread does not get its core all the time: the throughput it
                    // would have on a core of its own is measured / its CPU share (the prediction is per CPU too).
                    final double satShare = CapacityModel.of(sat, null).cpuShare();
                    final double perCpu = Double.isNaN(satShare) ? measured : measured / satShare;
                    emit(report, String.format(Locale.ROOT,
                        "%-16s %3d %11.0f %10s %12s %10s %12s %12.0f %12.0f %8s %8s %8s %8.0f%%%n",
                        protocol, n, low.achievedRate(),
                        predicted == null ? "-" : String.format(Locale.ROOT, "%.3f", 1e6 / predicted),
                        predicted == null ? "- (" + lowModel.throughputNote() + ")" :
                            String.format(Locale.ROOT, "%.0f", predicted),
                        predictedAtLoad == null ? "-" : String.format(Locale.ROOT, "%.3f", atLoad.sumNsPerOp() / 1e3),
                        predictedAtLoad == null ? "- (" + atLoad.note() + ")" :
                            String.format(Locale.ROOT, "%.0f", predictedAtLoad),
                        measured, perCpu, error(perCpu, predicted), error(perCpu, predictedAtLoad),
                        Double.isNaN(satShare) ? "-" : String.format(Locale.ROOT, "%.2f", satShare),
                        100 * accounted));
                }
            }
            emit(report, "(sum D (1 x 1): per-op CPU demand of every node in the 1 x 1 run, wall busy x that run's " +
                "CPU share; sum D(X) (at load): the fitted costs applied to the duty cycles, messages and bytes each " +
                "node handled per operation in the saturation run (the protocol's batching at that load); predicted " +
                "X = 1 / sum D; X / share: the saturation run's throughput per CPU-second of the node thread; error = " +
                "(X / share - predicted) / predicted; share: the node thread's CPU time / wall time in the saturation " +
                "window; accounted: busy + timer time of all nodes / window, the share of the node thread the " +
                "accounting covers)\n");
            emit(report, "\nfitted demand per role (CPU demand = c x cycles + a x messages + b x bytes, in + out; " +
                "fit error: (fitted - measured busy) / measured over the fit runs):\n");
            for (final String line : fits)
            {
                emit(report, line + "\n");
            }
            emit(report, String.format(Locale.ROOT, "%nthroughput, one core per node (1 / max D_i): not checked. It " +
                "needs a thread per node on a core of its own (replicas + clients, %d or more threads for 3 " +
                "replicas); this machine has %d core(s), so --threads per-node would share them and measure the " +
                "machine, not the bottleneck node. The prediction is printed with every run.%n",
                3 + saturationClients, cores));
        }
        if (out != null)
        {
            Files.writeString(out, report.toString());
            System.out.println("written: " + out);
        }
        return 0;
    }

    private static void latencyRow(final StringBuilder report, final String protocol, final int n,
        final String delay, final String op, final RunResult r, final CapacityModel model, final int hops,
        final boolean write)
    {
        final var stats = write ? r.writes() : r.reads();
        if (stats.count() == 0)
        {
            return;
        }
        final Double predicted = model.predictedP50Us(hops);
        final double measured = stats.latencyNs().getValueAtPercentile(50) / 1e3;
        emit(report, String.format(Locale.ROOT, "%-16s %3d %8s %-5s %4d %9.2f %12s %12.1f %8s%n", protocol, n, delay,
            op, hops, stats.meanHops(), predicted == null ? "-" : String.format(Locale.ROOT, "%.1f", predicted), measured,
            predicted == null ? "(" + model.note() + ")" :
                String.format(Locale.ROOT, "%+.1f%%", 100 * (measured - predicted) / predicted)));
    }

    private static String error(final double measured, final Double predicted)
    {
        return predicted == null ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * (measured - predicted) / predicted);
    }

    private static void emit(final StringBuilder report, final String text)
    {
        System.out.print(text);
        System.out.flush();
        report.append(text);
    }

    private static RunConfig config(final String protocol, final int replicas, final long durationNs,
        final long warmupNs, final int clients, final int outstanding, final LinkEmulator.Settings link)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport("ipc");
        config.workload(new Workload(0.5, 10_000, "uniform", 0.99, 64));
        config.clients(clients);
        config.outstanding(outstanding);
        config.durationNs(durationNs);
        config.warmupNs(warmupNs);
        if (link != null)
        {
            config.link(link);
        }
        return config.build();
    }
}
