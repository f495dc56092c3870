package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bin/lab} in this JVM as a user would meet it (exit code, stdout, stderr), and the one check every bad
 * input shares: exit 2, one line on stderr that starts with {@code lab: }, no exception, nothing on stdout (no work
 * started). One place for what the CLI tests of every module used to copy.
 */
public final class LabCli
{
    private LabCli()
    {
    }

    /**
     * What one command did.
     */
    public record Outcome(int code, String out, String err)
    {
        public String[] errLines()
        {
            return err.trim().split("\\R");
        }
    }

    /**
     * Runs {@code lab args...} with stdout and stderr captured (restored afterwards, also on failure).
     */
    public static Outcome lab(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try
        {
            final int code = LabCommand.execute(args);
            return new Outcome(code, out.toString(), err.toString());
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Bad input: exit 2 and one line {@code lab: ...expectedFragment...} before any work.
     */
    public static Outcome assertBadInput(final String expectedFragment, final String... args)
    {
        final Outcome outcome = lab(args);
        final String what = String.join(" ", args) + " -> stderr: " + outcome.err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, outcome.code, what);
        final String[] lines = outcome.errLines();
        assertEquals(1, lines.length, "one line expected: " + what);
        assertTrue(lines[0].startsWith("lab: "), what);
        assertTrue(lines[0].contains(expectedFragment), "expected '" + expectedFragment + "': " + what);
        assertFalse(outcome.err.contains("Exception"), "no stack trace or exception names: " + what);
        assertEquals("", outcome.out, "nothing on stdout, no work started: " + what);
        return outcome;
    }
}
