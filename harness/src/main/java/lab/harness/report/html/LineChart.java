package lab.harness.report.html;

import java.util.ArrayList;
import java.util.List;

import static lab.harness.report.html.Html.coord;
import static lab.harness.report.html.Html.esc;

/**
 * An inline SVG line chart: axes with grid, one polyline per series (with point markers where asked), a legend.
 * Each series is a {@code <polyline class="series">} whose {@code points} hold its data, so a test can tell that
 * the chart drew; each point is a {@code <circle class="point">} with a tooltip.
 */
final class LineChart
{
    static final int WIDTH = 1100;
    private static final int LEFT = 78;
    private static final int RIGHT = 250;
    private static final int TOP = 34;
    private static final int BOTTOM = 56;
    private static final int PLOT_HEIGHT = 330;
    private static final int LEGEND_ROW = 18;

    /**
     * @param points x, y pairs in data units.
     * @param tips   one tooltip per point, or null.
     */
    record Series(String label, String color, String dash, List<double[]> points, List<String> tips, boolean markers,
        String key)
    {
    }

    private final String id;
    private final String title;
    private final Axis x;
    private final Axis y;
    private final List<Series> series = new ArrayList<>();
    /** Shaded spans of x: [from, to] with a label and a CSS class ("band" for warm-up, "outage" for a fault's). */
    private final List<double[]> bandSpan = new ArrayList<>();
    private final List<String> bandLabel = new ArrayList<>();
    private final List<String> bandClass = new ArrayList<>();
    private final java.util.List<double[]> markerAt = new java.util.ArrayList<>();
    private final java.util.List<String> markerLabel = new java.util.ArrayList<>();

    /** Points ringed and labelled on top of the data (a sweep curve's saturation knee): x, y, label, colour. */
    private final List<double[]> ringAt = new ArrayList<>();
    private final List<String[]> ringText = new ArrayList<>();

    LineChart(final String id, final String title, final Axis x, final Axis y)
    {
        this.id = id;
        this.title = title;
        this.x = x;
        this.y = y;
    }

    LineChart add(final Series s)
    {
        series.add(s);
        return this;
    }

    /**
     * Shades [from, to] on the x axis (e.g. the warm-up of a timeline).
     */
    /**
     * A vertical line at x, labelled (a fault in a latency-over-time chart).
     */
    LineChart marker(final double xValue, final String label)
    {
        markerAt.add(new double[]{xValue});
        markerLabel.add(label);
        return this;
    }

    /**
     * Rings the point (x, y) in {@code color} and labels it (the saturation knee of a sweep's curve).
     */
    LineChart ring(final double xValue, final double yValue, final String label, final String color)
    {
        ringAt.add(new double[]{xValue, yValue});
        ringText.add(new String[]{label, color});
        return this;
    }

    LineChart band(final double from, final double to, final String label)
    {
        return band(from, to, label, "band");
    }

    /**
     * A shaded span of x, labelled; {@code cssClass} "band" (warm-up) or "outage" (a fault's unavailability window).
     */
    LineChart band(final double from, final double to, final String label, final String cssClass)
    {
        bandSpan.add(new double[]{from, to});
        bandLabel.add(label);
        bandClass.add(cssClass);
        return this;
    }

    /** Rough width of a label in the chart's 11 px sans-serif, to keep labels from overlapping. */
    private static double labelWidth(final String label)
    {
        return 6.2 * label.length() + 6;
    }

    String render()
    {
        final int plotW = WIDTH - LEFT - RIGHT;
        final int height = Math.max(TOP + PLOT_HEIGHT + BOTTOM, TOP + 10 + LEGEND_ROW * (series.size() + 1));
        final int plotH = PLOT_HEIGHT;
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("<svg id=\"").append(esc(id)).append("\" class=\"chart line-chart\" viewBox=\"0 0 ").append(WIDTH)
            .append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
            .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        sb.append("<title>").append(esc(title)).append("</title>\n");
        sb.append("<defs><clipPath id=\"").append(esc(id)).append("-clip\"><rect x=\"").append(LEFT - 4)
            .append("\" y=\"").append(TOP - 4).append("\" width=\"").append(plotW + 8).append("\" height=\"")
            .append(plotH + 8).append("\"/></clipPath></defs>\n");
        sb.append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"20\">").append(esc(title))
            .append("</text>\n");
        sb.append("<rect class=\"plot-area\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(plotW).append("\" height=\"").append(plotH).append("\"/>\n");

