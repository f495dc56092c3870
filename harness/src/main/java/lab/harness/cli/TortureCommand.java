package lab.harness.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import lab.core.Durations;
import lab.core.ProtocolSettings;
import lab.core.Protocols;
import lab.harness.cluster.Torture;
import lab.harness.cluster.TortureMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab torture}: many seeded fault schedules on the simulator, each checked.
 */
@Command(name = "torture", mixinStandardHelpOptions = true,
    description = "Run seeded fault schedules (crashes, restarts, isolation, splits that leave the leader, primary " +
        "or tail with a client, loss, duplication, reordering, clock drift) on the simulator and check each " +
        "history: linearizability for strong modes, stale reads for all, progress after healing. A failing seed " +
        "prints the command that replays it. --matrix runs every strong mode at 3, 5 and 7 replicas and with " +
        "options at their edge, and prints a table.")
public final class TortureCommand implements Callable<Integer>
{
    /** How often a single torture shows its progress on stderr. */
    static final long PROGRESS_EVERY_MS = 5_000;

    @Option(names = "--protocol", description = "protocol to torture (required without --matrix)")
    String protocol;

    @Option(names = "--matrix", description = "torture every cell of the matrix (strong modes at 3, 5 and 7 " +
        "replicas, edge options, high drift within the lease bound) with --seeds seeds each and print a table; " +
        "--protocol, --replicas, --opt and --clock-drift-ppm are the cells'")
    boolean matrix;

    @Option(names = "--threads", defaultValue = "1", description = "seeds run in parallel (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--fault-kinds", defaultValue = "crash,isolate,split", description = "the faults a schedule " +
        "draws from: crash (and restart), isolate (a replica cut off from every node, clients included), split " +
        "(the leader/primary/tail cut off with a client that reads, the majority with the other); for durable " +
        "modes (raft-log=file with fsync always|batch, quorum-storage=file) also power-cut (a replica's unsynced writes lost or torn on " +
        "the simulated disk), outage (every replica at once) and sync-error (a failed fsync crashes the node) " +
        "(default ${DEFAULT-VALUE})")
    String faultKinds;

    @Option(names = "--replicas", defaultValue = "3", description = "default ${DEFAULT-VALUE}")
    int replicas;

    @Option(names = "--seeds", defaultValue = "100", description = "how many seeds (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    long firstSeed;

    @Option(names = "--faults-for", defaultValue = "2s", description = "simulated time under faults per seed " +
        "(default ${DEFAULT-VALUE})")
    String safety;

    @Option(names = "--liveness", defaultValue = "1s", description = "simulated healed time per seed in which " +
        "operations must complete (default ${DEFAULT-VALUE})")
    String liveness;

    @Option(names = "--save-failures", description = "write each failing seed's history here (JSON lines and " +
        "Jepsen EDN), for lab check, Knossos, Elle or Porcupine, and its trace (the last messages, printed; " +
        "without this option traces go to the temporary folder's lab-torture)")
    java.io.File saveFailures;

    @Option(names = "--clock-drift-ppm", defaultValue = "20000", description = "each replica's clock runs fast or " +
        "slow by up to this many ppm (default ${DEFAULT-VALUE} = 2%%, within the protocols' lease drift bounds)")
    long driftPpm;

    @Option(names = "--verbose", description = "print every seed's fault schedule")
    boolean verbose;

    @Option(names = "--opt", description = "protocol option key=value (repeatable)")
    Map<String, String> opts = new LinkedHashMap<>();

    /**
     * @return the first seed asked for.
     */
    public long firstSeed()
    {
        return firstSeed;
    }

    /**
     * @return the Torture these options describe (one seed's schedule is the same for equal options).
     */
    public Torture torture()
    {
        final ProtocolSettings settings = new ProtocolSettings(replicas, 2, 2, opts);
        Protocols.byName(protocol).validate(settings);
        final String warning = Protocols.byName(protocol).warnings(settings);
        if (!warning.isEmpty())
        {
            System.err.println("lab: warning: " + warning);
        }
        return new Torture(protocol, replicas, opts, Durations.parseNs(safety), Durations.parseNs(liveness))
            .maxClockDriftPpm(driftPpm).faultKinds(Torture.FaultKind.parse(faultKinds))
            .traceDirectory(saveFailures != null ? saveFailures.toPath() :
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "lab-torture"));
    }

