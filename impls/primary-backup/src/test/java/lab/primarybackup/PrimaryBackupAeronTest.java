package lab.primarybackup;

import java.io.File;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Primary-backup over real Aeron in one process: operations complete, with the critical-path hops of the theory,
 * and the media driver's directory is gone afterwards.
 */
class PrimaryBackupAeronTest
{
    private static RunResult run(final String transport, final int replicas)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("primary-backup");
        c.replicas(replicas);
        c.transport(transport);
        c.clients(1);
        c.outstanding(4);
        c.durationNs(TimeUnit.SECONDS.toNanos(2));
        c.warmupNs(TimeUnit.MILLISECONDS.toNanos(500));
        // About hops on a healthy cluster: a node thread starved on a loaded machine must not start a view change.
        c.options().put("pb-primary-timeout", "3s");
        c.options().put("pb-backup-timeout", "2s");
        c.options().put("pb-lease-drift", "100ms");
        return LabRunner.run(c.build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipc", "udp"})
    void shouldCompleteOperationsWithFourWriteHopsAndTwoReadHopsOverAeron(final String transport)
    {
        final RunResult result = run(transport, 3);
        assertTrue(result.writes().count() > 100, "writes completed: " + result.writes().count());
        assertTrue(result.reads().count() > 100, "reads completed: " + result.reads().count());
        assertEquals(4.0, result.writes().meanHops(), 0.01);
        assertEquals(2.0, result.reads().meanHops(), 0.01);
        assertEquals(0, result.writes().timeouts() + result.reads().timeouts());
        // Per write: request, 2 Replicate, 2 Ack, reply; per read: request, reply; plus heartbeats (and, on a
        // loaded machine, retransmissions after stalls), which are not per operation.
        assertTrue(result.messagesPerOp() >= 3.95 && result.messagesPerOp() < 6, "msgs/op " + result.messagesPerOp());
    }

    @Test
    void shouldRemoveTheMediaDriverDirectoryAfterARun()
    {
        final RunResult result = run("ipc", 3);
        final String dir = (String)result.transportStats().get("aeron_dir");
        assertTrue(dir.contains("lab-aeron-"), dir);
        assertFalse(new File(dir).exists(), dir + " still exists");
    }
}
