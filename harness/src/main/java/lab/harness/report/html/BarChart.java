package lab.harness.report.html;

import java.util.ArrayList;
import java.util.List;

import static lab.harness.report.html.Html.coord;
import static lab.harness.report.html.Html.esc;

/**
 * An inline SVG grouped bar chart: one group per category (a run), one {@code <rect class="bar">} per value, with a
 * tooltip each. Used for hops, measured beside theory.
 */
final class BarChart
{
    private static final int LEFT = 60;
    private static final int RIGHT = 200;
    private static final int TOP = 34;
    private static final int PLOT_HEIGHT = 280;
    private static final int BOTTOM = 120;
    private static final int BAR = 14;
    private static final int GROUP_GAP = 22;

    /**
     * A kind of bar (e.g. "write measured"), drawn in one style in every group.
     */
    record Kind(String label, String cssClass, String color)
    {
    }

    /**
     * @param values one per kind; NaN leaves a gap.
     */
    record Group(String label, String color, double[] values)
    {
    }

    private final String id;
    private final String title;
    private final String yTitle;
    private final List<Kind> kinds;
    private final List<Group> groups = new ArrayList<>();

    BarChart(final String id, final String title, final String yTitle, final List<Kind> kinds)
    {
        this.id = id;
        this.title = title;
        this.yTitle = yTitle;
        this.kinds = kinds;
    }

    BarChart add(final Group g)
    {
        groups.add(g);
        return this;
    }

    String render()
    {
        double max = 0;
        for (final Group g : groups)
        {
            for (final double v : g.values())
            {
                if (Double.isFinite(v))
                {
                    max = Math.max(max, v);
                }
            }
        }
        final Axis.Linear y = new Axis.Linear(yTitle, 0, Math.max(1, max * 1.12), Html::trim);
        final int minPlotW = LineChart.WIDTH - LEFT - RIGHT;
        final int groupW = Math.max(kinds.size() * BAR + GROUP_GAP,
            groups.isEmpty() ? 0 : Math.min(140, (minPlotW - GROUP_GAP) / groups.size()));
        final int plotW = Math.max(minPlotW, groups.size() * groupW + GROUP_GAP);
        final int width = LEFT + plotW + RIGHT;
        final int height = TOP + PLOT_HEIGHT + BOTTOM;
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("<svg id=\"").append(esc(id)).append("\" class=\"chart bar-chart\" viewBox=\"0 0 ").append(width)
            .append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
            .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        sb.append("<title>").append(esc(title)).append("</title>\n");
        sb.append("<defs><pattern id=\"").append(esc(id)).append("-hatch\" width=\"6\" height=\"6\" ")
            .append("patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" ")
            .append("fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555\" stroke-width=\"3\"/>")
            .append("</pattern></defs>\n");
        sb.append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"20\">").append(esc(title))
            .append("</text>\n");
        sb.append("<rect class=\"plot-area\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(plotW).append("\" height=\"").append(PLOT_HEIGHT).append("\"/>\n<g class=\"axis y-axis\">");
        for (final Axis.Tick t : y.ticks())
        {
            final double py = TOP + (1 - y.fraction(t.value())) * PLOT_HEIGHT;
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(coord(py))
                .append("\" x2=\"").append(LEFT + plotW).append("\" y2=\"").append(coord(py)).append("\"/>")
                .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(coord(py + 4))
                .append("\" text-anchor=\"end\">").append(esc(t.label())).append("</text>");
        }
        sb.append("<text class=\"axis-title\" transform=\"translate(16 ").append(TOP + PLOT_HEIGHT / 2)
            .append(") rotate(-90)\" text-anchor=\"middle\">").append(esc(yTitle)).append("</text></g>\n");

        sb.append("<g class=\"data\">\n");
        double gx = LEFT + GROUP_GAP + (groupW - kinds.size() * BAR - GROUP_GAP) / 2.0;
        for (final Group g : groups)
        {
            sb.append("<g class=\"bar-group\">");
            for (int k = 0; k < kinds.size(); k++)
            {
                final double v = k < g.values().length ? g.values()[k] : Double.NaN;
                if (!Double.isFinite(v))
                {
                    continue;
                }
                final double h = Math.max(0, y.fraction(v)) * PLOT_HEIGHT;
                final Kind kind = kinds.get(k);
                sb.append("<rect class=\"bar ").append(esc(kind.cssClass())).append("\" x=\"")
                    .append(coord(gx + k * BAR)).append("\" y=\"").append(coord(TOP + PLOT_HEIGHT - h))
                    .append("\" width=\"").append(BAR - 2).append("\" height=\"").append(coord(Math.max(h, 0.5)))
                    .append("\" fill=\"").append(esc(kind.color() != null ? kind.color() : g.color())).append('"')
                    .append(" stroke=\"").append(esc(g.color())).append("\" stroke-width=\"1\"><title>")
                    .append(esc(g.label())).append(", ").append(esc(kind.label())).append(": ")
                    .append(esc(Html.fixed(v, 2))).append("</title></rect>");
            }
            final double cx = gx + kinds.size() * BAR / 2.0;
            sb.append("<text class=\"tick category\" transform=\"translate(").append(coord(cx)).append(' ')
                .append(TOP + PLOT_HEIGHT + 12).append(") rotate(35)\" text-anchor=\"start\">")
                .append(esc(LineChart.shorten(g.label(), 26))).append("<title>").append(esc(g.label()))
                .append("</title></text>");
            sb.append("<rect class=\"swatch\" x=\"").append(coord(gx)).append("\" y=\"").append(TOP + PLOT_HEIGHT + 2)
                .append("\" width=\"").append(kinds.size() * BAR - 2).append("\" height=\"4\" fill=\"")
                .append(esc(g.color())).append("\"/>");
            sb.append("</g>\n");
            gx += groupW;
        }
        sb.append("</g>\n<g class=\"legend\">");
        int ly = TOP + 6;
        final int lx = LEFT + plotW + 16;
        for (final Kind kind : kinds)
        {
            sb.append("<rect class=\"").append(esc(kind.cssClass())).append("\" x=\"").append(lx).append("\" y=\"")
                .append(ly - 6).append("\" width=\"14\" height=\"12\" fill=\"")
                .append(esc(kind.color() != null ? kind.color() : "#888")).append("\" stroke=\"#444\"/>")
                .append("<text x=\"").append(lx + 20).append("\" y=\"").append(ly + 4).append("\">")
                .append(esc(kind.label())).append("</text>");
            ly += 18;
        }
        if (groups.isEmpty())
        {
            sb.append("<text class=\"empty\" x=\"").append(LEFT + plotW / 2).append("\" y=\"")
                .append(TOP + PLOT_HEIGHT / 2).append("\" text-anchor=\"middle\">no data</text>");
        }
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }
}