        // Labels of bands and markers go in rows under the plot's top edge: each takes the first row in which it
        // does not overlap the label before it, so labels of nearby faults never cover each other.
        final List<List<double[]>> labelRows = new ArrayList<>();
        for (int b = 0; b < bandSpan.size(); b++)
        {
            final double from = bandSpan.get(b)[0];
            final double to = bandSpan.get(b)[1];
            if (x.accepts(from) && x.accepts(to) && to > from)
            {
                final double x0 = LEFT + clamp(x.fraction(from)) * plotW;
                final double x1 = LEFT + clamp(x.fraction(to)) * plotW;
                sb.append("<rect class=\"").append(esc(bandClass.get(b))).append("\" x=\"").append(coord(x0))
                    .append("\" y=\"").append(TOP).append("\" width=\"").append(coord(Math.max(1, x1 - x0)))
                    .append("\" height=\"").append(plotH).append("\"/>");
                sb.append("<text class=\"band-label\" x=\"").append(coord(x0 + 4)).append("\" y=\"")
                    .append(TOP + 14 + 12 * labelRow(labelRows, x0 + 4, labelWidth(bandLabel.get(b)))).append("\">")
                    .append(esc(bandLabel.get(b))).append("</text>\n");
            }
        }

        for (int m = 0; m < markerAt.size(); m++)
        {
            final double at = markerAt.get(m)[0];
            if (x.accepts(at))
            {
                final double xm = LEFT + clamp(x.fraction(at)) * plotW;
                sb.append("<line class=\"marker\" x1=\"").append(coord(xm)).append("\" y1=\"").append(TOP)
                    .append("\" x2=\"").append(coord(xm)).append("\" y2=\"").append(TOP + plotH)
                    .append("\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>");
                sb.append("<text class=\"marker-label\" x=\"").append(coord(xm + 3)).append("\" y=\"")
                    .append(TOP + 14 + 12 * labelRow(labelRows, xm + 3, labelWidth(markerLabel.get(m))))
                    .append("\" fill=\"#c0392b\">").append(esc(markerLabel.get(m))).append("</text>\n");
            }
        }

        // grid and tick labels
        sb.append("<g class=\"axis x-axis\">");
        for (final Axis.Tick t : x.ticks())
        {
            final double f = x.fraction(t.value());
            if (f < -1e-9 || f > 1 + 1e-9)
            {
                continue;
            }
            final double px = LEFT + f * plotW;
            sb.append("<line class=\"").append(t.major() ? "grid" : "grid minor").append("\" x1=\"").append(coord(px))
                .append("\" y1=\"").append(TOP).append("\" x2=\"").append(coord(px)).append("\" y2=\"")
                .append(TOP + plotH).append("\"/>");
            if (!t.label().isEmpty())
            {
                sb.append("<text class=\"tick\" x=\"").append(coord(px)).append("\" y=\"").append(TOP + plotH + 16)
                    .append("\" text-anchor=\"middle\">").append(esc(t.label())).append("</text>");
            }
        }
        sb.append("<text class=\"axis-title\" x=\"").append(LEFT + plotW / 2).append("\" y=\"")
            .append(TOP + plotH + 40).append("\" text-anchor=\"middle\">").append(esc(x.title)).append("</text>");
        sb.append("</g>\n<g class=\"axis y-axis\">");
        for (final Axis.Tick t : y.ticks())
        {
            final double f = y.fraction(t.value());
            if (f < -1e-9 || f > 1 + 1e-9)
            {
                continue;
            }
            final double py = TOP + (1 - f) * plotH;
            sb.append("<line class=\"").append(t.major() ? "grid" : "grid minor").append("\" x1=\"").append(LEFT)
                .append("\" y1=\"").append(coord(py)).append("\" x2=\"").append(LEFT + plotW).append("\" y2=\"")
                .append(coord(py)).append("\"/>");
            if (!t.label().isEmpty())
            {
                sb.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(coord(py + 4))
                    .append("\" text-anchor=\"end\">").append(esc(t.label())).append("</text>");
            }
        }
        sb.append("<text class=\"axis-title\" transform=\"translate(16 ").append(TOP + plotH / 2)
            .append(") rotate(-90)\" text-anchor=\"middle\">").append(esc(y.title)).append("</text>");
        sb.append("</g>\n");

