package lab.harness.book;

import java.util.List;

/**
 * The lab book's experiments, in the order the book presents them.
 */
public final class Experiments
{
    private Experiments()
    {
    }

    public static List<Experiment> all()
    {
        return List.of(new HopsExperiment(), new LoadExperiment(), new CraqScalingExperiment(),
            new SlowReplicaExperiment(), new QuorumOverlapExperiment(), new BackupReadsExperiment(),
            new DetectorsExperiment(), new FailoverExperiment(), new HedgingExperiment(), new RaftBatchingExperiment(),
            new LinearizabilityExperiment());
    }

    /**
     * @throws IllegalArgumentException (one line, naming the experiments there are) when there is none of that name.
     */
    public static Experiment byName(final String name)
    {
        for (final Experiment e : all())
        {
            if (e.name().equals(name))
            {
                return e;
            }
        }
        throw new IllegalArgumentException("no experiment '" + name + "' (there are: " +
            String.join(", ", all().stream().map(Experiment::name).toList()) + "; bin/lab experiment list)");
    }
}
