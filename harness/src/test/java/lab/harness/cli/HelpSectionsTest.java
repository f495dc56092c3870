package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpSectionsTest
{
    private static String help(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        try
        {
            assertEquals(0, LabCommand.execute(args), String.join(" ", args));
        }
        finally
        {
            System.setOut(old);
        }
        return out.toString();
    }

    @Test
    void shouldGroupRunsOptionsUnderHeadings()
    {
        final String help = help("run", "--help");
        int last = -1;
        for (final String heading : List.of("Workload:", "Load:", "Cluster:", "Protocol:", "Faults:", "Output:",
            "Help:"))
        {
            final int at = help.indexOf("\n" + heading + "\n");
            assertTrue(at > last, heading + " missing or out of order:\n" + help);
            last = at;
        }
        final String load = help.substring(help.indexOf("\nLoad:\n"), help.indexOf("\nCluster:\n"));
        assertTrue(load.contains("--rate=<rate>") && load.contains("--duration=<duration>"), load);
        final String protocol = help.substring(help.indexOf("\nProtocol:\n"), help.indexOf("\nFaults:\n"));
        assertTrue(protocol.contains("--opt=<key=value>") && protocol.contains("--chain-ack=<chain-ack>"), protocol);
        assertTrue(help.startsWith("Usage: lab run [OPTIONS]"), help);
    }

    /**
     * In every subcommand's help: no value named after the Java field behind it, and every default given.
     */
    @Test
    void shouldShowNoJavaFieldNameAndEveryDefaultInAnyCommandsHelp()
    {
        final CommandLine cli = new CommandLine(new LabCommand());
        for (final CommandLine sub : cli.getSubcommands().values())
        {
            final String name = sub.getCommandName();
            if (name.equals("help"))
            {
                continue;
            }
            final String help = help(name, "--help");
            for (final OptionSpec option : sub.getCommandSpec().options())
            {
                if (option.hidden())
                {
                    continue;
                }
                if (option.userObject() instanceof Field f && !f.getName().equals(option.longestName().substring(2)))
                {
                    assertFalse(help.contains("<" + f.getName() + ">"), name + ": " + f.getName() + "\n" + help);
                }
                if (option.defaultValue() != null && option.arity().max() > 0 && !option.defaultValue().isEmpty())
                {
                    final String text = block(help, option.longestName());
                    assertTrue(text.toLowerCase(java.util.Locale.ROOT).contains("default"),
                        name + " " + option.longestName() + " shows no default:\n" + text);
                }
            }
            assertFalse(help.contains("<String=String>"), name);
        }
    }

    /**
     * @return the option's lines in the help: from its name to the next option.
     */
    private static String block(final String help, final String option)
    {
        final int at = help.indexOf(option + "=");
        assertTrue(at >= 0, option + " not in help:\n" + help);
        int end = help.indexOf('\n', at);
        // continuation lines are indented further than option lines
        while (end >= 0 && end + 1 < help.length() && help.startsWith("                ", end + 1))
        {
            end = help.indexOf('\n', end + 1);
        }
        return help.substring(at, end < 0 ? help.length() : end);
    }

    @Test
    void shouldKeepDidYouMean()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try
        {
            assertEquals(LabCommand.EXIT_BAD_INPUT, LabCommand.execute("run", "--duraton", "1s"));
        }
        finally
        {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("did you mean --duration"), err.toString());
        assertEquals(1, err.toString().trim().split("\n").length, err.toString());
    }
}
