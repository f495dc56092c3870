package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern POLYLINE = Pattern.compile("<polyline class=\"series\"[^>]*points=\"([^\"]*)\"");
    private static final Pattern BAR = Pattern.compile("<rect class=\"bar [^\"]*\"[^>]*height=\"([0-9.]+)\"");
    private static final Pattern EXTERNAL =
        Pattern.compile("(?i)\\b(src|href|xlink:href)\\s*=\\s*[\"']?\\s*(https?:|//|ftp:)");

    // ------------------------------------------------------------------------------------------- contract fixtures

    /**
     * A results contract as {@code lab run --json} writes it, with latencies scaled by {@code scale}.
     */
    static Map<String, Object> contract(final String protocol, final int replicas, final double throughput,
        final double scale, final Map<String, Object> configExtra)
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("protocol", protocol);
        root.put("replicas", replicas);
        root.put("transport", "ipc");
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("protocol", protocol);
        config.put("replicas", replicas);
        config.put("transport", "ipc");
        config.put("workload", Map.of("read_ratio", 0.5, "keys", 10000));
        config.put("load", "closed-loop");
        config.put("clients", 1);
        config.put("outstanding_per_client", 1);
        config.put("duration_ms", 3000);
        config.put("warmup_ms", 1000);
        config.putAll(configExtra);
        config.put("protocol_options", Map.of("heartbeat", "5ms"));
        root.put("config", config);
        root.put("environment", Map.of("cpu", "Test CPU", "cores", 2, "jvm", "OpenJDK 17", "aeron", "1.51.0",
            "commit", "abc123"));
        final Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("write", op(throughput / 2, 4.0, 4, 3 * scale));
        ops.put("read", op(throughput / 2, 2.0, 2, scale));
        root.put("ops", ops);
        root.put("throughput_total", throughput);
        root.put("hops_note", "write: client->primary->backups->primary->client");
        root.put("messages", Map.of("client_replica", 100, "replica_replica", 100, "per_op", 4.0,
            "bytes_per_op", 300.0));
        root.put("transport_stats", Map.of("idle_strategy", "busy-spin", "back_pressure_retries", 0));
        final List<Map<String, Object>> timeline = new ArrayList<>();
        for (int t = 1; t <= 4; t++)
        {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("t_s", (double)t);
            p.put("ops_per_s", throughput * (0.9 + 0.05 * t));
            p.put("read_count", 1000);
            p.put("read_p50_us", scale);
            p.put("read_p99_us", 10 * scale * t);
            p.put("read_max_us", 100 * scale);
            p.put("write_count", t == 2 ? 0 : 1000);
            p.put("write_p50_us", 3 * scale);
            p.put("write_p99_us", t == 2 ? 0 : 30 * scale);
            p.put("write_max_us", 300 * scale);
            timeline.add(p);
        }
        root.put("timeline", timeline);
        return root;
    }

    private static Map<String, Object> op(final double throughput, final double hops, final int theory,
        final double base)
    {
        final Map<String, Object> block = new LinkedHashMap<>();
        block.put("count", (long)(throughput * 3));
        block.put("throughput", throughput);
        block.put("timeouts", 0);
        final Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", base);
        l.put("p90", 2 * base);
        l.put("p99", 10 * base);
        l.put("p999", 50 * base);
        l.put("p9999", 200 * base);
        l.put("max", 1000 * base);
        l.put("mean", 1.5 * base);
        block.put("latency_us", l);
        block.put("hops", Map.of("measured", hops, "theory", theory));
        block.put("msgs_per_op", 4.0);
        block.put("percentile_distribution", List.of(
            List.of(0.0, base / 2), List.of(50.0, base), List.of(90.0, 2 * base), List.of(99.0, 10 * base),
            List.of(99.9, 50 * base), List.of(99.99, 200 * base), List.of(100.0, 1000 * base)));
        return block;
    }

    private static Path write(final Path dir, final String name, final Object content) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(name);
        JSON.writeValue(file.toFile(), content);
        return file;
    }

    /**
     * A compare folder: run-*.json per protocol and the run.json that holds them all.
     */
    private static Path compareFolder(final Path root) throws IOException
    {
        final Path dir = root.resolve("2025-01-01-compare");
        final List<Map<String, Object>> runs = List.of(
            contract("primary-backup", 3, 400_000, 2, Map.of()),
            contract("raft", 3, 120_000, 3, Map.of()),
            contract("chain", 3, 300_000, 2.5, Map.of()));
        for (final Map<String, Object> r : runs)
        {
            write(dir, "run-" + r.get("protocol") + ".json", r);
        }
        write(dir, "run.json", Map.of("environment", runs.get(0).get("environment"), "runs", runs));
        return dir;
    }

    // --------------------------------------------------------------------------------------------- html helpers

    static String chart(final String html, final String id)
    {
        final int start = html.indexOf("<svg id=\"" + id + "\"");
        assertTrue(start >= 0, "chart svg#" + id + " missing");
        final int end = html.indexOf("</svg>", start);
        assertTrue(end > start, "chart svg#" + id + " not closed");
        return html.substring(start, end);
    }

    /**
     * @return per polyline of class "series", its points as (x, y) pairs.
     */
    static List<List<double[]>> lines(final String svg)
    {
        final List<List<double[]>> lines = new ArrayList<>();
        final Matcher m = POLYLINE.matcher(svg);
        while (m.find())
        {
            final List<double[]> pts = new ArrayList<>();
            for (final String pair : m.group(1).trim().split("\\s+"))
            {
                if (!pair.isEmpty())
                {
                    final String[] xy = pair.split(",");
                    pts.add(new double[]{Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
                }
            }
            lines.add(pts);
        }
        return lines;
    }

    private static int count(final String s, final String what)
    {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1))
        {
            n++;
        }
        return n;
    }

    static void assertSelfContained(final String html)
    {
        final Matcher m = EXTERNAL.matcher(html);
        assertFalse(m.find(), () -> "external URL in the report: " + html.substring(Math.max(0, m.start() - 60),
            Math.min(html.length(), m.end() + 60)));
        assertFalse(html.contains("<link"), "no <link> (stylesheets are inlined)");
        assertFalse(Pattern.compile("<script[^>]*\\bsrc\\s*=").matcher(html).find(), "no <script src>");
        assertFalse(Pattern.compile("@import|url\\(\\s*['\"]?(https?:)?//").matcher(html).find(), "no CSS imports");
    }

    // --------------------------------------------------------------------------------------------------- tests

    @Test
    void shouldDrawEveryChartWithDataFromACompareFolder(@TempDir final Path tmp) throws IOException
    {
        final Path dir = compareFolder(tmp);
        final Path out = HtmlReport.write(List.of(dir), tmp.resolve("out/report.html"));
        final String html = Files.readString(out);

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (final String id : new String[]{"chart-percentiles-write", "chart-percentiles-read",
            "chart-timeline-write", "chart-timeline-read", "chart-timeline-throughput"})
        {
            final List<List<double[]>> lines = lines(chart(html, id));
            final boolean latencyOverTime = id.equals("chart-timeline-write") || id.equals("chart-timeline-read");
            assertEquals(latencyOverTime ? 6 : 3, lines.size(), id + ": one line per protocol (latency over time: " +
                "its p99 and its max)");
            for (final List<double[]> line : lines)
            {
                assertTrue(line.size() >= 3, id + ": a line with points");
            }
        }
        for (final String id : new String[]{"chart-latency-throughput-write", "chart-latency-throughput-read"})
        {
            final String svg = chart(html, id);
            assertEquals(3, lines(svg).size(), id);
            assertEquals(3, count(svg, "<circle class=\"point\""), id + ": one point per protocol");
        }
        final Matcher bars = BAR.matcher(chart(html, "chart-hops"));
        int drawnBars = 0;
        while (bars.find())
        {
            assertTrue(Double.parseDouble(bars.group(1)) > 0);
            drawnBars++;
        }
        assertEquals(3 * 4, drawnBars, "write/read measured and theory per run");
        assertSelfContained(html);
        assertFalse(html.contains("http://") || html.contains("https://"), "no URL at all");
    }

    @Test
    void shouldPrintTheComparisonTableEnvironmentAndConfig(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(compareFolder(tmp)));
        final int table = html.indexOf("<table id=\"comparison\">");
        assertTrue(table >= 0);
        final String body = html.substring(table, html.indexOf("</table>", table));
        assertEquals(3, count(body, "<tr data-series="), "one row per run (run.json not counted twice)");
        // primary-backup: 400000 ops/s, writes p50 6 p99 60 p99.9 300, reads 2 20 100, hops 4 (4) and 2 (2), 4 msgs/op
        assertTrue(body.contains("primary-backup"));
        assertTrue(body.contains("<td class=\"num\">400000</td>"));
        assertTrue(body.contains("<td class=\"num\">6.0</td><td class=\"num\">60.0</td><td class=\"num\">300</td>"),
            body);
        assertTrue(body.contains("<td class=\"num\">2.0</td><td class=\"num\">20.0</td><td class=\"num\">100</td>"));
        assertTrue(body.contains("4.00 (4)") && body.contains("2.00 (2)"));
        assertTrue(body.contains("<td class=\"num\">4.00</td>"), "msgs/op");
        assertTrue(html.contains("<section id=\"environment\">") && html.contains("Test CPU")
            && html.contains("abc123"));
        assertTrue(html.contains("config.workload.read_ratio") && html.contains("config.protocol_options.heartbeat"));
    }

    @Test
    void shouldDrawLatencyPercentilesOnALogPercentileAxis(@TempDir final Path tmp) throws IOException
    {
        final String svg = chart(HtmlReport.render(List.of(compareFolder(tmp))), "chart-percentiles-write");
        for (final String label : new String[]{">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<"})
        {
            assertTrue(svg.contains(label), "tick " + label);
        }
        // equal steps per nine: 0% -> 90% -> 99% -> 99.9% lie evenly spaced, latency grows upwards
        final List<double[]> line = lines(svg).get(0);
        final double x0 = line.get(0)[0];
        final double x90 = line.get(2)[0];
        final double x99 = line.get(3)[0];
        final double x999 = line.get(4)[0];
        assertEquals(x90 - x0, x99 - x90, 0.05);
        assertEquals(x99 - x90, x999 - x99, 0.05);
        for (int i = 1; i < line.size(); i++)
        {
            assertTrue(line.get(i)[0] > line.get(i - 1)[0], "x increasing");
            assertTrue(line.get(i)[1] < line.get(i - 1)[1], "y (latency) rising on screen");
        }
        assertTrue(svg.contains(">1 ms<") || svg.contains(">100 us<"), "latency ticks in time units");
    }

    @Test
    void shouldPutTheMaximumWhereOneOperationInCountLiesBeyond()
    {
        final ReportRun run = new ReportRun(JSON.valueToTree(contract("raft", 3, 2_000_000, 1, Map.of())), Path.of("x"));
        final List<double[]> pts = run.percentilePoints("write");
        assertEquals(1.0, pts.get(0)[0], 1e-9);
        assertEquals(10.0, pts.get(2)[0], 1e-9);
        assertEquals(100.0, pts.get(3)[0], 1e-6);
        assertEquals(3_000_000.0, pts.get(pts.size() - 1)[0], 1e-6, "x of the max = count");
        assertEquals("99.99%", Axis.percentileLabel(10_000));
        assertEquals("90%", Axis.percentileLabel(10));
    }

    @Test
    void shouldDrawLatencyThroughputCurvesFromASweep(@TempDir final Path tmp) throws IOException
    {
        final Path sweep = tmp.resolve("2025-01-02-sweep");
        final double[] raftRates = {50_000, 10_000, 100_000};
        for (final double rate : raftRates)
        {
            write(sweep, "run-raft-" + (long)rate + ".json",
                contract("raft", 3, rate * 0.98, rate / 20_000, Map.of("rate_per_s", rate)));
        }
        for (final double rate : new double[]{20_000, 200_000})
        {
            write(sweep, "run-chain-" + (long)rate + ".json",
                contract("chain", 3, rate * 0.99, rate / 50_000, Map.of("rate_per_s", rate)));
        }
        final String html = HtmlReport.render(List.of(sweep));
        final String svg = chart(html, "chart-latency-throughput-write");
        final List<List<double[]>> curves = lines(svg);
        assertEquals(2, curves.size(), "one curve per protocol");
        // files are read in name order: run-chain-* before run-raft-*
        assertEquals(2, curves.get(0).size(), "chain: two loads");
        assertEquals(3, curves.get(1).size(), "raft: three loads");
        for (final List<double[]> curve : curves)
        {
            for (int i = 1; i < curve.size(); i++)
            {
                assertTrue(curve.get(i)[0] > curve.get(i - 1)[0], "sorted by throughput");
                assertTrue(curve.get(i)[1] < curve.get(i - 1)[1], "p99 grows with load here (up on screen)");
            }
        }
        assertTrue(svg.contains("raft (3 runs)") && svg.contains("chain (2 runs)"));
        assertEquals(5, count(svg, "<circle class=\"point\""));
        // runs are named by what varies between them: the rate
        assertTrue(html.contains("raft 10000/s") || html.contains("raft closed-loop 10000/s"),
            "labels name the load");
        assertEquals(5, lines(chart(html, "chart-percentiles-read")).size(), "one percentile line per run");
        assertSelfContained(html);
    }

    @Test
    void shouldSkipTimelineIntervalsWithoutOperationsOfTheType(@TempDir final Path tmp) throws IOException
    {
        final String html = HtmlReport.render(List.of(compareFolder(tmp)));
        // the fixture has no writes in its second interval
        assertEquals(3, lines(chart(html, "chart-timeline-write")).get(0).size());
        assertEquals(4, lines(chart(html, "chart-timeline-read")).get(0).size());
        assertTrue(chart(html, "chart-timeline-write").contains("class=\"band\""), "warm-up shaded");
    }

    @Test
    void shouldEscapeEveryStringFromTheResults(@TempDir final Path tmp) throws IOException
    {
        final Map<String, Object> evil = contract("<img src=x onerror=alert(1)>", 3, 1000, 1,
            Map.of("note", "\"quoted\" & <b>bold</b> 'single'"));
        evil.put("warnings", List.of("<script>alert('w')</script>"));
        final Path file = write(tmp, "run-evil.json", evil);
        final String html = HtmlReport.render(List.of(file));
        assertFalse(html.contains("<img src=x"), "tag from JSON must not reach the page");
        assertFalse(html.contains("<script>alert"), "script from JSON must not reach the page");
        assertFalse(html.contains("<b>bold</b>"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(html.contains("&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;single&#39;"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;w&#39;)&lt;/script&gt;"), "warnings shown, escaped");
        assertEquals(1, count(html, "<script>"), "only the report's own script");
        assertSelfContained(html);
    }

    @Test
    void shouldReadRunJsonFilesAndSingleContractsAndFoldersOfFolders(@TempDir final Path tmp) throws IOException
    {
        final Path compare = compareFolder(tmp.resolve("results"));
        final Path single = write(tmp.resolve("results/2025-01-03-run"), "out.json",
            contract("quorum", 5, 50_000, 4, Map.of()));
        // run.json alone
        String html = HtmlReport.render(List.of(compare.resolve("run.json")));
        assertEquals(3, count(html, "<tr data-series="));
        // the results root: every folder below it; out.json is not a run-*.json so only explicit files read it
        html = HtmlReport.render(List.of(tmp.resolve("results")));
        assertEquals(3, count(html, "<tr data-series="));
        // a folder plus its own run.json plus a single contract: no run twice
        html = HtmlReport.render(List.of(compare, compare.resolve("run.json"), single));
        assertEquals(4, count(html, "<tr data-series="));
        assertTrue(html.contains("quorum"));
        assertNotNull(chart(html, "chart-hops"));
    }

    @Test
    void shouldReadAFolderInNaturalNameOrder()
    {
        final List<String> names = new ArrayList<>(List.of("run-raft-o64.json", "run-raft-o4.json",
            "run-raft-o16.json", "run-chain.json", "run-raft-o1.json"));
        names.sort(RunLoader::natural);
        assertEquals(List.of("run-chain.json", "run-raft-o1.json", "run-raft-o4.json", "run-raft-o16.json",
            "run-raft-o64.json"), names);
    }

    @Test
    void shouldRejectInputsWithoutRuns(@TempDir final Path tmp) throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(List.of(empty)));
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(List.of(tmp.resolve("missing"))));
        final Path other = write(tmp, "other.json", Map.of("hello", "world"));
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(List.of(other)));
        final Path broken = tmp.resolve("run-broken.json");
        Files.writeString(broken, "{ not json");
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(List.of(broken)));
    }

    @Test
    void shouldDrawAReportOfARealSimulatedRun(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("sim");
        for (final String protocol : new String[]{"none", "echo"})
        {
            final RunConfig.Builder config = RunConfig.builder();
            config.protocol(protocol);
            config.transport("sim");
            config.durationNs(TimeUnit.MILLISECONDS.toNanos(300));
            config.warmupNs(TimeUnit.MILLISECONDS.toNanos(50));
            config.intervalNs(TimeUnit.MILLISECONDS.toNanos(50));
            final RunResult result = LabRunner.run(config.build());
            write(dir, "run-" + protocol + ".json",
                RunReport.toContract(result, Map.of("cpu", "sim", "cores", 1, "jvm", "test", "aeron", "-",
                    "commit", "-")));
        }
        final Path out = HtmlReport.write(List.of(dir), tmp.resolve("report.html"));
        final String html = Files.readString(out);
        for (final String id : HtmlReport.CHART_IDS)
        {
            final String svg = chart(html, id);
            final boolean hasLine = lines(svg).stream().anyMatch(l -> !l.isEmpty());
            final boolean hasBar = BAR.matcher(svg).find();
            assertTrue(hasLine || hasBar, id + " drew nothing");
        }
        assertEquals(2, lines(chart(html, "chart-percentiles-write")).size());
        assertTrue(lines(chart(html, "chart-percentiles-write")).get(0).size() > 10, "HdrHistogram distribution");
        assertTrue(lines(chart(html, "chart-timeline-read")).get(0).size() >= 3, "timeline intervals");
        assertSelfContained(html);
    }

    @Test
    void shouldShowJmhResultsFoundBesideTheRuns(@TempDir final Path dir) throws IOException
    {
        final Path folder = compareFolder(dir);
        write(folder, "jmh-2026-11-25-quick.json", List.of(Map.of(
            "benchmark", "lab.benchmarks.micro.ClientCodecBenchmark.encodeRequest",
            "mode", "avgt",
            "params", Map.of("valueSize", "64"),
            "primaryMetric", Map.of("score", 13.8, "scoreError", 0.4, "scoreUnit", "ns/op"),
            "secondaryMetrics", Map.of("\u00b7gc.alloc.rate.norm", Map.of("score", 0.001, "scoreUnit", "B/op")))));
        final String html = HtmlReport.render(List.of(folder));
        assertTrue(html.contains("<table id=\"jmh\">"), "JMH table");
        assertTrue(html.contains("micro.ClientCodecBenchmark.encodeRequest") && html.contains("valueSize=64") &&
            html.contains("13.800") && html.contains("ns/op") && html.contains("0.001"), "JMH row");
    }

    @Test
    void shouldMarkFaultsOnTheLatencyOverTimeCharts(@TempDir final Path dir) throws IOException
    {
        final Map<String, Object> run = new LinkedHashMap<>(contract("raft", 3, 100_000, 4, Map.of()));
        run.put("faults", Map.of("events", List.of(Map.of("t_s", 0.5, "event", "crash leader", "node", 0))));
        final Path file = write(dir, "run-raft.json", run);
        final String html = HtmlReport.render(List.of(file));
        assertTrue(html.contains("class=\"marker\"") && html.contains("crash leader"), "fault marked");
    }

    @Test
    void shouldGiveFailoverATableAndShadeTheOutage(@TempDir final Path dir) throws IOException
    {
        final Map<String, Object> run = new LinkedHashMap<>(contract("raft", 3, 100_000, 4, Map.of()));
        final Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("events", List.of(Map.of("t_s", 0.5, "event", "crash leader", "node", 0),
            Map.of("t_s", 0.52, "event", "restart", "node", 0)));
        faults.put("unavailability_ms", 212.5);
        faults.put("unavailability_from_s", 0.5);
        faults.put("unavailability_to_s", 0.712);
        faults.put("longest_write_gap_ms", 180.25);
        faults.put("writes_resumed", true);
        faults.put("time_to_new_role_holder_ms", 160.5);
        faults.put("write_latency_before", Map.of("writes", 1000, "mean_interval_p50_us", 4.5,
            "worst_interval_p99_us", 12.0));
        faults.put("write_latency_during", Map.of("writes", 0, "mean_interval_p50_us", 0, "worst_interval_p99_us", 0));
        faults.put("write_latency_after", Map.of("writes", 900, "mean_interval_p50_us", 5.0,
            "worst_interval_p99_us", 14.0));
        run.put("faults", faults);
        final String html = HtmlReport.render(List.of(write(dir, "run-raft.json", run)));
        final int section = html.indexOf("<section id=\"failover\">");
        assertTrue(section > 0, "failover section");
        final String table = html.substring(section, html.indexOf("</section>", section));
        assertTrue(table.contains("212.5") && table.contains("0.5 \u2013 0.712") && table.contains("180.25") &&
            table.contains("160.5") && table.contains("no writes"), table);
        assertTrue(html.contains("<rect class=\"outage\"") && html.contains("outage 212.5 ms"), "outage shaded");
    }

    @Test
    void shouldOmitTheFailoverSectionWithoutFaults(@TempDir final Path dir) throws IOException
    {
        final String html = HtmlReport.render(List.of(write(dir, "run-raft.json",
            contract("raft", 3, 100_000, 4, Map.of()))));
        assertTrue(!html.contains("<section id=\"failover\">"));
    }

    @Test
    void shouldPutNearbyLabelsOnDifferentRows()
    {
        final List<List<double[]>> rows = new ArrayList<>();
        assertEquals(0, LineChart.labelRow(rows, 100, 80));
        assertEquals(1, LineChart.labelRow(rows, 110, 80));
        assertEquals(2, LineChart.labelRow(rows, 60, 60));   // left of both, overlapping both
        assertEquals(0, LineChart.labelRow(rows, 180, 50));  // after the first row's label
        assertEquals(0, LineChart.labelRow(rows, 10, 40));   // before it, in any order
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNeverJoinRunsOfDifferentKindsIntoOneCurve(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("mixed");
        for (final String reads : new String[]{"lease", "read-index"})
        {
            for (final double rate : new double[]{10_000, 50_000})
            {
                final Map<String, Object> run = contract("raft", 3, rate * 0.98, rate / 20_000,
                    Map.of("rate_per_s", rate, "load", "open-loop"));
                ((Map<String, Object>)run.get("config")).put("protocol_options",
                    Map.of("heartbeat", "5ms", "raft-reads", reads));
                write(dir, "run-raft-" + reads + "-" + (long)rate + ".json", run);
            }
        }
        final Map<String, Object> closed = contract("raft", 3, 70_000, 2, Map.of());
        ((Map<String, Object>)closed.get("config")).put("protocol_options",
            Map.of("heartbeat", "5ms", "raft-reads", "lease"));
        write(dir, "run-raft-closed.json", closed);
        final String svg = chart(HtmlReport.render(List.of(dir)), "chart-latency-throughput-write");
        assertEquals(3, lines(svg).size(), "open loop with leases, open loop with ReadIndex, closed loop: " + svg);
        assertTrue(svg.contains("raft-reads=lease") && svg.contains("raft-reads=read-index") &&
            svg.contains("closed-loop") && svg.contains("open-loop"), "curves named by what differs");
        assertTrue(!svg.contains("heartbeat="), "options that do not differ are not in the names");
    }

    @Test
    void shouldGiveEachRunsWriteMedianAsAMultipleOfEcho(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("cmp");
        write(dir, "run-echo.json", contract("echo", 1, 2_000_000, 1, Map.of()));
        write(dir, "run-raft.json", contract("raft", 3, 300_000, 4, Map.of()));
        final String html = HtmlReport.render(List.of(dir));
        final String table = html.substring(html.indexOf("<table id=\"comparison\">"), html.indexOf("</table>"));
        // contract() makes write p50 proportional to its scale: raft's is 4x echo's
        assertTrue(table.contains("x echo") && table.contains("<td class=\"num\">4.0</td>") &&
            table.contains("<td class=\"num\">1.0</td>"), table);
    }

    @Test
    void shouldShowTheSpreadOfARepeatedRun(@TempDir final Path tmp) throws IOException
    {
        final Map<String, Object> run = new LinkedHashMap<>(contract("raft", 3, 300_000, 4, Map.of()));
        run.put("repeats", Map.of("runs", 3, "throughput", Map.of("min", 250_000.0, "median", 300_000.0,
            "max", 320_000.0)));
        final String html = HtmlReport.render(List.of(write(tmp, "run-raft.json", run)));
        assertTrue(html.contains("<small class=\"spread\">250000 \u2013 320000</small>") ||
            html.contains("<small class=\"spread\">250,000 \u2013 320,000</small>"), html.substring(
            html.indexOf("<table id=\"comparison\">"), html.indexOf("</table>")));
    }
}
