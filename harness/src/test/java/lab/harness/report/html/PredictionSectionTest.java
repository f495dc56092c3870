package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's PREDICTED section: predicted curves drawn and labelled as predictions, with the p99 bound and the
 * saturation point, alone and beside measured runs of the same protocol, replicas and link (and not beside those of
 * another link).
 */
class PredictionSectionTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHART_WRITE = PredictionSection.CHART_PREFIX + "chain-n3-write";

    /**
     * A predicted curve of chain, 3 replicas, 200 us links: write p50 120, 180, 1200 us at 10k, 50k, 90k ops/s (the
     * fixture's write latency is 3 x scale, its p99 10 x p50); the point at 50k carries the saturation mark.
     */
    private static Path predictFolder(final Path root) throws IOException
    {
        final Path dir = root.resolve("2026-12-01-predict");
        Files.createDirectories(dir);
        final double[] throughput = {10_000, 50_000, 90_000};
        final double[] scale = {40, 60, 400};
        for (int i = 0; i < throughput.length; i++)
        {
            final Map<String, Object> run = HtmlReportTest.contract("chain", 3, throughput[i], scale[i],
                Map.of("rate_per_s", throughput[i], "load", "open-loop"));
            run.put("transport", "sim");
            run.put("predicted", true);
            final Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("link", "200us: 200 us every link, jitter 0 us, no bandwidth limit");
            prediction.put("link_profile", "200us");
            prediction.put("link_delay_us", 200.0);
            prediction.put("link_jitter_us", 0.0);
            prediction.put("cores_per_cpu", 1);
            prediction.put("cpus", "a CPU per node");
            prediction.put("p99_bound_us", 1000.0);
            prediction.put("saturation_point", i == 1);
            run.put("prediction", prediction);
            JSON.writeValue(dir.resolve("run-chain-r3-" + i + ".json").toFile(), run);
        }
        return dir;
    }

    /**
     * A measured chain run, 3 replicas, at 30k ops/s with the given emulated link (null: none).
     */
    private static Path measured(final Path root, final String name, final String linkEmulation) throws IOException
    {
        final Path dir = root.resolve(name);
        Files.createDirectories(dir);
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("rate_per_s", 30_000.0);
        config.put("load", "open-loop");
        if (linkEmulation != null)
        {
            config.put("link_emulation", "lab receive-edge stage (no netem): " + linkEmulation);
        }
        final Map<String, Object> run = HtmlReportTest.contract("chain", 3, 30_000, 55, config);
        JSON.writeValue(dir.resolve("run-chain.json").toFile(), run);
        return dir;
    }

    @Test
    void shouldDrawPredictedCurvesWithTheBoundAndTheSaturationPointWithoutMeasuredRuns(@TempDir final Path tmp)
        throws IOException
    {
        final String html = HtmlReport.render(List.of(predictFolder(tmp)));
        HtmlReportTest.assertSelfContained(html);
        assertTrue(html.contains("<section id=\"prediction\">"), "the section is drawn");
        final String svg = HtmlReportTest.chart(html, CHART_WRITE);
        HtmlReportTest.chart(html, PredictionSection.CHART_PREFIX + "chain-n3-read");
        // predicted p50 and p99 through the three points, and the bound: a two-point line
        final List<List<double[]>> lines = HtmlReportTest.lines(svg);
        assertEquals(3, lines.size(), svg);
        assertEquals(3, lines.get(0).size());
        assertEquals(3, lines.get(1).size());
        assertEquals(2, lines.get(2).size());
        assertTrue(svg.contains("PREDICTED p99"), svg);
        assertTrue(svg.contains("chain n=3, writes: PREDICTED: 200us, a CPU per node x1 core(s), open-loop"), svg);
        assertTrue(svg.contains("PREDICTED saturation 50k ops/s"), svg);
        assertTrue(svg.contains("p99 bound 1 ms"), svg);
        assertTrue(svg.contains("no measured run on the same link"), svg);
        final String table = html.substring(html.indexOf("<table id=\"prediction-table\""));
        assertTrue(table.contains("50,000 ops/s"), table);
        assertTrue(table.contains("none on the same link and workload"), table);
    }

    @Test
    void shouldDrawMeasuredRunsOfTheSameLinkBesideThePredictionWithTheError(@TempDir final Path tmp)
        throws IOException
    {
        final Path predicted = predictFolder(tmp);
        final Path same = measured(tmp, "2026-12-01-sweep", "delay=200us jitter=0us loss=0.0");
        final Path other = measured(tmp, "2026-12-01-ipc", null);
        final String html = HtmlReport.render(List.of(predicted, same, other));
        final String svg = HtmlReportTest.chart(html, CHART_WRITE);
        // predicted p50, p99; measured p50, p99 (one point each) of the 200 us run only; the bound
        assertEquals(5, HtmlReportTest.lines(svg).size(), svg);
        assertTrue(svg.contains("measured ipc open-loop link 200+0us (2026-12-01-sweep) p50"), svg);
        assertFalse(svg.contains("2026-12-01-ipc"), "a run on another link is not set beside the prediction");
        assertFalse(svg.contains("no measured run on the same link"), svg);
        // write p50 predicted at 30k ops/s: halfway between 120 us (10k) and 180 us (50k) = 150; measured 165
        final String table = html.substring(html.indexOf("<table id=\"prediction-table\""));
        assertTrue(table.contains("write at 30,000 ops/s: p50 measured 165 us, PREDICTED 150 us (error -9%)"),
            table);
    }

    @Test
    void shouldLeaveTheSectionOutWithoutPredictedRuns(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(measured(tmp, "2026-12-01-sweep", null)));
        assertFalse(html.contains("id=\"prediction\""));
        assertFalse(html.contains(PredictionSection.CHART_PREFIX));
    }

    @Test
    void shouldInterpolateOnlyInsideThePredictedRange(@TempDir final Path tmp) throws IOException
    {
        final List<ReportRun> runs = RunLoader.load(List.of(predictFolder(tmp)));
        runs.sort(java.util.Comparator.comparingDouble(ReportRun::throughput));
        assertEquals(120, PredictionSection.interpolate(runs, "write", 10_000), 1e-9);
        assertEquals(150, PredictionSection.interpolate(runs, "write", 30_000), 1e-9);
        assertTrue(Double.isNaN(PredictionSection.interpolate(runs, "write", 5_000)));
        assertTrue(Double.isNaN(PredictionSection.interpolate(runs, "write", 95_000)));
    }
}
