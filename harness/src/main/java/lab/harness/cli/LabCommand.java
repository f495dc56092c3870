package lab.harness.cli;

import java.io.PrintWriter;

import lab.harness.multiprocess.NodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lab}: the replication lab's command line.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    versionProvider = LabCommand.Version.class,
    description = "Replication protocols over Aeron, measured side by side.",
    subcommands = {RunCommand.class, CompareCommand.class, SweepCommand.class, ReportCommand.class, TortureCommand.class,
        CheckCommand.class, NodeCommand.class, ListCommand.class, ValidateModelCommand.class,
        CalibrateCommand.class, PredictCommand.class, DetectorsCommand.class,
        ExperimentCommand.class, CommandLine.HelpCommand.class})
public final class LabCommand implements Runnable
{
    public static final int EXIT_BAD_INPUT = 2;

    /**
     * {@code lab --version}: what a result would be compared against: the commit, Aeron and the JVM.
     */
    static final class Version implements CommandLine.IVersionProvider
    {
        public String[] getVersion()
        {
            final java.util.Map<String, Object> env = lab.harness.report.Environment.capture();
            return new String[]{"replication-lab 0.1.0, commit " + env.get("commit"),
                "aeron " + env.get("aeron") + ", " + env.get("jvm") + ", " + env.get("os")};
        }
    }

    public void run()
    {
        new CommandLine(this).usage(System.out);
    }

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line; bad input of any kind (unknown flag, unparsable value, impossible configuration) is
     * one line on stderr and exit code 2.
     */
    public static int execute(final String... args)
    {
        lab.harness.report.Environment.commandLine(args);
        final CommandLine cli = new CommandLine(new LabCommand());
        HelpSections.apply(cli);
        cli.setParameterExceptionHandler((ex, a) ->
        {
            final PrintWriter err = ex.getCommandLine().getErr();
            final java.util.List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException u ?
                u.getSuggestions() : java.util.List.of();
            err.println("lab: " + ex.getMessage().replace('\n', ' ') + (suggestions.isEmpty() ? "" :
                " (did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) +
                "?)") + " (try: lab " +
                ex.getCommandLine().getCommandName().replace("lab", "").trim() + " --help)");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                commandLine.getErr().println("lab: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof lab.harness.aeron.TransportFailure)
            {
                commandLine.getErr().println("lab: " + ex.getMessage()); // one line naming the node, no stack trace
                return 1;
            }
            commandLine.getErr().println("lab: run failed: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
    }
}
