package lab.harness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lab.harness.check.CheckResult;
import lab.harness.check.JepsenHistory;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lab check FILE}: is a recorded history linearizable? Exit 0 when it is, 1 when it is not, 3 when the
 * checker could not decide (its search gave up), 2 when the file
 * cannot be read as a history (missing, a folder, empty, not JSON lines, a field of the wrong type): one line on
 * stderr naming the file and line.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a recorded history (JSON lines, as lab writes with --history, or Jepsen EDN: a file named *.edn) for " +
        "linearizability, per key. " +
        "Exit 0 linearizable, 1 not, 3 undecided (the search gave up), 2 unreadable input.")
public final class CheckCommand implements Callable<Integer>
{
    @Parameters(index = "0", description = "history file (JSON lines)")
    Path file;

    public Integer call()
    {
        final List<Operation> history = read(file);
        final CheckResult result = new LinearizabilityChecker().check(history);
        System.out.println(result.verdict() + ": " + result.operationsChecked() + " operations" +
            (result.explanation().isEmpty() ? "" : "; " + result.explanation()));
        switch (result.verdict())
        {
            case LINEARIZABLE:
                return 0;
            case NOT_LINEARIZABLE:
                return 1;
            default:
                return 3; // unknown is not a pass: a script must not read it as one, nor as a violation
        }
    }

    /**
     * @return the history in the file.
     * @throws IllegalArgumentException (bad input: exit 2) with a one-line message when it cannot be read as one.
     */
    static List<Operation> read(final Path file)
    {
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException(file + " is a folder, not a history file (JSON lines, as lab run " +
                "--history writes)");
        }
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("no such file: " + file);
        }
        final List<Operation> history;
        try
        {
            history = file.getFileName().toString().endsWith(".edn") ? lab.harness.check.EdnHistory.read(file) :
                JepsenHistory.readJsonLines(file);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new IllegalArgumentException(oneLine(
                ex.getMessage() != null && ex.getMessage().startsWith(file.toString()) ? ex.getMessage() :
                "cannot read " + file + ": " + ex), ex);
        }
        if (history.isEmpty())
        {
            throw new IllegalArgumentException(file + " holds no operations (an empty history)");
        }
        return history;
    }

    static String oneLine(final String message)
    {
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
