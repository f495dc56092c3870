package lab.chain;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.workload.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain over Aeron IPC in one process, with its configuration manager: operations complete and take the hops
 * the theory predicts. No timing is asserted.
 */
class ChainIpcTest
{
    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void shouldCompleteOperationsOverAeronIpcWithTailAcks(final int n)
    {
        final RunResult result = LabRunner.run(config(n, "tail", "tail"));
        assertTrue(result.writes().count() > 100, "writes " + result.writes().count());
        assertTrue(result.reads().count() > 100, "reads " + result.reads().count());
        assertEquals(n + 1, result.writes().meanHops(), 0.05);
        assertEquals(2.0, result.reads().meanHops(), 0.05);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void shouldCompleteOperationsOverAeronIpcWithHeadAcksAndCraqReads(final int n)
    {
        final RunResult result = LabRunner.run(config(n, "head", "craq"));
        assertTrue(result.writes().count() > 100, "writes " + result.writes().count());
        assertTrue(result.reads().count() > 100, "reads " + result.reads().count());
        assertEquals(2 * n, result.writes().meanHops(), 0.05);
        assertTrue(result.reads().meanHops() >= 2.0 && result.reads().meanHops() <= 4.0,
            "read hops " + result.reads().meanHops());
    }

    private static RunConfig config(final int n, final String ack, final String reads)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("chain");
        config.replicas(n);
        config.transport("ipc");
        config.clients(1);
        config.outstanding(4);
        config.workload(new Workload(0.5, 1000, "uniform", 0.99, 64));
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(1500));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(500));
        config.options().put("chain-ack", ack);
        config.options().put("reads", reads);
        // This test is about hops on a healthy chain: on a loaded 2-core machine a starved node thread must not be
        // mistaken for a failure and configured out (that shortens the chain and the hop count).
        config.options().put("chain-failure-timeout", "3s");
        config.options().put("chain-lease-drift", "100ms");
        return config.build();
    }
}
