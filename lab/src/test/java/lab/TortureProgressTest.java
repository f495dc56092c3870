package lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab torture} tells on stderr how many seeds are done and about how long the rest will take (every few
 * seconds, and always at the end), while stdout keeps the results.
 */
class TortureProgressTest
{
    @Test
    void shouldShowSeedsDoneOfAllOnStderr()
    {
        for (final String threads : new String[]{"1", "2"})
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final PrintStream oldOut = System.out;
            final PrintStream oldErr = System.err;
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            try
            {
                assertEquals(0, LabCommand.execute("torture", "--protocol", "raft", "--seeds", "3", "--threads",
                    threads, "--faults-for", "300ms", "--liveness", "500ms"));
            }
            finally
            {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
            assertTrue(err.toString().contains("torture raft: seeds [3/3]"), "threads " + threads + ": " + err);
            assertTrue(out.toString().contains("3 of 3 seeds passed") && !out.toString().contains("[3/3]"),
                out.toString());
        }
    }
}
