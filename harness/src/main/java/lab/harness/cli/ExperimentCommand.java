package lab.harness.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import lab.harness.book.Bench;
import lab.harness.book.Experiment;
import lab.harness.book.ExperimentReport;
import lab.harness.book.Experiments;
import lab.harness.book.LabBook;
import lab.harness.book.Verdict;
import lab.harness.report.Environment;
import lab.harness.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab experiment list | run NAME... | all}: the lab book, the course notes' claims as experiments, each with
 * its theory, its measurement and a verdict, into one results folder and one HTML file.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "The lab book: the course notes' claims as runnable experiments with a verdict each.",
    subcommands = {ExperimentCommand.ListExperiments.class, ExperimentCommand.RunExperiments.class,
        ExperimentCommand.AllExperiments.class})
public final class ExperimentCommand implements Runnable
{
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "give a subcommand: list, run NAME..., all");
    }

    /** Options of {@code run} and {@code all}. */
    static final class BookOptions
    {
        @Option(names = "--quick", description = "short runs, one repeat each: a smoke test of the book, not " +
            "figures to quote")
        boolean quick;

        @Option(names = "--repeat", defaultValue = "3", description = "repeats per point in a full book " +
            "(default ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--seed", defaultValue = "1", description = "first seed; repeat i uses seed + i " +
            "(default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--results", defaultValue = "results", description = "results root; the book goes into " +
            "<root>/<date>-lab-book/ (default ${DEFAULT-VALUE})")
        File resultsRoot;

        int run(final List<Experiment> experiments) throws Exception
        {
            if (repeats < 1 || repeats > 20)
            {
                throw new IllegalArgumentException("--repeat must be in [1, 20], got " + repeats);
            }
            OutputPaths.checkFolder(resultsRoot, "--results");
            final ResultsFolder folder = ResultsFolder.create(resultsRoot.toPath(), "lab-book");
            final Bench bench = new Bench(folder.dir(), quick, repeats, seed, System.out, Environment.capture());
            System.out.printf("lab book: %d experiment(s)%s, into %s%n", experiments.size(),
                quick ? ", quick (one short repeat each)" : ", " + repeats + " repeats per point", folder.dir());
            final List<ExperimentReport> pages = LabBook.run(experiments, bench, System.out,
                book -> lab.harness.report.html.LabBookPage.render(book, bench.environment(), quick));
            System.out.println("verdicts:");
            int failedToRun = 0;
            for (final ExperimentReport p : pages)
            {
                System.out.printf("  %-18s %s%n", p.name(), p.finding().verdict().label());
                if (p.finding().verdict() == Verdict.UNDECIDED && p.finding().why().startsWith("the experiment failed"))
                {
                    failedToRun++;
                }
            }
            System.out.println("lab book: " + LabBook.html(bench));
            // A claim that does not hold is a finding, not an error; an experiment that could not run is.
            return failedToRun == 0 ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments: name, claim, time.")
    static final class ListExperiments implements Callable<Integer>
    {
        @Option(names = "--quick", description = "show the quick book's times")
        boolean quick;

        public Integer call()
        {
            for (final Experiment e : Experiments.all())
            {
                System.out.printf("%-18s %-8s %s%n", e.name(), e.duration(quick), e.claim());
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the named experiments.")
    static final class RunExperiments implements Callable<Integer>
    {
        @Parameters(arity = "1..*", paramLabel = "NAME", description = "experiments (lab experiment list)")
        List<String> names;

        @Mixin
        BookOptions options;

        public Integer call() throws Exception
        {
            // Every name is checked before the first experiment runs.
            final List<Experiment> experiments = new ArrayList<>();
            for (final String name : new LinkedHashSet<>(names))
            {
                experiments.add(Experiments.byName(name));
            }
            return options.run(experiments);
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Run every experiment: the whole book.")
    static final class AllExperiments implements Callable<Integer>
    {
        @Mixin
        BookOptions options;

        public Integer call() throws Exception
        {
            return options.run(Experiments.all());
        }
    }
}
