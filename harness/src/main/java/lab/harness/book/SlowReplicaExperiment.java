package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.FaultPhase;
import lab.harness.cluster.FaultSchedule;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;

/**
 * One slow or paused replica: a chain and primary-backup wait for every replica on a write, so one that serves
 * slowly sets everyone's pace; Raft and the quorum store wait for a majority, so one slow member out of N should
 * not show. Measured over the real transport with the real {@code slow:} and {@code pause:} faults, per phase of the
 * fault window ({@link FaultPhase}: before, during, after).
 */
final class SlowReplicaExperiment implements Experiment
{
    /** A write p50 (slow) or p99 (pause) during the fault at least this many times the one before it is a stall. */
    static final double STALL = 5;
    /** ... and under this many times it is "does not notice". */
    static final double UNNOTICED = 2;
    static final double RATE = 500;

    /**
     * A protocol, the role its slow replica plays, and whether the notes say it waits for that replica.
     */
    record Subject(Variant variant, String role, boolean waitsForAll)
    {
    }

    static final List<Subject> SUBJECTS = List.of(
        new Subject(Variant.CHAIN, "middle", true),
        new Subject(Variant.PRIMARY_BACKUP, "backup", true),
        new Subject(Variant.RAFT_LEASE, "follower", false),
        new Subject(Variant.ABD, "replica", false));

    public String name()
    {
        return "slow-replica";
    }

    public String topic()
    {
        return "chain replication; primary-backup; quorums; Raft";
    }

    public String claim()
    {
        return "One slow replica stalls a chain and primary-backup (every write waits for every replica) but not Raft " +
            "or the quorum store (a write waits for a majority only).";
    }

    public String duration(final boolean quick)
    {
        return quick ? "1 min" : "8 min";
    }

    /**
     * @param label    protocol.
     * @param n        replicas.
     * @param fault    "slow" or "pause".
     * @param before   the write latency percentile the rule reads, before the fault (us).
     * @param during   the same during the fault (us); infinite when no write completed during it.
     * @param holder   the role the slow node held at the end of the run ("" when unknown).
     */
    record Point(String label, int n, String fault, boolean waitsForAll, double before, double during, String holder)
    {
        double ratio()
        {
            return during / before;
        }

