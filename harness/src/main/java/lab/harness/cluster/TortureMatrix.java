package lab.harness.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Protocols;

/**
 * The torture matrix ({@code lab torture --matrix}): every strong (linearizable) mode of every protocol at 3, 5 and 7
 * replicas, and at 3 replicas each option that changes a protocol's rules turned off or set at the edge its
 * {@code validate()} allows, plus clock drift close to the lease bound. Each cell is a {@link Torture} run over the
 * same seeds; a cell that its factory rejects or that is not a strong mode is a mistake in this list, and
 * {@link #cells()} says so rather than skip it.
 */
public final class TortureMatrix
{
    /**
     * Drift close to (about 85% of) the tightest lease bound: primary-backup's and Raft's default lease of
     * {@code 150ms - 20ms} holds while {@code (1 + d) / (1 - d) <= 150 / 130}, i.e. d up to about 71,000 ppm
     * (chain's {@code 150ms - 30ms}: 111,000). See {@link Torture#maxClockDriftPpm}.
     */
    public static final long HIGH_DRIFT_WITHIN_BOUND_PPM = 60_000;

    /**
     * A client retry timeout (option {@code client-retry}, read by every protocol's client) shorter than the
     * window in which a lease could outlive its holder's role, so that a split can show such a lease.
     */
    public static final String FAST_CLIENT_RETRY = "5ms";

    /**
     * One configuration under torture.
     *
     * @param protocol      protocol name.
     * @param replicas      replica count.
     * @param options       protocol options.
     * @param clockDriftPpm the schedule's clock drift bound.
     */
    public record Cell(String protocol, int replicas, Map<String, String> options, long clockDriftPpm)
    {
        public Cell
        {
            options = java.util.Collections.unmodifiableMap(new TreeMap<>(options));
        }

        public String name()
        {
            final StringBuilder sb = new StringBuilder(protocol).append(" n=").append(replicas);
            options.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            if (clockDriftPpm != Torture.DEFAULT_CLOCK_DRIFT_PPM)
            {
                sb.append(" drift=").append(clockDriftPpm).append("ppm");
            }
            return sb.toString();
        }

        public Torture torture(final long safetyNs, final long livenessNs, final Set<Torture.FaultKind> kinds)
        {
            return new Torture(protocol, replicas, options, safetyNs, livenessNs).maxClockDriftPpm(clockDriftPpm)
                .faultKinds(kinds);
        }
    }

    /**
     * What a cell did over its seeds.
     *
     * @param failures the failing seeds' outcomes (histories dropped).
     * @param replays  the replay command of each failure, in the same order.
     */
    public record CellResult(Cell cell, int seeds, int passed, List<Torture.Outcome> failures, List<String> replays,
        double seconds)
    {
    }

    private TortureMatrix()
    {
    }

    /**
     * The strong modes: each protocol's read and acknowledgement rules that promise linearizability.
     */
    public static List<Cell> strongModes(final int replicas)
    {
        final long drift = Torture.DEFAULT_CLOCK_DRIFT_PPM;
        return List.of(
            new Cell("primary-backup", replicas, Map.of(), drift),
            new Cell("chain", replicas, Map.of("chain-ack", "tail", "reads", "tail"), drift),
            new Cell("chain", replicas, Map.of("chain-ack", "head", "reads", "tail"), drift),
            new Cell("chain", replicas, Map.of("chain-ack", "tail", "reads", "craq"), drift),
            new Cell("chain", replicas, Map.of("chain-ack", "head", "reads", "craq"), drift),
            new Cell("chain", replicas, Map.of("chain-manager", "single", "chain-ack", "tail", "reads", "craq"), drift),
            new Cell("raft", replicas, Map.of("raft-reads", "lease"), drift),
            new Cell("raft", replicas, Map.of("raft-reads", "read-index"), drift),
            new Cell("quorum", replicas, Map.of("quorum-mode", "abd", "coordinator", "client"), drift),
            new Cell("quorum", replicas, Map.of("quorum-mode", "abd", "coordinator", "replica"), drift));
    }

