package lab.quorum;

import lab.harness.cluster.SimCluster;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamo mode: overlapping quorums (R + W > N) return no stale read without faults, even with a replica lagging;
 * quorums that need not overlap do, and the lab shows it.
 */
class DynamoSimulationTest
{
    private static final int SEEDS = 40;

    @Test
    void shouldReturnNoStaleReadWhenQuorumsOverlapWithClientCoordinator()
    {
        final String[][] quorums = {{"3", "2", "2"}, {"3", "1", "3"}, {"3", "3", "1"}, {"5", "3", "3"}};
        for (final String[] q : quorums)
        {
            for (long seed = 1; seed <= SEEDS / 4; seed++)
            {
                runWithLaggingReplica(seed, QuorumScenario.of("r", q[1], "w", q[2]).replicas(Integer.parseInt(q[0])),
                    true);
            }
        }
    }

    @Test
    void shouldReturnNoStaleReadWhenQuorumsOverlapWithReplicaCoordinator()
    {
        for (long seed = 1; seed <= SEEDS / 2; seed++)
        {
            runWithLaggingReplica(seed, QuorumScenario.of("coordinator", "replica"), true);
        }
    }

    @Test
    void shouldReturnNoStaleReadWhenQuorumsOverlapAndReadRepairIsSynchronous()
    {
        for (long seed = 1; seed <= SEEDS / 4; seed++)
        {
            runWithLaggingReplica(seed, QuorumScenario.of("read-repair", "sync"), true);
        }
    }

    @Test
    void shouldReturnNoStaleReadWhenQuorumsOverlapEvenUnderLossCrashesAndPartitions()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            AbdSimulationTest.runWithFaults(seed, QuorumScenario.of("r", "2", "w", "2"));
        }
    }

    @Test
    void shouldReturnStaleReadsWithSingleReplicaQuorumsAndALaggingReplica()
    {
        long stale = 0;
        long reads = 0;
        for (long seed = 1; seed <= SEEDS / 4; seed++)
        {
            final QuorumScenario scenario = QuorumScenario.of("r", "1", "w", "1");
            runWithLaggingReplica(seed, scenario, false);
            stale += scenario.detector.staleReads();
            reads += scenario.detector.reads();
        }
        assertTrue(stale > 0, "R = W = 1 with a lagging replica returned no stale read in " + reads + " reads");
    }

    @Test
    void shouldLetAWriteLoseToAnOlderOneAcrossClientsWithPureLamportClocks()
    {
        long stale = 0;
        for (long seed = 1; seed <= SEEDS / 4; seed++)
        {
            final QuorumScenario scenario = QuorumScenario.of("clock", "lamport").clients(3, 2);
            runWithLaggingReplica(seed, scenario, false);
            stale += scenario.detector.staleReads();
        }
        assertTrue(stale > 0, "Lamport clocks of independent clients never ordered a write before an older one");
    }

    @Test
    void shouldKeepWritingWithASpareStandingInForACrashedHomeReplica()
    {
        for (long seed = 1; seed <= SEEDS / 4; seed++)
        {
            final QuorumScenario scenario = QuorumScenario.of("n", "3", "w", "3", "r", "1", "sloppy-quorum", "true")
                .replicas(4);
            final SimCluster cluster = scenario.cluster(seed);
            cluster.runFor(50 * MS);
            cluster.crash((int)(seed % 4));
            final long writesBefore = writes(cluster);
            cluster.runFor(300 * MS);
            assertTrue(writes(cluster) > writesBefore + 50,
                scenario.failure(seed, "writes stopped although a spare could stand in"));
        }
    }

    private static long writes(final SimCluster cluster)
    {
        return cluster.clients()[0].writes().count() + cluster.clients()[1].writes().count();
    }

    private static void runWithLaggingReplica(final long seed, final QuorumScenario scenario, final boolean noStale)
    {
        final SimCluster cluster = scenario.cluster(seed);
        QuorumScenario.lag(cluster, (int)(seed % cluster.replicas()), 20 * MS);
        cluster.runFor(300 * MS);
        QuorumScenario.drain(cluster);
        assertTrue(scenario.detector.reads() > 100, scenario.failure(seed, "too few reads to judge"));
        if (noStale)
        {
            assertEquals(0, scenario.detector.staleReads(), scenario.failure(seed, "overlapping quorums read stale"));
        }
    }
}
