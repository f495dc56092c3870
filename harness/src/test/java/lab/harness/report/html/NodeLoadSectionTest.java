package lab.harness.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Where the load lands": one bar per node, its length proportional to busy time per operation on one scale across
 * runs, the bottleneck outlined and marked, the model's predicted maxima in the run's heading; message counts where
 * busy time was not measured; nothing for results without per-node load.
 */
class NodeLoadSectionTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BAR = Pattern.compile("<rect class=\"bar\" x=\"\\d+\" y=\"\\d+\" width=\"([0-9.]+)\"" +
        "([^>]*)><title>([^<]*)</title>");

    private static Map<String, Object> node(final int id, final String role, final Double busyUs, final double in,
        final boolean client)
    {
        final Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", id);
        n.put("role", role);
        n.put("client", client);
        n.put("msgs_in_per_op", in);
        n.put("msgs_out_per_op", in);
        n.put("bytes_out_per_op", 100 * in);
        n.put("busy_us_per_op", busyUs);
        n.put("utilization", busyUs == null ? null : busyUs / 10);
        return n;
    }

    private static Path run(final Path dir, final String protocol, final List<Map<String, Object>> nodes,
        final Map<String, Object> model) throws IOException
    {
        Files.createDirectories(dir);
        final Map<String, Object> r = HtmlReportTest.contract(protocol, 3, 100_000, 2, Map.of());
        r.put("nodes", nodes);
        r.put("model", model);
        final Path file = dir.resolve("run-" + protocol + ".json");
        JSON.writeValue(file.toFile(), r);
        return file;
    }

    private record Bar(double width, boolean outlined, String tip)
    {
    }

    private static List<Bar> bars(final String svg)
    {
        final List<Bar> bars = new ArrayList<>();
        final Matcher m = BAR.matcher(svg);
        while (m.find())
        {
            bars.add(new Bar(Double.parseDouble(m.group(1)), m.group(2).contains("stroke=\"#000\""), m.group(3)));
        }
        return bars;
    }

    @Test
    void shouldDrawBusyTimePerNodeOnOneScaleAndMarkTheBottleneck(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("2026-12-01-compare");
        final Map<String, Object> max = new LinkedHashMap<>();
        max.put("one_core_per_node", 250_000.0);
        max.put("shared_core", 100_000.0);
        final Map<String, Object> model = new LinkedHashMap<>();
        model.put("bottleneck_node", 0);
        model.put("predicted_max_ops_per_s", max);
        model.put("measured_ops_per_s", 90_000.0);
        model.put("basis", "echo baseline");
        run(dir, "primary-backup", List.of(node(0, "primary", 4.0, 4, false), node(1, "backup", 1.0, 1, false),
            node(2, "backup", 1.0, 1, false), node(3, "client", 2.0, 1, true)), model);
        final Map<String, Object> chainModel = new LinkedHashMap<>(model);
        chainModel.put("bottleneck_node", 2);
        run(dir, "chain", List.of(node(0, "head", 1.0, 2, false), node(1, "middle", 1.0, 2, false),
            node(2, "tail", 2.0, 2, false), node(3, "client", 1.0, 1, true)), chainModel);
        final String html = HtmlReport.render(List.of(dir));
        final String svg = HtmlReportTest.chart(html, NodeLoadSection.CHART_ID);
        final List<Bar> bars = bars(svg);
        assertEquals(8, bars.size(), svg);
        // runs in file name order: chain (bars 0-3), then primary-backup (bars 4-7)
        // one scale across runs: the primary's 4 us is the longest bar, a backup's 1 us a quarter of it
        final double full = bars.get(4).width();
        assertEquals(full / 4, bars.get(5).width(), 0.1);
        assertEquals(full / 2, bars.get(2).width(), 0.1, "the chain's tail, 2 us");
        // exactly the bottleneck of each run is outlined
        assertTrue(bars.get(4).outlined() && bars.get(2).outlined());
        assertEquals(2, bars.stream().filter(Bar::outlined).count());
        assertEquals(2, svg.split("\u25c0 bottleneck", -1).length - 1);
        assertTrue(bars.get(4).tip().contains("node 0 primary: msgs in 4.00, out 4.00, bytes out 400 per op, busy " +
            "4.000 us per op"), bars.get(4).tip());
        assertTrue(svg.contains("predicted max 250,000 ops/s one core per node, 100,000 on one core; measured 90,000"),
            svg);
        assertTrue(svg.contains("(util 40%)"), svg);
        assertTrue(html.contains("model basis: echo baseline"));
    }

    @Test
    void shouldDrawMessagesWhereBusyTimeWasNotMeasuredAndSayWhyThereIsNoPrediction(@TempDir final Path tmp)
        throws IOException
    {
        final Map<String, Object> max = new LinkedHashMap<>();
        max.put("null_reason", "busy time is not measured on the simulator");
        final Map<String, Object> model = new LinkedHashMap<>();
        model.put("bottleneck_node", 0);
        model.put("predicted_max_ops_per_s", max);
        final Path file = run(tmp.resolve("sim"), "raft", List.of(node(0, "leader", null, 6, false),
            node(1, "follower", null, 1, false), node(2, "follower", null, 1, false)), model);
        final String svg = HtmlReportTest.chart(HtmlReport.render(List.of(file)), NodeLoadSection.CHART_ID);
        assertTrue(svg.contains("(messages in + out per op): no throughput prediction (busy time is not measured " +
            "on the simulator)"), svg);
        final List<Bar> bars = bars(svg);
        assertEquals(3, bars.size());
        assertEquals(bars.get(0).width() / 6, bars.get(1).width(), 0.1, "12 messages against 2");
        assertTrue(bars.get(1).tip().contains("busy not measured"), bars.get(1).tip());
    }

    @Test
    void shouldReadNodesWithKeysItDoesNotKnowAndWithoutTheOptionalOnes(@TempDir final Path tmp) throws IOException
    {
        final Map<String, Object> leader = node(0, "leader", null, 6, false);
        leader.put("a_figure_from_a_later_lab", 1.0);
        final Map<String, Object> follower = new LinkedHashMap<>();
        follower.put("id", 1);
        follower.put("msgs_in_per_op", 1.0);
        final Path file = run(tmp.resolve("mixed"), "raft", List.of(leader, follower), Map.of("bottleneck_node", 0));
        final List<Bar> bars = bars(HtmlReportTest.chart(HtmlReport.render(List.of(file)), NodeLoadSection.CHART_ID));
        assertEquals(2, bars.size());
        assertTrue(bars.get(0).outlined());
        assertTrue(bars.get(1).tip().startsWith("node 1 ?: msgs in 1.00, out NaN"), bars.get(1).tip());
    }

    @Test
    void shouldLeaveTheSectionOutForResultsWithoutNodes(@TempDir final Path tmp) throws IOException
    {
        final Path dir = tmp.resolve("old");
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("run-raft.json").toFile(), HtmlReportTest.contract("raft", 3, 1000, 1, Map.of()));
        assertFalse(HtmlReport.render(List.of(dir)).contains(NodeLoadSection.CHART_ID));
    }
}