    /**
     * Options at the edge of the rules (3 replicas): safety must not depend on them being at their defaults.
     */
    static List<Cell> edges()
    {
        final long drift = Torture.DEFAULT_CLOCK_DRIFT_PPM;
        final List<Cell> cells = new ArrayList<>();
        for (final String reads : List.of("lease", "read-index"))
        {
            // Raft without pre-vote or check-quorum: a partitioned node's term inflation, a leader that never
            // steps down on its own. The lease rests on neither (followers refuse votes within electionMin).
            cells.add(new Cell("raft", 3, Map.of("raft-reads", reads, "raft-pre-vote", "false"), drift));
            cells.add(new Cell("raft", 3, Map.of("raft-reads", reads, "raft-check-quorum", "false"), drift));
        }
        // One entry in flight per follower, one entry per append, a snapshot every 16 entries (the least allowed):
        // every retransmission, every gap and snapshot install path runs all the time.
        cells.add(new Cell("raft", 3, Map.of("raft-reads", "lease", "raft-pipeline", "1"), drift));
        cells.add(new Cell("raft", 3, Map.of("raft-reads", "lease", "batch", "1"), drift));
        cells.add(new Cell("raft", 3, Map.of("raft-reads", "lease", "raft-snapshot-entries", "16"), drift));
        // Heartbeats as rare as validate() allows: half the backup timeout, a third of the chain lease.
        cells.add(new Cell("primary-backup", 3, Map.of("pb-heartbeat", "50ms"), drift));
        cells.add(new Cell("chain", 3, Map.of("chain-ack", "tail", "reads", "tail", "chain-heartbeat", "40ms"), drift));
        // ABD replicas that forget everything in a crash and copy their peers' state first (client coordinators
        // only: a replica coordinator must remember the writes it started, validate() refuses it volatile storage).
        cells.add(new Cell("quorum", 3, Map.of("quorum-mode", "abd", "coordinator", "client",
            "quorum-storage", "volatile"), drift));
        // Every lease read path with clocks drifting close to the bound the leases are configured for, and clients
        // that give up on a silent replica after 5ms: the majority's client then writes at the new role holder
        // while an old lease could still be running (with the default 200-300ms it comes too late to show one).
        cells.add(new Cell("primary-backup", 3, Map.of("client-retry", FAST_CLIENT_RETRY),
            HIGH_DRIFT_WITHIN_BOUND_PPM));
        cells.add(new Cell("chain", 3, Map.of("chain-ack", "tail", "reads", "tail", "client-retry", FAST_CLIENT_RETRY),
            HIGH_DRIFT_WITHIN_BOUND_PPM));
        cells.add(new Cell("chain", 3, Map.of("chain-ack", "tail", "reads", "craq", "client-retry", FAST_CLIENT_RETRY),
            HIGH_DRIFT_WITHIN_BOUND_PPM));
        cells.add(new Cell("raft", 3, Map.of("raft-reads", "lease", "client-retry", FAST_CLIENT_RETRY),
            HIGH_DRIFT_WITHIN_BOUND_PPM));
        // Primary-backup's views from the Raft-replicated configuration service (issue 21): all but one replica may
        // be down at once, service nodes crash too; and its lease read path with drift near the bound.
        cells.add(new Cell("primary-backup", 3, Map.of("pb-views", "config-service"), drift));
        cells.add(new Cell("primary-backup", 5, Map.of("pb-views", "config-service"), drift));
        cells.add(new Cell("primary-backup", 3, Map.of("pb-views", "config-service", "client-retry",
            FAST_CLIENT_RETRY), HIGH_DRIFT_WITHIN_BOUND_PPM));
        // Hedged reads (issue 20): a 100us hedge is about one simulated round trip, so most reads send a second copy
        // and answers race; a percentile hedge follows the schedule's faults. Either must not cost linearizability.
        cells.add(new Cell("chain", 3, Map.of("chain-ack", "tail", "reads", "craq", "hedge", "100us"), drift));
        cells.add(new Cell("quorum", 3, Map.of("quorum-mode", "abd", "coordinator", "client", "hedge", "100us"),
            drift));
        cells.add(new Cell("quorum", 3, Map.of("quorum-mode", "abd", "coordinator", "replica", "hedge", "p90"),
            drift));
        // Tied reads (issue 20): both copies of a read race at once, and a cancel drops one or crosses it. Whichever
        // copy, or both, is served must not cost linearizability.
        cells.add(new Cell("chain", 3, Map.of("chain-ack", "tail", "reads", "craq", "tied", "true"), drift));
        cells.add(new Cell("quorum", 3, Map.of("quorum-mode", "abd", "coordinator", "client", "tied", "true"),
            drift));
        cells.add(new Cell("quorum", 3, Map.of("quorum-mode", "abd", "coordinator", "replica", "tied", "true"),
            drift));
        return cells;
    }

    /**
     * @return every cell, strong modes at 3, 5 and 7 replicas first, then the edges; each checked against its
     * factory (valid options, a linearizable mode).
     */
    public static List<Cell> cells()
    {
        final List<Cell> cells = new ArrayList<>();
        for (final int replicas : new int[] {3, 5, 7})
        {
            cells.addAll(strongModes(replicas));
        }
        cells.addAll(edges());
        for (final Cell cell : cells)
        {
            final ProtocolFactory factory = Protocols.byName(cell.protocol());
            final ProtocolSettings settings = new ProtocolSettings(cell.replicas(), 2, 2, cell.options());
            factory.validate(settings);
            if (!settings.unknownOptions().isEmpty())
            {
                throw new IllegalStateException("torture matrix cell " + cell.name() + ": " + cell.protocol() +
                    " does not read " + settings.unknownOptions());
            }
            if (!factory.linearizable(settings))
            {
                throw new IllegalStateException("torture matrix cell " + cell.name() + " is not a strong mode");
            }
        }
        return cells;
    }

