package lab;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import lab.harness.cli.LabCommand;
import lab.harness.cli.TortureCommand;
import lab.harness.cluster.Torture;
import lab.harness.cluster.TortureMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every strong protocol mode under many seeded fault schedules (crashes and restarts of the current primary, leader,
 * head, tail or any replica, isolation of a minority, splits that leave the leader, primary or tail with a reading
 * client, 1-10% loss, duplication, reordering, clock drift): each history must be linearizable, no read stale, and
 * operations must complete once faults heal. -Dlab.torture.seeds=N sets the count per default mode,
 * -Dlab.torture.matrix.seeds=N the count per cell of the torture matrix.
 */
class TortureTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SAFETY_NS = 800 * MS;
    private static final long LIVENESS_NS = 1000 * MS;
    private static final int SEEDS = Integer.getInteger("lab.torture.seeds", 1000);
    /** The CI slice of the matrix: every cell, a few seeds each, after the ones the default modes run. */
    private static final int MATRIX_SEEDS = Integer.getInteger("lab.torture.matrix.seeds", 6);
    private static final long MATRIX_FIRST_SEED = 1_000_001;
    /** Clock drift far past every protocol's lease bound (see {@link Torture#maxClockDriftPpm}). */
    private static final long PAST_LEASE_BOUND_PPM = 200_000;
    private static final int NEGATIVE_CONTROL_MAX_SEEDS = 300;
    private static final int THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private static List<Torture.Outcome> torture(final String protocol, final int replicas,
        final Map<String, String> options, final int seeds)
    {
        return TortureMatrix.runSeeds(() -> new Torture(protocol, replicas, options, SAFETY_NS, LIVENESS_NS), 1, seeds,
            THREADS);
    }

    private static String failures(final Torture replay, final List<Torture.Outcome> outcomes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Torture.Outcome o : outcomes)
        {
            if (!o.passed() && sb.length() < 4000)
            {
                sb.append("\nseed ").append(o.seed()).append(": ").append(o.problem()).append("\n  faults: ")
                    .append(o.faults()).append("\n  replay: ").append(replay.replayCommand(o.seed()));
            }
        }
        return sb.toString();
    }

    private static Map<String, String> options(final String optionList)
    {
        final Map<String, String> options = new TreeMap<>();
        for (final String kv : optionList.split(";"))
        {
            if (!kv.isBlank())
            {
                options.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return options;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "primary-backup, ''",
        "chain, chain-ack=tail;reads=craq",
        "chain, chain-ack=head;reads=tail",
        "chain, chain-manager=single;chain-ack=tail;reads=craq",
        "chain, chain-manager=single;chain-ack=head;reads=tail",
        "raft, raft-reads=lease",
        "raft, raft-reads=read-index",
        "quorum, quorum-mode=abd",
        "quorum, quorum-mode=abd;coordinator=replica"})
    void shouldStayLinearizableAndLoseNoAcknowledgedWriteUnderSeededFaults(final String protocol,
        final String optionList)
    {
        final Map<String, String> options = options(optionList);
        // Every strong mode runs the whole budget (issue 7: each strong mode passes >= 1,000 schedules).
        final int seeds = SEEDS;
        final List<Torture.Outcome> outcomes = torture(protocol, 3, options, seeds);
        assertEquals(seeds, outcomes.size());
        // Every seed must pass: primary-backup seed 847 stopped making progress here until the primary believed a
        // restarted backup's lower acknowledgement (LivenessRegressionTest).
        final List<Torture.Outcome> unexpected = new ArrayList<>();
        for (final Torture.Outcome o : outcomes)
        {
            if (!o.passed())
            {
                unexpected.add(o);
            }
        }
        assertEquals(List.of(), unexpected.stream().map(Torture.Outcome::seed).toList(),
            failures(new Torture(protocol, 3, options, SAFETY_NS, LIVENESS_NS), unexpected));
    }

    static Stream<Arguments> matrixCells()
    {
        return TortureMatrix.cells().stream().map(cell -> Arguments.of(cell.name(), cell));
    }

    /**
     * A protocol added to the lab must not escape the matrix: every replicated protocol on the class path (the
     * single-node baselines and this test's deliberately broken variant aside) has cells at 3, 5 and 7 replicas.
     */
    @Test
    void theTortureMatrixShouldCoverEveryReplicatedProtocol()
    {
        for (final lab.core.ProtocolFactory factory : lab.core.Protocols.all())
        {
            if (factory.fixedReplicas() != 0 || factory.name().equals("broken-primary-backup"))
            {
                continue;
            }
            for (final int replicas : new int[] {3, 5, 7})
            {
                assertTrue(TortureMatrix.cells().stream().anyMatch(c -> c.protocol().equals(factory.name()) &&
                    c.replicas() == replicas), factory.name() + " has no torture matrix cell at " + replicas +
                    " replicas");
            }
        }
    }

    /**
     * A bounded slice of {@code lab torture --matrix}: every cell (strong modes at 3, 5 and 7 replicas, options at
     * their edge, drift near the lease bound) on a few seeds, so no cell goes untested in CI.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("matrixCells")
    void everyCellOfTheTortureMatrixShouldPassItsSlice(final String name, final TortureMatrix.Cell cell)
    {
        final TortureMatrix.CellResult result = TortureMatrix.run(cell, MATRIX_FIRST_SEED, MATRIX_SEEDS, SAFETY_NS,
            LIVENESS_NS, Torture.FaultKind.defaults(), THREADS);
        final StringBuilder failures = new StringBuilder();
        for (int i = 0; i < result.failures().size(); i++)
        {
            failures.append("\nseed ").append(result.failures().get(i).seed()).append(": ")
                .append(result.failures().get(i).problem()).append("\n  replay: ").append(result.replays().get(i));
        }
        assertEquals(MATRIX_SEEDS, result.passed(), name + failures);
    }

    /**
     * The replay command a failure prints must run the very same schedule: parsed back through the command line,
     * the seed gives the same faults, the same verdict and the same message deliveries (trace hash).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "raft 5 replicas no pre-vote high drift crash+split, raft, 5, raft-reads=lease;raft-pre-vote=false, 60000, " +
            "crash;split",
        "chain craq head-ack, chain, 3, chain-ack=head;reads=craq, 20000, crash;isolate;split",
        "chain with slow and paused replicas, chain, 3, chain-ack=tail;reads=tail, 20000, crash;isolate;slow;pause",
        "chain raft managers crashed, chain, 3, chain-manager=raft;reads=craq, 20000, crash;isolate",
        "primary-backup past the lease bound, primary-backup, 3, client-retry=5ms, 200000, split",
        "raft file log on the simulated disk, raft, 3, raft-log=file;fsync=batch, 20000, " +
            "crash;power-cut;outage;sync-error"})
    void replayCommandShouldRunTheSameSchedule(final String name, final String protocol, final int replicas,
        final String optionList, final long driftPpm, final String kinds)
    {
        final EnumSet<Torture.FaultKind> faultKinds = Torture.FaultKind.parse(kinds.replace(';', ','));
        // Not the command's defaults (2s under faults, 1s healed): the test's own schedule lengths must travel too.
        final Torture original = new Torture(protocol, replicas, options(optionList), SAFETY_NS, LIVENESS_NS)
            .maxClockDriftPpm(driftPpm).faultKinds(faultKinds);
        for (long seed = 1; seed <= 2; seed++)
        {
            final String command = original.replayCommand(seed);
            final TortureCommand parsed = parse(command);
            assertEquals(seed, parsed.firstSeed(), command);
            final Torture.Outcome expected = original.run(seed);
            final Torture.Outcome replayed = parsed.torture().run(seed);
            assertEquals(expected.faults(), replayed.faults(), command);
            assertEquals(expected.passed(), replayed.passed(), command);
            assertEquals(expected.problem(), replayed.problem(), command);
            assertEquals(expected.operations(), replayed.operations(), command);
            assertEquals(expected.traceHash(), replayed.traceHash(), command);
            assertEquals(command, parsed.torture().replayCommand(seed), "the replay of a replay is the same command");
        }
    }

    private static TortureCommand parse(final String command)
    {
        final List<String> words = shellWords(command);
        assertEquals("bin/lab", words.get(0), command);
        final CommandLine.ParseResult result =
            new CommandLine(new LabCommand()).parseArgs(words.subList(1, words.size()).toArray(new String[0]));
        assertTrue(result.hasSubcommand(), command);
        return (TortureCommand)result.subcommand().commandSpec().userObject();
    }

    /**
     * Splits a command line as a POSIX shell does for the quoting the replay command uses (single quotes).
     */
    private static List<String> shellWords(final String line)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted)
            {
                if (c == '\'')
                {
                    quoted = false;
                }
                else
                {
                    word.append(c);
                }
            }
            else if (c == '\'')
            {
                quoted = true;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.length())
            {
                word.append(line.charAt(++i));
                inWord = true;
            }
            else if (Character.isWhitespace(c))
            {
                if (inWord)
                {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * The negative control of the split schedule: with clocks drifting far past the bound the leases are configured
     * for (200,000 ppm against about 71,000 for primary-backup and Raft, 111,000 for chain), an old leader, primary
     * or tail serves reads after the majority has replaced it, and torture must see it (a stale read or a history
     * that is not linearizable) within a bounded number of seeds. Seeds run in order until the first detection, so
     * a protocol change that moves which seeds fail does not break the test; only a loss of power does. Within the
     * bound the same schedules pass (the matrix's high-drift cells, and 1,000 seeds in the figures of the report).
     * Clients retry a silent replica after 5ms, or the majority's client would reach the new role holder only after
     * the stale window closed.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "raft, raft-reads=lease",
        "primary-backup, ''",
        "chain, chain-ack=tail;reads=tail",
        "chain, chain-ack=tail;reads=craq"})
    void shouldCatchLeaseReadsWhenClocksDriftPastTheLeaseBound(final String protocol, final String optionList)
    {
        final Map<String, String> options = options(optionList);
        options.put("client-retry", TortureMatrix.FAST_CLIENT_RETRY);
        // The command's schedule lengths, so that the seeds found here are those `lab torture` prints.
        final Supplier<Torture> tortures = () -> new Torture(protocol, 3, options, 2_000 * MS,
            1_000 * MS).maxClockDriftPpm(PAST_LEASE_BOUND_PPM).faultKinds(EnumSet.of(Torture.FaultKind.SPLIT));
        final Torture torture = tortures.get();
        // THREADS seeds at a time, in seed order, until the first detection.
        for (long first = 1; first <= NEGATIVE_CONTROL_MAX_SEEDS; first += THREADS)
        {
            for (final Torture.Outcome outcome : TortureMatrix.runSeeds(tortures, first, THREADS, THREADS))
            {
                // A liveness failure is not what this control looks for (and has its own tests): search on.
                if (outcome.problem().startsWith("stale reads") || outcome.problem().startsWith("not linearizable"))
                {
                    System.out.println("negative control " + protocol + " " + optionList + ": detected at seed " +
                        outcome.seed() + ": " + torture.replayCommand(outcome.seed()));
                    return;
                }
            }
        }
        throw new AssertionError(protocol + " " + optionList + ": " + NEGATIVE_CONTROL_MAX_SEEDS + " seeds with " +
            "clock drift of " + PAST_LEASE_BOUND_PPM + " ppm, far past the lease bound, and no stale read: the split " +
            "schedule or the checks lost their power (" + torture.replayCommand(1) + ")");
    }

    @Test
    void shouldCatchAPrimaryBackupThatAcknowledgesWritesBeforeReplicatingThem()
    {
        final List<Torture.Outcome> outcomes = torture("broken-primary-backup", 3, Map.of(), 20);
        final long failed = outcomes.stream().filter(o -> !o.passed()).count();
        assertTrue(failed > 0, "the broken variant passed every seed: the checks cannot fail");
        assertTrue(outcomes.stream().anyMatch(o -> o.problem().startsWith("stale reads") ||
            o.problem().startsWith("not linearizable")),
            failures(new Torture("broken-primary-backup", 3, Map.of(), SAFETY_NS, LIVENESS_NS), outcomes));
    }
    /** Every fault kind, the disk's included: what a durable mode must survive. */
    private static final String DISK_FAULT_KINDS = "crash,isolate,split,power-cut,outage,sync-error";
    private static final int DISK_SEEDS = Integer.getInteger("lab.torture.disk.seeds", 300);

    /**
     * Raft's durable modes on the simulator's disk ({@link lab.harness.sim.SimDisk}): a replica or every replica at
     * once loses power and with it what it wrote but did not sync (lost, or torn), an fsync fails (the node crashes
     * and restarts from its disk), besides the usual faults. Persist-then-send must lose no acknowledged write.
     */
    @ParameterizedTest(name = "raft raft-log=file fsync={0}")
    @CsvSource({"always", "batch"})
    void durableRaftShouldLoseNoAcknowledgedWriteUnderDiskFaults(final String fsync)
    {
        final Map<String, String> options = Map.of("raft-log", "file", "fsync", fsync);
        final EnumSet<Torture.FaultKind> kinds = Torture.FaultKind.parse(DISK_FAULT_KINDS);
        final Supplier<Torture> tortures =
            () -> new Torture("raft", 3, options, SAFETY_NS, LIVENESS_NS).faultKinds(kinds);
        final List<Torture.Outcome> outcomes = TortureMatrix.runSeeds(tortures, 1, DISK_SEEDS, THREADS);
        assertEquals(DISK_SEEDS, outcomes.size());
        final List<Torture.Outcome> unexpected = outcomes.stream().filter(o -> !o.passed()).toList();
        assertEquals(List.of(), unexpected.stream().map(Torture.Outcome::seed).toList(),
            failures(tortures.get(), unexpected));
        // The disk faults did happen: writes were lost in power cuts and fsyncs failed.
        assertTrue(outcomes.stream().anyMatch(o -> o.faults().stream().anyMatch(f -> f.contains("outage"))));
        assertTrue(outcomes.stream().anyMatch(o -> o.faults().stream().anyMatch(f -> f.startsWith("disks: ") &&
            !f.contains(" 0 fsync failures"))));
    }

    /**
     * The negative control of the disk faults: Raft's file log with {@code fsync=none} claims to keep term, vote
     * and log across a crash but never syncs, so a power cut (of every replica at once, above all) takes
     * acknowledged writes with it, and torture must see it (a stale read or a history that is not linearizable)
     * within a bounded number of seeds, searched in order as for the lease control above.
     */
    @Test
    void shouldCatchARaftLogThatClaimsDurabilityWithoutSyncing()
    {
        final Map<String, String> options = Map.of("raft-log", "file", "fsync", "none");
        final EnumSet<Torture.FaultKind> kinds = Torture.FaultKind.parse(DISK_FAULT_KINDS);
        final Supplier<Torture> tortures =
            () -> new Torture("raft", 3, options, SAFETY_NS, LIVENESS_NS).faultKinds(kinds);
        final Torture torture = tortures.get();
        for (long first = 1; first <= NEGATIVE_CONTROL_MAX_SEEDS; first += THREADS)
        {
            for (final Torture.Outcome outcome : TortureMatrix.runSeeds(tortures, first, THREADS, THREADS))
            {
                if (outcome.problem().startsWith("stale reads") || outcome.problem().startsWith("not linearizable"))
                {
                    System.out.println("negative control raft fsync=none: detected at seed " + outcome.seed() +
                        ": " + torture.replayCommand(outcome.seed()));
                    return;
                }
            }
        }
        throw new AssertionError("raft fsync=none: " + NEGATIVE_CONTROL_MAX_SEEDS + " seeds with power cuts and " +
            "no lost acknowledged write: the disk faults lost their power (" + torture.replayCommand(1) + ")");
    }
}
