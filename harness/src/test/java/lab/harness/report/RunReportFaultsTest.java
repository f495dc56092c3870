package lab.harness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunReportFaultsTest
{
    @Test
    void shouldPrintFaultsAsLinesNotAsAJavaMap()
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("events", List.of(Map.of("t_s", 2.001, "event", "crash leader", "node", 0),
            Map.of("t_s", 3.0, "event", "restart")));
        f.put("unavailability_ms", 300.79);
        f.put("unavailability_from_s", 2.001);
        f.put("unavailability_to_s", 2.302);
        f.put("longest_write_gap_ms", 300.79);
        f.put("writes_resumed", true);
        f.put("time_to_new_role_holder_ms", 165.52);
        for (final String phase : new String[]{"before", "during", "after"})
        {
            f.put("write_latency_" + phase, Map.of("writes", 1500L, "mean_interval_p50_us", 5.6,
                "worst_interval_p99_us", 27.1));
        }
        f.put("killed", "node0 pid 123");
        final StringBuilder sb = new StringBuilder();
        RunReport.faults(sb, f);
        assertEquals("faults:\n" +
            "    2.001 s  crash leader (node 0)\n" +
            "    3.000 s  restart\n" +
            "  unavailability 300.79 ms (2.001 - 2.302 s, longest gap 300.79 ms); new role holder after 165.52 ms\n" +
            "  write latency, mean interval p50 / worst interval p99 us (writes): before 5.6 / 27.1 (1,500) during " +
            "5.6 / 27.1 (1,500) after 5.6 / 27.1 (1,500)\n" +
            "  killed: node0 pid 123\n", sb.toString());
    }
}
