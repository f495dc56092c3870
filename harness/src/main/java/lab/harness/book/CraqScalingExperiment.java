package lab.harness.book;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.predict.Calibration;
import lab.harness.predict.Calibrator;
import lab.harness.predict.LinkProfile;
import lab.harness.predict.PredictedRun;
import lab.harness.workload.Workload;

/**
 * CRAQ read throughput grows with N: every node answers clean reads, where the classic chain's tail answers them all.
 * With every node on one thread (this machine) both are bound by the thread, so the claim needs a core per node:
 * the book predicts it with the calibrated simulator and measures it only where the machine has the cores.
 */
final class CraqScalingExperiment implements Experiment
{
    private static final double READ_RATIO = 0.95;
    private static final int CLIENTS = 16;
    private static final int OUTSTANDING = 32;

    public String name()
    {
        return "craq-scaling";
    }

    public String topic()
    {
        return "chain replication and CRAQ";
    }

    public String claim()
    {
        return "With a core per node, CRAQ's read throughput grows with the chain's length, while tail-only reads " +
            "stay bound by the tail.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "40 s" : "4 min";
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final int[] replicas = {3, 5, 7};
        final int cores = Runtime.getRuntime().availableProcessors();
        final boolean measurable = cores >= replicas[replicas.length - 1] + 2;
        bench.log("calibrating chain (tail reads) and CRAQ on this machine");
        final Calibrator.Method method = new Calibrator.Method(TimeUnit.MILLISECONDS.toNanos(bench.quick() ? 800 : 2000),
            TimeUnit.MILLISECONDS.toNanos(bench.quick() ? 300 : 1000), bench.quick() ? 1 : 2, 3, 32);
        final Calibration calibration = Calibrator.measure(List.of("chain", "chain:reads=craq"), method,
            new PrintStream(java.io.OutputStream.nullOutputStream()));
        final LinkProfile rack = LinkProfile.parse("rack");
        final PredictedRun.Machines machines = new PredictedRun.Machines(rack, 1, false, 0);
        final long simulatedMs = bench.quick() ? 20 : 100;
        final Table.Builder table = Table.titled("read throughput, " + (int)(READ_RATIO * 100) + "% reads",
            "N", "CRAQ predicted (ops/s)", "tail reads predicted (ops/s)", "CRAQ / tail",
            measurable ? "CRAQ measured (ops/s)" : "CRAQ measured", measurable ? "tail measured (ops/s)" : "tail measured");
        final List<double[]> craqCurve = new ArrayList<>();
        final List<double[]> tailCurve = new ArrayList<>();
        final List<double[]> craqMeasured = new ArrayList<>();
        for (final int n : replicas)
        {
            final double craq = predict(calibration.target("chain", Map.of("reads", "craq")), n, machines, simulatedMs,
                bench.seed(), Map.of("reads", "craq"));
            final double tail = predict(calibration.target("chain", Map.of()), n, machines, simulatedMs, bench.seed(),
                Map.of());
            bench.log("N=%d predicted: CRAQ %.0f ops/s, tail reads %.0f ops/s", n, craq, tail);
            craqCurve.add(new double[] {n, craq});
            tailCurve.add(new double[] {n, tail});
            String craqReal = "needs " + (n + 2) + " cores (" + cores + " here)";
            String tailReal = craqReal;
            if (measurable)
            {
                final double c = measure(bench, Variant.CRAQ, n);
                final double t = measure(bench, Variant.CHAIN, n);
                craqMeasured.add(new double[] {n, c});
                craqReal = String.format(Locale.ROOT, "%.0f", c);
                tailReal = String.format(Locale.ROOT, "%.0f", t);
            }
            table.row(n, String.format(Locale.ROOT, "%.0f", craq), String.format(Locale.ROOT, "%.0f", tail),
                String.format(Locale.ROOT, "%.2f", craq / tail), craqReal, tailReal);
        }
        final List<Chart.Series> series = new ArrayList<>();
        series.add(new Chart.Series("CRAQ (PREDICTED)", craqCurve, true));
        series.add(new Chart.Series("tail reads (PREDICTED)", tailCurve, true));
        if (!craqMeasured.isEmpty())
        {
            series.add(new Chart.Series("CRAQ (measured)", craqMeasured, false));
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("prediction", "the lab's simulator with a CPU per node (1 core), service times calibrated on this " +
            "machine (" + method.durationNs() / 1_000_000 + " ms runs x " + method.repeats() + "), rack links (20 us), " +
            simulatedMs + " ms simulated per point");
        setup.put("load", CLIENTS + " clients x " + OUTSTANDING + " in flight (closed loop), " +
            (int)(READ_RATIO * 100) + "% reads, 10,000 keys uniform");
        setup.put("cores here", String.valueOf(cores));
        return new ExperimentReport(name(), topic(), claim(), setup,
            "with a core per node, throughput is bounded by 1 / max D_i: tail-only reads put every read on the tail, " +
            "CRAQ spreads clean reads over N nodes, so its bound grows about linearly with N until writes (which " +
            "visit every node) dominate.",
            List.of(table.build()), List.of(new Chart("read-heavy throughput against N", "replicas (N)", "ops/s",
                series)), verdict(measurable, craqCurve, tailCurve, craqMeasured, cores), bench.commands(), List.of(
                "Predicted figures come from a simulation, not a measurement: they are labelled PREDICTED. " +
                "`bin/lab predict --protocol chain --opt reads=craq --replicas 3,5,7 --link rack` prints the same " +
                "kind of curve with its saturation point."),
            (System.nanoTime() - startNs) / 1e9);
    }

    private static double predict(final Calibration.Target target, final int n, final PredictedRun.Machines machines,
        final long simulatedMs, final long seed, final Map<String, String> options)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("chain");
        c.replicas(n);
        c.transport("sim");
        c.workload(new Workload(READ_RATIO, 10_000, "uniform", 0.99, 64));
        c.clients(CLIENTS);
        c.outstanding(OUTSTANDING);
        c.durationNs(TimeUnit.MILLISECONDS.toNanos(simulatedMs));
        c.warmupNs(TimeUnit.MILLISECONDS.toNanos(simulatedMs / 2));
        c.seed(seed);
        c.options().putAll(options);
        final RunResult r = PredictedRun.run(c.build(), target, machines).result();
        return r.achievedRate();
    }

