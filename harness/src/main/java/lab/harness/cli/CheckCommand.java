package lab.harness.cli;

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
 * {@code lab check FILE}: is a recorded history linearizable?
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a recorded history (JSON lines, as lab writes with --history) for linearizability, per key.")
public final class CheckCommand implements Callable<Integer>
{
    @Parameters(index = "0", description = "history file (JSON lines)")
    Path file;

    public Integer call() throws Exception
    {
        if (!file.toFile().isFile())
        {
            throw new IllegalArgumentException("no such file: " + file);
        }
        final List<Operation> history = JepsenHistory.readJsonLines(file);
        final CheckResult result = new LinearizabilityChecker().check(history);
        System.out.println(result.verdict() + ": " + result.operationsChecked() + " operations" +
            (result.explanation().isEmpty() ? "" : "; " + result.explanation()));
        return result.verdict() == CheckResult.Verdict.LINEARIZABLE ? 0 : 1;
    }
}
