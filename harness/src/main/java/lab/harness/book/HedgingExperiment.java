package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.core.client.ClientPolicy;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.sim.SimConfig;

/**
 * Tail-tolerant reads: a read that also asks another replica (at once, or after a hedge delay) completes with the
 * faster answer, so one slow replica stops setting the read tail; each extra copy is load. Measured on the simulator
 * (exact for its seed) for the two stores that can hedge: the quorum store in ABD mode and CRAQ.
 */
final class HedgingExperiment implements Experiment
{
    private static final int N = 3;
    /** The replica slowed in the "slow" condition, and by how much (every message into it). */
    private static final int SLOW_NODE = 1;
    private static final long SLOW_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** A tail at least this many times another policy's is one redundancy can be said to cut. */
    static final double TAIL_FACTOR = 2;
    /** Messages per operation within this fraction count as the same load. */
    static final double SAME_LOAD = 0.02;

    /**
     * How a client reads: its options. A new policy is one more line in {@link #POLICIES}. "tied" sends the read to
     * two replicas at once, each told of the other; in the lab's slow-node models the cancel waits in the slow
     * replica's queue behind the copy it would cancel, so tied reads measure as two copies (see README).
     */
    record Policy(String label, Map<String, String> options)
    {
    }

    static final List<Policy> POLICIES = List.of(
        new Policy("off", Map.of()),
        new Policy("hedge p50", Map.of(ClientPolicy.HEDGE, "p50")),
        new Policy("hedge 300us", Map.of(ClientPolicy.HEDGE, "300us")),
        new Policy("tied", Map.of(ClientPolicy.TIED, "true")));

    static final List<Variant> STORES = List.of(Variant.ABD, Variant.CRAQ);

    public String name()
    {
        return "hedging";
    }

    public String topic()
    {
        return "tail latency: hedged and tied requests";
    }

    public String claim()
    {
        return "Redundant reads (hedged after a delay, tied, or asking every replica at once) cut the read tail that one " +
            "slow replica causes, at the cost of extra messages.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "25 s" : "2 min";
    }

    /**
     * @param store      abd or craq.
     * @param policy     the read policy's label.
     * @param slow       with the slow replica.
     * @param msgsPerOp  messages per operation (median over repeats).
     * @param readP99Us  read p99 (median over repeats).
     */
    record Point(String store, String policy, boolean slow, double msgsPerOp, double readP99Us)
    {
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final long durationMs = bench.quick() ? 1000 : 2000;
        final long warmupMs = 400;
        final Table.Builder table = Table.titled("N = " + N + ", 4 clients x 1 in flight, 50% reads", "store",
            "read policy", "condition", "msgs/op", "copies/read", "read p50 (us)", "read p99 (us)", "read p99.9 (us)");
        final List<Point> points = new ArrayList<>();
        final Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (final Variant store : STORES)
        {
            for (final boolean slow : new boolean[] {false, true})
            {
                for (final Policy policy : POLICIES)
                {
                    Variant v = store;
                    for (final Map.Entry<String, String> o : policy.options().entrySet())
                    {
                        v = v.with(o.getKey(), o.getValue());
                    }
                    final Variant variant = v;
                    final String label = store.key(N) + "-" + policy.label().replace(' ', '-') + (slow ? "-slow" : "");
                    final List<RunResult> runs = bench.repeat(label, seed ->
                    {
                        final RunConfig.Builder c = variant.config(N, 0.5, 4, 1, durationMs, warmupMs, seed).toBuilder();
                        c.transport("sim");
                        c.sim(slow ? new SimConfig().slowNode(SLOW_NODE, SLOW_NS) : new SimConfig());
                        return c.build();
                    });
                    final Spread msgs = Bench.spread(runs, RunResult::messagesPerOp);
                    final Spread copies = Bench.spread(runs, HedgingExperiment::copiesPerRead);
                    final Spread p50 = Bench.spread(runs, r -> percentileUs(r, 50));
                    final Spread p99 = Bench.spread(runs, r -> percentileUs(r, 99));
                    final Spread p999 = Bench.spread(runs, r -> percentileUs(r, 99.9));
                    final Point p = new Point(store.label(), policy.label(), slow, msgs.median(), p99.median());
                    points.add(p);
                    if (slow)
                    {
                        curves.computeIfAbsent(store.label(), k -> new ArrayList<>())
                            .add(new double[] {p.msgsPerOp(), p.readP99Us()});
                    }
                    table.row(store.label(), policy.label(), slow ? "replica " + SLOW_NODE + " slow" : "quiet",
                        msgs.format("%.2f"), Double.isNaN(copies.median()) ? "-" : copies.format("%.3f"),
                        p50.format("%.0f"), p99.format("%.0f"), p999.format("%.0f"));
                }
            }
        }
        final List<Chart.Series> series = new ArrayList<>();
        curves.forEach((label, pts) ->
        {
            final List<double[]> sorted = new ArrayList<>(pts);
            sorted.sort((a, b) -> Double.compare(a[0], b[0]));
            series.add(new Chart.Series(label + " (slow replica)", sorted, false));
        });
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("stores", "the quorum store in ABD mode (client-coordinated; off = a read phase asks all N; a hedge " +
            "asks the first r homes and one more at the hedge time) and CRAQ (off = one node; a hedge asks another " +
            "unsuspected node), N = " + N);
        setup.put("read policies", "off; hedge p50 (after the running median of the last 512 reads); hedge 300us " +
            "(fixed, just above the quiet round trip); no hedge before 20 reads");
        setup.put("transport", "the simulator (deterministic, seeded): links 50 us + up to 10 us jitter; slow: every " +
            "message into replica " + SLOW_NODE + " arrives " + TimeUnit.NANOSECONDS.toMillis(SLOW_NS) + " ms late " +
            "(--sim-slow " + SLOW_NODE + "=" + TimeUnit.NANOSECONDS.toMillis(SLOW_NS) + "ms); hedge timers fire on the " +
            "client's 100 us tick");
        setup.put("load", "4 clients x 1 operation in flight (closed loop), 50% reads over 10,000 keys");
        setup.put("runs", "measured " + durationMs + " ms of simulated time after " + warmupMs + " ms warm-up, " +
            bench.repeats() + " repeat(s) per point");
        return new ExperimentReport(name(), topic(), claim(), setup,
            "a read waits for the slowest of the replicas it needs; asking one more than it needs makes it wait for " +
            "the fastest of those instead, for one request (and reply) more. Asked at once, every read pays the " +
            "copy; hedged after a delay d, only reads slower than d do, and a read to the slow replica still waits " +
            "d before the copy goes: d should sit just above the quiet round trip.",
            List.of(table.build()), List.of(new Chart("read p99 against messages per operation, one slow replica",
                "messages per operation", "read p99 (us)", series)), verdict(points), bench.commands(), List.of(
                "For ABD 'off' asks every replica at once: it is the most redundant read, so a hedge there saves " +
                "messages and can only lose tail. A fixed hedge just above the quiet round trip keeps most of the " +
                "tail benefit; a percentile hedge learns the slow replica's latency once it serves more reads than " +
                "the percentile's tail (replica " + SLOW_NODE + " is among ABD's first r homes for two keys in three), " +
                "so it hedges too late.",
                "The simulator is exact for a seed: no machine noise in these figures."),
            (System.nanoTime() - startNs) / 1e9);
    }

