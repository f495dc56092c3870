package lab.primarybackup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover after a primary crash, in simulated time (exact, no loss): writes stop for at least the primary timeout
 * in both modes, since the crash is noticed only by its silence; the figures (per seed, then median and max) are
 * printed. And a service node crashed while its view change is proposed and not yet committed: another one takes
 * over, the view change completes, view numbers never go back, no acknowledged write is lost; seed 1 prints the
 * control plane's trace.
 */
class ConfigServiceFailoverTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long PRIMARY_TIMEOUT_MS = 150; // pb-primary-timeout's default
    private static final int FIGURE_SEEDS = 20;
    private static final int CRASH_SEEDS = 8;

    private static RunConfig config(final long seed, final String views, final double loss)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("primary-backup");
        c.replicas(3);
        c.transport("sim");
        c.clients(2);
        c.outstanding(2);
        c.seed(seed);
        c.workload(new Workload(loss > 0 ? 0.5 : 0.0, 8, "uniform", 0.99, 16));
        c.opTimeoutNs(400 * MS);
        c.options().put("pb-views", views);
        // the clients retry a silent primary after 10 ms: the outage measured is the protocol's, not the client's
        c.options().put("client-retry", "10ms");
        if (loss > 0)
        {
            c.sim().loss(loss).duplication(0.01).reordering(0.05, 2 * MS);
        }
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

    /**
     * @return {outage ms: from the crash to the first write completed after it, time to a new primary ms}.
     */
    private static double[] failover(final long seed, final String views)
    {
        final SimCluster cluster = new SimCluster(config(seed, views, 0));
        cluster.runFor(500 * MS);
        final int primary = cluster.findRole("primary");
        assertTrue(primary >= 0, views + " seed " + seed);
        final long crashNs = cluster.nowNs();
        cluster.crash(primary);
        cluster.runFor(2 * MS); // replies already on their way when it crashed
        long before = completed(cluster);
        long newPrimaryNs = -1;
        long resumedNs = -1;
        while (resumedNs < 0 && cluster.nowNs() - crashNs < 3000 * MS)
        {
            cluster.runFor(MS / 10);
            if (newPrimaryNs < 0 && cluster.findRole("primary") >= 0)
            {
                newPrimaryNs = cluster.nowNs();
            }
            if (completed(cluster) > before)
            {
                resumedNs = cluster.nowNs();
            }
        }
        assertTrue(resumedNs > 0, views + " seed " + seed + ": writes resume");
        return new double[] {(resumedNs - crashNs) / 1e6, (newPrimaryNs - crashNs) / 1e6};
    }

    @Test
    void writesStopForAtLeastThePrimaryTimeoutInBothModes()
    {
        final StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
            "failover after a primary crash at 500 ms (3 replicas, simulator without loss, writes only, 2 clients x 2 " +
                "outstanding, client-retry=10ms, pb-primary-timeout 150 ms), %d seeds%n%-16s %12s %12s %12s %12s%n",
            FIGURE_SEEDS, "pb-views", "outage p50", "outage max", "primary p50", "primary max"));
        for (final String views : List.of("majority", "config-service"))
        {
            final double[] outage = new double[FIGURE_SEEDS];
            final double[] primary = new double[FIGURE_SEEDS];
            for (int s = 0; s < FIGURE_SEEDS; s++)
            {
                final double[] f = failover(s + 1, views);
                outage[s] = f[0];
                primary[s] = f[1];
                assertTrue(f[0] >= PRIMARY_TIMEOUT_MS, views + " seed " + (s + 1) + ": the outage " + f[0] +
                    " ms is at least the primary timeout: the crash is noticed by silence only");
            }
            Arrays.sort(outage);
            Arrays.sort(primary);
            table.append(String.format(Locale.ROOT, "%-16s %9.1f ms %9.1f ms %9.1f ms %9.1f ms%n", views,
                outage[FIGURE_SEEDS / 2], outage[FIGURE_SEEDS - 1], primary[FIGURE_SEEDS / 2],
                primary[FIGURE_SEEDS - 1]));
        }
        System.out.print(table);
    }

    @Test
    void shouldCompleteAViewChangeUnderANewServiceNodeWhenTheActingOneCrashesMidChange()
    {
        for (long seed = 1; seed <= CRASH_SEEDS; seed++)
        {
            crashMidChange(seed, seed == 1);
        }
    }

    private static void crashMidChange(final long seed, final boolean print)
    {
        final String previousCapacity = System.getProperty("lab.sim.trace");
        System.setProperty("lab.sim.trace", "400000"); // the whole run: the control plane's lines are picked out
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder history = new HistoryRecorder();
        final SimCluster cluster;
        try
        {
            final OperationObserver observer = OperationObserver.both(detector, history);
            cluster = new SimCluster(config(seed, "config-service", 0.01).toBuilder().observers(i -> observer).build());
        }
        finally
        {
            if (previousCapacity == null)
            {
                System.clearProperty("lab.sim.trace");
            }
            else
            {
                System.setProperty("lab.sim.trace", previousCapacity);
            }
        }
        final String what = "seed " + seed;
        final long[] lastView = {0};
        step(cluster, 500 * MS, lastView, what);
        final ViewService first = ConfigServiceViewsTest.acting(cluster);
        assertNotNull(first, what + ": a service node acts");
        final int crashedPrimary = first.primary();
        final long viewBefore = first.view();

        cluster.network().trace().event(cluster.nowNs(), "test: crash primary " + crashedPrimary);
        cluster.crash(crashedPrimary);
        int reconfiguring = -1;
        for (int i = 0; i < 4000 && reconfiguring < 0; i++)
        {
            step(cluster, MS / 10, lastView, what);
            reconfiguring = cluster.findControlRole("reconfiguring");
        }
        assertTrue(reconfiguring >= 3, what + ": the acting service node proposes a view without the primary");
        cluster.network().trace().event(cluster.nowNs(), "test: crash service node " + reconfiguring +
            ", its proposal (view " + (service(cluster, reconfiguring).view() + 1) + ") not yet committed");
        cluster.crash(reconfiguring);

        step(cluster, 1500 * MS, lastView, what);
        final ViewService second = ConfigServiceViewsTest.acting(cluster);
        assertNotNull(second, what + ": another service node acts");
        assertTrue(second.view() > viewBefore, what + ": the view change is committed under the new acting node");
        assertNotEquals(crashedPrimary, second.primary(), what + ": the crashed primary is replaced");
        assertEquals("primary", cluster.replica(second.primary()).role().name(), what);

        cluster.restart(crashedPrimary);
        cluster.restart(reconfiguring);
        step(cluster, 1500 * MS, lastView, what);
        final long before = completed(cluster);
        step(cluster, 500 * MS, lastView, what);
        assertTrue(completed(cluster) > before, what + ": writes and reads complete again");
        final ViewService last = ConfigServiceViewsTest.acting(cluster);
        assertEquals(2, last.backups().length, what + ": the restarted replica is a backup again " +
            Arrays.toString(last.backups()));
        cluster.stopClientsAt(cluster.nowNs());
        step(cluster, 500 * MS, lastView, what);
        assertEquals(0, detector.staleReads(), what + ": " + detector.violations());
        final CheckResult check = new LinearizabilityChecker().check(history.history());
        assertNotEquals(CheckResult.Verdict.NOT_LINEARIZABLE, check.verdict(), what + ": " + check.explanation());
        if (print)
        {
            System.out.println("pb-views=config-service, seed " + seed + ": the control plane's trace (replicas " +
                "0..2, service nodes 3..5; heartbeats and their answers, Raft heartbeats, retries to a node that is " +
                "down and client and replication traffic left out)");
            for (final String line : controlPlaneLines(cluster))
            {
                System.out.println(line);
            }
        }
    }

    /**
     * Runs the cluster in 1 ms steps (or less), checking that the view of whichever service node acts never goes
     * back.
     */
    private static void step(final SimCluster cluster, final long durationNs, final long[] lastView,
        final String what)
    {
        final long end = cluster.nowNs() + durationNs;
        while (cluster.nowNs() < end)
        {
            cluster.runFor(Math.min(MS, end - cluster.nowNs()));
            for (int c = cluster.replicas(); c < cluster.replicas() + cluster.controlNodes(); c++)
            {
                if (cluster.network().isUp(c) && service(cluster, c).acting())
                {
                    final long view = service(cluster, c).view();
                    assertTrue(view >= lastView[0], what + ": service node " + c + " acts with view " + view +
                        " after view " + lastView[0] + " was committed");
                    lastView[0] = view;
                }
            }
        }
    }

    private static ViewService service(final SimCluster cluster, final int node)
    {
        return (ViewService)cluster.network().endpoint(node);
    }

    private static List<String> controlPlaneLines(final SimCluster cluster)
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : cluster.network().trace().lines(new PrimaryBackupMessagePrinter()))
        {
            if (line.contains("(down) AppendEntries"))
            {
                continue; // the new leader's retries to the crashed node, every 20 ms until it restarts
            }
            // a View of depth 1 is pushed (a view committed, or a new acting node's first word); depth 2 answers a
            // heartbeat
            final boolean control = line.contains(" View ") && line.endsWith("depth=1") ||
                line.contains("PreVote") || line.contains("RequestVote") || line.contains(" Vote ") ||
                line.contains("VoteResponse") || line.contains("AppendEntries") && !line.contains("entries=0");
            if (line.contains("== ") || control)
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
