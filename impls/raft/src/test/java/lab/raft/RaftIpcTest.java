package lab.raft;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raft over Aeron IPC in one process: operations complete and the measured critical-path hops match the theory
 * (write 4; read 2 under a lease, 4 with ReadIndex). No timing assertions.
 */
class RaftIpcTest
{
    private static RunResult run(final int replicas, final String reads)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("raft");
        c.replicas(replicas);
        c.transport("ipc");
        c.clients(1);
        c.outstanding(4);
        c.durationNs(TimeUnit.MILLISECONDS.toNanos(1500));
        c.warmupNs(TimeUnit.MILLISECONDS.toNanos(300));
        c.options().put("raft-reads", reads);
        // About hops on a healthy cluster: a node thread starved on a loaded machine must neither trigger an
        // election nor let the lease lapse (a lapsed lease falls back to ReadIndex: 4 hops).
        c.options().put("raft-election-timeout", "3s");
        c.options().put("raft-lease-drift", "100ms");
        return LabRunner.run(c.build());
    }

    private static void assertHops(final RunResult result, final double readHops)
    {
        final String why = "writes " + result.writes().count() + " hops " + result.writes().meanHops() + ", reads " +
            result.reads().count() + " hops " + result.reads().meanHops();
        assertTrue(result.writes().count() > 1000 && result.reads().count() > 1000, why);
        assertEquals(4.0, result.writes().meanHops(), 0.01, why);
        assertEquals(readHops, result.reads().meanHops(), 0.01, why);
    }

    @Test
    void shouldCompleteWritesInFourHopsAndLeaseReadsInTwoWithThreeReplicas()
    {
        assertHops(run(3, "lease"), 2.0);
    }

    @Test
    void shouldCompleteWritesInFourHopsAndReadIndexReadsInFourWithFiveReplicas()
    {
        assertHops(run(5, "read-index"), 4.0);
    }

    @Test
    void shouldCompleteLeaseReadsInTwoHopsWithFiveReplicas()
    {
        assertHops(run(5, "lease"), 2.0);
    }
}
