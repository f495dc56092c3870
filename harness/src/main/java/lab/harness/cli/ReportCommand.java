package lab.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import lab.harness.report.html.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab report}: one self-contained HTML file from results folders or run JSON files.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write one self-contained HTML report (charts and tables, opens with no network) from results " +
        "folders or run JSON files.")
public final class ReportCommand implements Callable<Integer>
{
    @Parameters(arity = "1..*", description = "results folders (results/<date>-<name>/) or run-*.json / run.json files")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, description = "HTML file to write (default: report.html in the first folder)")
    Path output;

    public Integer call() throws Exception
    {
        Path out = output;
        if (out == null)
        {
            final Path first = inputs.get(0);
            out = (first.toFile().isDirectory() ? first : first.toAbsolutePath().getParent()).resolve("report.html");
        }
        System.out.println("report: " + HtmlReport.write(inputs, out));
        return 0;
    }
}
