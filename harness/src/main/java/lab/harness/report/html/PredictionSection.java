package lab.harness.report.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import static lab.harness.report.html.Html.esc;

/**
 * "Predicted": the latency-throughput curves of {@code lab predict} (runs marked {@code "predicted": true}), one chart
 * per protocol, replica count and operation type, drawn dashed and labelled PREDICTED, beside the measured runs of the
 * same protocol, replica count, link and workload (solid), with the p99 bound and the predicted saturation point under
 * it. A table gives, per predicted curve, its machines, its saturation point, and for each measured run beside it the
 * predicted p50 at the measured throughput (interpolated along the curve) and the error. Chart ids
 * {@code chart-prediction-<protocol>-n<N>-<write|read>}. Drawn only when some run is predicted.
 */
final class PredictionSection
{
    static final String CHART_PREFIX = "chart-prediction-";
    private static final String[] TYPES = {"write", "read"};
    private static final String[] PALETTE = {"#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#9c755f"};
    private static final Pattern EMULATED = Pattern.compile("delay=(\\d+)us jitter=(\\d+)us");

    private PredictionSection()
    {
    }

    static boolean predicted(final ReportRun r)
    {
        return r.json.path("predicted").asBoolean(false);
    }

    static void append(final StringBuilder sb, final List<ReportRun> runs)
    {
        // protocol and replicas -> predicted curves (one per setting of the machines, link, load kind, workload)
        final Map<String, Map<String, List<ReportRun>>> groups = new LinkedHashMap<>();
        for (final ReportRun r : runs)
        {
            if (predicted(r))
            {
                groups.computeIfAbsent(r.protocol() + " n=" + r.replicas(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(curveKey(r), k -> new ArrayList<>()).add(r);
            }
        }
        if (groups.isEmpty())
        {
            return;
        }
        sb.append("<section id=\"prediction\">\n<h2>PREDICTED latency vs throughput</h2>\n<p class=\"note\">")
            .append("<strong>Dashed lines are PREDICTIONS</strong> of <code>lab predict</code>: the simulator with ")
            .append("the CPU and link models, calibrated by <code>lab calibrate</code>; not measurements. Solid ")
            .append("lines are measured runs of the same protocol, replica count, link (emulated delay and jitter) ")
            .append("and workload found among the inputs. The grey line is the p99 bound; the vertical line marks ")
            .append("the predicted saturation point: the highest load whose achieved rate is at least 95% of the ")
            .append("requested and whose p99 stays under the bound. Log latency scale.</p>\n");
        final StringBuilder table = new StringBuilder();
        table.append("<div class=\"table-wrap\"><table id=\"prediction-table\"><thead><tr><th>PREDICTED curve</th>")
            .append("<th>machines</th><th>points</th><th>saturation (predicted)</th><th>p99 bound</th>")
            .append("<th>measured beside it</th></tr></thead><tbody>\n");
        for (final Map.Entry<String, Map<String, List<ReportRun>>> g : groups.entrySet())
        {
            final List<ReportRun> first = g.getValue().values().iterator().next();
            final ReportRun sample = first.get(0);
            final List<ReportRun> measured = new ArrayList<>();
            for (final ReportRun r : runs)
            {
                if (!predicted(r) && !"sim".equals(r.transport()) && r.protocol().equals(sample.protocol()) &&
                    r.replicas().equals(sample.replicas()))
                {
                    measured.add(r);
                }
            }
            sb.append("<h3>").append(esc(g.getKey())).append("</h3>\n");
            for (final String type : TYPES)
            {
                chart(sb, g.getKey(), type, g.getValue(), measured);
            }
            for (final List<ReportRun> curve : g.getValue().values())
            {
                row(table, g.getKey(), curve, measured);
            }
        }
        sb.append(table).append("</tbody></table></div>\n</section>\n");
    }

    /**
     * @return what makes predicted points one curve: everything but the load.
     */
    private static String curveKey(final ReportRun r)
    {
        final JsonNode p = r.json.path("prediction");
        return String.join(" | ", ReportRun.text(p.path("link"), "?"), ReportRun.text(p.path("cpus"), "?"),
            "cores " + ReportRun.text(p.path("cores_per_cpu"), "?"), r.loadKind(), r.workload(), r.clients(),
            r.options().toString(), r.folder());
    }

    /**
     * @return whether a measured run ran on the predicted link (same one-way delay and jitter, emulated or none) and
     * the same workload; a prediction on a link matrix (no single delay) pairs with none.
     */
    static boolean sameSetting(final ReportRun predicted, final ReportRun measured)
    {
        final JsonNode p = predicted.json.path("prediction");
        final double delay = ReportRun.num(p.path("link_delay_us"));
        final double jitter = ReportRun.num(p.path("link_jitter_us"));
        if (Double.isNaN(delay) || Double.isNaN(jitter) || !predicted.workload().equals(measured.workload()))
        {
            return false;
        }
        final double[] link = emulatedLink(measured);
        return Math.abs(link[0] - delay) < 1 && Math.abs(link[1] - jitter) < 1;
    }

    /**
     * @return a measured run's emulated one-way delay and jitter in us ({0, 0} without emulation).
     */
    static double[] emulatedLink(final ReportRun measured)
    {
        final Matcher m = EMULATED.matcher(ReportRun.text(measured.json.path("config").path("link_emulation"), ""));
        return m.find() ? new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))} :
            new double[]{0, 0};
    }

    private static void chart(final StringBuilder sb, final String group, final String type,
        final Map<String, List<ReportRun>> curves, final List<ReportRun> measured)
    {
        final List<LineChart.Series> series = new ArrayList<>();
        double maxX = 0;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = 0;
        double bound = Double.NaN;
        double saturation = Double.NaN;
        int c = 0;
        final List<ReportRun> paired = new ArrayList<>();
        final List<String> settings = new ArrayList<>();
        for (final List<ReportRun> curve : curves.values())
        {
            final List<ReportRun> points = sorted(curve, type);
            if (points.isEmpty())
            {
                continue;
            }
            final String color = PALETTE[c % PALETTE.length];
            final String label = "PREDICTED" + (curves.size() > 1 ? " " + (c + 1) : "");
            settings.add(label + ": " + shortSetting(points.get(0)));
            for (final String pct : new String[]{"p50", "p99"})
            {
                final List<double[]> xy = new ArrayList<>();
                final List<String> tips = new ArrayList<>();
                for (final ReportRun r : points)
                {
                    final double y = r.latency(type, pct);
                    if (y > 0)
                    {
                        xy.add(new double[]{r.throughput(), y});
                        tips.add(String.format(Locale.ROOT, "%s (%s): %.0f ops/s, %s %s us", label,
                            shortSetting(r), r.throughput(), pct, Html.us(y)));
                        maxX = Math.max(maxX, r.throughput());
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
                if (!xy.isEmpty())
                {
                    series.add(new LineChart.Series(label + " " + pct, color, pct.equals("p50") ? "2 3" : "6 3", xy,
                        tips, true, "pred" + c + pct));
                }
            }
            for (final ReportRun r : points)
            {
                bound = ReportRun.num(r.json.path("prediction").path("p99_bound_us"));
                if (r.json.path("prediction").path("saturation_point").asBoolean(false))
                {
                    saturation = r.throughput();
                }
            }
            for (final ReportRun m : measured)
            {
                if (!paired.contains(m) && sameSetting(points.get(0), m))
                {
                    paired.add(m);
                }
            }
            c++;
        }
        if (series.isEmpty())
        {
            return;
        }
        // Measured runs of one kind (transport, threading, load kind, options) make one measured curve.
        final Map<String, List<ReportRun>> measuredCurves = new LinkedHashMap<>();
        for (final ReportRun m : paired)
        {
            if (m.hasOps(type) && !Double.isNaN(m.throughput()))
            {
                measuredCurves.computeIfAbsent(measuredKey(m), k -> new ArrayList<>()).add(m);
            }
        }
        int mc = 0;
        for (final Map.Entry<String, List<ReportRun>> e : measuredCurves.entrySet())
        {
            final List<ReportRun> points = new ArrayList<>(e.getValue());
            points.sort(Comparator.comparingDouble(ReportRun::throughput));
            for (final String pct : new String[]{"p50", "p99"})
            {
                final List<double[]> xy = new ArrayList<>();
                final List<String> tips = new ArrayList<>();
                for (final ReportRun r : points)
                {
                    final double y = r.latency(type, pct);
                    if (y > 0)
                    {
                        xy.add(new double[]{r.throughput(), y});
                        tips.add(String.format(Locale.ROOT, "measured %s: %.0f ops/s, %s %s us", e.getKey(),
                            r.throughput(), pct, Html.us(y)));
                        maxX = Math.max(maxX, r.throughput());
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
                if (!xy.isEmpty())
                {
                    series.add(new LineChart.Series("measured " + e.getKey() + " " + pct,
                        pct.equals("p50") ? "#222222" : "#777777", "", xy, tips, true, "meas" + mc + pct));
                }
            }
            mc++;
        }
        if (bound > 0)
        {
            minY = Math.min(minY, bound);
            maxY = Math.max(maxY, bound);
            series.add(new LineChart.Series("p99 bound " + Html.durationLabel(bound), "#999999", "4 4",
                List.of(new double[]{0, bound}, new double[]{Math.max(maxX, 1), bound}), null, false, "bound"));
        }
        final String id = CHART_PREFIX + group.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-n-", "-n") + "-" + type;
        final LineChart chart = new LineChart(id, group + ", " + type + "s: " + String.join("; ", settings) +
            (paired.isEmpty() ? " (no measured run on the same link)" : ""),
            new Axis.Linear("throughput (ops/s, reads + writes)", 0, Math.max(maxX, 1), Html::rateLabel),
            new Axis.Log(type + " latency", minY, Math.max(maxY, minY), Html::durationLabel, true));
        series.forEach(chart::add);
        if (!Double.isNaN(saturation))
        {
            chart.marker(saturation, String.format(Locale.ROOT, "PREDICTED saturation %s ops/s",
                Html.rateLabel(saturation)));
        }
        sb.append("<figure>").append(chart.render()).append("</figure>\n");
    }

    private static List<ReportRun> sorted(final List<ReportRun> curve, final String type)
    {
        final List<ReportRun> points = new ArrayList<>();
        for (final ReportRun r : curve)
        {
            if (r.hasOps(type) && !Double.isNaN(r.throughput()))
            {
                points.add(r);
            }
        }
        points.sort(Comparator.comparingDouble(ReportRun::throughput));
        return points;
    }

    private static String shortSetting(final ReportRun r)
    {
        final JsonNode p = r.json.path("prediction");
        return ReportRun.text(p.path("link_profile"), "?") + ", " + ReportRun.text(p.path("cpus"), "?") + " x" +
            ReportRun.text(p.path("cores_per_cpu"), "?") + " core(s), " + r.loadKind();
    }

    private static String measuredKey(final ReportRun m)
    {
        final double[] link = emulatedLink(m);
        final List<String> parts = new ArrayList<>();
        for (final String part : new String[]{m.transport(),
            ReportRun.text(m.json.path("config").path("threading"), ""), m.loadKind(),
            String.format(Locale.ROOT, "link %.0f+%.0fus", link[0], link[1]),
            m.folder().isEmpty() ? "" : "(" + m.folder() + ")"})
        {
            if (!part.isEmpty())
            {
                parts.add(part);
            }
        }
        return String.join(" ", parts);
    }

    private static void row(final StringBuilder table, final String group, final List<ReportRun> curve,
        final List<ReportRun> measured)
    {
        final ReportRun sample = curve.get(0);
        final JsonNode p = sample.json.path("prediction");
        String saturation = "none met the bound";
        double bound = Double.NaN;
        for (final ReportRun r : curve)
        {
            bound = ReportRun.num(r.json.path("prediction").path("p99_bound_us"));
            if (r.json.path("prediction").path("saturation_point").asBoolean(false))
            {
                saturation = String.format(Locale.ROOT, "%,.0f ops/s (p99 w %s / r %s us)", r.throughput(),
                    r.hasOps("write") ? Html.us(r.latency("write", "p99")) : "-",
                    r.hasOps("read") ? Html.us(r.latency("read", "p99")) : "-");
            }
        }
        if (!p.has("saturation_point"))
        {
            saturation = "not recorded (an older predict)";
        }
        final StringBuilder beside = new StringBuilder();
        for (final ReportRun m : measured)
        {
            if (!sameSetting(sample, m))
            {
                continue;
            }
            for (final String type : TYPES)
            {
                if (!m.hasOps(type))
                {
                    continue;
                }
                final double predictedP50 = interpolate(sorted(curve, type), type, m.throughput());
                final double measuredP50 = m.latency(type, "p50");
                beside.append(beside.length() > 0 ? "<br>" : "").append(esc(m.label)).append(' ').append(type)
                    .append(String.format(Locale.ROOT, " at %,.0f ops/s: p50 measured %s us, ", m.throughput(),
                        Html.us(measuredP50)));
                if (Double.isNaN(predictedP50))
                {
                    beside.append("outside the predicted range of throughput");
                }
                else
                {
                    beside.append(String.format(Locale.ROOT, "PREDICTED %s us (error %+.0f%%)", Html.us(predictedP50),
                        100 * (predictedP50 - measuredP50) / measuredP50));
                }
            }
        }
        table.append("<tr><td>").append(esc(group)).append("</td><td>").append(esc(ReportRun.text(p.path("link"), "?")))
            .append("; ").append(esc(ReportRun.text(p.path("cpus"), "?"))).append(", ")
            .append(esc(ReportRun.text(p.path("cores_per_cpu"), "?"))).append(" core(s) each</td><td>")
            .append(curve.size()).append("</td><td>").append(esc(saturation)).append("</td><td>")
            .append(Double.isNaN(bound) ? "-" : esc(Html.durationLabel(bound))).append("</td><td>")
            .append(beside.length() == 0 ? "none on the same link and workload" : beside).append("</td></tr>\n");
    }

    /**
     * @return the predicted p50 at a throughput, linear between the curve's points; NaN outside them.
     */
    static double interpolate(final List<ReportRun> points, final String type, final double throughput)
    {
        for (int i = 0; i < points.size(); i++)
        {
            final double x1 = points.get(i).throughput();
            final double y1 = points.get(i).latency(type, "p50");
            if (Math.abs(x1 - throughput) <= 1e-9 * Math.max(1, throughput))
            {
                return y1;
            }
            if (i > 0)
            {
                final double x0 = points.get(i - 1).throughput();
                final double y0 = points.get(i - 1).latency(type, "p50");
                if (x0 < throughput && throughput < x1)
                {
                    return y0 + (y1 - y0) * (throughput - x0) / (x1 - x0);
                }
            }
        }
        return Double.NaN;
    }
}
