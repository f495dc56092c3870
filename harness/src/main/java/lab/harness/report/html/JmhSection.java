package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JMH results (the JSON of {@code -rf json}, as bin/lab-jmh writes under results/) in the report: one row per
 * benchmark and parameter set, with the allocation per operation when {@code -prof gc} ran.
 */
final class JmhSection
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private JmhSection()
    {
    }

    /**
     * @return whether a file is a JMH result: a JSON array named jmh-*.json.
     */
    static boolean isJmhFile(final Path file)
    {
        final String name = file.getFileName().toString();
        return name.startsWith("jmh") && name.endsWith(".json") && Files.isRegularFile(file);
    }

    /**
     * @return the JMH result files among the inputs and directly inside input folders.
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
                    list.filter(JmhSection::isJmhFile).sorted().forEach(files::add);
                }
                catch (final IOException ex)
                {
                    throw new IllegalArgumentException("cannot list " + input + ": " + ex.getMessage(), ex);
                }
            }
            else if (isJmhFile(input))
            {
                files.add(input);
            }
        }
        return files;
    }

    static void append(final StringBuilder sb, final List<Path> files)
    {
        if (files.isEmpty())
        {
            return;
        }
        sb.append("<section id=\"jmh-section\">\n<h2>JMH benchmarks</h2>\n<p class=\"note\">From ")
            .append(Html.esc(files.toString())).append(". Score \u00b1 error (99.9%) as JMH reports it; ")
            .append("allocation per operation where -prof gc ran.</p>\n")
            .append("<div class=\"scroll\"><table id=\"jmh\"><thead><tr><th>benchmark</th><th>params</th>")
            .append("<th>mode</th><th>score</th><th>error</th><th>unit</th><th>gc B/op</th></tr></thead><tbody>\n");
        for (final Path file : files)
        {
            final JsonNode root;
            try
            {
                root = JSON.readTree(file.toFile());
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read " + file + " as JMH JSON: " + ex.getMessage(), ex);
            }
            if (!root.isArray())
            {
                throw new IllegalArgumentException(file + " is not JMH JSON (an array of results expected)");
            }
            for (final JsonNode b : root)
            {
                final JsonNode primary = b.path("primaryMetric");
                final StringBuilder params = new StringBuilder();
                for (final Iterator<Map.Entry<String, JsonNode>> it = b.path("params").fields(); it.hasNext(); )
                {
                    final Map.Entry<String, JsonNode> p = it.next();
                    params.append(params.length() == 0 ? "" : " ").append(p.getKey()).append('=')
                        .append(p.getValue().asText());
                }
                final JsonNode gc = b.path("secondaryMetrics").path("\u00b7gc.alloc.rate.norm");
                sb.append("<tr><td>").append(Html.esc(shortName(b.path("benchmark").asText())))
                    .append("</td><td>").append(Html.esc(params))
                    .append("</td><td>").append(Html.esc(b.path("mode").asText()))
                    .append("</td><td>").append(number(primary.path("score")))
                    .append("</td><td>").append(number(primary.path("scoreError")))
                    .append("</td><td>").append(Html.esc(primary.path("scoreUnit").asText()))
                    .append("</td><td>").append(gc.isMissingNode() ? "" : number(gc.path("score")))
                    .append("</td></tr>\n");
            }
        }
        sb.append("</tbody></table></div>\n</section>\n");
    }

    private static String shortName(final String benchmark)
    {
        return benchmark.startsWith("lab.benchmarks.") ? benchmark.substring("lab.benchmarks.".length()) : benchmark;
    }

    private static String number(final JsonNode n)
    {
        if (n.isMissingNode() || !n.isNumber())
        {
            return n.isMissingNode() ? "" : Html.esc(n.asText());
        }
        final double v = n.asDouble();
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3f", v);
    }
}
