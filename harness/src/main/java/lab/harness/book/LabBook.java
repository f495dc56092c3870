package lab.harness.book;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Runs experiments into one folder: each run's results contract under {@code runs/}, every page in
 * {@code book.json}, the console text in {@code book.txt} and the self-contained {@code lab-book.html} (drawn by the
 * renderer the caller passes: the report package draws, this one measures).
 */
public final class LabBook
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LabBook()
    {
    }

    /**
     * @return the pages, in the order run; an experiment that failed to run is a page that says so (verdict
     * undecided), so one broken experiment does not lose the others' hours.
     */
    public static List<ExperimentReport> run(final List<Experiment> experiments, final Bench bench,
        final PrintStream out, final Function<List<ExperimentReport>, String> html) throws IOException
    {
        final List<ExperimentReport> pages = new ArrayList<>();
        int k = 0;
        final long startNs = System.nanoTime();
        for (final Experiment e : experiments)
        {
            k++;
            out.printf("[%d/%d] %s: %s (about %s%s)%n", k, experiments.size(), e.name(), e.claim(),
                e.duration(bench.quick()), eta(startNs, k, experiments.size()));
            bench.begin(e.name());
            ExperimentReport page;
            final long pageStartNs = System.nanoTime();
            try
            {
                page = e.run(bench);
            }
            catch (final Exception | AssertionError ex)
            {
                page = new ExperimentReport(e.name(), e.topic(), e.claim(), Map.of(), "", List.of(), List.of(),
                    Finding.undecided("the experiment failed to run: " + ex), bench.commands(), List.of(),
                    (System.nanoTime() - pageStartNs) / 1e9);
            }
            pages.add(page);
            out.print(page.text());
            out.println();
            write(bench, pages, html);
        }
        return pages;
    }

    private static String eta(final long startNs, final int k, final int total)
    {
        if (k == 1)
        {
            return "";
        }
        final double perExperiment = (System.nanoTime() - startNs) / 1e9 / (k - 1);
        return String.format(java.util.Locale.ROOT, "; book ETA %.0f s", perExperiment * (total - k + 1));
    }

    /**
     * Writes the book so far: after every page, so an interrupted book keeps what it measured.
     */
    static void write(final Bench bench, final List<ExperimentReport> pages,
        final Function<List<ExperimentReport>, String> html) throws IOException
    {
        final Map<String, Object> book = new LinkedHashMap<>();
        book.put("quick", bench.quick());
        book.put("repeats", bench.repeats());
        book.put("seed", bench.seed());
        book.put("environment", bench.environment());
        book.put("experiments", pages);
        JSON.writeValue(bench.dir().resolve("book.json").toFile(), book);
        final StringBuilder text = new StringBuilder();
        pages.forEach(p -> text.append(p.text()).append('\n'));
        Files.writeString(bench.dir().resolve("book.txt"), text);
        Files.writeString(bench.dir().resolve("lab-book.html"), html.apply(pages));
    }

    public static Path html(final Bench bench)
    {
        return bench.dir().resolve("lab-book.html");
    }
}
