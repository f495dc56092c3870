package lab.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.TiedReadDecoder;
import lab.core.ClientListener;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.client.TiedCopies;
import lab.core.codec.OpType;
import lab.harness.sim.SimConfig;
import lab.harness.workload.ClosedLoopLoadGenerator;
import org.HdrHistogram.Histogram;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static lab.chain.ChainSim.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tied CRAQ reads ({@code tied}): a read goes to two nodes at once, each copy naming the other; the node that starts
 * first cancels its peer's copy. The answer of a slow node is not waited for, and no read is stale under faults.
 */
class ChainTiedTest
{
    @Test
    void shouldRefuseATieOfTailReadsAndATieWithAHedge()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            new ChainFactory().validate(new ProtocolSettings(3, 1, 1, Map.of("tied", "true"))));
        assertTrue(e.getMessage().startsWith("tied needs --reads craq"), e.getMessage());
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () ->
            new ChainFactory().validate(new ProtocolSettings(3, 1, 1, Map.of("tied", "true", "reads", "craq",
                "hedge", "1ms"))));
        assertTrue(both.getMessage().startsWith("tied and hedge"), both.getMessage());
    }

    @Test
    void shouldSendAReadToTwoNodesEachNamingTheOther()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of("tied", "true", "reads", "craq"));
        final ChainClient client = new ChainClient(4, settings, new ChainConfig(settings), new Random(5));
        final List<Integer> to = new ArrayList<>();
        final List<Integer> peer = new ArrayList<>();
        final Outbox out = (node, buffer, offset, length) ->
        {
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
            assertEquals(TiedReadDecoder.TEMPLATE_ID, header.templateId());
            to.add(node);
            peer.add(new TiedReadDecoder().wrapAndApplyHeader(buffer, offset, header).tiedPeer());
        };
        client.submit(0, 1, OpType.GET, 9, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        assertEquals(2, to.size());
        assertNotEquals(to.get(0), to.get(1));
        assertEquals(List.of(to.get(1), to.get(0)), peer, "each copy names the other's node");
        assertEquals(1, client.tied().copiesSent());
    }

    @Test
    void shouldNotWaitForTheAnswerOfASlowNode()
    {
        final long[] p99 = new long[2];
        for (int tied = 0; tied < 2; tied++)
        {
            final ChainSim sim = new ChainSim(3, 3, "tail", "craq", new SimConfig(), 0.9,
                tied == 1 ? Map.of("tied", "true") : Map.of());
            for (int c = 0; c < sim.cluster.clients().length; c++)
            {
                // Node 1 (the middle) answers the clients 20 ms late; a third of the reads go to it first.
                sim.cluster.network().linkLatency(1, sim.cluster.clientNode(c), 20 * MS);
            }
            sim.cluster.runFor(1000 * MS);
            final Histogram reads = new Histogram(3);
            long copies = 0;
            long completed = 0;
            for (final ClosedLoopLoadGenerator c : sim.cluster.clients())
            {
                reads.add(c.reads().latencyNs());
                copies += c.tied().copiesSent();
                completed += c.tied().readsCompleted();
            }
            p99[tied] = reads.getValueAtPercentile(99);
            assertEquals(0, sim.detector.staleReads(), sim.describe());
            if (tied == 1)
            {
                assertTrue(completed > 0 && copies >= completed, copies + " tied copies for " + completed + " reads");
                long cancels = 0;
                for (int node = 0; node < 3; node++)
                {
                    cancels += sim.cluster.replica(node).counters().get(TiedCopies.CANCELS_SENT);
                }
                assertTrue(cancels >= completed, "every served copy cancels its peer: " + cancels);
            }
        }
        assertTrue(p99[0] >= 20 * MS, "untied reads of the slow node wait for it: p99 " + p99[0]);
        assertTrue(p99[1] < 10 * MS, "tied, the other copy answers: p99 " + p99[1]);
    }

    @Test
    void shouldNeverReturnAStaleReadWithTiedReadsUnderFaults()
    {
        for (long seed = 1; seed <= 12; seed++)
        {
            final ChainSim sim = new ChainSim(seed, 3, seed % 2 == 0 ? "tail" : "head", "craq", ChainSim.faulty(),
                0.5, Map.of("tied", "true"));
            sim.cluster.runFor(100 * MS + seed * MS);
            final int victim = (int)(seed % 3);
            sim.cluster.crash(victim);
            sim.cluster.runFor(300 * MS);
            sim.cluster.restart(victim);
            sim.cluster.runFor(500 * MS);
            assertEquals(0, sim.detector.staleReads(), "tied CRAQ, node " + victim + " crashed: " + sim.describe());
            long copies = 0;
            for (final ClosedLoopLoadGenerator c : sim.cluster.clients())
            {
                copies += c.tied().copiesSent();
            }
            assertTrue(copies > 0, "reads were tied: " + sim.describe());
        }
    }
}
