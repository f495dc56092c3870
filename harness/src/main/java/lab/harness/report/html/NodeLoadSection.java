package lab.harness.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

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
        for (final ReportRun r : runs)
        {
            if (r.json.path("nodes").isArray() && r.json.path("nodes").size() > 0)
            {
                with.add(r);
            }
        }
        if (with.isEmpty())
        {
            return;
        }
        double maxBusy = 0;
        double maxMsgs = 0;
        int height = 30;
        for (final ReportRun r : with)
        {
            for (final JsonNode n : r.json.path("nodes"))
            {
                final double b = num(n.path("busy_us_per_op"));
                final double m = num(n.path("msgs_in_per_op")) + num(n.path("msgs_out_per_op"));
                maxBusy = Double.isNaN(b) ? maxBusy : Math.max(maxBusy, b);
                maxMsgs = Double.isNaN(m) ? maxMsgs : Math.max(maxMsgs, m);
            }
            height += HEAD + ROW * r.json.path("nodes").size() + 8;
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
        for (final ReportRun r : with)
        {
            final JsonNode model = r.json.path("model");
            final boolean busy = !r.json.path("nodes").get(0).path("busy_us_per_op").isNull() &&
                !r.json.path("nodes").get(0).path("busy_us_per_op").isMissingNode();
            final JsonNode max = model.path("predicted_max_ops_per_s");
            String head = r.label + (busy ? " (busy us per op)" : " (messages in + out per op)");
            if (max.path("one_core_per_node").isNumber())
            {
                head += String.format(Locale.ROOT, ": predicted max %,.0f ops/s one core per node, %,.0f on one " +
                    "core; measured %,.0f", max.path("one_core_per_node").asDouble(),
                    max.path("shared_core").asDouble(), model.path("measured_ops_per_s").asDouble());
            }
            else if (max.path("null_reason").isTextual())
            {
                head += ": no throughput prediction (" + max.path("null_reason").asText() + ")";
            }
            sb.append("<text x=\"4\" y=\"").append(y + 12).append("\" font-weight=\"bold\" fill=\"").append(r.color)
                .append("\">").append(esc(head)).append("</text>\n");
            y += HEAD;
            final int bottleneck = model.path("bottleneck_node").isInt() ? model.path("bottleneck_node").asInt() : -1;
            for (final JsonNode n : r.json.path("nodes"))
            {
                final double v = busy ? num(n.path("busy_us_per_op")) :
                    num(n.path("msgs_in_per_op")) + num(n.path("msgs_out_per_op"));
                final double scale = busy ? maxBusy : maxMsgs;
                final double w = scale > 0 && !Double.isNaN(v) ? Math.max(1, PLOT * v / scale) : 0;
                final boolean isBottleneck = n.path("id").asInt() == bottleneck;
                final boolean client = n.path("client").asBoolean(false);
                sb.append("<text x=\"").append(LABEL - 6).append("\" y=\"").append(y + 11)
                    .append("\" text-anchor=\"end\">node ").append(n.path("id").asInt()).append(' ')
                    .append(esc(n.path("role").asText("?"))).append("</text>");
                sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" " +
                    "height=\"%d\" fill=\"%s\"%s><title>%s</title></rect>", LABEL, y + 2, w, ROW - 4,
                    client ? "#bab0ac" : r.color, isBottleneck ? " stroke=\"#000\" stroke-width=\"2\"" : "",
                    esc(tooltip(n))));
                final Double u = n.path("utilization").isNumber() ? n.path("utilization").asDouble() : null;
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s%s%s</text>\n",
                    LABEL + w + 6, y + 11, Double.isNaN(v) ? "-" : String.format(Locale.ROOT, busy ? "%.3f" : "%.2f", v),
                    u == null ? "" : String.format(Locale.ROOT, "  (util %.0f%%)", 100 * u),
                    isBottleneck ? "  \u25c0 bottleneck" : ""));
                y += ROW;
            }
            y += 8;
        }
        sb.append("</svg></figure>\n");
        final List<String> bases = new ArrayList<>();
        for (final ReportRun r : with)
        {
            final String basis = ReportRun.text(r.json.path("model").path("basis"), "");
            if (!basis.isEmpty() && !bases.contains(basis))
            {
                bases.add(basis);
            }
        }
        if (bases.size() == 1)
        {
            sb.append("<p class=\"note\">model basis: ").append(esc(bases.get(0))).append("</p>\n");
        }
        sb.append("</section>\n");
    }

    private static String tooltip(final JsonNode n)
    {
        return String.format(Locale.ROOT, "node %d %s: msgs in %.2f, out %.2f, bytes out %.0f per op, busy %s us per op",
            n.path("id").asInt(), n.path("role").asText("?"), num(n.path("msgs_in_per_op")),
            num(n.path("msgs_out_per_op")), num(n.path("bytes_out_per_op")),
            n.path("busy_us_per_op").isNumber() ? String.format(Locale.ROOT, "%.3f", n.path("busy_us_per_op").asDouble()) :
                "not measured");
    }

    private static double num(final JsonNode n)
    {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
