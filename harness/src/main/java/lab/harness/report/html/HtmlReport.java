package lab.harness.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import lab.harness.report.Saturation;

import static lab.harness.report.html.Html.esc;

/**
 * {@code lab report}: one self-contained HTML file from results folders or files. It needs no network to open: the
 * charts are inline SVG drawn here, the CSS and a few lines of JavaScript (legend toggles, a "charts drew" check) are
 * inlined from {@code /report/} on the classpath. Charts, each an {@code <svg class="chart">} with a stable id:
 * <ul>
 * <li>{@code chart-percentiles-write}, {@code chart-percentiles-read}: latency by percentile per run on a log
 * percentile axis, as HdrHistogram plots draw it (x = 1/(1-percentile), labelled 90%, 99%, 99.9%...);</li>
 * <li>{@code chart-timeline-write}, {@code chart-timeline-read}: p99 per timeline interval;
 * {@code chart-timeline-throughput}: ops/s per interval;</li>
 * <li>{@code chart-latency-throughput-write}, {@code chart-latency-throughput-read}: p99 against ops/s, one curve
 * per protocol (and replica count, transport, workload where these vary) through its runs sorted by throughput;</li>
 * <li>{@code chart-hops}: hops measured beside theory, writes and reads, per run;</li>
 * <li>{@code chart-prediction-<protocol>-n<N>-<type>} (when some runs are {@code lab predict}'s): predicted curves,
 * marked PREDICTED, beside measured runs of the same protocol, replicas and link ({@link PredictionSection});</li>
 * <li>{@code chart-node-load} (when the runs have per-node load): busy time per operation per node, per run, the
 * bottleneck marked ({@link NodeLoadSection}).</li>
 * </ul>
 * and the comparison table {@code table#comparison}, the environment and every run's configuration.
 */
public final class HtmlReport
{
    static final String[] CHART_IDS = {
        "chart-percentiles-write", "chart-percentiles-read", "chart-timeline-write", "chart-timeline-read",
        "chart-timeline-throughput", "chart-latency-throughput-write", "chart-latency-throughput-read", "chart-hops"};

    private static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#7f7f7f"};
    private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3"};
    private static final String[] TYPES = {"write", "read"};

    private HtmlReport()
    {
    }

    /**
     * Writes the report.
     *
     * @param inputs     results folders (their run-*.json, else run.json, else the folders below them) or files
     *                   (run-*.json, a lab run --json file, run.json).
     * @param outputHtml where to write the HTML; parent folders are created.
     * @return outputHtml.
     * @throws IllegalArgumentException when an input is missing, unreadable or holds no runs.
     * @throws UncheckedIOException     when the report cannot be written.
     */
    public static Path write(final List<Path> inputs, final Path outputHtml)
    {
        final String html = render(inputs);
        try
        {
            final Path parent = outputHtml.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            Files.writeString(outputHtml, html, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + outputHtml, ex);
        }
        return outputHtml;
    }