    public Integer call() throws java.io.IOException
    {
        if (seeds < 1)
        {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        if (matrix)
        {
            return runMatrix();
        }
        if (protocol == null)
        {
            throw new IllegalArgumentException("--protocol is required (or --matrix)");
        }
        final Torture torture = torture();
        int failed = 0;
        long operations = 0;
        final long startMs = System.currentTimeMillis();
        // Seeds done so far and the time left go to stderr every few seconds (status, not results).
        final StepProgress progress = new StepProgress(seeds, PROGRESS_EVERY_MS, System::currentTimeMillis);
        final java.util.function.Consumer<Torture.Outcome> showProgress = o -> {
            final String line = progress.stepIfDue();
            if (line != null)
            {
                System.err.println("torture " + protocol + ": seeds " + line);
            }
        };
        // One thread prints each seed as it ends; several print in seed order once all have run.
        final Iterable<Torture.Outcome> outcomes = threads <= 1 ?
            () -> java.util.stream.LongStream.range(firstSeed, firstSeed + seeds).mapToObj(torture::run)
                .peek(showProgress).iterator() :
            TortureMatrix.runSeeds(this::torture, firstSeed, seeds, threads, showProgress);
        for (final Torture.Outcome outcome : outcomes)
        {
            final long seed = outcome.seed();
            operations += outcome.operations();
            if (verbose || !outcome.passed())
            {
                System.out.println("seed " + seed + (outcome.passed() ? " passed" : " FAILED: " + outcome.problem()));
                outcome.faults().forEach(f -> System.out.println("    " + f));
            }
            if (!outcome.passed())
            {
                failed++;
                System.out.println("    replay: " + torture.replayCommand(seed));
                if (saveFailures != null && !outcome.history().isEmpty())
                {
                    saveFailures.mkdirs();
                    final java.nio.file.Path file = saveFailures.toPath().resolve(protocol + "-seed-" + seed + ".jsonl");
                    lab.harness.check.JepsenHistory.writeJsonLines(outcome.history(), file);
                    lab.harness.check.JepsenHistory.writeEdn(outcome.history(),
                        saveFailures.toPath().resolve(protocol + "-seed-" + seed + ".edn"));
                    System.out.println("    history: " + file);
                }
            }
        }
        System.out.printf("%s, %d replicas: %d of %d seeds passed (%d operations checked, %.1f s)%n", protocol,
            replicas, seeds - failed, seeds, operations, (System.currentTimeMillis() - startMs) / 1000.0);
        return failed == 0 ? 0 : 1;
    }

    private Integer runMatrix()
    {
        final List<TortureMatrix.CellResult> results = new ArrayList<>();
        final List<TortureMatrix.Cell> cells = TortureMatrix.cells();
        final long startMs = System.currentTimeMillis();
        final StepProgress progress = new StepProgress(cells.size());
        for (final TortureMatrix.Cell cell : cells)
        {
            final TortureMatrix.CellResult result = TortureMatrix.run(cell,
                firstSeed, seeds, Durations.parseNs(safety), Durations.parseNs(liveness),
                Torture.FaultKind.parse(faultKinds), threads);
            results.add(result);
            System.out.printf("%s: %d of %d passed (%.0f s)   cells %s%n", cell.name(), result.passed(),
                result.seeds(), result.seconds(), progress.step());
            System.out.flush();
        }
        System.out.println();
        System.out.print(TortureMatrix.table(results));
        System.out.printf("seeds %d..%d per cell, --faults-for %s --liveness %s --fault-kinds %s, %.0f s%n",
            firstSeed, firstSeed + seeds - 1, safety, liveness, faultKinds,
            (System.currentTimeMillis() - startMs) / 1000.0);
        return results.stream().allMatch(r -> r.failures().isEmpty()) ? 0 : 1;
    }
}
