package lab.harness.report;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The keys the results contract writes, in order: the optional ones only when they say something, a command's own
 * blocks after the run's. (The golden test pins whole runs; this one the branches a seeded echo run does not take.)
 */
class RunContractTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunContract contract(final String warnings, final Double requestedRate, final String rateWarning,
        final Map<String, Object> faults, final Map<String, Object> counters)
    {
        final RunContract.LatencySummary l = new RunContract.LatencySummary(1, 2, 3, 4, 5, 6, 7);
        final RunContract.OpBlock op = new RunContract.OpBlock(10, 100.0, 0, l, requestedRate == null ? null : l,
            new RunContract.Hops(2.0, 2), 2.0, List.of(new double[]{50.0, 1.0}));
        return new RunContract(null, "echo", 1, "sim", Map.of("protocol", "echo"), Map.of("cpu", "x"), warnings,
            new RunContract.Ops(op, op), 200.0, requestedRate, rateWarning, "", new RunContract.Messages(1, 0, 2.0,
            2.0, 0.0, 64.0, "scope"), 0, List.of(), null, Map.of(), 300, List.of(), faults, counters, Map.of());
    }

    private static List<String> keys(final Object value) throws Exception
    {
        final List<String> keys = new ArrayList<>();
        final Iterator<String> names = JSON.readTree(JSON.writeValueAsString(value)).fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void aClosedLoopWithoutWarningsFaultsOrCountersWritesNone() throws Exception
    {
        assertEquals(List.of("protocol", "replicas", "transport", "config", "environment", "ops", "throughput_total",
            "hops_note", "messages", "malformed_messages", "nodes", "model", "transport_stats", "measured_ms",
            "timeline"), keys(contract(null, null, null, null, null)));
        final JsonNode write = JSON.readTree(JSON.writeValueAsString(contract(null, null, null, null, null)))
            .get("ops").get("write");
        assertFalse(write.has("service_time_us"));
    }

    @Test
    void everyOptionalBlockTakesItsPlace() throws Exception
    {
        final RunContract all = contract("stale reads possible", 1000.0, "saturated", Map.of("events", List.of()),
            Map.of("stale_reads", Map.of()));
        assertEquals(List.of("protocol", "replicas", "transport", "config", "environment", "warnings", "ops",
            "throughput_total", "requested_rate", "rate_warning", "hops_note", "messages", "malformed_messages",
            "nodes", "model", "transport_stats", "measured_ms", "timeline", "faults", "protocol_counters"),
            keys(all));
        assertEquals(List.of("count", "throughput", "timeouts", "latency_us", "service_time_us", "hops", "msgs_per_op",
            "percentile_distribution"), keys(all.ops().write()));
    }

    @Test
    void aCommandsBlocksComeAfterTheRunsInTheOrderAdded() throws Exception
    {
        final RunContract point = contract(null, null, null, null, null).asPredicted().with("prediction", Map.of())
            .with("simulation", Map.of()).with("prediction", Map.of("saturation_point", true));
        final List<String> keys = keys(point);
        assertEquals("predicted", keys.get(0));
        assertEquals(List.of("timeline", "prediction", "simulation"), keys.subList(keys.size() - 3, keys.size()));
        assertEquals(true, JSON.readTree(JSON.writeValueAsString(point)).get("prediction").get("saturation_point")
            .asBoolean());
    }
}
