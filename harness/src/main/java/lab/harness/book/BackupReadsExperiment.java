package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.cluster.Torture;
import lab.harness.cluster.TortureMatrix;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;

/**
 * Why clients should not read from a backup: a backup answers from what it has applied, which lags the primary (a
 * stale read) and, after a failover, may hold a write the new primary never had. Reads at the primary (under its
 * lease) are the comparison.
 */
final class BackupReadsExperiment implements Experiment
{
    private static final int N = 3;

    public String name()
    {
        return "backup-reads";
    }

    public String topic()
    {
        return "primary-backup";
    }

    public String claim()
    {
        return "Reading from a primary-backup backup is not safe: it returns stale values under load and uneven " +
            "links, and breaks linearizability under faults, where reads at the primary do neither.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "40 s" : "3 min";
    }

    /**
     * @param where    "primary" or "backup".
     * @param setting  where it ran.
     * @param reads    reads measured.
     * @param stale    stale reads among them.
     */
    record Point(String where, String setting, long reads, long stale)
    {
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final long durationMs = bench.quick() ? 1500 : 4000;
        final Table.Builder table = Table.titled("stale reads, N = " + N + ", 50% reads over 20 keys", "reads at",
            "setting", "reads", "stale reads", "stale rate", "read p50 (us)");
        final List<Point> points = new ArrayList<>();
        for (final String where : List.of("primary", "backup"))
        {
            final Variant v = Variant.PRIMARY_BACKUP.with("pb-reads", where);
            for (final String setting : List.of("Aeron IPC, 4 clients x 8 in flight",
                "simulator, links 100 us + jitter up to 1 ms, 2% loss"))
            {
                final boolean sim = setting.startsWith("simulator");
                final List<RunResult> runs = bench.repeat("pb-reads-" + where + (sim ? "-sim" : "-ipc"), seed ->
                {
                    final RunConfig.Builder c = v.config(N, 0.5, 4, 8, durationMs, 500, seed).toBuilder();
                    c.workload(new Workload(0.5, 20, "uniform", 0.99, 64));
                    c.staleReads(true);
                    if (sim)
                    {
                        c.transport("sim");
                        c.sim(new SimConfig().latency(TimeUnit.MICROSECONDS.toNanos(100),
                            TimeUnit.MICROSECONDS.toNanos(1000)).loss(0.02));
                    }
                    return c.build();
                });
                long reads = 0;
                long stale = 0;
                for (final RunResult r : runs)
                {
                    final Map<?, ?> s = (Map<?, ?>)r.protocolStats().get("stale_reads");
                    reads += ((Number)s.get("reads")).longValue();
                    stale += ((Number)s.get("stale")).longValue();
                }
                points.add(new Point(where, setting, reads, stale));
                table.row(where, setting, reads, stale, String.format(Locale.ROOT, "%.4f%%",
                    reads == 0 ? 0 : 100.0 * stale / reads),
                    Bench.spread(runs, r -> HopsExperiment.p50Us(r.reads())).format("%.0f"));
            }
        }
        // Under faults: the torture's crashes, partitions and drift, checked as if the weak mode were strong.
        final int seeds = bench.quick() ? 10 : 100;
        final Table.Builder torture = Table.titled("torture, " + N + " replicas, " + seeds + " seeds, checked for " +
            "linearizability", "reads at", "seeds", "passed", "first failure");
        final Map<String, Integer> failures = new LinkedHashMap<>();
        for (final String where : List.of("primary", "backup"))
        {
            final TortureMatrix.Cell cell = new TortureMatrix.Cell("primary-backup", N, Map.of("pb-reads", where),
                Torture.DEFAULT_CLOCK_DRIFT_PPM);
            final List<Torture.Outcome> outcomes = TortureMatrix.runSeeds(() -> cell.torture(
                TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1), Torture.FaultKind.defaults()).checkAsStrong(),
                bench.seed(), seeds, 1);
            int passed = 0;
            String first = "-";
            for (final Torture.Outcome o : outcomes)
            {
                if (o.passed())
                {
                    passed++;
                }
                else if ("-".equals(first))
                {
                    first = "seed " + o.seed() + ": " + (o.problem().length() > 120 ? o.problem().substring(0, 117) +
                        "..." : o.problem());
                }
            }
            failures.put(where, seeds - passed);
            bench.log("torture pb-reads=%s: %d/%d passed", where, passed, seeds);
            torture.row(where, seeds, passed, first);
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("protocol", "primary-backup, N = " + N + ", pb-reads=primary (lease reads) against pb-reads=backup");
        setup.put("workload", "50% reads over 20 keys, 64-byte values");
        setup.put("runs", "measured " + durationMs + " ms after 500 ms warm-up, " + bench.repeats() + " repeat(s)");
        setup.put("torture", seeds + " seeds per mode, faults " +
            Torture.FaultKind.format(Torture.FaultKind.defaults()) + ", both checked for linearizability");
        return new ExperimentReport(name(), topic(), claim(), setup,
            "a backup applies an entry when it arrives and learns of the commit later; a read there sees neither the " +
            "primary's newest acknowledged write (if this backup lags) nor only committed ones (if the primary " +
            "dies before committing what it sent).",
            List.of(table.build(), torture.build()), List.of(), verdict(points, failures), bench.commands(), List.of(
                "pb-reads=backup is a weak mode kept for this experiment; the lab warns when it is used."),
            (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * The rule: reads at the primary are never stale and pass the torture; reads at a backup show stale reads or fail
     * the torture (else this run could not show the danger: undecided).
     */
    static Finding verdict(final List<Point> points, final Map<String, Integer> tortureFailures)
    {
        long primaryStale = 0;
        long backupStale = 0;
        for (final Point p : points)
        {
            if ("primary".equals(p.where()))
            {
                primaryStale += p.stale();
            }
            else
            {
                backupStale += p.stale();
            }
        }
        final int primaryFailed = tortureFailures.getOrDefault("primary", 0);
        final int backupFailed = tortureFailures.getOrDefault("backup", 0);
        final String figures = String.format(Locale.ROOT, "stale reads: %d at the primary, %d at backups; torture " +
            "seeds failed: %d at the primary, %d at backups", primaryStale, backupStale, primaryFailed, backupFailed);
        if (primaryStale > 0 || primaryFailed > 0)
        {
            return Finding.doesNotHold(figures + ": reads at the primary were not safe either.");
        }
        if (backupStale == 0 && backupFailed == 0)
        {
            return Finding.undecided(figures + ": this run did not show backup reads going wrong.");
        }
        return Finding.holds(figures + ".");
    }
}
