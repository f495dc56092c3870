package lab.harness.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import lab.harness.api.Durations;
import lab.harness.api.ProtocolSettings;
import lab.harness.api.Protocols;
import lab.harness.cluster.Torture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab torture}: many seeded fault schedules on the simulator, each checked.
 */
@Command(name = "torture", mixinStandardHelpOptions = true,
    description = "Run seeded fault schedules (crashes, restarts, isolation, loss, duplication, reordering) on the " +
        "simulator and check each history: linearizability for strong modes, stale reads for all, progress after " +
        "healing. A failing seed prints the command that replays it.")
public final class TortureCommand implements Callable<Integer>
{
    @Option(names = "--protocol", required = true, description = "protocol to torture")
    String protocol;

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
        "Jepsen EDN), for lab check, Knossos, Elle or Porcupine")
    java.io.File saveFailures;

    @Option(names = "--clock-drift-ppm", defaultValue = "20000", description = "each replica's clock runs fast or " +
        "slow by up to this many ppm (default ${DEFAULT-VALUE} = 2%%, within the protocols' lease drift bounds)")
    long driftPpm;

    @Option(names = "--verbose", description = "print every seed's fault schedule")
    boolean verbose;

    @Option(names = "--opt", description = "protocol option key=value (repeatable)")
    Map<String, String> opts = new LinkedHashMap<>();

    public Integer call() throws java.io.IOException
    {
        Protocols.byName(protocol).validate(new ProtocolSettings(replicas, 2, 2, opts));
        if (seeds < 1)
        {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        final Torture torture = new Torture(protocol, replicas, opts, Durations.parseNs(safety),
            Durations.parseNs(liveness)).maxClockDriftPpm(driftPpm);
        int failed = 0;
        long operations = 0;
        final long startMs = System.currentTimeMillis();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            final Torture.Outcome outcome = torture.run(seed);
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
}
