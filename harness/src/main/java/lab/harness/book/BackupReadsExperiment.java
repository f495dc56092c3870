package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.FaultSchedule;
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
    private static final long WARMUP_MS = 500;

    /**
     * Where the reads ran: a quiet cluster, uneven links, and a lagging backup (node 1; node 0 is the primary the
     * cluster starts with). A fault holds over the middle half of the measured window.
     *
     * @param key         in the runs' file names.
     * @param description in the table.
     * @param sim         on the simulator (else Aeron IPC in one process).
     * @param fault       the fault's pattern: {@code %1$s} its start, {@code %2$s} its end (ms); "" for none.
     */
    record Setting(String key, String description, boolean sim, String fault)
    {
        String fault(final long[] window)
        {
            return String.format(java.util.Locale.ROOT, fault, window[0] + "ms", window[1] + "ms");
        }
    }

    static final List<Setting> SETTINGS = List.of(
        new Setting("ipc", "Aeron IPC, 4 clients x 8 in flight", false, ""),
        new Setting("sim", "simulator, links 100 us + jitter up to 1 ms, 2% loss", true, ""),
        // A slow backup does not lag: the primary acknowledges a write only once every in-sync backup has it, so
        // writes wait for the slow one instead (the slow-replica experiment).
        new Setting("slow-backup", "Aeron IPC, backup node 1 slowed to 1 ms a message (slow:)", false,
            "slow:node1=1ms@%1$s,clear:node1@%2$s"),
        // A backup the primary cannot reach is dropped from the in-sync set, so writes go on without it, while the
        // clients still reach it: it lags further with every write and answers reads from what it has.
        new Setting("cut-backup", "Aeron IPC, backup node 1 cut off from the primary, not from clients (partition)",
            false, "partition:node0+node2|node1@%1$s,heal@%2$s"));

    /**
     * @return the fault's start and end (ms from the start of the run): the middle half of the measured window.
     */
    private static long[] faultWindow(final long durationMs)
    {
        return new long[] {WARMUP_MS + durationMs / 4, WARMUP_MS + 3 * durationMs / 4};
    }

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
        return "Reading from a primary-backup backup is not safe: a backup that lags (cut off from the primary but " +
            "not from clients) returns stale values, and backup reads break linearizability under faults, where " +
            "reads at the primary do neither.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "1 min" : "4 min";
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
            for (final Setting setting : SETTINGS)
            {
                final List<RunResult> runs = bench.repeat("pb-reads-" + where + "-" + setting.key(), seed ->
                {
                    final RunConfig.Builder c = v.config(N, 0.5, 4, 8, durationMs, WARMUP_MS, seed).toBuilder();
                    c.workload(new Workload(0.5, 20, "uniform", 0.99, 64));
                    c.staleReads(true);
                    if (setting.sim())
                    {
                        c.transport("sim");
                        c.sim(new SimConfig().latency(TimeUnit.MICROSECONDS.toNanos(100),
                            TimeUnit.MICROSECONDS.toNanos(1000)).loss(0.02));
                    }
                    if (!setting.fault().isEmpty())
                    {
                        c.faults(FaultSchedule.parse(setting.fault(faultWindow(durationMs))));
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
                points.add(new Point(where, setting.description(), reads, stale));
                table.row(where, setting.description(), reads, stale, String.format(Locale.ROOT, "%.4f%%",
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
        final long[] window = faultWindow(durationMs);
        setup.put("lagging backup", "from " + window[0] + " ms to " + window[1] + " ms of the run (warm-up " +
            "included): backup node 1 slowed to serve one message per 1 ms, or cut off from primary node 0 and " +
            "backup node 2 while clients still reach it (healed at the end of the window)");
        setup.put("runs", "measured " + durationMs + " ms after " + WARMUP_MS + " ms warm-up, " + bench.repeats() +
            " repeat(s)");
        setup.put("torture", seeds + " seeds per mode, faults " +
            Torture.FaultKind.format(Torture.FaultKind.defaults()) + ", both checked for linearizability");
        return new ExperimentReport(name(), topic(), claim(), setup,
            "a backup applies an entry when it arrives and learns of the commit later; a read there sees neither the " +
            "primary's newest acknowledged write (if this backup lags) nor only committed ones (if the primary " +
            "dies before committing what it sent). Without faults a backup applies an entry before the primary " +
            "acknowledges it, so it is not behind; one the primary cannot reach is dropped from the in-sync set and " +
            "falls behind with every write, while it still answers clients.",
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
        final StringBuilder bySetting = new StringBuilder();
        for (final Point p : points)
        {
            if ("primary".equals(p.where()))
            {
                primaryStale += p.stale();
            }
            else
            {
                backupStale += p.stale();
                bySetting.append(bySetting.length() == 0 ? " (" : "; ").append(p.stale()).append(" of ")
                    .append(p.reads()).append(": ").append(p.setting());
            }
        }
        if (bySetting.length() > 0)
        {
            bySetting.append(')');
        }
        final int primaryFailed = tortureFailures.getOrDefault("primary", 0);
        final int backupFailed = tortureFailures.getOrDefault("backup", 0);
        final String figures = String.format(Locale.ROOT, "stale reads: %d at the primary, %d at backups; torture " +
            "seeds failed: %d at the primary, %d at backups", primaryStale, backupStale, primaryFailed, backupFailed)
            .replace(" at backups;", " at backups" + bySetting + ";");
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