    /**
     * @return the report for the inputs (see {@link #write(List, Path)}) as an HTML document.
     */
    public static String render(final List<Path> inputs)
    {
        final List<Path> jmh = JmhSection.find(inputs);
        final List<Path> detectors = DetectorsSection.find(inputs);
        final List<Path> runInputs = new ArrayList<>();
        for (final Path p : inputs)
        {
            if (!JmhSection.isJmhFile(p) && !DetectorsSection.isDetectorsFile(p) &&
                !(java.nio.file.Files.isDirectory(p) && !DetectorsSection.find(List.of(p)).isEmpty() &&
                !RunLoader.hasRunFiles(p)))
            {
                runInputs.add(p);
            }
        }
        // a report of lab detectors alone has no runs: only its section
        final List<ReportRun> runs = runInputs.isEmpty() && !detectors.isEmpty() ? List.of() :
            RunLoader.load(runInputs);
        name(runs);
        final StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>replication-lab report</title>\n<style>\n").append(resource("report.css"))
            .append("</style>\n</head>\n<body>\n");
        if (!runs.isEmpty())
        {
            header(sb, runs, inputs);
            table(sb, runs);
            failover(sb, runs);
            percentiles(sb, runs);
            timelines(sb, runs);
            latencyThroughput(sb, runs);
            PredictionSection.append(sb, runs);
            hops(sb, runs);
            NodeLoadSection.append(sb, runs);
            environment(sb, runs);
            configuration(sb, runs);
        }
        DetectorsSection.append(sb, detectors);
        JmhSection.append(sb, jmh);
        sb.append("<footer>replication-lab <code>lab report</code>: a self-contained file (inline SVG, no network).")
            .append("</footer>\n");
        sb.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * {@code HtmlReport OUTPUT.html INPUT...}: the same as {@code lab report}, for scripts and before the CLI has it.
     */
    public static void main(final String[] args)
    {
        if (args.length < 2)
        {
            System.err.println("usage: HtmlReport OUTPUT.html RESULTS_FOLDER_OR_FILE...");
            System.exit(2);
        }
        final List<Path> inputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++)
        {
            inputs.add(Path.of(args[i]));
        }
        try
        {
            System.out.println("report: " + write(inputs, Path.of(args[0])));
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------------------- naming

    /**
     * Labels every run by its protocol plus whatever varies between the runs (replicas, transport, workload, load,
     * folder), so two runs never share a label; colours each protocol with its own hue and its runs with shades.
     */
    static void name(final List<ReportRun> runs)
    {
        final Map<String, Set<String>> values = new LinkedHashMap<>();
        final List<Map<String, String>> dims = new ArrayList<>();
        for (final ReportRun r : runs)
        {
            dims.add(r.dims());
        }
        for (final Map<String, String> d : dims)
        {
            d.keySet().forEach(k -> values.putIfAbsent(k, new LinkedHashSet<>()));
        }
        for (final Map<String, String> d : dims)
        {
            values.forEach((k, v) -> v.add(d.getOrDefault(k, "")));
        }
        final List<String> varying = new ArrayList<>();
        values.forEach((k, v) -> {
            if (v.size() > 1)
            {
                varying.add(k);
            }
        });
        final Map<String, Integer> seen = new HashMap<>();
        final Map<String, Integer> protocolIndex = new LinkedHashMap<>();
        final Map<String, Integer> perProtocol = new HashMap<>();
        for (final ReportRun r : runs)
        {
            protocolIndex.putIfAbsent(r.protocol(), protocolIndex.size());
            perProtocol.merge(r.protocol(), 1, Integer::sum);
        }
        final Map<String, Integer> shadeIndex = new HashMap<>();
        int i = 0;
        for (final ReportRun r : runs)
        {
            final StringBuilder label = new StringBuilder(r.protocol());
            for (final String d : varying)
            {
                final String v = dims.get(i).getOrDefault(d, "");
                if (!v.isEmpty())
                {
                    label.append(' ').append(v);
                }
            }
            String l = label.toString();
            final int n = seen.merge(l, 1, Integer::sum);
            if (n > 1)
            {
                l = l + " #" + n;
            }
            r.label = l;
            r.key = "s" + i++;
            final String base = PALETTE[protocolIndex.get(r.protocol()) % PALETTE.length];
            final int count = perProtocol.get(r.protocol());
            final int k = shadeIndex.merge(r.protocol(), 1, Integer::sum) - 1;
            r.color = count == 1 ? base : shade(base, -0.35 + 0.8 * k / (count - 1));
        }
    }

    /**
     * @param t -1 .. 1: towards black below 0, towards white above.
     */
    static String shade(final String hex, final double t)
    {
        final int rgb = Integer.parseInt(hex.substring(1), 16);
        final int[] c = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int j = 0; j < 3; j++)
        {
            c[j] = (int)Math.round(t < 0 ? c[j] * (1 + t) : c[j] + (255 - c[j]) * t);
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
    }

    private static String dash(final ReportRun r, final List<ReportRun> runs)
    {
        // the same protocol's runs differ by shade; a dash pattern on top tells close shades apart
        int k = 0;
        for (final ReportRun o : runs)
        {
            if (o == r)
            {
                break;
            }
            if (o.protocol().equals(r.protocol()))
            {
                k++;
            }
        }
        return DASHES[k % DASHES.length];
    }

    // ---------------------------------------------------------------------------------------------------- sections

    private static void header(final StringBuilder sb, final List<ReportRun> runs, final List<Path> inputs)
    {
        sb.append("<header>\n<h1>replication-lab report</h1>\n<p class=\"meta\">")
            .append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append(" from ");
        for (int i = 0; i < inputs.size(); i++)
        {
            sb.append(i > 0 ? ", " : "").append("<code>").append(esc(inputs.get(i))).append("</code>");
        }
        sb.append("; generated ").append(esc(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)))
            .append(".</p>\n<nav><a href=\"#comparison-section\">table</a> <a href=\"#percentiles\">percentiles</a> ")
            .append("<a href=\"#failover\">failover</a> <a href=\"#timeline\">latency over time</a> <a href=\"#latency-throughput\">latency vs ")
            .append("throughput</a> <a href=\"#hops\">hops</a> <a href=\"#environment\">environment</a> ")
            .append("<a href=\"#configuration\">configuration</a></nav>\n");
        final List<String> warnings = new ArrayList<>();
        for (final ReportRun r : runs)
        {
            for (final JsonNode w : r.json.path("warnings"))
            {
                warnings.add(r.label + ": " + w.asText());
            }
        }
        if (!warnings.isEmpty())
        {
            sb.append("<div class=\"warnings\"><strong>Warnings</strong><ul>");
            warnings.forEach(w -> sb.append("<li>").append(esc(w)).append("</li>"));
            sb.append("</ul></div>\n");
        }
        sb.append("</header>\n");
    }

    private static void table(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"comparison-section\">\n<h2>Comparison</h2>\n")
            .append("<p class=\"note\">Latencies in microseconds. Hops: mean critical-path depth measured, theory in ")
            .append("brackets (bold when measured is above theory: retries on the critical path). msgs/op: every ")
            .append("message sent in the measurement window / operations completed. x echo: the run's write p50 over ")
            .append("the p50 of an echo run over the same transport (the transport's own round trip) in these inputs. ")
            .append("Under ops/s, for a run repeated (compare's rounds, run --repeat): min \u2013 max over the repeats; ")
            .append("the row is the median run.")
            .append("</p>\n")
            .append("<div class=\"table-wrap\"><table id=\"comparison\">\n<thead><tr><th rowspan=\"2\">run</th>")
            .append("<th rowspan=\"2\">replicas</th><th rowspan=\"2\">transport</th><th rowspan=\"2\">ops/s</th>")
            .append("<th colspan=\"3\">writes (us)</th><th colspan=\"3\">reads (us)</th>")
            .append("<th colspan=\"2\">hops measured (theory)</th><th rowspan=\"2\">msgs/op</th>")
            .append("<th rowspan=\"2\">timeouts</th><th rowspan=\"2\">w p50<br>x echo</th></tr>\n<tr><th>p50</th><th>p99</th><th>p99.9</th>")
            .append("<th>p50</th><th>p99</th><th>p99.9</th><th>write</th><th>read</th></tr></thead>\n<tbody>\n");
        // Baselines (echo, none) head the table in a group of their own: they are the yardsticks, not contenders.
        final List<ReportRun> ordered = new ArrayList<>(runs.stream().filter(ReportRun::isBaseline).toList());
        final boolean grouped = !ordered.isEmpty() && ordered.size() < runs.size();
        runs.stream().filter(r -> !r.isBaseline()).forEach(ordered::add);
        boolean inBaselines = false;
        for (final ReportRun r : ordered)
        {
            if (grouped && r.isBaseline() != inBaselines)
            {
                inBaselines = r.isBaseline();
                sb.append("<tr class=\"group\"><th colspan=\"15\">").append(inBaselines ?
                    "baselines (echo: the transport's round trip; none: one unreplicated store)" :
                    "replicated protocols").append("</th></tr>\n");
            }
            sb.append("<tr data-series=\"").append(esc(r.key)).append("\"><td class=\"run\"><span class=\"swatch\" ")
                .append("style=\"background:").append(esc(r.color)).append("\"></span>").append(esc(r.label))
                .append("</td><td>").append(esc(r.replicas())).append("</td><td>").append(esc(r.transport()))
                .append("</td><td class=\"num\">").append(Html.count(r.throughput())).append(spread(r))
                .append("</td>");
            for (final String type : TYPES)
            {
                for (final String p : new String[]{"p50", "p99", "p999"})
                {
                    sb.append("<td class=\"num\">")
                        .append(r.hasOps(type) ? Html.us(r.latency(type, p)) : "\u2013").append("</td>");
                }
            }
            for (final String type : TYPES)
            {
                final double measured = ReportRun.num(r.op(type).path("hops").path("measured"));
                final double theory = ReportRun.num(r.op(type).path("hops").path("theory"));
                final boolean over = measured > theory + 0.005;
                sb.append("<td class=\"num").append(over ? " over" : "").append("\">")
                    .append(r.hasOps(type) ? Html.fixed(measured, 2) : "\u2013").append(" (")
                    .append(Html.trim(Double.isNaN(theory) ? 0 : theory)).append(")</td>");
            }
            final double echoP50 = echoWriteP50(runs, r.transport());
            sb.append("<td class=\"num\">").append(Html.fixed(r.msgsPerOp(), 2)).append("</td><td class=\"num\">")
                .append(Html.count(r.timeouts())).append("</td><td class=\"num\">")
                .append(echoP50 > 0 && r.hasOps("write") ? Html.fixed(r.latency("write", "p50") / echoP50, 1) :
                    "\u2013").append("</td></tr>\n");
        }
        sb.append("</tbody></table></div>\n</section>\n");
    }

