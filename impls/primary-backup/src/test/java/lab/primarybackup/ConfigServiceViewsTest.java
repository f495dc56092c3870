package lab.primarybackup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.OperationObserver;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pb-views=config-service} against {@code pb-views=majority} on the simulator (loss, duplication, reordering):
 * the primary and a backup of 3 replicas crash at the same moment. With the configuration service (3 service nodes,
 * nodes 3..5) the surviving backup is promoted and writes and reads go on, none acknowledged lost; once the crashed
 * replicas restart they rejoin through a state transfer and the service adds them back. With majority views the
 * lone survivor cannot be elected: the store becomes unavailable, and what it answered before stays right.
 */
class ConfigServiceViewsTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SEEDS = 8;

    private record Run(SimCluster cluster, StaleReadDetector detector, HistoryRecorder history)
    {
        long completed()
        {
            long total = 0;
            for (final ClosedLoopLoadGenerator c : cluster.clients())
            {
                total += c.completed();
            }
            return total;
        }

        void assertNothingLost(final String what)
        {
            cluster.stopClientsAt(cluster.nowNs());
            cluster.runFor(600 * MS);
            assertEquals(0, detector.staleReads(), what + ": " + detector.violations());
            final CheckResult check = new LinearizabilityChecker().check(history.history());
            assertNotEquals(CheckResult.Verdict.NOT_LINEARIZABLE, check.verdict(), what + ": " + check.explanation());
        }
    }

    static Run start(final long seed, final String views)
    {
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder history = new HistoryRecorder();
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("primary-backup");
        c.replicas(3);
        c.transport("sim");
        c.clients(2);
        c.outstanding(2);
        c.seed(seed);
        c.workload(new Workload(0.5, 8, "uniform", 0.99, 16));
        c.opTimeoutNs(400 * MS);
        final OperationObserver observer = OperationObserver.both(detector, history);
        c.observers(i -> observer);
        c.options().put("pb-views", views);
        c.options().put("client-retry", "10ms");
        c.sim().loss(0.02).duplication(0.01).reordering(0.05, 2 * MS);
        return new Run(new SimCluster(c.build()), detector, history);
    }

    static ViewService acting(final SimCluster cluster)
    {
        for (int c = cluster.replicas(); c < cluster.replicas() + cluster.controlNodes(); c++)
        {
            if (cluster.network().isUp(c) && ((ViewService)cluster.network().endpoint(c)).acting())
            {
                return (ViewService)cluster.network().endpoint(c);
            }
        }
        return null;
    }

    @Test
    void shouldSurviveTwoOfThreeReplicasCrashingWithTheConfigurationService()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final String what = "seed " + seed;
            final Run run = start(seed, "config-service");
            assertEquals(3, run.cluster.controlNodes(), what);
            run.cluster.runFor(400 * MS);
            final ViewService before = acting(run.cluster);
            assertTrue(before != null, what + ": a service node acts");
            final int primary = before.primary();
            final int backup = before.backups()[0];
            final int survivor = 3 - primary - backup;
            run.cluster.crash(primary);
            run.cluster.crash(backup);
            run.cluster.runFor(600 * MS);
            final ViewService after = acting(run.cluster);
            assertEquals(survivor, after.primary(), what + ": the surviving backup is promoted");
            assertEquals(0, after.backups().length, what + ": " + Arrays.toString(after.backups()));
            final long done = run.completed();
            run.cluster.runFor(300 * MS);
            assertTrue(run.completed() > done + 50, what + ": writes and reads go on with 1 replica of 3");

            run.cluster.restart(primary);
            run.cluster.restart(backup);
            run.cluster.runFor(1000 * MS);
            final ViewService rejoined = acting(run.cluster);
            final int[] backups = rejoined.backups();
            Arrays.sort(backups);
            final int[] expected = {Math.min(primary, backup), Math.max(primary, backup)};
            assertArrayEquals(expected, backups, what + ": the restarted replicas are backups again");
            for (final int b : backups)
            {
                assertEquals("backup", run.cluster.replica(b).role().name(), what + ": " + b + " holds the state");
            }
            final long later = run.completed();
            run.cluster.runFor(300 * MS);
            assertTrue(run.completed() > later + 50, what + ": and every backup acknowledges again");
            run.assertNothingLost(what);
        }
    }

    @Test
    void shouldBecomeUnavailableNotWrongWhenTwoOfThreeCrashUnderMajorityViews()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final String what = "seed " + seed;
            final Run run = start(seed, "majority");
            assertEquals(0, run.cluster.controlNodes(), what);
            run.cluster.runFor(400 * MS);
            run.cluster.crash(0); // the bootstrap primary
            run.cluster.crash(1);
            run.cluster.runFor(600 * MS); // operations in flight at the crash time out within 400 ms
            final long done = run.completed();
            run.cluster.runFor(1000 * MS);
            assertEquals(done, run.completed(), what + ": a lone replica of 3 answers nothing");
            assertNotEquals("primary", run.cluster.replica(2).role().name(), what);
            run.assertNothingLost(what);
        }
    }
}
