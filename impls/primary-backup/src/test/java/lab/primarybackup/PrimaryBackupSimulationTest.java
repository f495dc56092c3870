package lab.primarybackup;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Primary-backup on the simulated network, over many seeds, with loss, duplication, reordering, crashed backups
 * and crashed primaries: no acknowledged write is lost and every read returns the latest acknowledged value of
 * its key or a newer one (checked online by {@link StaleReadDetector} on a small key space, so keys are read often).
 */
class PrimaryBackupSimulationTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SEEDS = Integer.getInteger("lab.sim.seeds", 100);

    private static RunConfig config(final long seed, final int replicas, final StaleReadDetector detector)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("primary-backup");
        c.replicas(replicas);
        c.transport("sim");
        c.clients(2);
        c.outstanding(2);
        c.seed(seed);
        c.workload(new Workload(0.5, 16, "uniform", 0.99, 32));
        c.opTimeoutNs(500 * MS);
        c.observers(i -> detector);
        c.options().put("pb-retransmit", "2ms");
        c.options().put("client-retry", "10ms");
        c.sim().loss(0.02).duplication(0.01).reordering(0.05, 2 * MS);
        return c.build();
    }

    private static long completed(final SimCluster cluster)
    {
        long total = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            total += c.completed();
        }
        return total;
    }

    private static String describe(final long seed, final StaleReadDetector detector)
    {
        return "seed " + seed + " (replay: -Dlab.sim.seed=" + seed + "): " + detector.staleReads() + " stale of " +
            detector.reads() + " reads; " + detector.violations();
    }

    @Test
    void shouldNeverReadStaleOrLoseAcknowledgedWritesUnderLossDuplicationAndReordering()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final SimCluster cluster = new SimCluster(config(seed, 3, detector));
            cluster.runFor(300 * MS);
            assertEquals(0, detector.staleReads(), describe(seed, detector));
            assertTrue(detector.writesAcked() > 100 && detector.reads() > 100, describe(seed, detector));
        }
    }

    @Test
    void shouldKeepCommittingWritesAfterABackupCrashes()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final SimCluster cluster = new SimCluster(config(seed, 3, detector));
            cluster.runFor(100 * MS);
            cluster.crash(2);
            cluster.runFor(300 * MS);
            final long writesBefore = detector.writesAcked();
            cluster.runFor(300 * MS);
            assertTrue(detector.writesAcked() > writesBefore + 50,
                "writes stalled after backup crash: " + describe(seed, detector));
            assertEquals(0, detector.staleReads(), describe(seed, detector));
            assertEquals("primary", cluster.replica(0).role().name(), "seed " + seed);
        }
    }

    @Test
    void shouldFailOverToABackupWithoutLosingAcknowledgedWritesWhenThePrimaryCrashes()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final SimCluster cluster = new SimCluster(config(seed, 3, detector));
            cluster.runFor(150 * MS + seed * MS); // crash at a different point of the write stream per seed
            assertEquals(0, cluster.findRole("primary"));
            cluster.crash(0);
            cluster.runFor(1000 * MS);
            final int newPrimary = cluster.findRole("primary");
            assertNotEquals(-1, newPrimary, "no new primary: " + describe(seed, detector));
            final long writesBefore = detector.writesAcked();
            final long readsBefore = detector.reads();
            cluster.runFor(300 * MS);
            assertTrue(detector.writesAcked() > writesBefore + 50, "no progress after failover, " +
                describe(seed, detector));
            assertTrue(detector.reads() > readsBefore + 50, "no reads after failover, " + describe(seed, detector));
            assertEquals(0, detector.staleReads(), describe(seed, detector));
        }
    }

    @Test
    void shouldSurviveSuccessiveCrashesAndRestartsOfPrimaryAndBackupsWithFiveReplicas()
    {
        for (long seed = 1; seed <= SEEDS / 2; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final SimCluster cluster = new SimCluster(config(seed, 5, detector));
            cluster.runFor(100 * MS);
            for (int round = 0; round < 3; round++)
            {
                final int primary = cluster.findRole("primary");
                if (primary >= 0)
                {
                    cluster.crash(primary);
                }
                final int backup = (primary + 1 + round) % 5;
                cluster.crash(backup);
                cluster.runFor(700 * MS);
                if (primary >= 0)
                {
                    cluster.restart(primary);
                }
                cluster.restart(backup);
                cluster.runFor(300 * MS);
            }
            final long before = completed(cluster);
            cluster.runFor(500 * MS);
            assertTrue(completed(cluster) > before + 50, "no progress at the end, " + describe(seed, detector));
            assertEquals(0, detector.staleReads(), describe(seed, detector));
        }
    }

    @Test
    void shouldFenceAnIsolatedPrimaryAndElectANewOneOnTheMajoritySide()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final SimCluster cluster = new SimCluster(config(seed, 3, detector));
            cluster.runFor(100 * MS);
            cluster.network().partition(0);
            cluster.runFor(1000 * MS);
            final int newPrimary = cluster.findRole("primary");
            assertTrue(newPrimary == 1 || newPrimary == 2, "seed " + seed + ": primary " + newPrimary);
            cluster.network().heal();
            cluster.runFor(500 * MS);
            assertEquals(0, detector.staleReads(), describe(seed, detector));
            assertNotEquals("primary", cluster.replica(0).role().name(), "old primary still leads, seed " + seed);
        }
    }
}
