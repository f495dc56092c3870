package lab.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.OperationObserver;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chain-manager=raft}: the chain's manager on a Raft-replicated configuration service of 3 control nodes
 * (nodes 3, 4, 5 beside replicas 0, 1, 2). The tail crashes; the acting manager proposes the chain without it and
 * is crashed while the proposal is not yet committed; a new manager (a new Raft leader) takes over, the repair
 * completes, the epochs the acting managers report never go back, and once the crashed nodes restart the tail rejoins
 * through a state transfer. No acknowledged write is lost (stale reads, linearizability) and writes complete again.
 * Seed 1 prints the control plane's part of the trace (the events, Raft's elections and appends with entries, and the
 * configurations pushed).
 */
class ChainRaftManagerTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int REPLICAS = 3;
    private static final int MANAGERS = 3;
    private static final int SEEDS = 12;

    @Test
    void shouldFinishARepairUnderANewManagerWhenTheActingOneCrashesMidReconfiguration()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            run(seed, seed == 1);
        }
    }

    private static void run(final long seed, final boolean print)
    {
        final String previousCapacity = System.getProperty("lab.sim.trace");
        System.setProperty("lab.sim.trace", "400000"); // the whole run: the control plane's lines are picked out
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder history = new HistoryRecorder();
        final SimCluster cluster;
        try
        {
            final RunConfig.Builder config = RunConfig.builder();
            config.protocol("chain");
            config.replicas(REPLICAS);
            config.transport("sim");
            config.seed(seed);
            config.clients(2);
            config.outstanding(2);
            config.workload(new Workload(0.5, 8, "uniform", 0.99, 16));
            config.opTimeoutNs(400 * MS);
            config.options().put("chain-manager", "raft");
            config.options().put("reads", "craq");
            config.sim(new SimConfig().loss(0.01).duplication(0.01).reordering(0.05, 2 * MS));
            final OperationObserver observer = OperationObserver.both(detector, history);
            config.observers(i -> observer);
            cluster = new SimCluster(config.build());
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
        assertEquals(MANAGERS, cluster.controlNodes(), what);
        final long[] lastEpoch = {0};
        step(cluster, 500 * MS, lastEpoch, what);
        final int first = cluster.findControlRole("manager");
        assertTrue(first >= REPLICAS, what + ": one manager acts once the service has a leader");
        final long epochBefore = manager(cluster, first).epoch();

        cluster.crash(2); // the tail
        int reconfiguring = -1;
        for (int i = 0; i < 4000 && reconfiguring < 0; i++)
        {
            step(cluster, MS / 10, lastEpoch, what);
            reconfiguring = cluster.findControlRole("reconfiguring");
        }
        assertTrue(reconfiguring >= REPLICAS, what + ": the acting manager proposes the chain without the tail");
        cluster.network().trace().event(cluster.nowNs(), "test: crash control node " + reconfiguring +
            ", its proposal (epoch " + (manager(cluster, reconfiguring).epoch() + 1) + ") not yet committed");
        cluster.crash(reconfiguring);

        step(cluster, 1500 * MS, lastEpoch, what);
        final int second = cluster.findControlRole("manager");
        assertTrue(second >= REPLICAS && second != reconfiguring, what + ": another manager acts");
        final ChainManager acting = manager(cluster, second);
        assertTrue(acting.epoch() > epochBefore, what + ": the repair is committed under the new manager");
        assertEquals("[0, 1]", Arrays.toString(acting.chain()), what + ": the crashed tail is out");
        for (int r = 0; r < 2; r++)
        {
            assertEquals(acting.epoch(), ((ChainReplica)cluster.replica(r)).epoch(), what + ": replica " + r);
        }

        cluster.restart(2);
        cluster.restart(reconfiguring);
        step(cluster, 1500 * MS, lastEpoch, what);
        final long before = completed(cluster);
        step(cluster, 500 * MS, lastEpoch, what);
        assertTrue(completed(cluster) > before, what + ": writes and reads complete again");
        final int last = cluster.findControlRole("manager");
        assertTrue(last >= REPLICAS, what);
        assertEquals(3, manager(cluster, last).chain().length, what + ": the tail rejoined " +
            Arrays.toString(manager(cluster, last).chain()));
        assertEquals(-1, manager(cluster, last).joiner(), what + ": its state transfer is done");
        cluster.stopClientsAt(cluster.nowNs());
        step(cluster, 500 * MS, lastEpoch, what);
        assertEquals(0, detector.staleReads(), what + ": " + detector.violations());
        final CheckResult check = new LinearizabilityChecker().check(history.history());
        assertNotEquals(CheckResult.Verdict.NOT_LINEARIZABLE, check.verdict(), what + ": " + check.explanation());
        if (print)
        {
            System.out.println("chain-manager=raft, seed " + seed + ": the control plane's trace (replicas 0..2, " +
                "managers 3..5; heartbeats and their answers, Raft heartbeats, retries to a node that is down and " +
                "client traffic left out)");
            for (final String line : controlPlaneLines(cluster))
            {
                System.out.println(line);
            }
        }
    }

    /**
     * Runs the cluster in 1 ms steps (or less), checking that the epoch of whichever manager acts never goes back.
     */
    private static void step(final SimCluster cluster, final long durationNs, final long[] lastEpoch,
        final String what)
    {
        final long end = cluster.nowNs() + durationNs;
        while (cluster.nowNs() < end)
        {
            cluster.runFor(Math.min(MS, end - cluster.nowNs()));
            for (int c = REPLICAS; c < REPLICAS + MANAGERS; c++)
            {
                if (cluster.network().isUp(c) && manager(cluster, c).acting())
                {
                    final long epoch = manager(cluster, c).epoch();
                    assertTrue(epoch >= lastEpoch[0], what + ": manager " + c + " acts with epoch " + epoch +
                        " after epoch " + lastEpoch[0] + " was committed");
                    lastEpoch[0] = epoch;
                }
            }
        }
    }

    private static ChainManager manager(final SimCluster cluster, final int node)
    {
        return (ChainManager)cluster.network().endpoint(node);
    }

    private static long completed(final SimCluster cluster)
    {
        long sum = 0;
        for (final var c : cluster.clients())
        {
            sum += c.completed();
        }
        return sum;
    }

    private static List<String> controlPlaneLines(final SimCluster cluster)
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : cluster.network().trace().lines(new ChainMessagePrinter()))
        {
            final boolean event = line.contains("== ");
            if (line.contains("(down) AppendEntries"))
            {
                continue; // the new leader's retries to the crashed manager, every 20 ms until it restarts
            }
            final boolean control = line.contains("Config ") && !line.contains(" lease") || line.contains("PreVote") ||
                line.contains("RequestVote") || line.contains(" Vote ") || line.contains("VoteResponse") ||
                line.contains("AppendEntries") && !line.contains("entries=0");
            if (event || control)
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
