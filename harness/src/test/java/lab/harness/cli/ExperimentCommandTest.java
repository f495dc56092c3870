package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.book.Experiment;
import lab.harness.book.Experiments;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab experiment}: the list, and bad input refused in one line with exit 2 before any experiment runs.
 */
class ExperimentCommandTest
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

    private static void assertBadInput(final String fragment, final String... args)
    {
        final Outcome o = lab(args);
        final String what = String.join(" ", args) + " -> " + o.err;
        assertEquals(LabCommand.EXIT_BAD_INPUT, o.code, what);
        assertTrue(o.err.contains(fragment), what);
        assertEquals(1, o.err.strip().lines().count(), "one line: " + what);
        assertFalse(o.err.contains("\tat "), "no stack trace: " + what);
        assertFalse(o.out.contains("lab book:"), "refused before the book started: " + o.out);
    }

    @Test
    void listNamesEveryExperimentWithItsClaim()
    {
        final Outcome o = lab("experiment", "list", "--quick");
        assertEquals(0, o.code, o.err);
        for (final Experiment e : Experiments.all())
        {
            assertTrue(o.out.contains(e.name()), e.name() + " in " + o.out);
            assertTrue(o.out.contains(e.claim()), e.name() + "'s claim in " + o.out);
        }
    }

    @Test
    void unknownExperimentIsRefusedNamingTheOnesThereAre()
    {
        assertBadInput("no experiment 'nosuch' (there are: hops", "experiment", "run", "hops", "nosuch", "--quick");
    }

    @Test
    void repeatOutOfRangeIsRefused()
    {
        assertBadInput("--repeat must be in [1, 20], got 0", "experiment", "run", "hops", "--repeat", "0");
    }

    @Test
    void resultsRootThatIsAFileIsRefused() throws Exception
    {
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("lab-book", ".txt");
        try
        {
            assertBadInput("is a file, not a folder", "experiment", "all", "--quick", "--results", file.toString());
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void runWithoutANameIsRefused()
    {
        assertBadInput("NAME", "experiment", "run", "--quick");
    }

    @Test
    void experimentWithoutASubcommandIsRefused()
    {
        assertBadInput("give a subcommand", "experiment");
    }
}
