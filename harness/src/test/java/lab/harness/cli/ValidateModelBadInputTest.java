package lab.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/**
 * {@code lab validate-model --fit-outstanding} it cannot fit with: one line, exit 2, before any run.
 */
class ValidateModelBadInputTest
{
    private static void assertBadInput(final String... fitOutstanding)
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
            code = LabCommand.execute("validate-model", "--skip-latency", "--fit-outstanding", fitOutstanding[0]);
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        final String what = fitOutstanding[0] + " -> " + err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, code, what);
        assertEquals(1, err.toString().strip().lines().count(), what);
        assertTrue(err.toString().contains("--fit-outstanding"), what);
        assertEquals("", out.toString(), "no run before the error: " + what);
    }

    @Test
    void aFitNeedsTheOneByOneRunAndAnotherLoad()
    {
        assertBadInput("4,8");   // no 1 x 1 run
        assertBadInput("1");     // one load: nothing to fit a load dependence to
        assertBadInput("1,1");
        assertBadInput("1,0");
    }
}
