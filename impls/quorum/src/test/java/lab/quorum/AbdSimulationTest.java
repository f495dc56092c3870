package lab.quorum;

import java.util.Random;

import lab.harness.cluster.SimCluster;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ABD is linearizable: under loss, duplication, reordering, crashes, restarts and partitions no read returns a value
 * older than a write acknowledged before the read began, and operations go on once faults heal.
 */
class AbdSimulationTest
{
    private static final int SEEDS = 60;

    @Test
    void shouldNeverReturnStaleReadUnderLossReorderingAndCrashesWithClientCoordinator()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd").replicas(seed % 3 == 0 ? 5 : 3));
        }
    }

    @Test
    void shouldNeverReturnStaleReadUnderLossReorderingAndCrashesWithReplicaCoordinator()
    {
        for (long seed = 1; seed <= SEEDS / 2; seed++)
        {
            runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "coordinator", "replica"));
        }
    }

    @Test
    void shouldNeverReturnStaleReadWhenQuorumsAreLargerThanMajorities()
    {
        for (long seed = 1; seed <= SEEDS / 2; seed++)
        {
            runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "r", "3", "w", "4").replicas(5));
        }
    }

    static void runWithFaults(final long seed, final QuorumScenario scenario)
    {
        scenario.sim.loss(0.02).duplication(0.02).reordering(0.1, 2 * MS);
        final SimCluster cluster = scenario.cluster(seed);
        final Random faults = new Random(seed);
        final int replicas = cluster.replicas();

        cluster.runFor(50 * MS);
        final int crashed = faults.nextInt(replicas);
        cluster.crash(crashed);
        cluster.runFor(100 * MS);
        cluster.restart(crashed);
        cluster.runFor(300 * MS);

        final int isolated = faults.nextInt(replicas);
        cluster.network().partition(isolated);
        cluster.runFor(100 * MS);
        cluster.network().heal();

        final long beforeHeal = QuorumScenario.completed(cluster);
        cluster.runFor(200 * MS);
        assertTrue(QuorumScenario.completed(cluster) > beforeHeal + 10,
            scenario.failure(seed, "no progress after the faults healed"));
        QuorumScenario.drain(cluster);

        assertTrue(scenario.detector.reads() > 50, scenario.failure(seed, "too few reads to judge"));
        assertEquals(0, scenario.detector.staleReads(), scenario.failure(seed, "abd returned a stale read"));
    }
}
