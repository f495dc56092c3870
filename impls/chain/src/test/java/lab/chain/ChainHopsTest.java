package lab.chain;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static lab.chain.ChainSim.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
