package lab.harness.cli;

import lab.harness.cli.LabCli.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import lab.harness.book.Experiment;
import lab.harness.book.Experiments;
import org.junit.jupiter.api.Test;

import static lab.harness.cli.LabCli.lab;
import static lab.harness.cli.LabCli.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab experiment}: the list, and bad input refused in one line with exit 2 before any experiment runs.
 */
class ExperimentCommandTest
{

    @Test
    void listNamesEveryExperimentWithItsClaim()
    {
        final Outcome o = lab("experiment", "list", "--quick");
        assertEquals(0, o.code(), o.err());
        for (final Experiment e : Experiments.all())
        {
            assertTrue(o.out().contains(e.name()), e.name() + " in " + o.out());
            assertTrue(o.out().contains(e.claim()), e.name() + "'s claim in " + o.out());
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
