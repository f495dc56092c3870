package lab.harness.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import lab.harness.cluster.CapacityPrediction;
import lab.harness.cluster.NodeDemand;

import static lab.harness.report.html.Html.esc;

/**
 * "Where the load lands": per run, one horizontal bar per node of its busy time per operation (or, where busy time was
 * not measured, e.g. on the simulator, of the messages it handled per operation), on one scale per metric across
 * runs so that protocols compare; the bottleneck is marked, with the capacity model's predictions beside it.
 * Drawn only when some run has a {@code nodes} list (older results have none). Chart id {@code chart-node-load}.
 */
final class NodeLoadSection
{
    static final String CHART_ID = "chart-node-load";
    private static final int WIDTH = 980;
    private static final int LABEL = 170;
    private static final int PLOT = 440;
    private static final int ROW = 16;
    private static final int HEAD = 24;

    private NodeLoadSection()
    {
    }

    static void append(final StringBuilder sb, final List<ReportRun> runs)
    {
        final List<ReportRun> with = new ArrayList<>();
        final List<List<NodeDemand>> nodesOf = new ArrayList<>();
        for (final ReportRun r : runs)
        {
            final List<NodeDemand> nodes = r.nodes();
            if (!nodes.isEmpty())
            {
                with.add(r);
                nodesOf.add(nodes);
            }
        }
        if (with.isEmpty())
        {
            return;
        }
        double maxBusy = 0;
        double maxMsgs = 0;
        int height = 30;
        for (final List<NodeDemand> nodes : nodesOf)
        {
            for (final NodeDemand n : nodes)
            {
                final double b = num(n.busyUsPerOp());
                final double m = num(n.msgsInPerOp()) + num(n.msgsOutPerOp());
                maxBusy = Double.isNaN(b) ? maxBusy : Math.max(maxBusy, b);
                maxMsgs = Double.isNaN(m) ? maxMsgs : Math.max(maxMsgs, m);
            }
            height += HEAD + ROW * nodes.size() + 8;
        }
        sb.append("<section id=\"node-load\">\n<h2>Where the load lands</h2>\n<p class=\"note\">Per node, busy time ")
            .append("per operation (the time its cycles that moved messages ran: handlers and the transport calls ")
            .append("around them), one scale for all runs; where busy time was not measured (the simulator), ")
            .append("messages in + out per operation. The bottleneck (the server with the most) is outlined and ")
            .append("marked; beside it the capacity model's predicted maximum throughput.</p>\n");
        sb.append("<figure><svg id=\"").append(CHART_ID).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"")
            .append(" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH)
            .append("\" height=\"").append(height).append("\" role=\"img\"><title>Where the load lands</title>\n");
        int y = 20;
        final List<String> bases = new ArrayList<>();
        for (int i = 0; i < with.size(); i++)
        {
            final ReportRun r = with.get(i);
            final List<NodeDemand> nodes = nodesOf.get(i);
            final CapacityPrediction model = r.model();
            final boolean busy = nodes.get(0).busyUsPerOp() != null;
            final CapacityPrediction.MaxThroughput max = model == null ? null : model.predictedMaxOpsPerS();
            String head = r.label + (busy ? " (busy us per op)" : " (messages in + out per op)");
            if (max != null && max.oneCorePerNode() != null)
            {
                head += String.format(Locale.ROOT, ": predicted max %,.0f ops/s one core per node, %,.0f on one " +
                    "core; measured %,.0f", max.oneCorePerNode(), zeroIfNull(max.sharedCore()),
                    zeroIfNull(model.measuredOpsPerS()));
            }
            else if (max != null && max.nullReason() != null)
            {
                head += ": no throughput prediction (" + max.nullReason() + ")";
            }
            sb.append("<text x=\"4\" y=\"").append(y + 12).append("\" font-weight=\"bold\" fill=\"").append(r.color)
                .append("\">").append(esc(head)).append("</text>\n");
            y += HEAD;
            final int bottleneck = model != null && model.bottleneckNode() != null ? model.bottleneckNode() : -1;
            for (final NodeDemand n : nodes)
            {
                final double v = busy ? num(n.busyUsPerOp()) : num(n.msgsInPerOp()) + num(n.msgsOutPerOp());
                final double scale = busy ? maxBusy : maxMsgs;
                final double w = scale > 0 && !Double.isNaN(v) ? Math.max(1, PLOT * v / scale) : 0;
                final boolean isBottleneck = n.id() == bottleneck;
                sb.append("<text x=\"").append(LABEL - 6).append("\" y=\"").append(y + 11)
                    .append("\" text-anchor=\"end\">node ").append(n.id()).append(' ')
                    .append(esc(role(n))).append("</text>");
                sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" " +
                    "height=\"%d\" fill=\"%s\"%s><title>%s</title></rect>", LABEL, y + 2, w, ROW - 4,
                    n.client() ? "#bab0ac" : r.color, isBottleneck ? " stroke=\"#000\" stroke-width=\"2\"" : "",
                    esc(tooltip(n))));
                final Double u = n.utilization();
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s%s%s</text>\n",
                    LABEL + w + 6, y + 11, Double.isNaN(v) ? "-" : String.format(Locale.ROOT, busy ? "%.3f" : "%.2f", v),
                    u == null ? "" : String.format(Locale.ROOT, "  (util %.0f%%)", 100 * u),
                    isBottleneck ? "  \u25c0 bottleneck" : ""));
                y += ROW;
            }
            y += 8;
            final String basis = model == null || model.basis() == null ? "" : model.basis();
            if (!basis.isEmpty() && !bases.contains(basis))
            {
                bases.add(basis);
            }
        }
        sb.append("</svg></figure>\n");
        if (bases.size() == 1)
        {
            sb.append("<p class=\"note\">model basis: ").append(esc(bases.get(0))).append("</p>\n");
        }
        sb.append("</section>\n");
    }

    private static String tooltip(final NodeDemand n)
    {
        return String.format(Locale.ROOT, "node %d %s: msgs in %.2f, out %.2f, bytes out %.0f per op, busy %s us per op",
            n.id(), role(n), num(n.msgsInPerOp()), num(n.msgsOutPerOp()), num(n.bytesOutPerOp()),
            n.busyUsPerOp() != null ? String.format(Locale.ROOT, "%.3f", n.busyUsPerOp()) : "not measured");
    }

    private static String role(final NodeDemand n)
    {
        return n.role() == null ? "?" : n.role();
    }

    /** A figure the file does not give is drawn as missing (NaN), not as 0. */
    private static double num(final Double v)
    {
        return v == null ? Double.NaN : v;
    }

    private static double zeroIfNull(final Double v)
    {
        return v == null ? 0.0 : v;
    }
}