    /**
     * @return the throughput's min - max over a repeated run's repeats as a small second line, or "" when the run was
     * not repeated.
     */
    private static String spread(final ReportRun r)
    {
        final JsonNode t = r.json.path("repeats").path("throughput");
        if (r.json.path("repeats").path("runs").asInt(1) < 2 || !t.has("min") || !t.has("max"))
        {
            return "";
        }
        return "<br><small class=\"spread\">" + Html.count(t.path("min").asDouble()) + " \u2013 " +
            Html.count(t.path("max").asDouble()) + "</small>";
    }

    /**
     * @return the write p50 of the first echo run over {@code transport} in these inputs, or 0 when there is none.
     */
    private static double echoWriteP50(final List<ReportRun> runs, final String transport)
    {
        for (final ReportRun r : runs)
        {
            if ("echo".equals(r.protocol()) && transport.equals(r.transport()) && r.hasOps("write"))
            {
                return r.latency("write", "p50");
            }
        }
        return 0;
    }

    private static void percentiles(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"percentiles\">\n<h2>Latency by percentile</h2>\n<p class=\"note\">As HdrHistogram ")
            .append("plots draw it: x = 1/(1 - percentile) on a log axis, so each decade is one more nine; the ")
            .append("right end of a line is the maximum. Both axes log scale.</p>\n");
        for (final String type : TYPES)
        {
            double maxX = 10;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = 0;
            final Map<ReportRun, List<double[]>> data = new LinkedHashMap<>();
            for (final ReportRun r : runs)
            {
                final List<double[]> pts = r.percentilePoints(type);
                if (pts.isEmpty())
                {
                    continue;
                }
                data.put(r, pts);
                for (final double[] p : pts)
                {
                    maxX = Math.max(maxX, p[0]);
                    if (p[1] > 0)
                    {
                        minY = Math.min(minY, p[1]);
                        maxY = Math.max(maxY, p[1]);
                    }
                }
            }
            final Axis x = new Axis.Log("percentile", 1, maxX, Axis::percentileLabel, false);
            final Axis y = new Axis.Log(type + " latency", minY, maxY, Html::durationLabel, true);
            final LineChart chart = new LineChart("chart-percentiles-" + type,
                (type.equals("write") ? "Write" : "Read") + " latency by percentile", x, y);
            data.forEach((r, pts) -> chart.add(new LineChart.Series(r.label, r.color, dash(r, runs), pts, null, false,
                r.key)));
            sb.append("<figure>").append(chart.render()).append("</figure>\n");
        }
        sb.append("</section>\n");
    }

    private static void timelines(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"timeline\">\n<h2>Latency over time</h2>\n<p class=\"note\">p99 of each interval ")
            .append("of the run's timeline (solid) and its maximum (dotted: a stall shorter than 1% of an interval ")
            .append("shows only there), warm-up included (shaded grey), fault windows shaded orange, outages after a fault ")
            .append("shaded red, log scale; ")
            .append("then throughput per interval.</p>\n");
        double maxT = 0;
        final Set<Double> warmups = new LinkedHashSet<>();
        for (final ReportRun r : runs)
        {
            for (final JsonNode p : r.timeline())
            {
                final double t = ReportRun.num(p.path("t_s"));
                if (!Double.isNaN(t))
                {
                    maxT = Math.max(maxT, t);
                }
            }
            warmups.add(r.warmupSeconds());
        }
        final double warmup = warmups.size() == 1 ? warmups.iterator().next() : Double.NaN;
        for (final String type : TYPES)
        {
            double minY = Double.POSITIVE_INFINITY;
            double maxY = 0;
            final Map<ReportRun, List<double[]>> data = new LinkedHashMap<>();
            final Map<ReportRun, List<double[]>> maxData = new LinkedHashMap<>();
            final Map<ReportRun, List<String>> tips = new LinkedHashMap<>();
            final Map<ReportRun, List<String>> maxTips = new LinkedHashMap<>();
            for (final ReportRun r : runs)
            {
                final List<double[]> pts = new ArrayList<>();
                final List<double[]> maxPts = new ArrayList<>();
                final List<String> tip = new ArrayList<>();
                final List<String> maxTip = new ArrayList<>();
                for (final JsonNode p : r.timeline())
                {
                    final double t = ReportRun.num(p.path("t_s"));
                    final double v = ReportRun.num(p.path(type + "_p99_us"));
                    final double max = ReportRun.num(p.path(type + "_max_us"));
                    final double count = ReportRun.num(p.path(type + "_count"));
                    if (Double.isNaN(t) || !(v > 0) || count == 0)
                    {
                        continue;
                    }
                    pts.add(new double[]{t, v});
                    tip.add(String.format(Locale.ROOT, "t=%.1f s, p99 %s us, max %s us", t, Html.us(v), Html.us(max)));
                    minY = Math.min(minY, v);
                    maxY = Math.max(maxY, v);
                    if (max > 0)
                    {
                        maxPts.add(new double[]{t, max});
                        maxTip.add(String.format(Locale.ROOT, "t=%.1f s, max %s us", t, Html.us(max)));
                        maxY = Math.max(maxY, max);
                    }
                }
                if (!pts.isEmpty())
                {
                    data.put(r, pts);
                    tips.put(r, tip);
                }
                if (!maxPts.isEmpty())
                {
                    maxData.put(r, maxPts);
                    maxTips.put(r, maxTip);
                }
            }
            final Axis x = new Axis.Linear("time (s)", 0, Math.max(maxT, 1), Html::trim);
            final Axis y = new Axis.Log(type + " p99 per interval", minY, maxY, Html::durationLabel, true);
            final LineChart chart = new LineChart("chart-timeline-" + type,
                (type.equals("write") ? "Write" : "Read") + " p99 over time", x, y);
            if (warmup > 0)
            {
                chart.band(0, warmup, "warm-up");
            }
            for (final ReportRun r : runs)
            {
                // Faults (lab run --fault) are marked where they happened, named after the run when there are several.
                for (final JsonNode e : r.json.path("faults").path("events"))
                {
                    if (e.path("repeat").asBoolean(false))
                    {
                        continue; // a repeated pause: its window is shaded, its first pause marked
                    }
                    chart.marker(ReportRun.num(e.path("t_s")), (runs.size() > 1 ? r.label + ": " : "") +
                        e.path("event").asText());
                }
            }
            outages(chart, runs);
            data.forEach((r, pts) -> chart.add(new LineChart.Series(r.label, r.color, dash(r, runs), pts, tips.get(r),
                true, r.key)));
            maxData.forEach((r, pts) -> chart.add(new LineChart.Series(r.label + " max", r.color, "1 3", pts,
                maxTips.get(r), false, r.key)));
            sb.append("<figure>").append(chart.render()).append("</figure>\n");
        }
        double maxOps = 0;
        final LineChart.Series[] series = new LineChart.Series[runs.size()];
        for (int i = 0; i < runs.size(); i++)
        {
            final ReportRun r = runs.get(i);
            final List<double[]> pts = new ArrayList<>();
            final List<String> tip = new ArrayList<>();
            for (final JsonNode p : r.timeline())
            {
                final double t = ReportRun.num(p.path("t_s"));
                final double v = ReportRun.num(p.path("ops_per_s"));
                if (!Double.isNaN(t) && !Double.isNaN(v))
                {
                    pts.add(new double[]{t, v});
                    tip.add(String.format(Locale.ROOT, "t=%.1f s, %.0f ops/s", t, v));
                    maxOps = Math.max(maxOps, v);
                }
            }
            series[i] = pts.isEmpty() ? null : new LineChart.Series(r.label, r.color, dash(r, runs), pts, tip, true,
                r.key);
        }
        final LineChart chart = new LineChart("chart-timeline-throughput", "Throughput over time",
            new Axis.Linear("time (s)", 0, Math.max(maxT, 1), Html::trim),
            new Axis.Linear("ops/s per interval", 0, Math.max(maxOps, 1), Html::rateLabel));
        if (warmup > 0)
        {
            chart.band(0, warmup, "warm-up");
        }
        outages(chart, runs);
        for (final LineChart.Series s : series)
        {
            if (s != null)
            {
                chart.add(s);
            }
        }
        sb.append("<figure>").append(chart.render()).append("</figure>\n</section>\n");
    }

    /**
     * Shades each run's fault windows (the "during" phases of {@code faults.phases}: a partition until its heal, a
     * slow node until its clear, ...) and its unavailability window after a fault (lab run --fault).
     */
    private static void outages(final LineChart chart, final List<ReportRun> runs)
    {
        for (final ReportRun r : runs)
        {
            for (final JsonNode p : r.json.path("faults").path("phases"))
            {
                if ("during".equals(p.path("phase").asText()))
                {
                    chart.band(ReportRun.num(p.path("from_s")), ReportRun.num(p.path("to_s")),
                        (runs.size() > 1 ? r.label + ": " : "") + p.path("fault").asText(), "fault");
                }
            }
        }
        for (final ReportRun r : runs)
        {
            final JsonNode f = r.json.path("faults");
            final double from = ReportRun.num(f.path("unavailability_from_s"));
            final double to = ReportRun.num(f.path("unavailability_to_s"));
            if (!Double.isNaN(from) && !Double.isNaN(to))
            {
                chart.band(from, to, (runs.size() > 1 ? r.label + ": " : "") + "outage " +
                    Html.trim(ReportRun.num(f.path("unavailability_ms"))) + " ms", "outage");
            }
        }
    }

    /**
     * What each fault cost: one row per run with faults. Nothing when no run had any.
     */
    private static void failover(final StringBuilder sb, final List<ReportRun> runs)
    {
        final List<ReportRun> faulted = new ArrayList<>();
        for (final ReportRun r : runs)
        {
            if (r.json.path("faults").path("events").size() > 0)
            {
                faulted.add(r);
            }
        }
        if (faulted.isEmpty())
        {
            return;
        }
        sb.append("<section id=\"failover\">\n<h2>Failover</h2>\n<p class=\"note\">Per run with faults: what ")
            .append("happened when (seconds from the start, warm-up included); the unavailability window (from the ")
            .append("fault until writes resume: no client completed a write in it) and its longest single gap; the ")
            .append("time until another replica held the crashed one's role; write latency before the fault, during ")
            .append("the outage and the second after it, and after (mean of the intervals' p50, worst interval ")
            .append("p99).</p>\n<div class=\"table-wrap\"><table id=\"failover-table\">\n<thead><tr>")
            .append("<th rowspan=\"2\">run</th><th rowspan=\"2\">events</th><th colspan=\"3\">unavailability</th>")
            .append("<th rowspan=\"2\">new role holder after (ms)</th><th colspan=\"3\">write p50 / worst p99 (us)")
            .append("</th></tr>\n<tr><th>ms</th><th>window (s)</th><th>longest gap (ms)</th><th>before</th>")
            .append("<th>during</th><th>after</th></tr></thead>\n<tbody>\n");
        for (final ReportRun r : faulted)
        {
            final JsonNode f = r.json.path("faults");
            sb.append("<tr data-series=\"").append(esc(r.key)).append("\"><td class=\"run\"><span class=\"swatch\" ")
                .append("style=\"background:").append(esc(r.color)).append("\"></span>").append(esc(r.label))
                .append("</td><td>");
            for (final JsonNode e : f.path("events"))
            {
                sb.append(esc(Html.trim(ReportRun.num(e.path("t_s"))))).append(" s: ").append(esc(e.path("event")
                    .asText())).append(e.has("node") ? " (node " + e.path("node").asInt() + ")" : "").append("<br>");
            }
            final boolean window = f.has("unavailability_from_s");
            sb.append("</td><td class=\"num\">").append(esc(Html.trim(ReportRun.num(f.path("unavailability_ms")))))
                .append("</td><td class=\"num\">").append(window ? esc(Html.trim(ReportRun.num(f.path(
                    "unavailability_from_s")))) + " \u2013 " + esc(Html.trim(ReportRun.num(f.path(
                    "unavailability_to_s")))) + (f.path("writes_resumed").asBoolean(true) ? "" :
                    " (writes never resumed)") : "no outage").append("</td><td class=\"num\">")
                .append(window ? esc(Html.trim(ReportRun.num(f.path("longest_write_gap_ms")))) : "\u2013")
                .append("</td><td class=\"num\">").append(esc(ReportRun.text(f.path("time_to_new_role_holder_ms"),
                    "\u2013"))).append("</td>");
            for (final String phase : new String[]{"before", "during", "after"})
            {
                final JsonNode p = f.path("write_latency_" + phase);
                sb.append("<td class=\"num\">").append(p.path("writes").asLong() == 0 ? "no writes" :
                    esc(Html.us(ReportRun.num(p.path("mean_interval_p50_us")))) + " / " +
                    esc(Html.us(ReportRun.num(p.path("worst_interval_p99_us"))))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table></div>\n</section>\n");
    }

    /**
     * Curve key: the protocol plus those of replicas, transport and workload that vary between the runs (a load
     * sweep's runs differ in load only, so they make one curve).
     */
    private static Map<String, List<ReportRun>> curves(final List<ReportRun> runs)
    {
        // Everything but the load itself: runs that differ in any of these are different systems or experiments
        // (an open-loop run and a closed-loop one, raft with leases and with ReadIndex), never points of one curve.
        final List<Function<ReportRun, String>> dims = List.of(
            r -> "n=" + r.replicas(), ReportRun::transport, ReportRun::workload, ReportRun::loadKind,
            ReportRun::clients);
        final List<Function<ReportRun, String>> varying = new ArrayList<>();
        for (final Function<ReportRun, String> d : dims)
        {
            if (runs.stream().map(d).distinct().count() > 1)
            {
                varying.add(d);
            }
        }
        // Options differ between protocols by nature; within one protocol, those that differ name its curves.
        final Map<String, Set<String>> optionsVarying = new LinkedHashMap<>();
        for (final ReportRun r : runs)
        {
            final Set<String> keys = optionsVarying.computeIfAbsent(r.protocol(), p -> new LinkedHashSet<>());
            for (final ReportRun other : runs)
            {
                if (other.protocol().equals(r.protocol()))
                {
                    r.options().forEach((k, v) ->
                    {
                        if (!v.equals(other.options().get(k)))
                        {
                            keys.add(k);
                        }
                    });
                }
            }
        }
        final Map<String, List<ReportRun>> curves = new LinkedHashMap<>();
        for (final ReportRun r : runs)
        {
            final StringBuilder key = new StringBuilder(r.protocol());
            varying.forEach(d -> key.append(' ').append(d.apply(r)));
            optionsVarying.get(r.protocol()).forEach(k -> key.append(' ').append(k).append('=')
                .append(r.options().getOrDefault(k, "default")));
            curves.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        return curves;
    }

    private static void latencyThroughput(final StringBuilder sb, final List<ReportRun> runs)
    {
        final Map<String, List<ReportRun>> curves = curves(runs);
        final boolean anyCurve = curves.values().stream().anyMatch(c -> c.size() > 1);
        final Set<Double> bounds = new java.util.TreeSet<>();
        runs.forEach(r -> {
            if (r.sweepBoundUs() > 0)
            {
                bounds.add(r.sweepBoundUs());
            }
        });
        final boolean anyService = runs.stream().anyMatch(r -> r.serviceP99("write") > 0 || r.serviceP99("read") > 0);
        sb.append("<section id=\"latency-throughput\">\n<h2>Latency vs throughput</h2>\n<p class=\"note\">")
            .append("p99 against achieved ops/s, one curve per protocol through its runs sorted by throughput ")
            .append("(several runs of a protocol at different loads, e.g. from <code>lab sweep</code>, make a curve; ")
            .append("where the curve turns up, the protocol saturates). Runs that differ in anything but the load ")
            .append("(open or closed loop, clients, replicas, protocol options) are separate curves, named by what ")
            .append("differs. Log latency scale.");
        if (!bounds.isEmpty())
        {
            sb.append(" The grey dashed line is the sweep's p99 bound; a ring marks each curve's saturation knee: ")
                .append("its highest load whose p99 (writes and reads) stays under the bound with at least ")
                .append(Html.trim(100 * Saturation.MIN_ACHIEVED_SHARE)).append("% of the requested rate achieved ")
                .append("and no timeouts.");
        }
        if (anyService)
        {
            sb.append(" Open-loop curves also draw their service time thin and dashed: p99 from the actual send, ")
                .append("uncorrected for coordinated omission, beside the corrected latency (from the intended ")
                .append("send). Where the two part, requests queued in the client before they were sent.");
        }
        if (!anyCurve)
        {
            sb.append(" These inputs hold one run per protocol: one point each.");
        }
        sb.append("</p>\n");
        for (final String type : TYPES)
        {
            double maxX = 0;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = 0;
            final List<LineChart.Series> series = new ArrayList<>();
            final List<Object[]> rings = new ArrayList<>();
            int c = 0;
            for (final Map.Entry<String, List<ReportRun>> e : curves.entrySet())
            {
                final List<ReportRun> members = new ArrayList<>(e.getValue());
                members.removeIf(r -> !r.hasOps(type) || Double.isNaN(r.throughput()));
                members.sort(Comparator.comparingDouble(ReportRun::throughput));
                final List<double[]> pts = new ArrayList<>();
                final List<String> tips = new ArrayList<>();
                final List<double[]> service = new ArrayList<>();
                final List<String> serviceTips = new ArrayList<>();
                for (final ReportRun r : members)
                {
                    final double x = r.throughput();
                    final double y = r.latency(type, "p99");
                    if (!(y > 0))
                    {
                        continue;
                    }
                    pts.add(new double[]{x, y});
                    tips.add(String.format(Locale.ROOT, "%s: %.0f ops/s, p99 %s us", r.label, x, Html.us(y)));
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    final double s = r.serviceP99(type);
                    if (s > 0)
                    {
                        service.add(new double[]{x, s});
                        serviceTips.add(String.format(Locale.ROOT, "%s: %.0f ops/s, service time p99 %s us",
                            r.label, x, Html.us(s)));
                        minY = Math.min(minY, s);
                        maxY = Math.max(maxY, s);
                    }
                }
                if (!pts.isEmpty())
                {
                    final String color = curveColor(runs, curves, e.getKey());
                    series.add(new LineChart.Series(e.getKey() + (pts.size() > 1 ? " (" + pts.size() + " runs)" : ""),
                        color, "", pts, tips, true, "c" + c));
                    if (!service.isEmpty())
                    {
                        series.add(new LineChart.Series(e.getKey() + " service time", color, "3 3", service,
                            serviceTips, false, "c" + c + "-service"));
                    }
                    final ReportRun knee = knee(e.getValue());
                    if (knee != null && knee.hasOps(type) && knee.latency(type, "p99") > 0)
                    {
                        rings.add(new Object[]{knee.throughput(), knee.latency(type, "p99"), "knee " +
                            loadLabel(knee), color});
                    }
                }
                c++;
            }
            int b = 0;
            for (final double bound : bounds)
            {
                minY = Math.min(minY, bound);
                maxY = Math.max(maxY, bound);
                // from x = 0 to far right: the chart clamps it to the plot's edge
                series.add(new LineChart.Series("p99 bound " + Html.durationLabel(bound), "#7f7f7f", "8 4",
                    List.of(new double[]{0, bound}, new double[]{1e3 * Math.max(maxX, 1), bound}), null, false,
                    "bound" + b++));
            }
            final LineChart chart = new LineChart("chart-latency-throughput-" + type,
                (type.equals("write") ? "Write" : "Read") + " p99 vs throughput",
                new Axis.Linear("throughput (ops/s, reads + writes)", 0, Math.max(maxX, 1), Html::rateLabel),
                new Axis.Log(type + " p99", minY, maxY, Html::durationLabel, true));
            series.forEach(chart::add);
            rings.forEach(r -> chart.ring((Double)r[0], (Double)r[1], (String)r[2], (String)r[3]));
            sb.append("<figure>").append(chart.render()).append("</figure>\n");
        }
        requestedVsAchieved(sb, runs, curves);
        saturationTable(sb, curves);
        sb.append("</section>\n");
    }

    /**
     * @return a one-run curve's run colour; else its protocol's hue, shaded apart from the protocol's other curves
     * (raft n=3 and raft n=5 must not look alike).
     */
    private static String curveColor(final List<ReportRun> runs, final Map<String, List<ReportRun>> curves,
        final String key)
    {
        final List<ReportRun> curve = curves.get(key);
        if (curve.size() == 1)
        {
            return curve.get(0).color;
        }
        final String protocol = curve.get(0).protocol();
        final String base = PALETTE[protocolOrder(runs, protocol) % PALETTE.length];
        final List<String> siblings = curves.entrySet().stream()
            .filter(c -> c.getValue().get(0).protocol().equals(protocol)).map(Map.Entry::getKey).toList();
        return siblings.size() == 1 ? base :
            shade(base, -0.45 + 0.9 * siblings.indexOf(key) / (siblings.size() - 1));
    }

    /**
     * @return the curve's saturation knee by {@link Saturation}'s rule, or null when its runs carry no sweep bound
     * (they were not made by a sweep) or none met it.
     */
    private static ReportRun knee(final List<ReportRun> curve)
    {
        final double bound = curve.get(0).sweepBoundUs();
        if (!(bound > 0) || curve.stream().anyMatch(r -> r.sweepBoundUs() != bound))
        {
            return null;
        }
        final List<Saturation.Point> points = new ArrayList<>();
        for (final ReportRun r : curve)
        {
            points.add(new Saturation.Point(r.load(), r.requestedRate(), r.throughput(), worstP99(r),
                (long)(Double.isNaN(r.timeouts()) ? 0 : r.timeouts())));
        }
        final int i = Saturation.knee(points, bound);
        return i < 0 ? null : curve.get(i);
    }

    /**
     * @return what a sweep varied for the run, as a short label: "40k/s requested" or "16 outstanding".
     */
    private static String loadLabel(final ReportRun r)
    {
        return r.requestedRate() > 0 ? Html.rateLabel(r.load()) + "/s requested" : Html.trim(r.load()) + " outstanding";
    }

    /**
     * @return the larger of the run's write and read p99 (of those it has), us.
     */
    private static double worstP99(final ReportRun r)
    {
        double worst = Double.NaN;
        for (final String type : TYPES)
        {
            if (r.hasOps(type))
            {
                final double p99 = r.latency(type, "p99");
                worst = Double.isNaN(worst) ? p99 : Math.max(worst, p99);
            }
        }
        return worst;
    }

    /**
     * Achieved against requested ops/s for the open-loop curves, beside the line where the two are equal and the
     * line of the saturation rule's share: a point falling below them is a load the system could not carry.
     */
    private static void requestedVsAchieved(final StringBuilder sb, final List<ReportRun> runs,
        final Map<String, List<ReportRun>> curves)
    {
        if (runs.stream().noneMatch(r -> r.requestedRate() > 0))
        {
            return;
        }
        double max = 1;
        final List<LineChart.Series> series = new ArrayList<>();
        int c = 0;
        for (final Map.Entry<String, List<ReportRun>> e : curves.entrySet())
        {
            final List<ReportRun> members = new ArrayList<>(e.getValue());
            members.removeIf(r -> !(r.requestedRate() > 0) || Double.isNaN(r.throughput()));
            members.sort(Comparator.comparingDouble(ReportRun::requestedRate));
            final List<double[]> pts = new ArrayList<>();
            final List<String> tips = new ArrayList<>();
            for (final ReportRun r : members)
            {
                pts.add(new double[]{r.requestedRate(), r.throughput()});
                tips.add(String.format(Locale.ROOT, "%s: requested %.0f, achieved %.0f ops/s (%.0f%%)", r.label,
                    r.requestedRate(), r.throughput(), 100 * r.throughput() / r.requestedRate()));
                max = Math.max(max, Math.max(r.requestedRate(), r.throughput()));
            }
            if (!pts.isEmpty())
            {
                final String color = curveColor(runs, curves, e.getKey());
                series.add(new LineChart.Series(e.getKey(), color, "", pts, tips, true, "c" + c));
            }
            c++;
        }
        series.add(new LineChart.Series("achieved = requested", "#7f7f7f", "8 4",
            List.of(new double[]{0, 0}, new double[]{max, max}), null, false, "equal"));
        final double share = Saturation.MIN_ACHIEVED_SHARE;
        series.add(new LineChart.Series(Html.trim(100 * share) + "% of requested", "#b0b0b0", "2 3",
            List.of(new double[]{0, 0}, new double[]{max, share * max}), null, false, "share"));
        final LineChart chart = new LineChart("chart-requested-achieved", "Achieved vs requested rate (open loop)",
            new Axis.Linear("requested (ops/s)", 0, max, Html::rateLabel),
            new Axis.Linear("achieved (ops/s)", 0, max, Html::rateLabel));
        series.forEach(chart::add);
        sb.append("<figure>").append(chart.render()).append("</figure>\n");
    }

    /**
     * One row per curve made by a sweep: its bound, its knee (load, achieved ops/s, worst p99), or that no load met
     * the bound.
     */
    private static void saturationTable(final StringBuilder sb, final Map<String, List<ReportRun>> curves)
    {
        final StringBuilder rows = new StringBuilder();
        for (final Map.Entry<String, List<ReportRun>> e : curves.entrySet())
        {
            final double bound = e.getValue().get(0).sweepBoundUs();
            if (!(bound > 0))
            {
                continue;
            }
            final ReportRun knee = knee(e.getValue());
            rows.append("<tr><td class=\"run\">").append(esc(e.getKey())).append("</td><td class=\"num\">")
                .append(esc(Html.durationLabel(bound))).append("</td>");
            if (knee == null)
            {
                rows.append("<td colspan=\"3\">no load met the bound</td>");
            }
            else
            {
                final boolean open = knee.requestedRate() > 0;
                rows.append("<td class=\"num\">").append(esc(open ? Html.count(knee.load()) + " ops/s requested" :
                    Html.trim(knee.load()) + " outstanding")).append("</td><td class=\"num\">")
                    .append(Html.count(knee.throughput())).append("</td><td class=\"num\">")
                    .append(Html.us(worstP99(knee))).append("</td>");
            }
            rows.append("</tr>\n");
        }
        if (rows.length() == 0)
        {
            return;
        }
        sb.append("<h3>Saturation</h3>\n<div class=\"table-wrap\"><table id=\"saturation-table\">\n<thead><tr>")
            .append("<th>curve</th><th>p99 bound</th><th>knee (highest load within the bound)</th>")
            .append("<th>achieved ops/s</th><th>worst p99 (us)</th></tr></thead>\n<tbody>\n").append(rows)
            .append("</tbody></table></div>\n");
    }

    private static int protocolOrder(final List<ReportRun> runs, final String protocol)
    {
        return (int)runs.stream().map(ReportRun::protocol).distinct().takeWhile(p -> !p.equals(protocol)).count();
    }

    private static void hops(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"hops\">\n<h2>Hops: theory vs measured</h2>\n<p class=\"note\">Mean critical-path ")
            .append("depth of completed operations (solid) beside the theory for the configuration (hatched). A ")
            .append("measured bar above its theory means retries or retransmissions were on the critical path.</p>\n");
        final String hatch = "url(#chart-hops-hatch)";
        final BarChart chart = new BarChart("chart-hops", "Hops per operation: measured and theory", "hops",
            List.of(new BarChart.Kind("write measured", "measured write", null),
                new BarChart.Kind("write theory", "theory write", hatch),
                new BarChart.Kind("read measured", "measured read", null),
                new BarChart.Kind("read theory", "theory read", hatch)));
        for (final ReportRun r : runs)
        {
            final double[] v = new double[4];
            for (int t = 0; t < 2; t++)
            {
                final JsonNode hops = r.op(TYPES[t]).path("hops");
                final boolean has = r.hasOps(TYPES[t]);
                v[2 * t] = has ? ReportRun.num(hops.path("measured")) : Double.NaN;
                v[2 * t + 1] = ReportRun.num(hops.path("theory"));
            }
            chart.add(new BarChart.Group(r.label, r.color, v));
        }
        sb.append("<figure>").append(chart.render()).append("</figure>\n");
        final Set<String> notes = new LinkedHashSet<>();
        for (final ReportRun r : runs)
        {
            final String note = ReportRun.text(r.json.path("hops_note"), "");
            if (!note.isEmpty())
            {
                notes.add(r.protocol() + ": " + note);
            }
        }
        if (!notes.isEmpty())
        {
            sb.append("<ul class=\"hops-notes\">");
            notes.forEach(n -> sb.append("<li>").append(esc(n)).append("</li>"));
            sb.append("</ul>\n");
        }
        sb.append("</section>\n");
    }

    private static void environment(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"environment\">\n<h2>Environment</h2>\n");
        final Map<JsonNode, List<String>> environments = new LinkedHashMap<>();
        for (final ReportRun r : runs)
        {
            environments.computeIfAbsent(r.json.path("environment"), k -> new ArrayList<>()).add(r.label);
        }
        for (final Map.Entry<JsonNode, List<String>> e : environments.entrySet())
        {
            if (environments.size() > 1)
            {
                sb.append("<p class=\"note\">runs: ").append(esc(String.join(", ", e.getValue()))).append("</p>\n");
            }
            if (e.getKey().isMissingNode() || e.getKey().isEmpty())
            {
                sb.append("<p class=\"note\">not recorded</p>\n");
                continue;
            }
            keyValues(sb, e.getKey(), "environment");
        }
        sb.append("</section>\n");
    }

    private static void configuration(final StringBuilder sb, final List<ReportRun> runs)
    {
        sb.append("<section id=\"configuration\">\n<h2>Configuration</h2>\n<p class=\"note\">Every setting each run ")
            .append("recorded, defaults included, with its message and transport counters.</p>\n");
        for (final ReportRun r : runs)
        {
            sb.append("<details class=\"run-config\"><summary><span class=\"swatch\" style=\"background:")
                .append(esc(r.color)).append("\"></span>").append(esc(r.label)).append(" <span class=\"source\">")
                .append(esc(r.source)).append("</span></summary>\n");
            final com.fasterxml.jackson.databind.node.ObjectNode rest =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            rest.set("config", r.json.path("config"));
            for (final String k : new String[]{"messages", "transport_stats", "measured_ms", "warnings"})
            {
                if (r.json.has(k))
                {
                    rest.set(k, r.json.get(k));
                }
            }
            for (final String type : TYPES)
            {
                final JsonNode op = r.op(type);
                final Iterator<Map.Entry<String, JsonNode>> it = op.fields();
                while (it.hasNext())
                {
                    final Map.Entry<String, JsonNode> f = it.next();
                    if (!f.getKey().equals("percentile_distribution") && !f.getKey().equals("hops"))
                    {
                        rest.set("ops." + type + "." + f.getKey(), f.getValue());
                    }
                }
            }
            keyValues(sb, rest, "config");
            sb.append("</details>\n");
        }
        sb.append("</section>\n");
    }

    private static void keyValues(final StringBuilder sb, final JsonNode node, final String cssClass)
    {
        final Map<String, String> flat = new LinkedHashMap<>();
        flatten("", node, flat);
        sb.append("<table class=\"kv ").append(esc(cssClass)).append("\"><tbody>\n");
        flat.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
            .append("</td></tr>\n"));
        sb.append("</tbody></table>\n");
    }

    private static void flatten(final String prefix, final JsonNode node, final Map<String, String> out)
    {
        if (node.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            if (!it.hasNext() && !prefix.isEmpty())
            {
                out.put(prefix, "{}");
            }
            while (it.hasNext())
            {
                final Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        }
        else if (node.isArray())
        {
            final StringBuilder sb = new StringBuilder();
            for (final JsonNode n : node)
            {
                sb.append(sb.length() > 0 ? "; " : "").append(n.isValueNode() ? n.asText() : n.toString());
            }
            out.put(prefix, sb.toString());
        }
        else if (!node.isMissingNode())
        {
            out.put(prefix, node.isNull() ? "null" : node.asText());
        }
    }

    static String resource(final String name)
    {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/report/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing resource /report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
