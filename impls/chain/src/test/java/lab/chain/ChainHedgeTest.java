package lab.chain;

import java.util.Map;

import lab.core.ProtocolSettings;
import lab.harness.sim.SimConfig;
import lab.harness.workload.ClosedLoopLoadGenerator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static lab.chain.ChainSim.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hedged CRAQ reads ({@code hedge}): a read not answered by the hedge time goes to another node too, which cuts the
 * tail a slow node adds, and (every CRAQ node serving linearizable reads) costs no stale read under faults.
 */
class ChainHedgeTest
{
    @Test
    void shouldRefuseAHedgeOfTailReads()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            new ChainFactory().validate(new ProtocolSettings(3, 1, 1, Map.of("hedge", "1ms"))));
        assertTrue(e.getMessage().startsWith("hedge needs --reads craq"), e.getMessage());
    }

    @Test
    void shouldCutTheReadTailOfASlowNode()
    {
        final long[] p99 = new long[2];
        final long[] copies = new long[2];
        for (int hedged = 0; hedged < 2; hedged++)
        {
            final ChainSim sim = new ChainSim(3, 3, "tail", "craq", new SimConfig(), 0.9,
                hedged == 1 ? Map.of("hedge", "1ms") : Map.of());
            for (int c = 0; c < sim.cluster.clients().length; c++)
            {
                // Node 1 (the middle) answers the clients 20 ms late; a third of the reads go to it first.
                sim.cluster.network().linkLatency(1, sim.cluster.clientNode(c), 20 * MS);
            }
            sim.cluster.runFor(1000 * MS);
            final Histogram reads = new Histogram(3);
            for (final ClosedLoopLoadGenerator c : sim.cluster.clients())
            {
                reads.add(c.reads().latencyNs());
                copies[hedged] += c.hedging().copiesSent();
            }
            p99[hedged] = reads.getValueAtPercentile(99);
            assertEquals(0, sim.detector.staleReads(), sim.describe());
        }
        assertEquals(0, copies[0]);
        assertTrue(copies[1] > 0);
        assertTrue(p99[0] >= 20 * MS, "unhedged reads of the slow node wait for it: p99 " + p99[0]);
        assertTrue(p99[1] < 10 * MS, "hedged after 1 ms: p99 " + p99[1]);
    }

    @Test
    void shouldNeverReturnAStaleReadWithHedgingUnderFaults()
    {
        for (long seed = 1; seed <= 20; seed++)
        {
            final ChainSim sim = new ChainSim(seed, 3, seed % 2 == 0 ? "tail" : "head", "craq", ChainSim.faulty(),
                0.5, Map.of("hedge", seed % 3 == 0 ? "p90" : "500us"));
            sim.cluster.runFor(100 * MS + seed * MS);
            final int victim = (int)(seed % 3);
            sim.cluster.crash(victim);
            sim.cluster.runFor(300 * MS);
            sim.cluster.restart(victim);
            sim.cluster.runFor(500 * MS);
            assertEquals(0, sim.detector.staleReads(), "hedged CRAQ, node " + victim + " crashed: " + sim.describe());
            long copies = 0;
            for (final ClosedLoopLoadGenerator c : sim.cluster.clients())
            {
                copies += c.hedging().copiesSent();
            }
            assertTrue(copies > 0, "reads were hedged: " + sim.describe());
        }
    }
}
