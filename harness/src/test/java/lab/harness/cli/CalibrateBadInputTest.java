package lab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/**
 * {@code lab calibrate} with counts it cannot run: one line, exit 2, before any run.
 */
class CalibrateBadInputTest
{
    private static void assertBadInput(final String fragment, final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        final int code;
        try
        {
            final String[] all = new String[args.length + 1];
            all[0] = "calibrate";
            System.arraycopy(args, 0, all, 1, args.length);
            code = LabCommand.execute(all);
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        final String what = String.join(" ", args) + " -> " + err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, code, what);
        assertEquals(1, err.toString().strip().lines().count(), what);
        assertTrue(err.toString().contains(fragment), what);
        assertEquals("", out.toString(), "no run before the error: " + what);
    }

    @Test
    void countsBelowOneAreRefused()
    {
        assertBadInput("--saturation-clients must be >= 1", "--saturation-clients", "0");
        assertBadInput("--repeat must be >= 1", "--repeat", "0");
        assertBadInput("--loaded-outstanding must be >= 1", "--loaded-outstanding", "0");
    }
}
