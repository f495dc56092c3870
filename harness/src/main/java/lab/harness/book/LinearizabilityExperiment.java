package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.Torture;
import lab.harness.cluster.TortureMatrix;

/**
 * Linearizability under faults: every strong mode's histories, under crashes, partitions and clock drift in the
 * simulator, pass the checker; a weak mode (Dynamo with R = W = 1) checked the same way fails, which shows the
 * checker can see a violation when there is one.
 */
final class LinearizabilityExperiment implements Experiment
{
    private static final int N = 3;

    public String name()
    {
        return "linearizability";
    }

    public String topic()
    {
        return "consistency models; Raft; chain replication; quorums (ABD)";
    }

    public String claim()
    {
        return "The strong modes (PB, chain and CRAQ, Raft lease and ReadIndex, ABD) stay linearizable under crashes, " +
            "partitions and clock drift; a weak mode (Dynamo, R = W = 1) does not.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "40 s" : "8 min";
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final int seeds = bench.quick() ? 10 : 200;
        final long safetyNs = TimeUnit.SECONDS.toNanos(2);
        final long livenessNs = TimeUnit.SECONDS.toNanos(1);
        final Table.Builder table = Table.titled("torture, " + N + " replicas, seeds " + bench.seed() + ".." +
            (bench.seed() + seeds - 1), "mode", "promises", "seeds", "passed", "first failure");
        long strongFailures = 0;
        long weakFailures = 0;
        final List<String> commands = new ArrayList<>();
        final List<TortureMatrix.Cell> cells = new ArrayList<>(TortureMatrix.strongModes(N));
        final TortureMatrix.Cell weak = new TortureMatrix.Cell("quorum", N,
            Map.of("quorum-mode", "dynamo", "r", "1", "w", "1", "read-repair", "off"), Torture.DEFAULT_CLOCK_DRIFT_PPM);
        cells.add(weak);
        for (final TortureMatrix.Cell cell : cells)
        {
            final boolean strong = cell != weak;
            final List<Torture.Outcome> outcomes = TortureMatrix.runSeeds(() ->
            {
                final Torture t = cell.torture(safetyNs, livenessNs, Torture.FaultKind.defaults());
                return strong ? t : t.checkAsStrong();
            }, bench.seed(), seeds, 1);
            int passed = 0;
            String first = "";
            for (final Torture.Outcome o : outcomes)
            {
                if (o.passed())
                {
                    passed++;
                }
                else if (first.isEmpty())
                {
                    first = "seed " + o.seed() + ": " + abbreviate(o.problem());
                }
            }
            if (strong)
            {
                strongFailures += seeds - passed;
            }
            else
            {
                weakFailures += seeds - passed;
            }
            bench.log("%-40s %d/%d passed", cell.name(), passed, seeds);
            table.row(cell.name(), strong ? "linearizable" : "nothing (checked as if strong)", seeds, passed,
                first.isEmpty() ? "-" : first);
            commands.add("bin/lab torture --protocol " + cell.protocol() + " --replicas " + N + " --seeds " + seeds +
                " --first-seed " + bench.seed() + optionsOf(cell.options()));
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("simulator", "deterministic, seeded; faults " + Torture.FaultKind.format(Torture.FaultKind.defaults()) +
            " for 2 s, then 1 s healed in which operations must complete; clock drift up to " +
            Torture.DEFAULT_CLOCK_DRIFT_PPM + " ppm");
        setup.put("checker", "the lab's linearizability checker (Wing & Gong search per key, memoized as in Lowe 2017) " +
            "and the stale-read detector");
        setup.put("seeds per mode", String.valueOf(seeds));
        final Finding finding = verdict(strongFailures, weakFailures, seeds);
        final List<String> all = new ArrayList<>(commands);
        return new ExperimentReport(name(), topic(), claim(), setup,
            "each strong mode's read and acknowledgement rules promise linearizability under crash-stop faults with " +
            "bounded clock drift; Dynamo with R + W <= N promises only eventual consistency.",
            List.of(table.build()), List.of(), finding, all, List.of(
                "The weak mode is checked with the strong modes' rules on purpose (torture's checkAsStrong): its " +
                "failures are the expected outcome, shown so the checker's power is visible."),
            (System.nanoTime() - startNs) / 1e9);
    }

    private static String optionsOf(final Map<String, String> options)
    {
        final StringBuilder sb = new StringBuilder();
        options.forEach((k, v) -> sb.append(" --opt ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String abbreviate(final String problem)
    {
        return problem.length() <= 140 ? problem : problem.substring(0, 137) + "...";
    }

    /**
     * The rule: no strong mode fails a seed, and the weak mode fails at least one (else the checker's power is not
     * shown in this many seeds, and the claim cannot be decided here).
     */
    static Finding verdict(final long strongFailures, final long weakFailures, final int seeds)
    {
        if (strongFailures > 0)
        {
            return Finding.doesNotHold(strongFailures + " seed(s) of the strong modes failed: see the table for the " +
                "first failure and rerun it with the command given.");
        }
        if (weakFailures == 0)
        {
            return Finding.undecided("every strong mode passed " + seeds + " seeds, but the weak mode passed them " +
                "too: this many seeds did not show the checker catching a violation.");
        }
        return Finding.holds("every strong mode passed all " + seeds + " seeds; the weak mode failed " + weakFailures +
            " of " + seeds + " when checked as strong.");
    }
}
