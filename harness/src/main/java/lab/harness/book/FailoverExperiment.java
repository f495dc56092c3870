package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.FaultSchedule;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;

/**
 * Failover time against the failure detector's timeout: a crashed leader is noticed only when its silence outlasts
 * the timeout, so writes stop for at least that long, then for the election or reconfiguration and the clients'
 * retry. A shorter timeout fails over faster (and, under pauses and jitter, suspects healthy nodes more often: the
 * detectors experiment measures that side).
 */
final class FailoverExperiment implements Experiment
{
    private static final long CRASH_AT_MS = 2000;

    /**
     * A protocol, the role its crash hits, and the option that sets its detector's timeout (with the options that
     * must scale with it).
     */
    private record Subject(Variant variant, String role, String timeoutOption, Map<String, Double> scaled)
    {
    }

    private static final List<Subject> SUBJECTS = List.of(
        new Subject(Variant.PRIMARY_BACKUP, "primary", "pb-primary-timeout", Map.of("pb-backup-timeout", 2.0 / 3)),
        new Subject(Variant.RAFT_LEASE, "leader", "raft-election-timeout", Map.of()),
        new Subject(Variant.CHAIN, "head", "chain-failure-timeout", Map.of()));

    public String name()
    {
        return "failover";
    }

    public String topic()
    {
        return "failure detection; primary-backup; Raft; chain replication";
    }

    public String claim()
    {
        return "Failover takes at least the failure detector's timeout: writes stop for the timeout plus the " +
            "election or reconfiguration and the clients' retry, so halving the timeout shortens the outage.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "1 min" : "4 min";
    }

    /**
     * @param label       protocol.
     * @param timeoutMs   the detector's timeout.
     * @param unavailable the measured write outage after the crash, median over repeats (ms).
     */
    record Point(String label, long timeoutMs, double unavailable)
    {
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final long[] timeouts = {150, 300, 600};
        final long durationMs = bench.quick() ? 3000 : 5000;
        final Table.Builder table = Table.titled("crash at " + CRASH_AT_MS / 1000.0 + " s, N = 3, writes only",
            "protocol", "crashed", "timeout (ms)", "unavailability (ms)", "unavailability - timeout (ms)",
            "time to a new role holder (ms)");
        final List<Point> points = new ArrayList<>();
        final Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (final Subject s : SUBJECTS)
        {
            for (final long t : timeouts)
            {
                Variant v = s.variant().with(s.timeoutOption(), t + "ms");
                for (final Map.Entry<String, Double> e : s.scaled().entrySet())
                {
                    v = v.with(e.getKey(), Math.round(t * e.getValue()) + "ms");
                }
                final Variant variant = v;
                final List<RunResult> runs = bench.repeat(s.variant().key(3) + "-timeout-" + t, seed ->
                {
                    final RunConfig.Builder c = variant.config(3, 0, 2, 4, durationMs, 1000, seed).toBuilder();
                    c.faults(FaultSchedule.parse("crash:" + s.role() + "@" + CRASH_AT_MS + "ms"));
                    return c.build();
                });
                final Spread outage = Bench.spread(runs, r -> number(r.faults().get("unavailability_ms")));
                final Spread newHolder = Bench.spread(runs, r -> number(r.faults().get("time_to_new_role_holder_ms")));
                points.add(new Point(s.variant().label(), t, outage.median()));
                curves.computeIfAbsent(s.variant().label(), k -> new ArrayList<>()).add(new double[] {t, outage.median()});
                table.row(s.variant().label(), s.role(), t, outage.format("%.0f"),
                    String.format(Locale.ROOT, "%.0f", outage.median() - t), newHolder.format("%.0f"));
            }
        }
        final List<Chart.Series> series = new ArrayList<>();
        curves.forEach((label, pts) -> series.add(new Chart.Series(label, pts, false)));
        series.add(new Chart.Series("the timeout itself (the floor)",
            List.of(new double[] {timeouts[0], timeouts[0]}, new double[] {timeouts[timeouts.length - 1],
                timeouts[timeouts.length - 1]}), false));
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("fault", "crash of the primary / leader / head at " + CRASH_AT_MS + " ms (warm-up included), no restart");
        setup.put("load", "2 clients x 4 writes in flight (closed loop), Aeron IPC in one process");
        setup.put("timeouts", "PB pb-primary-timeout (pb-backup-timeout at 2/3 of it), Raft raft-election-timeout " +
            "(randomized in [t, 2t)), chain chain-failure-timeout; client options at their defaults (retry 200 ms)");
        setup.put("unavailability", "from the crash until writes resume at their pre-fault pace");
        setup.put("runs", "measured " + durationMs + " ms after 1000 ms warm-up, " + bench.repeats() + " repeat(s)");
        return new ExperimentReport(name(), topic(), claim(), setup,
            "outage = detection (>= the timeout; Raft's is randomized up to 2x) + election or reconfiguration " +
            "(a few RTTs) + the clients' retry after their request timed out (up to client-retry).",
            List.of(table.build()), List.of(new Chart("write outage against the detector's timeout", "timeout (ms)",
                "unavailability (ms)", series)), verdict(points, timeouts), bench.commands(), List.of(
                "Clients retry every 200 ms by default, so the outage is quantized by the retry: part of the " +
                "difference between the outage and the timeout is the client, not the protocol."),
            (System.nanoTime() - startNs) / 1e9);
    }

    private static double number(final Object value)
    {
        return value instanceof Number ? ((Number)value).doubleValue() : Double.NaN;
    }

    /**
     * The rule, per protocol: the outage is at least the timeout at every timeout, and it grows from the smallest
     * timeout to the largest.
     */
    static Finding verdict(final List<Point> points, final long[] timeouts)
    {
        final Map<String, List<Point>> by = new LinkedHashMap<>();
        points.forEach(p -> by.computeIfAbsent(p.label(), k -> new ArrayList<>()).add(p));
        final List<String> failed = new ArrayList<>();
        final StringBuilder seen = new StringBuilder();
        for (final Map.Entry<String, List<Point>> e : by.entrySet())
        {
            final List<Point> ps = e.getValue();
            seen.append(seen.length() == 0 ? "" : "; ").append(e.getKey()).append(':');
            for (final Point p : ps)
            {
                seen.append(String.format(Locale.ROOT, " %d->%.0f", p.timeoutMs(), p.unavailable()));
                if (!(p.unavailable() >= p.timeoutMs()))
                {
                    failed.add(String.format(Locale.ROOT, "%s failed over in %.0f ms, under its %d ms timeout",
                        e.getKey(), p.unavailable(), p.timeoutMs()));
                }
            }
            if (!(ps.get(ps.size() - 1).unavailable() > ps.get(0).unavailable()))
            {
                failed.add(e.getKey() + "'s outage did not grow from timeout " + timeouts[0] + " to " +
                    timeouts[timeouts.length - 1] + " ms");
            }
        }
        final String figures = "timeout (ms) -> outage (ms): " + seen;
        return failed.isEmpty() ? Finding.holds(figures + ".") :
            Finding.doesNotHold(String.join("; ", failed) + " (" + figures + ")");
    }
}
