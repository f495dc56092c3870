package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.core.HopTheory;
import lab.harness.aeron.LinkEmulator;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;

/**
 * Hops and latency per protocol as N grows, under an emulated link delay: each message on the critical path costs
 * one link delay, so the latency of an operation is about hops x delay, and the chain's write path (N + 1 hops,
 * client to head, down the chain, tail to client) grows with N where primary-backup's (4: client, primary,
 * backups in parallel, primary, client) does not.
 */
final class HopsExperiment implements Experiment
{
    /** Measured mean hops this close to the theory's count match it (retransmits and redirects add a little). */
    static final double HOP_TOLERANCE = 0.1;

    private static final List<Variant> VARIANTS = List.of(Variant.PRIMARY_BACKUP, Variant.CHAIN, Variant.CRAQ,
        Variant.RAFT_LEASE, Variant.RAFT_READ_INDEX, Variant.DYNAMO, Variant.ABD);

    public String name()
    {
        return "hops";
    }

    public String topic()
    {
        return "primary-backup and chain replication; quorums; Raft";
    }

    public String claim()
    {
        return "An operation costs its protocol's hop count in link delays (PB 4 writes / 2 reads, chain N+1 / 2, " +
            "CRAQ clean reads 2, Raft 4 / lease 2 / ReadIndex 4, Dynamo 2 / 2, ABD 4 / 4), so RTT(CR) grows with N " +
            "and exceeds RTT(PB) where PB's stays flat.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "40 s" : "5 min";
    }

    static long delayUs(final boolean quick)
    {
        return 500;
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final int[] replicas = bench.quick() ? new int[] {3, 5} : new int[] {3, 5, 7};
        final long delayNs = TimeUnit.MICROSECONDS.toNanos(delayUs(bench.quick()));
        final long durationMs = bench.quick() ? 1000 : 3000;
        final long warmupMs = bench.quick() ? 500 : 1000;
        final Table.Builder table = Table.of("protocol", "N", "write hops theory", "write hops measured",
            "read hops theory", "read hops measured", "write p50 (us)", "read p50 (us)", "write p50 / (hops x delay)");
        final Map<String, List<double[]>> writeCurves = new LinkedHashMap<>();
        final Map<String, Double> writeP50 = new LinkedHashMap<>();
        final List<String> mismatches = new ArrayList<>();
        for (final Variant v : VARIANTS)
        {
            for (final int n : replicas)
            {
                final List<RunResult> runs = bench.repeat(v.key(n), seed ->
                {
                    final RunConfig.Builder c = v.config(n, 0.5, 1, 1, durationMs, warmupMs, seed).toBuilder();
                    c.link(new LinkEmulator.Settings(delayNs, 0, 0));
                    return c.build();
                });
                final HopTheory theory = runs.get(0).theory();
                final Spread writeHops = Bench.spread(runs, r -> r.writes().meanHops());
                final Spread readHops = Bench.spread(runs, r -> r.reads().meanHops());
                final Spread wP50 = Bench.spread(runs, r -> p50Us(r.writes()));
                final Spread rP50 = Bench.spread(runs, r -> p50Us(r.reads()));
                if (!matches(writeHops.median(), theory.writeHops()) || !matches(readHops.median(), theory.readHops()))
                {
                    mismatches.add(String.format(Locale.ROOT, "%s N=%d: writes %.2f (theory %d), reads %.2f (theory %d)",
                        v.label(), n, writeHops.median(), theory.writeHops(), readHops.median(), theory.readHops()));
                }
                table.row(v.label(), n, theory.writeHops(), writeHops.format("%.2f"), theory.readHops(),
                    readHops.format("%.2f"), wP50.format("%.0f"), rP50.format("%.0f"),
                    String.format(Locale.ROOT, "%.2f", wP50.median() / (theory.writeHops() * delayNs / 1e3)));
                writeCurves.computeIfAbsent(v.label(), k -> new ArrayList<>()).add(new double[] {n, wP50.median()});
                writeP50.put(v.label() + "@" + n, wP50.median());
            }
        }
        final List<Chart.Series> series = new ArrayList<>();
        writeCurves.forEach((label, points) -> series.add(new Chart.Series(label, points, false)));
        final Chart chart = new Chart("write p50 against N, one-way link delay " + delayUs(bench.quick()) + " us",
            "replicas (N)", "write p50 (us)", series);
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("transport", "Aeron IPC, one process, every node on one thread");
        setup.put("link", "emulated one-way delay " + delayUs(bench.quick()) + " us on every link (the lab's receive-edge stage)");
        setup.put("load", "1 client, 1 operation in flight (closed loop): no queueing, latency is the path");
        setup.put("workload", "50% reads, 10,000 keys uniform, 64-byte values");
        setup.put("replicas", java.util.Arrays.toString(replicas));
        setup.put("runs", "measured " + durationMs + " ms after " + warmupMs + " ms warm-up, " + bench.repeats() +
            " repeat(s) per point, seeds from " + bench.seed());
        final Finding finding = verdict(mismatches, writeP50, replicas);
        return new ExperimentReport(name(), topic(), claim(), setup,
            "latency = hops x one-way delay + the nodes' service time (tens of microseconds here); hop counts from " +
            "each protocol's HopTheory (README's table). Chain writes: N + 1 hops; PB writes: 4 at every N.",
            List.of(table.build()), List.of(chart), finding, bench.commands(), List.of(
                "Each node's handlers share one thread, so a point's service time is every node's, not one node's; " +
                "at " + delayUs(bench.quick()) + " us per hop it is a small part of the latency."),
            (System.nanoTime() - startNs) / 1e9);
    }

    static boolean matches(final double measured, final int theory)
    {
        return Math.abs(measured - theory) <= HOP_TOLERANCE;
    }

    /**
     * The rule: every measured hop count matches its theory, and the chain's write latency over PB's grows with N and
     * is above 1 at the largest N.
     */
    static Finding verdict(final List<String> mismatches, final Map<String, Double> writeP50, final int[] replicas)
    {
        if (!mismatches.isEmpty())
        {
            return Finding.doesNotHold("measured hops differ from the theory by more than " + HOP_TOLERANCE + ": " +
                String.join("; ", mismatches));
        }
        final StringBuilder ratios = new StringBuilder();
        double previous = 0;
        boolean grows = true;
        double last = 0;
        for (final int n : replicas)
        {
            final double ratio = writeP50.get("chain@" + n) / writeP50.get("primary-backup@" + n);
            ratios.append(String.format(Locale.ROOT, "%sN=%d %.2f", ratios.length() == 0 ? "" : ", ", n, ratio));
            grows &= ratio > previous;
            previous = ratio;
            last = ratio;
        }
        if (grows && last > 1)
        {
            return Finding.holds("every hop count matches its theory (within " + HOP_TOLERANCE + "), and chain/PB " +
                "write p50 grows with N: " + ratios + ".");
        }
        return Finding.doesNotHold("hop counts match, but chain/PB write p50 does not grow with N above 1: " + ratios);
    }

    static double p50Us(final lab.harness.metrics.OpStats stats)
    {
        return stats.count() == 0 ? Double.NaN : stats.latencyNs().getValueAtPercentile(50) / 1e3;
    }
}
