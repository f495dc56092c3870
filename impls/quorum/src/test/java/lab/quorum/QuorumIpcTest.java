package lab.quorum;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same replicas over Aeron IPC: operations complete and the measured hops are the theory's.
 */
class QuorumIpcTest
{
    @Test
    void shouldCompleteDynamoOperationsInTwoHopsOverIpcWithThreeReplicas()
    {
        final RunResult result = run(3, "dynamo");
        assertEquals(2.0, result.writes().meanHops(), 1e-9);
        assertEquals(2.0, result.reads().meanHops(), 1e-9);
    }

    @Test
    void shouldCompleteAbdOperationsInFourHopsOverIpcWithFiveReplicas()
    {
        final RunResult result = run(5, "abd");
        assertEquals(4.0, result.writes().meanHops(), 1e-9);
        assertEquals(4.0, result.reads().meanHops(), 1e-9);
    }

    private static RunResult run(final int replicas, final String mode)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("quorum");
        config.transport("ipc");
        config.replicas(replicas);
        config.clients(2);
        config.outstanding(2);
        config.durationNs(TimeUnit.SECONDS.toNanos(2));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(300));
        config.options().put("quorum-mode", mode);
        final RunResult result = LabRunner.run(config.build());
        assertTrue(result.writes().count() > 100 && result.reads().count() > 100,
            mode + " completed too few operations: " + result.writes().count() + " writes, " +
            result.reads().count() + " reads");
        return result;
    }
}
