package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab run --fault} with a schedule that cannot be carried out: one line on stderr, exit code 2, before the
 * run starts (a run would take seconds; each of these returns at once). The harness knows only its baselines, so roles are
 * checked on "none" (role "single"); the lab module's tests hold the replicated protocols.
 */
class FaultBadInputTest
{
    private static void assertOneLineError(final String expectedFragment, final String fault)
    {
        assertOneLineError(expectedFragment, fault, "none");
    }

    private static void assertOneLineError(final String expectedFragment, final String fault, final String protocol)
    {
        final String[] args = {"run", "--protocol", protocol, "--duration", "3s", "--warmup", "1s", "--fault", fault};
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        final int code;
        try
        {
            code = LabCommand.execute(args);
        }
        finally
        {
            System.setErr(oldErr);
        }
        final String[] lines = err.toString().trim().split("\n");
        assertEquals(LabCommand.EXIT_BAD_INPUT, code, "exit code for --fault " + fault + ": " + err);
        assertEquals(1, lines.length, "one line expected, got: " + String.join(" | ", lines));
        assertTrue(lines[0].contains(expectedFragment), lines[0]);
    }

    @Test
    void shouldRejectAFaultTimeAfterTheRun()
    {
        assertOneLineError("after the run ends", "slow:follower=1ms@5s");
        assertOneLineError("after the run ends", "pause:node1=50ms@1s..9s/every=200ms");
    }

    @Test
    void shouldRejectAnUnknownTarget()
    {
        assertOneLineError("unknown target 'middle': none has the roles single", "slow:middle=1ms@2s");
        assertOneLineError("node 5 does not exist", "isolate:node5@2s");
        assertOneLineError("node 1 does not exist (replicas are node0 .. node0)", "pause:node1@2s");
        assertOneLineError("node 7 does not exist", "partition:node0|node7@2s");
    }

    @Test
    void shouldRejectAPercentOutsideZeroToHundred()
    {
        assertOneLineError("loss must be a percent in [0, 100], got 150", "loss:node1=150@2s");
        assertOneLineError("loss must be a percent in [0, 100], got -1%", "loss:node1=-1%@2s");
    }

    @Test
    void shouldRejectAPartitionThatNamesANodeTwice()
    {
        assertOneLineError("the partition names 1 twice", "partition:node0,node1|1@2s");
    }

    @Test
    void shouldRejectAResumeWithoutAPause()
    {
        assertOneLineError("resume without an earlier pause of node1", "pause:node2@1s,resume:node1@2s");
    }

    @Test
    void shouldRejectAnUnknownKind()
    {
        assertOneLineError("unknown fault 'freeze' (crash, restart, partition, isolate, heal, loss, delay, slow, " +
            "pause, resume, clear)", "freeze:node1@2s");
    }

    @Test
    void shouldRejectAMissingAmountOrTarget()
    {
        assertOneLineError("slow needs an amount, e.g. slow:node1=1ms@5s", "slow:node1@2s");
        assertOneLineError("isolate needs a target", "isolate@2s");
        assertOneLineError("needs from < to and 0 < length < period", "pause:node1=300ms@1s..2s/every=200ms");
    }
}
