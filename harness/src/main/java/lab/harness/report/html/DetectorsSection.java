package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The failure detectors' trade-off ({@code lab detectors}, its {@code detectors.json}) in the report: detection
 * time after a crash against false suspicions per hour, one line per detector through its parameter values, p50
 * solid and p99 dotted, and the table of points. The mistake axis is logarithmic; a point with no mistake in the
 * simulated hours is drawn at the axis' left end and says so in its tooltip.
 */
final class DetectorsSection
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> COLORS = Map.of("timeout", "#1f77b4", "phi", "#d62728", "swim",
        "#2ca02c");

    private DetectorsSection()
    {
    }

    static boolean isDetectorsFile(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.startsWith("detectors") && name.endsWith(".json") && Files.isRegularFile(file);
    }

    /**
     * @return the detectors files among the inputs and directly inside input folders.
     */
    static List<Path> find(final List<Path> inputs)
    {
        final List<Path> files = new ArrayList<>();
        for (final Path input : inputs)
        {
            if (Files.isDirectory(input))
            {
                try (Stream<Path> list = Files.list(input))
                {
                    list.filter(DetectorsSection::isDetectorsFile).sorted().forEach(files::add);
                }
                catch (final IOException ex)
                {
                    throw new IllegalArgumentException("cannot list " + input + ": " + ex.getMessage(), ex);
                }
            }
            else if (isDetectorsFile(input))
            {
                files.add(input);
            }
        }
        return files;
    }

    static void append(final StringBuilder sb, final List<Path> files)
    {
        int index = 0;
        for (final Path file : files)
        {
            final JsonNode root = read(file);
            final Map<String, List<JsonNode>> byDetector = new LinkedHashMap<>();
            double minFalse = Double.MAX_VALUE;
            double maxFalse = 0;
            double maxDetect = 0;
            for (final JsonNode p : root.path("points"))
            {
                byDetector.computeIfAbsent(p.path("detector").asText(), k -> new ArrayList<>()).add(p);
                final double f = p.path("false_per_hour").asDouble();
                if (f > 0)
                {
                    minFalse = Math.min(minFalse, f);
                }
                maxFalse = Math.max(maxFalse, f);
                maxDetect = Math.max(maxDetect, p.path("detect_p99_ms").asDouble());
            }
            final double floor = minFalse == Double.MAX_VALUE ? 0.1 : minFalse / 2;
            final Axis x = new Axis.Log("false suspicions per hour (log; none drawn at the left end)", floor,
                Math.max(maxFalse, floor * 10), Html::trim, true);
            final Axis y = new Axis.Linear("detection time after a crash (ms)", 0, Math.max(maxDetect, 1), Html::trim);
            // files written before --transport existed are simulations
            final boolean ipc = "ipc".equals(root.path("transport").asText("sim"));
            final String how = ipc ? "over Aeron IPC in one process, real clock" : "SIMULATED";
            final LineChart chart = new LineChart("chart-detectors-" + index++,
                "Detection time against mistakes (" + how + ")", x, y);
            byDetector.forEach((detector, points) ->
            {
                final String color = COLORS.getOrDefault(detector, "#7f7f7f");
                final List<double[]> p50 = new ArrayList<>();
                final List<double[]> p99 = new ArrayList<>();
                final List<String> tips = new ArrayList<>();
                for (final JsonNode p : points)
                {
                    final double f = p.path("false_per_hour").asDouble();
                    final double at = f > 0 ? f : floor;
                    p50.add(new double[]{at, p.path("detect_p50_ms").asDouble()});
                    p99.add(new double[]{at, p.path("detect_p99_ms").asDouble()});
                    tips.add(p.path("parameter").asText() + ": p50 " + Html.trim(p.path("detect_p50_ms").asDouble()) +
                        " ms, p99 " + Html.trim(p.path("detect_p99_ms").asDouble()) + " ms, " +
                        (f > 0 ? Html.trim(f) : "no") + " false suspicions per hour");
                }
                chart.add(new LineChart.Series(detector + " p50", color, null, p50, tips, true, detector));
                chart.add(new LineChart.Series(detector + " p99", color, "2 4", p99, tips, true, detector));
            });
            sb.append("<section id=\"detectors-section\">\n<h2>Failure detectors: detection time against mistakes")
                .append("</h2>\n<p class=\"note\">From ").append(Html.esc(file.toString()))
                .append(" (<code>lab detectors</code>, ").append(ipc ? "over Aeron IPC, real clock" : "simulated")
                .append(": ").append(Html.esc(root.path("conditions")))
                .append("). SWIM's detection is its confirmation and its mistakes live members removed.</p>\n")
                .append("<figure>").append(chart.render()).append("</figure>\n")
                .append("<div class=\"scroll\"><table class=\"detectors\"><thead><tr><th>detector</th>")
                .append("<th>parameter</th><th>detect p50 ms</th><th>detect p99 ms</th><th>false / h</th>")
                .append("<th>refuted / h</th><th>msgs/s</th></tr></thead><tbody>\n");
            for (final JsonNode p : root.path("points"))
            {
                sb.append("<tr><td>").append(Html.esc(p.path("detector").asText()))
                    .append("</td><td>").append(Html.esc(p.path("parameter").asText()))
                    .append("</td><td>").append(Html.fixed(p.path("detect_p50_ms").asDouble(), 1))
                    .append("</td><td>").append(Html.fixed(p.path("detect_p99_ms").asDouble(), 1))
                    .append("</td><td>").append(Html.fixed(p.path("false_per_hour").asDouble(), 1))
                    .append("</td><td>").append(p.path("refuted_per_hour").isNumber() ?
                        Html.fixed(p.path("refuted_per_hour").asDouble(), 1) : "")
                    .append("</td><td>").append(Html.fixed(p.path("messages_per_second").asDouble(), 0))
                    .append("</td></tr>\n");
            }
            sb.append("</tbody></table></div>\n</section>\n");
        }
    }

    private static JsonNode read(final Path file)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read " + file + " as detectors JSON: " + ex.getMessage(), ex);
        }
        if (root == null || !"detectors".equals(root.path("kind").asText()) || !root.path("points").isArray())
        {
            throw new IllegalArgumentException(file + " is not a lab detectors result (kind detectors, points)");
        }
        return root;
    }
}