    /**
     * Runs seeds {@code firstSeed .. firstSeed + seeds - 1} of one torture, on {@code threads} threads.
     *
     * @param tortures makes one Torture per thread (its checker is not thread-safe).
     * @return the outcomes in seed order.
     */
    public static List<Torture.Outcome> runSeeds(final Supplier<Torture> tortures, final long firstSeed,
        final int seeds, final int threads)
    {
        return runSeeds(tortures, firstSeed, seeds, threads, o -> { });
    }

    /**
     * As {@link #runSeeds(Supplier, long, int, int)}, telling {@code onSeed} of each outcome as its seed ends (from
     * the seed's thread: it must be thread-safe), so a long run can show its progress.
     */
    public static List<Torture.Outcome> runSeeds(final Supplier<Torture> tortures, final long firstSeed,
        final int seeds, final int threads, final java.util.function.Consumer<Torture.Outcome> onSeed)
    {
        if (threads <= 1)
        {
            final Torture torture = tortures.get();
            final List<Torture.Outcome> outcomes = new ArrayList<>();
            for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
            {
                final Torture.Outcome outcome = torture.run(seed);
                onSeed.accept(outcome);
                outcomes.add(outcome);
            }
            return outcomes;
        }
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final List<Future<List<Torture.Outcome>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                parts.add(pool.submit(() ->
                {
                    final Torture torture = tortures.get();
                    final List<Torture.Outcome> outcomes = new ArrayList<>();
                    for (long seed = firstSeed + thread; seed < firstSeed + seeds; seed += threads)
                    {
                        final Torture.Outcome outcome = torture.run(seed);
                        onSeed.accept(outcome);
                        outcomes.add(outcome);
                    }
                    return outcomes;
                }));
            }
            final List<Torture.Outcome> all = new ArrayList<>();
            for (final Future<List<Torture.Outcome>> part : parts)
            {
                all.addAll(part.get(60, TimeUnit.MINUTES));
            }
            all.sort(java.util.Comparator.comparingLong(Torture.Outcome::seed));
            return all;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            throw new IllegalStateException("torture failed to run: " + ex, ex);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    public static CellResult run(final Cell cell, final long firstSeed, final int seeds, final long safetyNs,
        final long livenessNs, final Set<Torture.FaultKind> kinds, final int threads)
    {
        final long startNs = System.nanoTime();
        final List<Torture.Outcome> outcomes =
            runSeeds(() -> cell.torture(safetyNs, livenessNs, kinds), firstSeed, seeds, threads);
        final Torture replay = cell.torture(safetyNs, livenessNs, kinds);
        final List<Torture.Outcome> failures = new ArrayList<>();
        final List<String> replays = new ArrayList<>();
        for (final Torture.Outcome o : outcomes)
        {
            if (!o.passed())
            {
                failures.add(new Torture.Outcome(o.seed(), false, o.problem(), o.faults(), o.operations(), List.of(),
                    o.traceHash()));
                replays.add(replay.replayCommand(o.seed()));
            }
        }
        return new CellResult(cell, seeds, seeds - failures.size(), failures, replays,
            (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * @return the results as a table: cell, seeds, passed, failures (seed, problem, replay command).
     */
    public static String table(final List<CellResult> results)
    {
        int width = "cell".length();
        for (final CellResult r : results)
        {
            width = Math.max(width, r.cell().name().length());
        }
        final String row = "%-" + width + "s  %6s  %6s  %8s  %7s%n";
        final StringBuilder sb = new StringBuilder(String.format(row, "cell", "seeds", "passed", "failures", "time"));
        int seeds = 0;
        int passed = 0;
        for (final CellResult r : results)
        {
            sb.append(String.format(row, r.cell().name(), r.seeds(), r.passed(), r.failures().size(),
                String.format("%.0fs", r.seconds())));
            seeds += r.seeds();
            passed += r.passed();
        }
        sb.append(String.format(row, "all " + results.size() + " cells", seeds, passed, seeds - passed, ""));
        final Map<String, List<String>> failures = new LinkedHashMap<>();
        for (final CellResult r : results)
        {
            for (int i = 0; i < r.failures().size(); i++)
            {
                final Torture.Outcome o = r.failures().get(i);
                failures.computeIfAbsent(r.cell().name(), k -> new ArrayList<>())
                    .add("seed " + o.seed() + ": " + abbreviate(o.problem()) + "\n      replay: " + r.replays().get(i));
            }
        }
        if (!failures.isEmpty())
        {
            sb.append("failures:\n");
            failures.forEach((cell, list) ->
            {
                sb.append("  ").append(cell).append('\n');
                list.forEach(f -> sb.append("    ").append(f).append('\n'));
            });
        }
        return sb.toString();
    }

    private static String abbreviate(final String problem)
    {
        return problem.length() <= 200 ? problem : problem.substring(0, 200) + "...";
    }
}