        /**
         * Raft at N = 3 is outside the rule: the lab found there that the slow follower can win an election (its
         * queue outgrows the election timeout, its log is current), and a slow leader stalls every write. That is a
         * finding about Raft (nothing keeps a slow node from leading), reported beside the verdict, not a verdict
         * about majorities.
         */
        boolean decides()
        {
            return !(label.startsWith("raft") && n == 3);
        }
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final long warmupMs = 1000;
        final long faultFromMs = bench.quick() ? 2000 : 3000;
        final long faultToMs = bench.quick() ? 4000 : 7000;
        final long durationMs = bench.quick() ? 4000 : 8000;
        final int[] sizes = {3, 5};
        final List<String> faults = bench.quick() ? List.of("slow") : List.of("slow", "pause");
        final Table.Builder table = Table.titled("writes only, open loop at " + (int)RATE + " ops/s; fault from " +
            faultFromMs / 1000.0 + " s to " + faultToMs / 1000.0 + " s (warm-up included)", "protocol", "N", "fault",
            "write p50 before (us)", "write p50 during (us)", "write p50 after (us)", "write p99 before (us)",
            "write p99 during (us)",
            "ops/s during", "ratio the rule reads", "slow node's role at the end");
        final List<Point> points = new ArrayList<>();
        final Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (final String fault : faults)
        {
            for (final Subject s : SUBJECTS)
            {
                for (final int n : sizes)
                {
                    final String spec = "slow".equals(fault) ?
                        "slow:" + s.role() + "=1ms@" + faultFromMs + "ms,clear:" + s.role() + "@" + faultToMs + "ms" :
                        "pause:" + s.role() + "=50ms@" + faultFromMs + "ms.." + faultToMs + "ms/every=200ms";
                    final List<RunResult> runs = bench.repeat(s.variant().key(n) + "-" + fault, seed ->
                    {
                        return s.variant().openLoop(n, 0, RATE, durationMs, warmupMs, seed).toBuilder()
                            .faults(FaultSchedule.parse(spec)).build();
                    });
                    // slow: the median write meets the slow replica's queue; pause: a quarter of the time is paused,
                    // so the median write may miss every pause and the tail (p99) is where a pause shows.
                    final boolean slow = "slow".equals(fault);
                    final Spread p50Before = Bench.spread(runs, r -> before(r, true));
                    final Spread p50During = Bench.spread(runs, r -> during(r, true));
                    final Spread p50After = Bench.spread(runs, r -> phase(r, "after").writeP50Us());
                    final Spread p99Before = Bench.spread(runs, r -> before(r, false));
                    final Spread p99During = Bench.spread(runs, r -> during(r, false));
                    final Spread opsDuring = Bench.spread(runs, r -> phase(r, "during").opsPerS());
                    final Point p = new Point(s.variant().label(), n, fault, s.waitsForAll(),
                        slow ? p50Before.median() : p99Before.median(), slow ? p50During.median() : p99During.median(),
                        slowNodeRole(runs.get(runs.size() - 1)));
                    points.add(p);
                    if (slow)
                    {
                        curves.computeIfAbsent(s.variant().label(), k -> new ArrayList<>())
                            .add(new double[] {n, Math.min(p.ratio(), 1e4)});
                    }
                    table.row(p.label(), n, fault, p50Before.format("%.0f"), p50During.format("%.0f"),
                        p50After.format("%.0f"), p99Before.format("%.0f"), p99During.format("%.0f"), opsDuring.format("%.0f"),
                        String.format(Locale.ROOT, "%s %.1fx", slow ? "p50" : "p99", p.ratio()), p.holder());
                }
            }
        }
        final List<Chart.Series> series = new ArrayList<>();
        curves.forEach((label, pts) -> series.add(new Chart.Series(label, pts, false)));
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("protocols", "chain (slow middle), primary-backup (slow backup), Raft with lease reads (slow " +
            "follower), the quorum store in ABD mode (slow replica); N = 3 and 5");
        setup.put("faults", "slow: the replica serves its inbound messages one per 1 ms (queued, nothing burned)" +
            (faults.contains("pause") ? "; pause: the replica stops for 50 ms every 200 ms" : "") + ", from " +
            faultFromMs + " ms to " + faultToMs + " ms of the run; the role is resolved when the fault starts");
        setup.put("load", "1 client, open loop at " + (int)RATE + " writes/s (latency from each write's intended " +
            "start), Aeron IPC in one process");
        setup.put("phases", "faults.phases of each run: the timeline's 100 ms intervals added into before / during " +
            "/ after the window (exact histograms)");
        setup.put("runs", "measured " + durationMs + " ms after " + warmupMs + " ms warm-up, " + bench.repeats() +
            " repeat(s) per point" + (bench.quick() ? "; quick: the slow fault only" : ""));
        return new ExperimentReport(name(), topic(), claim(), setup,
            "a write in a chain passes through every replica and in primary-backup waits for every backup's " +
            "acknowledgement, so it waits for the slow one's queue; Raft and the quorum store complete a write once " +
            "a majority has it, and with one slow replica of N >= 3 a majority of fast ones remains.",
            List.of(table.build()), List.of(new Chart("slow replica: write p50 during / before (a stall with no write completed is drawn " +
                "at 10,000x)", "replicas (N)",
                "ratio (x)", series)), verdict(points), bench.commands(), List.of(
                "The rule reads the write p50 under the slow fault and the write p99 under the pause fault: with a " +
                "50 ms pause every 200 ms three writes in four meet no pause, so the median cannot show it.",
                "Real time on a shared machine: the 'after' column is the check on the baseline. Where it stays far " +
                "above 'before' although the fault was cleared, the machine's load moved during the run and the " +
                "ratio is not the fault's alone.",
                "Raft at N = 3 is shown and not judged: the lab found the slow follower can win an election there " +
                "(its inbound queue outgrows the election timeout while its log is current), after which every write " +
                "waits in its queue. The last column shows the role the slow node held when the run ended."),
            (System.nanoTime() - startNs) / 1e9);
    }

    static FaultPhase phase(final RunResult r, final String name)
    {
        final Object phases = r.faults().get("phases");
        if (phases instanceof List<?> list)
        {
            for (final Object o : list)
            {
                if (o instanceof FaultPhase p && p.phase().equals(name))
                {
                    return p;
                }
            }
        }
        throw new IllegalStateException("run has no '" + name + "' fault phase");
    }

