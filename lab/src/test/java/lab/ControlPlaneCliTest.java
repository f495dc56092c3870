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
 * The chain's replicated control plane on the command line ({@code --opt chain-manager=raft}): a manager count it
 * cannot run with is one line and exit 2 before any work; an even count runs, after a one-line warning printed
 * before the run.
 */
class ControlPlaneCliTest
{

    @Test
    void shouldRejectFewerThanOneManagerBeforeAnyWork()
    {
        assertBadInput("chain-managers must be >= 1, got 0", "run", "--protocol", "chain", "--transport", "sim",
            "--opt", "chain-managers=0");
        assertBadInput("chain-managers must be >= 1, got -3", "torture", "--protocol", "chain", "--seeds", "1",
            "--opt", "chain-manager=raft", "--opt", "chain-managers=-3");
    }

    @Test
    void shouldRejectAManagerCountForTheSingleManager()
    {
        assertBadInput("chain-managers needs chain-manager=raft", "run", "--protocol", "chain", "--transport", "sim",
            "--opt", "chain-manager=single", "--opt", "chain-managers=3");
    }

    @Test
    void shouldRejectAnUnknownManagerKind()
    {
        assertBadInput("chain-manager", "run", "--protocol", "chain", "--transport", "sim",
            "--opt", "chain-manager=paxos");
    }

    @Test
    void shouldWarnOfAnEvenManagerCountInOneLineBeforeTheRun()
    {
        final Outcome outcome = lab("run", "--protocol", "chain", "--transport", "sim", "--duration", "300ms",
            "--warmup", "100ms", "--quiet", "--opt", "chain-manager=raft", "--opt", "chain-managers=2");
        assertEquals(0, outcome.code(), outcome.err());
        final String[] lines = outcome.err().trim().split("\\R");
        assertTrue(lines[0].startsWith("lab: warning: chain-managers=2 is even"), outcome.err());
        assertEquals(1, outcome.err().lines().filter(l -> l.contains("is even")).count(), outcome.err());
        assertTrue(outcome.out().contains("chain"), "the run's result follows: " + outcome.out());
    }
}
