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
import lab.harness.predict.DemandBreakdown;
import lab.harness.predict.DemandFit;
import lab.harness.predict.SpeedReference;
import lab.harness.predict.Spread;
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
 * demand ({@link BatchedDemand}): costs per duty cycle, message and byte fitted to runs at a few low loads (and, by
 * default, to a twin run at the saturation shape as well), applied to what each node handled per operation at
 * saturation (a batching protocol's demand per operation falls with load). Rounds of every protocol's runs are
 * interleaved and medians compared, with the measured range: the machine's speed drifts between runs. Beside them
 * the speed-adjusted error: each round's fit runs, made just before its saturation run, say how fast the machine was
 * then against the fit pooled over every round ({@link SpeedReference}), and the round's prediction is scaled by it;
 * the median over rounds of the per-round errors is printed. Per role,
 * {@link DemandBreakdown} shows where the low-load fit misses at saturation.</li>
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

    @Option(names = "--rounds", defaultValue = "" + SpeedReference.DEFAULT_ROUNDS, description = "rounds of the " +
        "throughput check: each runs every protocol's fit loads and saturation runs in turn, so that the machine's " +
        "drift between runs lands in the spread and not in the error, and each round's fit runs give its speed " +
        "factor (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--no-fit-at-saturation", description = "fit the load-dependent demand to the low loads only; " +
        "by default it is also fitted to a run at the saturation load of its own (a twin of the measured run, never " +
        "the run it predicts)")
    boolean lowLoadFitOnly;

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
        if (rounds < 1)
        {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
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
            throughput(report, durationNs, warmupNs, cores);
        }
        if (out != null)
        {
            Files.writeString(out, report.toString());
            System.out.println("written: " + out);
        }
        return 0;
    }

    /** One protocol's throughput runs over the rounds. */
    private static final class Runs
    {
        final List<RunResult> low = new ArrayList<>();
        final List<RunResult> fit = new ArrayList<>();
        /** Per round, its fit runs: the speed reference of that round's saturation run. */
        final List<List<RunResult>> fitByRound = new ArrayList<>();
        final List<RunResult> twins = new ArrayList<>();
        final List<RunResult> saturated = new ArrayList<>();
    }

    private void throughput(final StringBuilder report, final long durationNs, final long warmupNs, final int cores)
    {
        final String loads = fitOutstanding.stream().map(k -> "1 x " + k).reduce((a, b) -> a + ", " + b)
            .orElse("1 x 1");
        final String shape = saturationClients + " x " + saturationOutstanding;
        emit(report, String.format(Locale.ROOT, "%nthroughput, every node on one core: in-process IPC (all node " +
            "agents on one thread); measured at saturation (%s outstanding), %d round(s), each round running every " +
            "protocol's runs in turn; against three predictions of 1 / sum D_i: D_i from the 1 x 1 run; the " +
            "load-dependent demand (costs per duty cycle, message and byte handled, in + out, per role) fitted to " +
            "%s; and the same fitted to those and a twin run at %s%s, applied to what each node handled per " +
            "operation in the measured run; before the first round every protocol runs once at %s, unrecorded " +
            "(JIT warm-up)%n", shape, rounds, loads, shape,
            lowLoadFitOnly ? " (off: --no-fit-at-saturation)" : "", shape));
        final int n = replicas.get(0);
        // Each protocol's own code warmed once, unrecorded, at the saturation shape. Without it (--skip-latency, whose
        // latency runs would otherwise have warmed it) the first round's fit runs ran before the JIT had compiled
        // the protocol: the first round's speed factor was its protocol's largest in 6 of 8 cases (1.08-1.53, the
        // later rounds' 0.62-1.18; two runs at load 8-9), and slow runs inflate the fit pooled over every round.
        // With this warm-up it was the largest in 2 of 4 (one run at load 8-10, where the load's swings dominate).
        for (final String protocol : protocols)
        {
            LabRunner.run(config(protocol, n, durationNs, 0, saturationClients, saturationOutstanding, null));
        }
        final java.util.Map<String, Runs> byProtocol = new java.util.LinkedHashMap<>();
        for (int round = 0; round < rounds; round++)
        {
            for (final String protocol : protocols)
            {
                final Runs runs = byProtocol.computeIfAbsent(protocol, k -> new Runs());
                final List<RunResult> roundFit = new ArrayList<>();
                runs.fitByRound.add(roundFit);
                for (final int outstanding : fitOutstanding)
                {
                    final RunResult r = LabRunner.run(config(protocol, n, durationNs, warmupNs, 1, outstanding, null));
                    runs.fit.add(r);
                    roundFit.add(r);
                    if (outstanding == 1)
                    {
                        runs.low.add(r);
                    }
                }
                if (!lowLoadFitOnly)
                {
                    runs.twins.add(LabRunner.run(config(protocol, n, durationNs, warmupNs, saturationClients,
                        saturationOutstanding, null)));
                }
                runs.saturated.add(LabRunner.run(config(protocol, n, durationNs, warmupNs, saturationClients,
                    saturationOutstanding, null)));
            }
        }
        emit(report, String.format(Locale.ROOT, "%-16s %3s %11s %11s %11s %12s %-21s %8s %8s %8s %8s %8s %6s %9s%n",
            "protocol", "N", "pred X", "pred X", "pred X", "measured X", "range over rounds", "error", "error",
            "error", "adj err", "adj err", "share", "accounted"));
        emit(report, String.format(Locale.ROOT, "%-16s %3s %11s %11s %11s %12s %-21s %8s %8s %8s %8s %8s %6s %9s%n",
            "", "", "(1 x 1)", "(low fit)", "(+ sat fit)", "/ share", "", "(1 x 1)", "(low)", "(+ sat)", "(low)",
            "(+ sat)", "", ""));
        final StringBuilder perRound = new StringBuilder();
        // Per figure (low, + sat; unadjusted, adjusted): protocols within the 20%, and protocols with a figure.
        final int[] within = new int[4];
        final int[] counted = new int[4];
        final List<String> fits = new ArrayList<>();
        final List<String> poor = new ArrayList<>();
        final StringBuilder breakdowns = new StringBuilder();
        for (final java.util.Map.Entry<String, Runs> e : byProtocol.entrySet())
        {
            final String protocol = e.getKey();
            final Runs runs = e.getValue();
            final BatchedDemand lowFit = BatchedDemand.fit(runs.fit);
            final List<RunResult> all = new ArrayList<>(runs.fit);
            all.addAll(runs.twins);
            final BatchedDemand satFit = lowLoadFitOnly ? null : BatchedDemand.fit(all);
            lowFit.byRole().forEach((role, fit) -> fits.add(String.format(Locale.ROOT, "%-16s %-9s low  %s",
                protocol, role, Calibrator.describe(fit))));
            lowFit.byRole().forEach((role, fit) -> poorFit(poor, protocol + " " + role + " (low)", fit));
            if (satFit != null)
            {
                satFit.byRole().forEach((role, fit) -> fits.add(String.format(Locale.ROOT, "%-16s %-9s +sat %s",
                    protocol, role, Calibrator.describe(fit))));
                satFit.byRole().forEach((role, fit) -> poorFit(poor, protocol + " " + role + " (+sat)", fit));
            }
            final double[] oneByOne = new double[rounds];
            final double[] low = new double[rounds];
            final double[] withSat = new double[rounds];
            final double[] perCpu = new double[rounds];
            final double[] shares = new double[rounds];
            final double[] accounted = new double[rounds];
            final double[] kLow = new double[rounds];
            final double[] kSat = new double[rounds];
            final List<List<DemandBreakdown.Row>> rows = new ArrayList<>();
            for (int i = 0; i < rounds; i++)
            {
                final RunResult sat = runs.saturated.get(i);
                // The round's speed: its own fit runs (and twin), made just before its saturation run, against the
                // pooled fit's demand for what they handled. The saturation run is not among them.
                final List<RunResult> reference = new ArrayList<>(runs.fitByRound.get(i));
                kLow[i] = speed(lowFit, reference);
                if (satFit != null)
                {
                    reference.add(runs.twins.get(i));
                }
                kSat[i] = satFit == null ? Double.NaN : speed(satFit, reference);
                oneByOne[i] = orNaN(CapacityModel.of(runs.low.get(i), null).sharedCore());
                low[i] = orNaN(lowFit.at(sat.load().nodes(), sat.totalOps()).sharedCore());
                withSat[i] = satFit == null ? Double.NaN :
                    orNaN(satFit.at(sat.load().nodes(), sat.totalOps()).sharedCore());
                // On a loaded machine the node thread does not get its core all the time: the throughput it
                // would have on a core of its own is measured / its CPU share (the prediction is per CPU too).
                final double share = CapacityModel.of(sat, null).cpuShare();
                shares[i] = share;
                perCpu[i] = Double.isNaN(share) ? sat.achievedRate() : sat.achievedRate() / share;
                for (final NodeLoad l : sat.load().nodes())
                {
                    accounted[i] += (double)(l.busyNs() + l.backgroundNs()) / sat.measuredNs();
                }
                if (sat.totalOps() > 0)
                {
                    rows.add(DemandBreakdown.of(lowFit, sat.load().nodes(), sat.totalOps(),
                        Double.isNaN(share) ? 1 : share));
                }
            }
            final Spread measured = Spread.of(perCpu);
            final Spread p1 = Spread.of(oneByOne);
            final Spread pLow = Spread.of(low);
            final Spread pSat = Spread.of(withSat);
            final double[] adjLow = new double[rounds];
            final double[] adjSat = new double[rounds];
            for (int i = 0; i < rounds; i++)
            {
                adjLow[i] = SpeedReference.adjusted(low[i], kLow[i]);
                adjSat[i] = SpeedReference.adjusted(withSat[i], kSat[i]);
            }
            // The adjusted error is the median of the per-round errors, not the error of the medians: the adjustment
            // pairs a round's measurement with the prediction at that round's speed, and medians taken of each side
            // apart may come from different rounds (a fast round's measurement against a slow round's prediction),
            // which is the drift the adjustment removes. The unadjusted columns keep the error of the medians: their
            // predictions do not follow the rounds' speed, so there is no pairing to keep.
            final double[] errLow = SpeedReference.pairedErrors(perCpu, adjLow);
            final double[] errSat = SpeedReference.pairedErrors(perCpu, adjSat);
            emit(report, String.format(Locale.ROOT, "%-16s %3d %11s %11s %11s %12.0f %-21s %8s %8s %8s %8s %8s %6s " +
                "%8.0f%%%n", protocol, n, x(p1), x(pLow), x(pSat), measured.median(),
                String.format(Locale.ROOT, "%.0f-%.0f (%.0f%%)", measured.min(), measured.max(),
                    measured.rangePct()), error(measured.median(), p1.median()),
                error(measured.median(), pLow.median()), error(measured.median(), pSat.median()),
                pct(Spread.of(errLow).median()), pct(Spread.of(errSat).median()),
                String.format(Locale.ROOT, "%.2f", Spread.of(shares).median()), 100 * Spread.of(accounted).median()));
            final double[] errors = {SpeedReference.relativeError(measured.median(), pLow.median()),
                SpeedReference.relativeError(measured.median(), pSat.median()), Spread.of(errLow).median(),
                Spread.of(errSat).median()};
            for (int j = 0; j < errors.length; j++)
            {
                if (!Double.isNaN(errors[j]))
                {
                    counted[j]++;
                    within[j] += Math.abs(errors[j]) <= WITHIN ? 1 : 0;
                }
            }
            for (int i = 0; i < rounds; i++)
            {
                perRound.append(String.format(Locale.ROOT, "%-16s %3d %5d %7s %7s %12.0f %12s %8s %12s %8s%n",
                    protocol, n, i + 1, k(kLow[i]), k(kSat[i]), perCpu[i], ops(adjLow[i]),
                    pct(errLow[i]), ops(adjSat[i]), pct(errSat[i])));
            }
            breakdowns.append(String.format(Locale.ROOT, "%s, N=%d, at %s (mean over rounds), against the low-load " +
                "fit:%n", protocol, n, shape)).append(DemandBreakdown.text(DemandBreakdown.mean(rows)));
        }
        emit(report, String.format(Locale.ROOT, "within %.0f%% of the fit's prediction: unadjusted (error of the " +
            "medians) low fit %d of %d, + sat fit %d of %d; speed-adjusted (adj err, median of the per-round errors) " +
            "low fit %d of %d, + sat fit %d of %d%n", 100 * WITHIN, within[0], counted[0], within[1], counted[1],
            within[2], counted[2], within[3], counted[3]));
        emit(report, "(pred X: 1 / sum D_i, the median over rounds of the prediction for each round's measured run; " +
            "(1 x 1): D_i = that round's 1 x 1 run's busy time per op x its CPU share; (low fit) / (+ sat fit): the " +
            "fitted costs, over every round's fit runs, applied to the duty cycles, messages and bytes each node " +
            "handled per op in the measured run (the protocol's batching at that load); measured X / share: the " +
            "median over rounds of the saturation run's throughput per CPU-second of the node thread; range: its " +
            "smallest and largest round, and (max - min) / median; error = (measured - predicted) / predicted; " +
            "share: the node thread's CPU time / wall time in the saturation window; accounted: busy + timer time " +
            "of all nodes / window, the share of the node thread the accounting covers; adj err: the speed-adjusted " +
            "error, the median over rounds of each round's (measured - adjusted prediction) / adjusted " +
            "prediction, where the adjusted prediction is the fit's prediction / that round's speed factor k, " +
            "below)\n");
        emit(report, "\nper round, the speed reference (k: the measured CPU demand (busy time x CPU share) of that " +
            "round's fit runs of the protocol, made just before its saturation run, / the pooled fit's demand for " +
            "the same cycles, messages and bytes: how much slower than the pooled fit the machine ran then; +sat: the " +
            "round's twin run counted as well; the saturation run itself never enters k; adj pred X: the round's " +
            "prediction / k; error = (measured - adj pred) / adj pred):\n");
        emit(report, String.format(Locale.ROOT, "%-16s %3s %5s %7s %7s %12s %12s %8s %12s %8s%n", "protocol", "N",
            "round", "k low", "k +sat", "measured X", "adj pred X", "error", "adj pred X", "error"));
        emit(report, String.format(Locale.ROOT, "%-16s %3s %5s %7s %7s %12s %12s %8s %12s %8s%n", "", "", "", "", "",
            "/ share", "(low fit)", "", "(+ sat fit)", ""));
        emit(report, perRound.toString());
        if (!poor.isEmpty())
        {
            emit(report, String.format(Locale.ROOT, "fits that do not describe their own runs (rms error above " +
                "%.0f%%: the runs disagree, e.g. a loaded machine; predictions from them are not to be trusted): %s%n",
                POOR_FIT_RMS_PCT, String.join(", ", poor)));
        }
        emit(report, "\nwhere the low-load fit misses, per role at saturation (measured ns: CPU demand per op; fitted " +
            "ns: the fit for the same counts, split into its cycle, message and byte terms; error = (measured - " +
            "fitted) / fitted):\n");
        emit(report, breakdowns.toString());
        emit(report, "\nfitted demand per role (CPU demand = c x cycles + a x messages + b x bytes, in + out; low: " +
            "fitted to " + loads + "; +sat: and the twin runs at " + shape + "; fit error: (fitted - measured busy) / " +
            "measured over the fit runs):\n");
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

    /** The target of the shared-core saturation check (issue 18): measured within 20% of 1 / sum D_i. */
    private static final double WITHIN = 0.20;

    /** A fit whose runs disagree with it by more than this (rms, relative) is flagged beside the predictions. */
    private static final double POOR_FIT_RMS_PCT = 25;

    private static void poorFit(final List<String> poor, final String what, final DemandFit.Fit fit)
    {
        if (fit == null || fit.rmsErrorPct() > POOR_FIT_RMS_PCT)
        {
            poor.add(what + (fit == null ? " no fit" : String.format(Locale.ROOT, " %.0f%%", fit.rmsErrorPct())));
        }
    }

    /**
     * @return the speed factor of reference runs against a fit ({@link SpeedReference#factor(BatchedDemand, List,
     * double[])}).
     */
    private static double speed(final BatchedDemand fit, final List<RunResult> reference)
    {
        final List<List<NodeLoad>> nodes = new ArrayList<>();
        final double[] shares = new double[reference.size()];
        for (int i = 0; i < reference.size(); i++)
        {
            nodes.add(reference.get(i).load().nodes());
            shares[i] = CapacityModel.of(reference.get(i), null).cpuShare();
        }
        return SpeedReference.factor(fit, nodes, shares);
    }

    private static String ops(final double x)
    {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.0f", x);
    }

    private static String k(final double k)
    {
        return Double.isNaN(k) ? "-" : String.format(Locale.ROOT, "%.2f", k);
    }

    private static String pct(final double fraction)
    {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * fraction);
    }

    private static double orNaN(final Double v)
    {
        return v == null ? Double.NaN : v;
    }

    private static String x(final Spread s)
    {
        return s.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", s.median());
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
        return predicted == null || predicted.isNaN() ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * (measured - predicted) / predicted);
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
