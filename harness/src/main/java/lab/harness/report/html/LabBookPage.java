package lab.harness.report.html;

import static lab.harness.report.html.Html.esc;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.book.Chart;
import lab.harness.book.ExperimentReport;
import lab.harness.book.Table;
import lab.harness.book.Verdict;

/**
 * The lab book as one self-contained HTML file: a contents table of claims and verdicts, then a page per experiment
 * (claim and topic, setup, theory, measurement tables and charts, verdict and why, commands to rerun a point).
 * Predicted series are dashed and labelled PREDICTED.
 */
public final class LabBookPage
{
    private static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#7f7f7f"};
    private static final String STYLE = """
        .verdict { display: inline-block; padding: 2px 8px; border-radius: 4px; font-weight: 600; }
        .verdict.holds { background: #dff3e0; color: #1d5e20; }
        .verdict.does-not-hold { background: #fbe0e0; color: #8a1c1c; }
        .verdict.undecided { background: #fff4d6; color: #6b5200; }
        section.experiment { border-top: 2px solid #ddd; margin-top: 28px; padding-top: 8px; }
        .claim { font-size: 1.1em; }
        table.book th, table.book td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
        pre.commands { white-space: pre-wrap; font-size: 0.85em; background: #f6f6f6; padding: 8px; }
        """;

    private LabBookPage()
    {
    }

    public static String render(final List<ExperimentReport> pages, final Map<String, Object> environment,
        final boolean quick)
    {
        final StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>replication-lab: the lab book</title>\n<style>\n").append(HtmlReport.resource("report.css"))
            .append(STYLE).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>The lab book</h1>\n<p class=\"meta\">The course notes' claims as experiments: each with its " +
            "theory, its measurement on this machine and a verdict computed by the rule stated beside it.");
        if (quick)
        {
            sb.append(" <strong>Quick book</strong>: short runs, one repeat each; a smoke test, not figures to quote.");
        }
        sb.append("</p>\n");
        contents(sb, pages);
        for (final ExperimentReport page : pages)
        {
            page(sb, page);
        }
        sb.append("<section><h2>Machine</h2>\n<table class=\"kv\"><tbody>\n");
        environment.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
            .append("</td></tr>\n"));
        sb.append("</tbody></table></section>\n");
        sb.append("<footer>replication-lab <code>lab experiment</code>: a self-contained file (inline SVG, no network)." +
            "</footer>\n");
        sb.append("<script>\n").append(HtmlReport.resource("report.js")).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void contents(final StringBuilder sb, final List<ExperimentReport> pages)
    {
        sb.append("<section><h2>Claims and verdicts</h2>\n<div class=\"table-wrap\"><table class=\"book\"><thead><tr>" +
            "<th>experiment</th><th>topic</th><th>claim</th><th>verdict</th><th>time</th></tr></thead><tbody>\n");
        for (final ExperimentReport p : pages)
        {
            sb.append("<tr><td><a href=\"#").append(esc(anchor(p))).append("\">").append(esc(p.name()))
                .append("</a></td><td>").append(esc(p.topic())).append("</td><td>").append(esc(p.claim()))
                .append("</td><td>").append(verdict(p.finding().verdict())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.0f s", p.seconds())).append("</td></tr>\n");
        }
        sb.append("</tbody></table></div></section>\n");
    }

    private static void page(final StringBuilder sb, final ExperimentReport p)
    {
        sb.append("<section class=\"experiment\" id=\"").append(esc(anchor(p))).append("\">\n<h2>")
            .append(esc(p.name())).append(" <small>(").append(esc(p.topic())).append(")</small></h2>\n");
        sb.append("<p class=\"claim\"><strong>Claim.</strong> ").append(esc(p.claim())).append("</p>\n");
        sb.append("<p><strong>Verdict:</strong> ").append(verdict(p.finding().verdict())).append(' ')
            .append(esc(p.finding().why())).append("</p>\n");
        if (!p.theory().isEmpty())
        {
            sb.append("<p><strong>Theory.</strong> ").append(esc(p.theory())).append("</p>\n");
        }
        if (!p.setup().isEmpty())
        {
            sb.append("<h3>Setup</h3>\n<table class=\"kv\"><tbody>\n");
            p.setup().forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>\n"));
            sb.append("</tbody></table>\n");
        }
        sb.append("<h3>Measurement</h3>\n");
        int chartIndex = 0;
        for (final Chart chart : p.charts())
        {
            sb.append("<figure>").append(chart(anchor(p) + "-chart-" + chartIndex++, chart)).append("</figure>\n");
        }
        for (final Table t : p.tables())
        {
            table(sb, t);
        }
        for (final String note : p.notes())
        {
            sb.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        if (!p.commands().isEmpty())
        {
            sb.append("<details><summary>Commands that rerun single points (").append(p.commands().size())
                .append(")</summary><pre class=\"commands\">");
            p.commands().forEach(c -> sb.append(esc(c)).append('\n'));
            sb.append("</pre></details>\n");
        }
        sb.append("</section>\n");
    }

    private static void table(final StringBuilder sb, final Table t)
    {
        if (!t.title().isEmpty())
        {
            sb.append("<h4>").append(esc(t.title())).append("</h4>\n");
        }
        sb.append("<div class=\"table-wrap\"><table class=\"book\"><thead><tr>");
        t.columns().forEach(c -> sb.append("<th>").append(esc(c)).append("</th>"));
        sb.append("</tr></thead><tbody>\n");
        for (final List<String> row : t.rows())
        {
            sb.append("<tr>");
            row.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table></div>\n");
    }

    static String chart(final String id, final Chart chart)
    {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        for (final Chart.Series s : chart.series())
        {
            for (final double[] p : s.points())
            {
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
                if (Double.isFinite(p[1]))
                {
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        final LineChart line = new LineChart(id, chart.title(),
            new Axis.Linear(chart.xTitle(), xMin, xMax, Html::trim),
            new Axis.Linear(chart.yTitle(), 0, yMax * 1.05, Html::trim));
        int i = 0;
        for (final Chart.Series s : chart.series())
        {
            final List<double[]> finite = s.points().stream().filter(p -> Double.isFinite(p[1])).toList();
            line.add(new LineChart.Series(s.predicted() && !s.label().contains("PREDICTED") ?
                s.label() + " (PREDICTED)" : s.label(), PALETTE[i % PALETTE.length], s.predicted() ? "6 3" : "",
                finite, null, true, id + "-" + i));
            i++;
        }
        return line.render();
    }

    private static String verdict(final Verdict v)
    {
        final String css = switch (v)
        {
            case HOLDS -> "holds";
            case DOES_NOT_HOLD -> "does-not-hold";
            case UNDECIDED -> "undecided";
        };
        return "<span class=\"verdict " + css + "\">" + esc(v.label()) + "</span>";
    }

    private static String anchor(final ExperimentReport p)
    {
        return "exp-" + p.name();
    }
}