    private static double measure(final Bench bench, final Variant v, final int n) throws java.io.IOException
    {
        final List<RunResult> runs = bench.repeat(v.key(n) + "-per-node", seed ->
        {
            final RunConfig.Builder c = v.config(n, READ_RATIO, 4, 16, 3000, 1000, seed).toBuilder();
            c.threading("per-node");
            return c.build();
        });
        return Bench.spread(runs, RunResult::achievedRate).median();
    }

    /**
     * The rule: measured where the machine has a core per node (CRAQ at N = 7 above 1.2 x CRAQ at N = 3);
     * otherwise undecided, with the prediction's figures.
     */
    static Finding verdict(final boolean measurable, final List<double[]> craq, final List<double[]> tail,
        final List<double[]> craqMeasured, final int cores)
    {
        final int last = craq.size() - 1;
        final String predicted = String.format(Locale.ROOT, "PREDICTED: CRAQ %.0f -> %.0f ops/s from N=3 to N=7 " +
            "(x%.2f), tail reads %.0f -> %.0f (x%.2f)", craq.get(0)[1], craq.get(last)[1],
            craq.get(last)[1] / craq.get(0)[1], tail.get(0)[1], tail.get(last)[1], tail.get(last)[1] / tail.get(0)[1]);
        if (!measurable)
        {
            final int needed = (int)craq.get(last)[0] + 2;
            return Finding.undecided("needs a core per node and two for the clients (" + needed + " at N=" +
                (int)craq.get(last)[0] + "; this machine has " + cores + "): shown by calibrated prediction only. " +
                predicted + ".");
        }
        final double growth = craqMeasured.get(craqMeasured.size() - 1)[1] / craqMeasured.get(0)[1];
        final String measured = String.format(Locale.ROOT, "measured CRAQ x%.2f from N=3 to N=7; %s", growth, predicted);
        return growth > 1.2 ? Finding.holds(measured + ".") :
            Finding.doesNotHold(measured + ": the rule asks for more than x1.2.");
    }
}
