package lab.harness.report.html;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cluster.CapacityPrediction;
import lab.harness.cluster.NodeDemand;

/**
 * One run read from a results file (the results contract of README.md), with where it came from and how the report
 * names and colours it. Missing fields read as NaN or empty: the report draws what is there.
 */
final class ReportRun
{
    /** Reads the typed blocks back (the records ignore keys they do not know: newer files read too). */
    private static final ObjectMapper READER = new ObjectMapper();

    final JsonNode json;
    final Path source;
    String label;
    String color;
    String key;

    ReportRun(final JsonNode json, final Path source)
    {
        this.json = json;
        this.source = source;
    }

    String protocol()
    {
        return text(json.path("protocol"), text(json.path("config").path("protocol"), "?"));
    }

    String replicas()
    {
        return text(json.path("replicas"), text(json.path("config").path("replicas"), "?"));
    }

    String transport()
    {
        return text(json.path("transport"), text(json.path("config").path("transport"), "?"));
    }

    /**
     * @return "open-loop" or "closed-loop" (older files: "").
     */
    String loadKind()
    {
        final JsonNode load = json.path("config").path("load");
        return load.isTextual() ? load.asText() : text(load.path("kind"), "");
    }

    /**
     * @return the protocol options, key to value; empty when none are recorded.
     */
    Map<String, String> options()
    {
        final Map<String, String> options = new java.util.TreeMap<>();
        json.path("config").path("protocol_options").fields().forEachRemaining(e ->
            options.put(e.getKey(), e.getValue().asText()));
        return options;
    }

    String clients()
    {
        return "clients=" + text(json.path("config").path("clients"), "?");
    }

    /**
     * @return the folder the run's file lies in (e.g. "2025-01-01-compare").
     */
    String folder()
    {
        final Path parent = source.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
    }

