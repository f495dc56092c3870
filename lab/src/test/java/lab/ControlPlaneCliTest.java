package lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;

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
    private record Outcome(int code, String out, String err)
    {
    }

    private static Outcome lab(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try
        {
            return new Outcome(LabCommand.execute(args), out.toString(), err.toString());
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assertBadInput(final String expected, final String... args)
    {
        final Outcome outcome = lab(args);
        final String what = String.join(" ", args) + " -> stderr: " + outcome.err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, outcome.code, what);
        final String[] lines = outcome.err.trim().split("\\R");
        assertEquals(1, lines.length, "one line expected: " + what);
        assertTrue(lines[0].startsWith("lab: ") && lines[0].contains(expected), what);
        assertFalse(outcome.err.contains("Exception"), what);
        assertEquals("", outcome.out, what);
    }

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
        assertEquals(0, outcome.code, outcome.err);
        final String[] lines = outcome.err.trim().split("\\R");
        assertTrue(lines[0].startsWith("lab: warning: chain-managers=2 is even"), outcome.err);
        assertEquals(1, outcome.err.lines().filter(l -> l.contains("is even")).count(), outcome.err);
        assertTrue(outcome.out.contains("chain"), "the run's result follows: " + outcome.out);
    }
}
