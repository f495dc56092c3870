package lab;

import lab.harness.cli.LabCli.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;

import static lab.harness.cli.LabCli.lab;
import static lab.harness.cli.LabCli.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Primary-backup's views on the command line ({@code --opt pb-views=majority|config-service}): what cannot run is one
 * line and exit 2 before any work; an even service node count runs, after a one-line warning before the run.
 */
class PbViewsCliTest
{

    @Test
    void shouldRejectAnUnknownViewsChoice()
    {
        assertBadInput("pb-views must be one of majority|config-service, got 'raft'", "run", "--protocol",
            "primary-backup", "--transport", "sim", "--opt", "pb-views=raft");
        assertBadInput("pb-views must be one of majority|config-service", "torture", "--protocol", "primary-backup",
            "--seeds", "1", "--opt", "pb-views=");
    }

    @Test
    void shouldRejectServiceOptionsWithMajorityViews()
    {
        assertBadInput("pb-config-nodes needs pb-views=config-service", "run", "--protocol", "primary-backup",
            "--transport", "sim", "--opt", "pb-config-nodes=3");
        assertBadInput("pb-config-nodes needs pb-views=config-service", "torture", "--protocol", "primary-backup",
            "--seeds", "1", "--opt", "pb-views=majority", "--opt", "pb-config-nodes=5");
    }

    @Test
    void shouldRejectFewerThanOneServiceNode()
    {
        assertBadInput("pb-config-nodes must be >= 1, got 0", "run", "--protocol", "primary-backup", "--transport",
            "sim", "--opt", "pb-views=config-service", "--opt", "pb-config-nodes=0");
        assertBadInput("pb-config-nodes must be >= 1, got -1", "torture", "--protocol", "primary-backup", "--seeds",
            "1", "--opt", "pb-views=config-service", "--opt", "pb-config-nodes=-1");
    }

    @Test
    void shouldRejectAFaultTargetThatIsNoNode()
    {
        assertBadInput("node 7 does not exist (replicas are node0 .. node2, control nodes node3 .. node5)", "run",
            "--protocol", "primary-backup", "--opt", "pb-views=config-service", "--fault", "crash:node7@1s");
        assertBadInput("node 4 is a control node", "run", "--protocol", "primary-backup", "--opt",
            "pb-views=config-service", "--fault", "crash:node4@1s");
        assertBadInput("node 3 does not exist (replicas are node0 .. node2)", "run", "--protocol", "primary-backup",
            "--fault", "crash:node3@1s");
    }

    @Test
    void shouldWarnOfAnEvenServiceNodeCountInOneLineBeforeTheRun()
    {
        final Outcome outcome = lab("run", "--protocol", "primary-backup", "--transport", "sim", "--duration",
            "300ms", "--warmup", "100ms", "--quiet", "--opt", "pb-views=config-service", "--opt", "pb-config-nodes=2");
        assertEquals(0, outcome.code(), outcome.err());
        final String[] lines = outcome.err().trim().split("\\R");
        assertTrue(lines[0].startsWith("lab: warning: pb-config-nodes=2 is even"), outcome.err());
        assertEquals(1, outcome.err().lines().filter(l -> l.contains("is even")).count(), outcome.err());
        assertTrue(outcome.out().contains("primary-backup"), "the run's result follows: " + outcome.out());
    }
}