    /**
     * @return what may tell this run from others, each as it reads in a label: replicas ("n=3"), transport,
     * workload, load ("closed-loop"), every config setting naming a rate ("10000/s" for the open-loop rate,
     * "name=value" for others), clients ("c=2"),
     * outstanding operations per client ("o=16"), the results folder. A label shows those that vary between runs.
     */
    Map<String, String> dims()
    {
        final JsonNode config = json.path("config");
        final Map<String, String> dims = new java.util.LinkedHashMap<>();
        if (json.path("predicted").asBoolean(false))
        {
            dims.put("predicted", "PREDICTED"); // lab predict's runs: never mistaken for measured ones
        }
        dims.put("replicas", "n=" + replicas());
        dims.put("transport", transport());
        dims.put("workload", workload());
        final JsonNode load = config.path("load");
        if (load.isValueNode())
        {
            dims.put("load", load.asText());
        }
        else if (load.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> it = load.fields();
            while (it.hasNext())
            {
                final Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode())
                {
                    dims.put("load." + e.getKey(), e.getKey() + "=" + e.getValue().asText());
                }
            }
        }
        final Iterator<Map.Entry<String, JsonNode>> it = config.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("rate") && e.getValue().isValueNode())
            {
                // the open-loop rate reads as a rate ("10000/s"); other rate settings keep their names
                dims.put(e.getKey(), e.getKey().equals("rate_per_s") && e.getValue().isNumber() ?
                    Html.trim(e.getValue().asDouble()) + "/s" : e.getKey() + "=" + e.getValue().asText());
            }
        }
        if (config.has("clients"))
        {
            dims.put("clients", "c=" + text(config.path("clients"), "?"));
        }
        if (config.has("outstanding_per_client"))
        {
            dims.put("outstanding", "o=" + text(config.path("outstanding_per_client"), "?"));
        }
        dims.put("folder", folder());
        return dims;
    }

    private static void appendFlat(final StringBuilder sb, final JsonNode node)
    {
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode())
            {
                sb.append(sb.length() > 0 ? " " : "").append(e.getKey()).append('=').append(e.getValue().asText());
            }
        }
    }

    String workload()
    {
        final JsonNode w = json.path("config").path("workload");
        if (w.isMissingNode() || w.isNull())
        {
            return "";
        }
        if (w.isValueNode())
        {
            return w.asText();
        }
        final StringBuilder sb = new StringBuilder();
        appendFlat(sb, w);
        return sb.toString();
    }

    /**
     * @return whether this run is a baseline (echo: the transport's round trip; none: one unreplicated store), not a
     * replicated protocol.
     */
    boolean isBaseline()
    {
        return "echo".equals(protocol()) || "none".equals(protocol());
    }

    /**
     * @return the open-loop rate asked for, ops/s; NaN for a closed loop.
     */
    double requestedRate()
    {
        final double requested = num(json.path("requested_rate"));
        final double r = Double.isNaN(requested) ? num(json.path("config").path("rate_per_s")) : requested;
        return r > 0 ? r : Double.NaN;
    }

    /**
     * @return the p99 bound the sweep that made this run judged it by, microseconds; NaN outside a sweep.
     */
    double sweepBoundUs()
    {
        return num(json.path("sweep").path("p99_bound_us"));
    }

    /**
     * @return what a sweep varied for this point: its recorded load, else the requested rate, else the outstanding
     * operations of all clients.
     */
    double load()
    {
        final double recorded = num(json.path("sweep").path("load"));
        if (!Double.isNaN(recorded))
        {
            return recorded;
        }
        final double requested = requestedRate();
        if (!Double.isNaN(requested))
        {
            return requested;
        }
        return num(json.path("config").path("clients")) * num(json.path("config").path("outstanding_per_client"));
    }

    /**
     * @return the p99 of the time from the actual send (open loop, uncorrected for coordinated omission), us; NaN
     * where not recorded (a closed loop sends when it intends to, so there the two are one).
     */
    double serviceP99(final String type)
    {
        return num(op(type).path("service_time_us").path("p99"));
    }

    JsonNode op(final String type)
    {
        return json.path("ops").path(type);
    }

    boolean hasOps(final String type)
    {
        final JsonNode op = op(type);
        return !op.isMissingNode() && num(op.path("count")) > 0;
    }

    double latency(final String type, final String percentile)
    {
        return num(op(type).path("latency_us").path(percentile));
    }

    /**
     * @return total throughput: "throughput_total" where present, else the sum of the op blocks' throughputs.
     */
    double throughput()
    {
        final double total = num(json.path("throughput_total"));
        if (!Double.isNaN(total))
        {
            return total;
        }
        final double w = num(op("write").path("throughput"));
        final double r = num(op("read").path("throughput"));
        if (Double.isNaN(w) && Double.isNaN(r))
        {
            return Double.NaN;
        }
        return (Double.isNaN(w) ? 0 : w) + (Double.isNaN(r) ? 0 : r);
    }

    double msgsPerOp()
    {
        final double m = num(json.path("messages").path("per_op"));
        if (!Double.isNaN(m))
        {
            return m;
        }
        final double w = num(op("write").path("msgs_per_op"));
        return Double.isNaN(w) ? num(op("read").path("msgs_per_op")) : w;
    }

    double timeouts()
    {
        final double w = num(op("write").path("timeouts"));
        final double r = num(op("read").path("timeouts"));
        if (Double.isNaN(w) && Double.isNaN(r))
        {
            return Double.NaN;
        }
        return (Double.isNaN(w) ? 0 : w) + (Double.isNaN(r) ? 0 : r);
    }

    /**
     * @return the op block's percentile distribution as (x = 1/(1-p), latency us) points for a log percentile axis;
     * the 100th percentile (the max) goes at x = count, where one operation in count lies beyond.
     */
    List<double[]> percentilePoints(final String type)
    {
        final List<double[]> points = new ArrayList<>();
        final JsonNode op = op(type);
        final double count = num(op.path("count"));
        double lastX = 1;
        for (final JsonNode p : op.path("percentile_distribution"))
        {
            final double percentile = num(p.path(0));
            final double us = num(p.path(1));
            if (Double.isNaN(percentile) || Double.isNaN(us))
            {
                continue;
            }
            double x;
            if (percentile >= 100)
            {
                x = Double.isNaN(count) ? lastX * 10 : Math.max(count, lastX);
            }
            else
            {
                x = 1 / (1 - percentile / 100.0);
            }
            lastX = x;
            points.add(new double[]{x, us});
        }
        return points;
    }

    /**
     * @return the run's {@code nodes} as the contract types them; empty where the file has none (results older than
     * the capacity model) or they do not read as nodes.
     */
    List<NodeDemand> nodes()
    {
        final JsonNode nodes = json.path("nodes");
        if (!nodes.isArray())
        {
            return List.of();
        }
        try
        {
            return java.util.Arrays.stream(READER.treeToValue(nodes, NodeDemand[].class))
                .filter(java.util.Objects::nonNull).toList();
        }
        catch (final JsonProcessingException | IllegalArgumentException ex)
        {
            return List.of();
        }
    }

    /**
     * @return the run's capacity {@code model} as the contract types it; null where the file has none or it does
     * not read as one.
     */
    CapacityPrediction model()
    {
        final JsonNode model = json.path("model");
        if (!model.isObject())
        {
            return null;
        }
        try
        {
            return READER.treeToValue(model, CapacityPrediction.class);
        }
        catch (final JsonProcessingException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    List<JsonNode> timeline()
    {
        final List<JsonNode> points = new ArrayList<>();
        json.path("timeline").forEach(points::add);
        return points;
    }

    double warmupSeconds()
    {
        return num(json.path("config").path("warmup_ms")) / 1000.0;
    }

    static double num(final JsonNode n)
    {
        if (n == null || n.isMissingNode() || n.isNull())
        {
            return Double.NaN;
        }
        if (n.isNumber())
        {
            return n.asDouble();
        }
        if (n.isTextual())
        {
            try
            {
                return Double.parseDouble(n.asText().trim());
            }
            catch (final NumberFormatException ex)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String text(final JsonNode n, final String orElse)
    {
        return n == null || n.isMissingNode() || n.isNull() || n.isContainerNode() ? orElse : n.asText();
    }
}
