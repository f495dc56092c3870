package lab.harness.report.html;

import java.util.List;
import java.util.Map;

import lab.harness.book.Chart;
import lab.harness.book.ExperimentReport;
import lab.harness.book.Finding;
import lab.harness.book.Table;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabBookPageTest
{
    private static ExperimentReport page(final String name, final Finding finding, final boolean predicted)
    {
        return new ExperimentReport(name, "chain replication", "CRAQ <scales>", Map.of("cores", "2"), "1 / max D",
            List.of(Table.titled("reads", "N", "ops/s").row(3, "6260000").build()),
            List.of(new Chart("throughput", "N", "ops/s", List.of(
                new Chart.Series("CRAQ", List.of(new double[] {3, 6.26e6}, new double[] {7, 11.6e6}), predicted)))),
            finding, List.of("bin/lab predict --protocol chain"), List.of("a note"), 12);
    }

    @Test
    void rendersContentsPagesVerdictsAndMarksPredictions()
    {
        final String html = LabBookPage.render(List.of(
            page("craq-scaling", Finding.undecided("needs a core per node"), true),
            page("hops", Finding.holds("4 hops"), false)), Map.of("host", "box"), true);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("href=\"#exp-craq-scaling\"") && html.contains("id=\"exp-hops\""));
        assertTrue(html.contains("CRAQ &lt;scales&gt;"), "claims are escaped");
        assertTrue(html.contains("CRAQ (PREDICTED)"), "a predicted series is labelled");
        assertTrue(html.contains("stroke-dasharray=\"6 3\""), "and dashed");
        assertTrue(html.contains("class=\"verdict undecided\">cannot be decided here"));
        assertTrue(html.contains("class=\"verdict holds\">holds"));
        assertTrue(html.contains("<td>6260000</td>"));
        assertTrue(html.contains("bin/lab predict --protocol chain"));
        assertTrue(html.contains("Quick book"));
        assertFalse(html.contains("http://") || html.contains("https://"), "self-contained: no network");
    }

    @Test
    void aMeasuredSeriesIsNotLabelledPredicted()
    {
        final String html = LabBookPage.render(List.of(page("hops", Finding.holds("ok"), false)), Map.of(), false);
        assertFalse(html.contains("PREDICTED"));
        assertFalse(html.contains("Quick book"));
    }
}
