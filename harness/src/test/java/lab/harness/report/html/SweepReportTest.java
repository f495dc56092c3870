package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lab.harness.report.html.HtmlReportTest.chart;
import static lab.harness.report.html.HtmlReportTest.contract;
import static lab.harness.report.html.HtmlReportTest.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep pages of the report: the p99 bound, the saturation knee, requested against achieved rate, the
 * uncorrected service time beside the corrected latency, and baselines grouped in the comparison table.
 */
class SweepReportTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RING = Pattern.compile("<g class=\"ring\"><circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");
    private static final Pattern SERIES = Pattern.compile(
        "<polyline class=\"series\"[^>]*points=\"([^\"]*)\"><title>([^<]*)</title>");

    private static final double BOUND_US = 1000;

    /**
     * An open-loop sweep point as {@code lab sweep} writes it: write p99 = 30 x scale us, read p99 = 10 x scale us
     * (see {@link HtmlReportTest#contract}), service time a third of the corrected latency.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> point(final String protocol, final double requested, final double achieved,
        final double scale, final boolean inSweep)
    {
        final Map<String, Object> run = new LinkedHashMap<>(contract(protocol, 3, achieved, scale,
            Map.of("rate_per_s", requested, "load", "open-loop")));
        run.put("requested_rate", requested);
        for (final String type : new String[]{"write", "read"})
        {
            final Map<String, Object> op = (Map<String, Object>)((Map<String, Object>)run.get("ops")).get(type);
            final Map<String, Object> latency = (Map<String, Object>)op.get("latency_us");
            final Map<String, Object> service = new LinkedHashMap<>();
            latency.forEach((k, v) -> service.put(k, ((Number)v).doubleValue() / 3));
            op.put("service_time_us", service);
        }
        if (inSweep)
        {
            run.put("sweep", Map.of("p99_bound_us", BOUND_US, "load", requested, "load_kind", "requested ops/s"));
        }
        return run;
    }

    private static void write(final Path dir, final String name, final Object content) throws IOException
    {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(name).toFile(), content);
    }

    /**
     * raft: 10k, 20k, 40k requested, all within 1 ms and 95% achieved; 80k reaches 70% only with p99 6 ms: the knee
     * is 40k. chain: every point over the bound: no knee.
     */
    private static Path sweepFolder(final Path root, final boolean inSweep) throws IOException
    {
        final Path dir = root.resolve("2025-01-03-sweep");
        final double[][] raft = {{10_000, 9_900, 1}, {20_000, 19_800, 3}, {40_000, 38_800, 20}, {80_000, 56_000, 200}};
        for (final double[] p : raft)
        {
            write(dir, "run-raft-" + (long)p[0] + ".json", point("raft", p[0], p[1], p[2], inSweep));
        }
        write(dir, "run-chain-10000.json", point("chain", 10_000, 9_950, 50, inSweep));
        write(dir, "run-chain-20000.json", point("chain", 20_000, 19_900, 80, inSweep));
        return dir;
    }

    private static List<String[]> series(final String svg)
    {
        final List<String[]> out = new ArrayList<>();
        final Matcher m = SERIES.matcher(svg);
        while (m.find())
        {
            out.add(new String[]{m.group(2), m.group(1)});
        }
        return out;
    }

    private static List<double[]> points(final String polylinePoints)
    {
        return lines("<polyline class=\"series\" points=\"" + polylinePoints + "\"").get(0);
    }

    private static String[] named(final String svg, final String label)
    {
        return series(svg).stream().filter(s -> s[0].equals(label)).findFirst()
            .orElseThrow(() -> new AssertionError("no series '" + label + "' in " + series(svg).stream()
                .map(s -> s[0]).toList()));
    }

    @Test
    void shouldDrawTheP99BoundAndRingTheKneeOfEachCurve(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(sweepFolder(tmp, true)));
        for (final String type : new String[]{"write", "read"})
        {
            final String svg = chart(html, "chart-latency-throughput-" + type);
            final List<double[]> bound = points(named(svg, "p99 bound 1 ms")[1]);
            assertEquals(2, bound.size());
            assertEquals(bound.get(0)[1], bound.get(1)[1], 1e-9, "the bound is a horizontal line");
            final List<double[]> raft = points(named(svg, "raft (4 runs)")[1]);
            final Matcher ring = RING.matcher(svg);
            assertTrue(ring.find(), "raft's knee is ringed");
            // by throughput: 9.9k, 19.8k, 38.8k, 56k: the knee is the third point
            assertEquals(raft.get(2)[0], Double.parseDouble(ring.group(1)), 0.01, type);
            assertEquals(raft.get(2)[1], Double.parseDouble(ring.group(2)), 0.01, type);
            assertTrue(raft.get(2)[1] > bound.get(0)[1], "the knee lies under the bound (larger y on screen)");
            assertTrue(raft.get(3)[1] < bound.get(0)[1], "the p99 beyond the knee crosses the bound");
            assertFalse(ring.find(), "chain met the bound nowhere: no second ring");
            assertTrue(svg.contains(">knee 40k/s requested</text>"), "the knee is labelled by its load");
        }
        final String table = html.substring(html.indexOf("<table id=\"saturation-table\">"));
        assertTrue(table.contains("<td class=\"run\">raft</td><td class=\"num\">1 ms</td>" +
            "<td class=\"num\">40000 ops/s requested</td><td class=\"num\">38800</td><td class=\"num\">600</td>"),
            table.substring(0, 600));
        assertTrue(table.contains("<td class=\"run\">chain</td><td class=\"num\">1 ms</td>" +
            "<td colspan=\"3\">no load met the bound</td>"), table.substring(0, 600));
        HtmlReportTest.assertSelfContained(html);
    }

    @Test
    void shouldDrawTheUncorrectedServiceTimeBesideTheCorrectedLatency(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(sweepFolder(tmp, true)));
        final String svg = chart(html, "chart-latency-throughput-write");
        final List<double[]> corrected = points(named(svg, "raft (4 runs)")[1]);
        final List<double[]> service = points(named(svg, "raft service time")[1]);
        assertEquals(corrected.size(), service.size(), "one service-time point per run");
        for (int i = 0; i < corrected.size(); i++)
        {
            assertEquals(corrected.get(i)[0], service.get(i)[0], 0.01, "the same throughput");
            assertTrue(service.get(i)[1] > corrected.get(i)[1], "service time a third of latency: lower on screen");
        }
        assertTrue(html.contains("uncorrected for coordinated omission"), "the note says what the dashed line is");
    }

    @Test
    void shouldDrawAchievedAgainstRequestedRate(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(sweepFolder(tmp, true)));
        final String svg = chart(html, "chart-requested-achieved");
        final List<double[]> raft = points(named(svg, "raft")[1]);
        assertEquals(4, raft.size());
        final List<double[]> equal = points(named(svg, "achieved = requested")[1]);
        final List<double[]> share = points(named(svg, "95% of requested")[1]);
        // pixel y of the lines at the last raft point's x, by interpolation between their two ends
        final double x = raft.get(3)[0];
        final double yEqual = at(equal, x);
        final double yShare = at(share, x);
        assertTrue(raft.get(3)[1] > yShare && yShare > yEqual, "80k requested, 56k achieved: below the 95% line");
        assertTrue(raft.get(2)[1] < at(share, raft.get(2)[0]), "40k requested, 38.8k achieved: above it");
        assertTrue(svg.contains("requested 80000, achieved 56000 ops/s (70%)"), "tooltips give both rates");
    }

    private static double at(final List<double[]> line, final double x)
    {
        final double[] a = line.get(0);
        final double[] b = line.get(1);
        return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
    }

    @Test
    void shouldDrawNoBoundNorKneeForRunsNotMadeByASweep(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(sweepFolder(tmp, false)));
        final String svg = chart(html, "chart-latency-throughput-write");
        assertFalse(svg.contains("p99 bound"), "no bound was given");
        assertFalse(svg.contains("class=\"ring\""), "no knee without a bound");
        assertFalse(html.contains("<table id=\"saturation-table\""));
        assertTrue(html.contains("chart-requested-achieved"), "open-loop runs still compare the two rates");
    }

    @Test
    void shouldDrawNoRequestedRateChartForClosedLoopRuns(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("closed");
        write(dir, "run-raft.json", contract("raft", 3, 100_000, 2, Map.of()));
        final String html = HtmlReport.render(List.of(dir));
        assertFalse(html.contains("chart-requested-achieved"));
        assertFalse(chart(html, "chart-latency-throughput-write").contains("service time"),
            "a closed loop sends when it means to: no separate service-time curve");
    }

    @Test
    void shouldGroupBaselinesAheadOfTheReplicatedProtocols(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("cmp");
        // name order would put chain first; the table puts the baselines first, under their own heading
        write(dir, "run-chain.json", contract("chain", 3, 500_000, 3, Map.of()));
        write(dir, "run-echo.json", contract("echo", 1, 2_000_000, 1, Map.of()));
        write(dir, "run-none.json", contract("none", 1, 1_500_000, 1.5, Map.of()));
        write(dir, "run-raft.json", contract("raft", 3, 300_000, 4, Map.of()));
        final String html = HtmlReport.render(List.of(dir));
        final String table = html.substring(html.indexOf("<table id=\"comparison\">"), html.indexOf("</table>"));
        final int baselines = table.indexOf("<tr class=\"group\"><th colspan=\"15\">baselines");
        final int echo = table.indexOf("</span>echo");
        final int none = table.indexOf("</span>none");
        final int replicated = table.indexOf("<tr class=\"group\"><th colspan=\"15\">replicated protocols</th>");
        final int chain = table.indexOf("</span>chain");
        final int raft = table.indexOf("</span>raft");
        assertTrue(baselines >= 0 && baselines < echo && echo < none && none < replicated && replicated < chain &&
            chain < raft, table);
        // x echo: write p50 over echo's (contract() scales it): chain 3.0, none 1.5, raft 4.0
        // (labels carry n=1 / n=3: the replica count differs between the runs)
        final String chainRow = table.substring(chain, table.indexOf("</tr>", chain));
        assertTrue(chainRow.endsWith("<td class=\"num\">3.0</td>"), chainRow);
        final String noneRow = table.substring(none, table.indexOf("</tr>", none));
        assertTrue(noneRow.endsWith("<td class=\"num\">1.5</td>"), noneRow);
    }

    @Test
    void shouldLiftTheLabelsOfKneesThatLieTogether()
    {
        final LineChart chart = new LineChart("c", "t", new Axis.Linear("x", 0, 100, Html::rateLabel),
            new Axis.Linear("y", 0, 100, Html::rateLabel));
        chart.ring(10, 50, "knee 10k/s requested", "#000").ring(10.5, 50, "knee 10k/s requested", "#111");
        final Matcher m = Pattern.compile("class=\"ring-label\" x=\"[0-9.]+\" y=\"([0-9.]+)\"").matcher(chart.render());
        assertTrue(m.find());
        final double first = Double.parseDouble(m.group(1));
        assertTrue(m.find());
        assertTrue(Math.abs(first - Double.parseDouble(m.group(1))) >= 13, "one label above the other");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShadeTheCurvesOfOneProtocolApart(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("sweep");
        for (final int n : new int[]{3, 5})
        {
            for (final double rate : new double[]{10_000, 20_000})
            {
                final Map<String, Object> run = point("raft", rate, rate, n, true);
                run.put("replicas", n);
                ((Map<String, Object>)run.get("config")).put("replicas", n);
                write(dir, "run-raft-" + n + "-" + (long)rate + ".json", run);
            }
        }
        final String svg = chart(HtmlReport.render(List.of(dir)), "chart-latency-throughput-write");
        final Matcher three = Pattern.compile("stroke=\"(#[0-9a-f]{6})\" stroke-width=\"2\" points=\"[^\"]*\">" +
            "<title>raft n=3 \\(2 runs\\)").matcher(svg);
        final Matcher five = Pattern.compile("stroke=\"(#[0-9a-f]{6})\" stroke-width=\"2\" points=\"[^\"]*\">" +
            "<title>raft n=5 \\(2 runs\\)").matcher(svg);
        assertTrue(three.find() && five.find(), svg);
        assertFalse(three.group(1).equals(five.group(1)), "n=3 and n=5 in different shades");
    }

    @Test
    void shouldNotGroupATableOfProtocolsOnly(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("cmp");
        write(dir, "run-raft.json", contract("raft", 3, 300_000, 4, Map.of()));
        write(dir, "run-chain.json", contract("chain", 3, 500_000, 3, Map.of()));
        assertFalse(HtmlReport.render(List.of(dir)).contains("<tr class=\"group\">"));
    }
}
