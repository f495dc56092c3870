package lab.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.core.codec.OpType;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.OperationObserver;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static lab.chain.ChainSim.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Critical-path hops on a fault-free simulated network, where every operation takes the path the theory describes.
 */
class ChainHopsTest
{
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 7})
    void shouldTakeNPlusOneHopsPerWriteWhenTheTailAcks(final int n)
    {
        final RunResult result = LabRunner.run(config(n, "tail", "tail"));
        assertTrue(result.writes().count() > 100);
        assertEquals(n + 1, result.writes().meanHops(), 1e-9);
        assertEquals(n + 1, result.theory().writeHops());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 7})
    void shouldTakeTwoNHopsPerWriteWhenTheHeadAcks(final int n)
    {
        final RunResult result = LabRunner.run(config(n, "head", "tail"));
        assertTrue(result.writes().count() > 100);
        assertEquals(2 * n, result.writes().meanHops(), 1e-9);
        assertEquals(2 * n, result.theory().writeHops());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7})
    void shouldTakeTwoHopsPerReadAtTheTail(final int n)
    {
        final RunResult result = LabRunner.run(config(n, "tail", "tail"));
        assertTrue(result.reads().count() > 100);
        assertEquals(2.0, result.reads().meanHops(), 1e-9);
    }

    @Test
    void shouldCountCleanAndDirtyCraqReadsAsTheirHopsShow()
    {
        final ChainSim sim = new ChainSim(7, 3, "tail", "craq", new SimConfig(), 0.5);
        sim.cluster.runFor(300 * MS);
        long clean = 0;
        long dirty = 0;
        for (int i = 0; i < 3; i++)
        {
            clean += sim.replica(i).cleanReads();
            dirty += sim.replica(i).dirtyReads();
        }
        long reads = 0;
        double hops = 0;
        for (final var c : sim.cluster.clients())
        {
            reads += c.reads().count();
            hops += c.reads().meanHops() * c.reads().count();
        }
        assertTrue(dirty > 0 && clean > dirty, "clean=" + clean + " dirty=" + dirty);
        // Replicas count a read when they serve it, clients when its answer arrives: up to 8 are in between.
        final int inFlight = 8;
        assertEquals(reads, clean + dirty, inFlight);
        assertEquals(2.0 * clean + 4.0 * dirty, hops, 4.0 * inFlight);
        assertEquals(0, sim.detector.staleReads(), sim.describe());
    }

    @Test
    void shouldServeCraqReadsFromEveryNode()
    {
        final ChainSim sim = new ChainSim(8, 5, "head", "craq", new SimConfig(), 0.9);
        sim.cluster.runFor(200 * MS);
        for (int i = 0; i < 5; i++)
        {
            assertTrue(sim.replica(i).cleanReads() > 0, "node " + i + " served no clean read");
        }
        assertEquals(0, sim.detector.staleReads(), sim.describe());
    }

    /**
     * A middle node that becomes the tail commits the writes it holds and answers them itself: each answer continues
     * its own write's path (client, head, this node, client: 3 hops), not the configuration's that made the node the
     * tail, whatever arrives in between.
     */
    @Test
    void shouldAnswerHeldWritesOnTheirOwnPathsWhenANewTailCommitsThem()
    {
        final long crashAtNs = 100 * MS;
        final List<String> heldHops = new ArrayList<>();
        final Map<Long, Long> invokedNs = new HashMap<>();
        final OperationObserver observer = new OperationObserver()
        {
            public void onInvoke(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long nowNs)
            {
                invokedNs.put(sessionId * 1_000_000 + seq, nowNs);
            }

            public void onOk(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long version, final int hops, final long nowNs)
            {
                final Long invoked = invokedNs.get(sessionId * 1_000_000 + seq);
                // Answered after the old tail's last answers have arrived: by the new tail, after the manager
                // noticed the crash.
                if (type == OpType.PUT && invoked != null && invoked < crashAtNs && nowNs > crashAtNs + 50 * MS)
                {
                    heldHops.add(String.valueOf(hops));
                }
            }

            public void onTimeout(final long sessionId, final long seq, final OpType type, final long key,
                final long nowNs)
            {
            }
        };
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("chain");
        config.replicas(3);
        config.transport("sim");
        config.seed(3);
        config.clients(2);
        config.outstanding(4);
        config.workload(new Workload(0.0, 100, "uniform", 0.99, 32));
        config.opTimeoutNs(TimeUnit.SECONDS.toNanos(5));
        config.options().put("chain-ack", "tail");
        config.options().put("reads", "tail");
        config.options().put("client-retry", "2s"); // no retry: each held write has one answer, the new tail's
        config.sim(new SimConfig());
        config.observers(i -> observer);
        final SimCluster cluster = new SimCluster(config.build());
        cluster.runFor(crashAtNs);
        cluster.crash(2);
        cluster.runFor(500 * MS);
        assertFalse(heldHops.isEmpty(), "no write in flight at the tail's crash was answered by the new tail");
        assertEquals(Collections.nCopies(heldHops.size(), "3"), heldHops);
    }

    private static RunConfig config(final int n, final String ack, final String reads)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("chain");
        config.replicas(n);
        config.transport("sim");
        config.clients(2);
        config.outstanding(4);
        config.workload(new Workload(0.5, 100, "uniform", 0.99, 32));
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(200));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(20));
        config.options().put("chain-ack", ack);
        config.options().put("reads", reads);
        return config.build();
    }
}