    private static double copiesPerRead(final RunResult r)
    {
        final Object h = r.protocolStats().get("hedging");
        return h instanceof Map<?, ?> m && m.get("copies_per_read") instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double percentileUs(final RunResult r, final double percentile)
    {
        return r.reads().count() == 0 ? Double.NaN :
            r.reads().latencyNs().getValueAtPercentile(percentile) / 1e3;
    }

    /**
     * The rule, per store, with the slow replica: the policy with the lowest read p99 sends at least as many
     * messages per operation (within {@link #SAME_LOAD}) as the one with the highest, and the highest is at least
     * {@link #TAIL_FACTOR} times the lowest. The best tail with fewer messages does not hold (redundancy bought
     * nothing); tails within the factor are undecided (the slow replica made no tail to cut).
     */
    static Finding verdict(final List<Point> points)
    {
        final Map<String, List<Point>> by = new LinkedHashMap<>();
        points.stream().filter(Point::slow).forEach(p -> by.computeIfAbsent(p.store(), k -> new ArrayList<>()).add(p));
        final List<String> wrong = new ArrayList<>();
        final List<String> flat = new ArrayList<>();
        final StringBuilder seen = new StringBuilder();
        for (final Map.Entry<String, List<Point>> e : by.entrySet())
        {
            Point best = null;
            Point worst = null;
            for (final Point p : e.getValue())
            {
                best = best == null || p.readP99Us() < best.readP99Us() ? p : best;
                worst = worst == null || p.readP99Us() > worst.readP99Us() ? p : worst;
            }
            final String figures = String.format(Locale.ROOT, "%s: best tail %s (p99 %.0f us, %.2f msgs/op), worst " +
                "%s (p99 %.0f us, %.2f msgs/op)", e.getKey(), best.policy(), best.readP99Us(), best.msgsPerOp(),
                worst.policy(), worst.readP99Us(), worst.msgsPerOp());
            seen.append(seen.length() == 0 ? "" : "; ").append(figures);
            if (!(worst.readP99Us() >= TAIL_FACTOR * best.readP99Us()))
            {
                flat.add(e.getKey());
            }
            else if (best.msgsPerOp() < worst.msgsPerOp() * (1 - SAME_LOAD))
            {
                wrong.add(e.getKey() + "'s best tail came with fewer messages");
            }
        }
        if (!wrong.isEmpty())
        {
            return Finding.doesNotHold(String.join("; ", wrong) + " (" + seen + ").");
        }
        if (by.isEmpty())
        {
            return Finding.undecided("no run with the slow replica was measured.");
        }
        if (!flat.isEmpty())
        {
            return Finding.undecided(seen + ": for " + String.join(", ", flat) + " every policy's read p99 was within " +
                "x" + (int)TAIL_FACTOR + " of the others, so there was no tail for redundancy to cut.");
        }
        return Finding.holds(seen + ".");
    }
}