        // data
        sb.append("<g class=\"data\" clip-path=\"url(#").append(esc(id)).append("-clip)\">\n");
        for (final Series s : series)
        {
            final StringBuilder pts = new StringBuilder();
            final StringBuilder marks = new StringBuilder();
            for (int i = 0; i < s.points().size(); i++)
            {
                final double[] p = s.points().get(i);
                if (!x.accepts(p[0]) || !y.accepts(p[1]))
                {
                    continue;
                }
                final double px = LEFT + clamp(x.fraction(p[0])) * plotW;
                final double py = TOP + (1 - clamp(y.fraction(p[1]))) * plotH;
                if (pts.length() > 0)
                {
                    pts.append(' ');
                }
                pts.append(coord(px)).append(',').append(coord(py));
                if (s.markers())
                {
                    marks.append("<circle class=\"point\" cx=\"").append(coord(px)).append("\" cy=\"")
                        .append(coord(py)).append("\" r=\"3.5\" fill=\"").append(esc(s.color())).append("\">")
                        .append("<title>").append(esc(s.label())).append(": ")
                        .append(esc(s.tips() != null && i < s.tips().size() ? s.tips().get(i) : ""))
                        .append("</title></circle>");
                }
            }
            sb.append("<g class=\"series-group\" data-series=\"").append(esc(s.key())).append("\">");
            sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(esc(s.color()))
                .append("\" stroke-width=\"2\"");
            if (s.dash() != null && !s.dash().isEmpty())
            {
                sb.append(" stroke-dasharray=\"").append(esc(s.dash())).append('"');
            }
            sb.append(" points=\"").append(pts).append("\"><title>").append(esc(s.label())).append("</title></polyline>");
            sb.append(marks).append("</g>\n");
        }
        sb.append("</g>\n");

        // Ring labels of knees close together (curves that saturate alike) are lifted until none covers another.
        final List<double[]> ringLabels = new ArrayList<>();
        for (int r = 0; r < ringAt.size(); r++)
        {
            final double[] at = ringAt.get(r);
            if (x.accepts(at[0]) && y.accepts(at[1]))
            {
                final double px = LEFT + clamp(x.fraction(at[0])) * plotW;
                final double py = TOP + (1 - clamp(y.fraction(at[1]))) * plotH;
                final boolean right = px > LEFT + plotW / 2.0; // the label goes towards the middle, never off the plot
                final double width = labelWidth(ringText.get(r)[0]);
                final double lx0 = right ? px - 6 - width : px + 6;
                double ly = py - 13;
                for (boolean moved = true; moved; )
                {
                    moved = false;
                    for (final double[] placed : ringLabels)
                    {
                        if (lx0 < placed[1] && lx0 + width > placed[0] && Math.abs(ly - placed[2]) < 13)
                        {
                            ly = placed[2] - 13;
                            moved = true;
                        }
                    }
                }
                ringLabels.add(new double[]{lx0, lx0 + width, ly});
                sb.append("<g class=\"ring\"><circle cx=\"").append(coord(px)).append("\" cy=\"").append(coord(py))
                    .append("\" r=\"8\" fill=\"none\" stroke=\"").append(esc(ringText.get(r)[1]))
                    .append("\" stroke-width=\"2.5\"/><text class=\"ring-label\" x=\"").append(coord(right ? px - 6 :
                        px + 6)).append("\" y=\"").append(coord(ly)).append("\" text-anchor=\"")
                    .append(right ? "end" : "start").append("\" fill=\"")
                    .append(esc(ringText.get(r)[1])).append("\">").append(esc(ringText.get(r)[0]))
                    .append("</text></g>\n");
            }
        }

        // legend
        sb.append("<g class=\"legend\">");
        final int lx = LEFT + plotW + 16;
        int ly = TOP + 6;
        for (final Series s : series)
        {
            sb.append("<g class=\"legend-item\" data-series=\"").append(esc(s.key())).append("\">");
            sb.append("<line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 22)
                .append("\" y2=\"").append(ly).append("\" stroke=\"").append(esc(s.color()))
                .append("\" stroke-width=\"3\"");
            if (s.dash() != null && !s.dash().isEmpty())
            {
                sb.append(" stroke-dasharray=\"").append(esc(s.dash())).append('"');
            }
            sb.append("/><text x=\"").append(lx + 28).append("\" y=\"").append(ly + 4).append("\">")
                .append(esc(shorten(s.label(), 30))).append("<title>").append(esc(s.label()))
                .append("</title></text></g>");
            ly += LEGEND_ROW;
        }
        if (series.isEmpty())
        {
            sb.append("<text class=\"empty\" x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(TOP + plotH / 2)
                .append("\" text-anchor=\"middle\">no data</text>");
        }
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }

    static String shorten(final String s, final int max)
    {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static double clamp(final double f)
    {
        return Math.max(0, Math.min(1, f));
    }

    /**
     * @return the first label row (0, 1, ...) in which [from, from + width] overlaps no label already placed there;
     * the label is placed in it. Labels may come in any order of x (faults of several runs).
     */
    static int labelRow(final List<List<double[]>> rows, final double from, final double width)
    {
        final double to = from + width;
        for (int row = 0; ; row++)
        {
            if (row == rows.size())
            {
                rows.add(new ArrayList<>());
            }
            boolean free = true;
            for (final double[] placed : rows.get(row))
            {
                free &= to <= placed[0] || from >= placed[1];
            }
            if (free)
            {
                rows.get(row).add(new double[]{from, to});
                return row;
            }
        }
    }
}
