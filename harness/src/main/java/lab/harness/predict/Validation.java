package lab.harness.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.aeron.LinkEmulator;
import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.OpStats;
import lab.harness.report.Environment;
import lab.harness.report.ResultsFolder;

/**
 * {@code lab predict --validate}: for every configuration this machine can run for real, the prediction beside the
 * measurement and the error.
 * <ol>
 * <li>Latency at low load: in-process Aeron IPC, all node agents on one thread, 1 client x 1 operation in flight,
 * {@code --link-delay} 200 us and 1 ms, 3 and 5 replicas, every protocol. The prediction simulates the same: every
 * link that fixed delay, every node on one simulated CPU (the shared thread).</li>
 * <li>Saturation throughput with every node on one core: the same process with 2 clients x 16 in flight, against the
 * simulation with every node on one CPU.</li>
 * </ol>
 * Targets from the issue: p50 within 15%, saturation within 25%. What it gets is printed, not asserted.
 */
public final class Validation
{
    private static final List<String> DELAYS = List.of("200us", "1ms");
    private static final List<Integer> REPLICAS = List.of(3, 5);
    private static final long SIM_DURATION_NS = 1_000_000_000L;
    private static final long SIM_WARMUP_NS = 200_000_000L;

    private Validation()
    {
    }

    public static int run(final Calibration calibration, final List<String> protocols, final long durationNs,
        final Path resultsRoot) throws java.io.IOException
    {
        final StringBuilder text = new StringBuilder();
        final List<Map<String, Object>> rows = new ArrayList<>();
        final long warmupNs = Math.min(1_000_000_000L, durationNs / 2);
        emit(text, String.format(Locale.ROOT, "validate: PREDICTED (simulation, calibration %s) beside MEASURED " +
            "(in-process Aeron IPC, one node thread), %d cores here; absolute times are noisy on a shared machine%n",
            calibration.source(), Runtime.getRuntime().availableProcessors()));
        LabRunner.run(Calibrator.config("echo", Map.of(), 1, durationNs / 2, 0, 1)); // JIT warm-up, unrecorded
        emit(text, String.format(Locale.ROOT, "%nlatency, 1 client x 1 in flight, --link-delay d (sim: every link d, " +
            "every node on one CPU)%n%-16s %3s %6s %-5s %11s %11s %7s %11s %11s %7s%n", "protocol", "N", "delay", "op",
            "meas p50", "PRED p50", "err", "meas p99", "PRED p99", "err"));
        int p50Rows = 0;
        int p50Within = 0;
        for (final String delay : DELAYS)
        {
            final long delayNs = lab.core.Durations.parseNs(delay);
            for (final int n : REPLICAS)
            {
                for (final String protocol : protocols)
                {
                    final Calibration.Target target = calibration.target(protocol, Map.of());
                    final RunConfig.Builder real = Calibrator.config(protocol, Map.of(), n, durationNs, warmupNs, 42)
                        .toBuilder();
                    real.link(new LinkEmulator.Settings(delayNs, 0, 0));
                    final RunResult measured = LabRunner.run(real.build());
                    final RunConfig sim = Calibrator.config(protocol, Map.of(), n, SIM_DURATION_NS, SIM_WARMUP_NS, 42);
                    final PredictedRun.Outcome predicted = PredictedRun.run(sim, target,
                        new PredictedRun.Machines(LinkProfile.parse(delay), 1, true, 0));
                    for (final String op : List.of("write", "read"))
                    {
                        final OpStats m = "write".equals(op) ? measured.writes() : measured.reads();
                        final OpStats p = "write".equals(op) ? predicted.result().writes() : predicted.result().reads();
                        if (m.count() == 0 || p.count() == 0)
                        {
                            continue;
                        }
                        final double mp50 = m.latencyNs().getValueAtPercentile(50) / 1e3;
                        final double pp50 = p.latencyNs().getValueAtPercentile(50) / 1e3;
                        final double mp99 = m.latencyNs().getValueAtPercentile(99) / 1e3;
                        final double pp99 = p.latencyNs().getValueAtPercentile(99) / 1e3;
                        final double err50 = (pp50 - mp50) / mp50;
                        p50Rows++;
                        p50Within += Math.abs(err50) <= 0.15 ? 1 : 0;
                        emit(text, String.format(Locale.ROOT, "%-16s %3d %6s %-5s %11.1f %11.1f %+6.1f%% %11.1f %11.1f " +
                            "%+6.1f%%%n", protocol, n, delay, op, mp50, pp50, 100 * err50, mp99, pp99,
                            100 * (pp99 - mp99) / mp99));
                        final Map<String, Object> row = new LinkedHashMap<>();
                        row.put("check", "latency");
                        row.put("protocol", protocol);
                        row.put("replicas", n);
                        row.put("link_delay", delay);
                        row.put("op", op);
                        row.put("measured_p50_us", mp50);
                        row.put("predicted_p50_us", pp50);
                        row.put("measured_p99_us", mp99);
                        row.put("predicted_p99_us", pp99);
                        row.put("p50_error", err50);
                        rows.add(row);
                    }
                }
            }
        }
        emit(text, String.format(Locale.ROOT, "p50 within 15%%: %d of %d rows%n", p50Within, p50Rows));

        emit(text, String.format(Locale.ROOT, "%nsaturation, every node on one core: 2 clients x 16 in flight, no " +
            "link delay, 3 replicas%n%-16s %3s %12s %12s %12s %7s %7s%n", "protocol", "N", "meas ops/s", "share",
            "PRED ops/s", "err", "err/share"));
        int satWithin = 0;
        int satWithinPerCpu = 0;
        final StringBuilder breakdowns = new StringBuilder();
        for (final String protocol : protocols)
        {
            final Calibration.Target target = calibration.target(protocol, Map.of());
            final RunConfig.Builder real =
                Calibrator.config(protocol, Map.of(), 3, durationNs, warmupNs, 42).toBuilder();
            real.clients(2);
            real.outstanding(16);
            final RunResult measured = LabRunner.run(real.build());
            final double share = CapacityModel.of(measured, null).cpuShare();
            final RunConfig.Builder sim = Calibrator.config(protocol, Map.of(), 3, SIM_DURATION_NS, SIM_WARMUP_NS, 42)
                .toBuilder();
            sim.clients(2);
            sim.outstanding(16);
            final PredictedRun.Outcome predicted = PredictedRun.run(sim.build(), target,
                new PredictedRun.Machines(LinkProfile.parse("0us"), 1, true, 0));
            final double mx = measured.achievedRate();
            final double px = predicted.result().achievedRate();
            if (measured.totalOps() > 0 && predicted.result().totalOps() > 0)
            {
                breakdowns.append(protocol).append(", N=3:\n").append(DemandBreakdown.compare(
                    DemandBreakdown.of(null, measured.load().nodes(), measured.totalOps(),
                        Double.isNaN(share) ? 1 : share),
                    DemandBreakdown.of(null, predicted.result().load().nodes(), predicted.result().totalOps(), 1)));
            }
            final double err = (px - mx) / mx;
            final double perCpu = Double.isNaN(share) ? mx : mx / share;
            satWithin += Math.abs(err) <= 0.25 ? 1 : 0;
            satWithinPerCpu += Math.abs((px - perCpu) / perCpu) <= 0.25 ? 1 : 0;
            emit(text, String.format(Locale.ROOT, "%-16s %3d %12.0f %12s %12.0f %+6.1f%% %+6.1f%%%n", protocol, 3, mx,
                Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.2f", share), px, 100 * err,
                100 * (px - perCpu) / perCpu));
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("check", "shared-thread saturation");
            row.put("protocol", protocol);
            row.put("replicas", 3);
            row.put("measured_ops_per_s", mx);
            row.put("node_thread_cpu_share", Double.isNaN(share) ? null : share);
            row.put("predicted_ops_per_s", px);
            row.put("error", err);
            row.put("error_per_cpu_second", (px - perCpu) / perCpu);
            rows.add(row);
        }
        emit(text, String.format(Locale.ROOT, "saturation within 25%%: %d of %d against the measured throughput, %d " +
            "of %d per CPU-second (err: PRED vs measured; err/share: PRED vs measured / the node thread's CPU share: " +
            "the calibration is CPU demand, so this is the like-for-like figure on a machine that preempts the node " +
            "thread)%n", satWithin, protocols.size(), satWithinPerCpu, protocols.size()));
        emit(text, "\nsaturation per role, measured beside PREDICTED (cycles: duty cycles that moved messages, in the " +
            "simulator those whose first message found its node's queue empty; CPU ns/op: busy time x CPU share " +
            "measured, the CPU model's service time simulated):\n");
        emit(text, breakdowns.toString());
        emit(text, "per-node threads (1 core per node) need replicas + clients cores: not checked on this machine\n");
        final ResultsFolder folder = ResultsFolder.create(resultsRoot, "predict-validate");
        folder.writeText("validation.txt", text.toString());
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("predicted", true);
        json.put("note", "each row: a prediction (simulation) beside a measurement (real in-process run)");
        json.put("environment", Environment.capture());
        json.put("calibration_environment", calibration.environment());
        json.put("rows", rows);
        folder.writeJson("validation.json", json);
        System.out.println("results: " + folder.dir());
        return 0;
    }

    private static void emit(final StringBuilder text, final String s)
    {
        System.out.print(s);
        System.out.flush();
        text.append(s);
    }
}