    /**
     * @return the write p50 (or p99) before the fault, NaN when no write completed in it (nothing to compare with).
     */
    private static double before(final RunResult r, final boolean p50)
    {
        final FaultPhase p = phase(r, "before");
        return p.writes() == 0 || !covered(p) ? Double.NaN : p50 ? p.writeP50Us() : p.writeP99Us();
    }

    /**
     * @return the write p50 (or p99) during the fault, infinite when no write completed in it (a full stall), NaN
     * when the phase was not measured.
     */
    private static double during(final RunResult r, final boolean p50)
    {
        final FaultPhase p = phase(r, "during");
        if (!covered(p))
        {
            return Double.NaN;
        }
        return p.writes() == 0 ? Double.POSITIVE_INFINITY : p50 ? p.writeP50Us() : p.writeP99Us();
    }

    /**
     * A starved run (a loaded machine: the timeline's intervals stretched, the fault applied a second late) does
     * not measure its phases: the intervals counted into a phase must add up to within half of its length, else
     * the phase's figures are not the phase's.
     */
    static boolean covered(final FaultPhase p)
    {
        final double span = p.toS() - p.fromS();
        return span > 0 && p.measuredS() >= 0.5 * span && p.measuredS() <= 1.5 * span;
    }

    /**
     * @return the role the slowed node held at the end of the run: the node is the one the first fault event hit.
     */
    private static String slowNodeRole(final RunResult r)
    {
        final Object events = r.faults().get("events");
        if (events instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> e &&
            e.get("node") instanceof Number node && r.load() != null)
        {
            for (final NodeLoad l : r.load().nodes())
            {
                if (l.id() == node.intValue())
                {
                    return "node " + l.id() + ": " + l.role();
                }
            }
        }
        return "";
    }

    /**
     * The rule: every protocol that waits for all replicas (chain, primary-backup) shows a during / before ratio
     * above {@link #STALL} at every N and fault; every protocol that waits for a majority (Raft, the quorum store)
     * stays under {@link #UNNOTICED}, except Raft at N = 3, shown as a finding. A majority protocol between the two
     * thresholds, or an all-waiting one that did not stall, does not hold; a point with no write before the fault
     * leaves the verdict undecided.
     */
    static Finding verdict(final List<Point> points)
    {
        final List<String> failed = new ArrayList<>();
        final List<String> unmeasured = new ArrayList<>();
        final StringBuilder seen = new StringBuilder();
        final StringBuilder findings = new StringBuilder();
        for (final Point p : points)
        {
            final String figure = String.format(Locale.ROOT, "%s N=%d %s %.1fx", p.label(), p.n(), p.fault(), p.ratio());
            if (!p.decides())
            {
                findings.append(findings.length() == 0 ? "" : "; ").append(figure)
                    .append(p.holder().isEmpty() ? "" : " (slow " + p.holder() + " at the end)");
                continue;
            }
            seen.append(seen.length() == 0 ? "" : ", ").append(figure);
            if (Double.isNaN(p.ratio()))
            {
                unmeasured.add(figure);
            }
            else if (p.waitsForAll() && !(p.ratio() > STALL))
            {
                failed.add(figure + ": did not stall (needs > " + fmt(STALL) + "x)");
            }
            else if (!p.waitsForAll() && !(p.ratio() < UNNOTICED))
            {
                failed.add(figure + ": a majority protocol slowed down (needs < " + fmt(UNNOTICED) + "x)");
            }
        }
        final String tail = findings.length() == 0 ? "" : " Outside the rule, Raft at N = 3: " + findings + ".";
        final String figures = "during / before: " + seen;
        if (seen.length() == 0)
        {
            return Finding.undecided("no point the rule decides on was measured." + tail);
        }
        if (!failed.isEmpty())
        {
            return Finding.doesNotHold(String.join("; ", failed) + " (" + figures + ")." + tail);
        }
        if (!unmeasured.isEmpty())
        {
            return Finding.undecided(String.join(", ", unmeasured) + ": no write completed before the fault, or " +
                "the run was starved (its timeline did not cover a phase), so there was nothing to compare with (" +
                figures + ")." + tail);
        }
        return Finding.holds(figures + "." + tail);
    }

    private static String fmt(final double v)
    {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
