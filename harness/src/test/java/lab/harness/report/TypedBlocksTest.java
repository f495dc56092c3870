package lab.harness.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cluster.CapacityPrediction;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.NodeDemand;
import lab.harness.cluster.RunConfig;
import lab.harness.metrics.TimelinePoint;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract's typed blocks ({@code nodes}, {@code model}, {@code timeline}): a reason only where a figure is null,
 * nulls written where a figure cannot be computed, and what the lab writes reads back into the same records (the
 * report reads them so), also from files with keys the records do not know or without the optional ones.
 */
class TypedBlocksTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunContract simulatedRun()
    {
        return RunReport.toContract(LabRunner.run(RunConfig.builder()
            .protocol("echo")
            .transport("sim")
            .clients(2)
            .outstanding(2)
            .workload(new Workload(0.5, 100, "uniform", 0.99, 32))
            .durationNs(TimeUnit.MILLISECONDS.toNanos(300))
            .warmupNs(TimeUnit.MILLISECONDS.toNanos(100))
            .intervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            .seed(7)
            .build()), Map.of());
    }

    private static List<String> keys(final JsonNode node)
    {
        final List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void whatTheLabWritesReadsBackIntoTheSameRecords() throws Exception
    {
        final RunContract contract = simulatedRun();
        final JsonNode written = JSON.readTree(JSON.writeValueAsString(contract));
        assertFalse(contract.nodes().isEmpty());
        assertFalse(contract.timeline().isEmpty());
        assertEquals(contract.nodes(), Arrays.asList(JSON.treeToValue(written.get("nodes"), NodeDemand[].class)));
        assertEquals(contract.model(), JSON.treeToValue(written.get("model"), CapacityPrediction.class));
        assertEquals(contract.timeline(),
            Arrays.asList(JSON.treeToValue(written.get("timeline"), TimelinePoint[].class)));
    }

    @Test
    void aFigureThatCannotBeComputedIsNullWithItsReason() throws Exception
    {
        // The simulator measures no busy time: every node says why, the throughput bounds are null with a reason,
        // and the model as a whole (it names a bottleneck by messages) has none.
        final RunContract contract = simulatedRun();
        final JsonNode node = JSON.readTree(JSON.writeValueAsString(contract.nodes().get(0)));
        assertEquals(List.of("id", "role", "client", "msgs_in_per_op", "msgs_out_per_op", "client_msgs_out_per_op",
            "bytes_out_per_op", "busy_us_per_op", "utilization", "background_utilization", "busy_null_reason",
            "msgs_in_per_op_by_type", "msgs_out_per_op_by_type"), keys(node));
        assertTrue(node.get("busy_us_per_op").isNull());
        assertTrue(node.get("busy_null_reason").asText().contains("simulated"), node.toString());
        final JsonNode model = JSON.readTree(JSON.writeValueAsString(contract.model()));
        assertEquals(List.of("bottleneck_node", "bottleneck_role", "bottleneck_by", "bottleneck_utilization",
            "predicted_max_ops_per_s", "measured_ops_per_s", "predicted_p50_us", "node_thread_cpu_share",
            "transport_us_per_msg", "transport_share_of_bottleneck", "basis"), keys(model));
        assertEquals(List.of("one_core_per_node", "shared_core", "shared_core_servers_only", "null_reason"),
            keys(model.get("predicted_max_ops_per_s")));
        assertEquals(List.of("write", "read"), keys(model.get("predicted_p50_us")));
    }

    @Test
    void aReasonIsWrittenOnlyWhereSomethingIsNull() throws Exception
    {
        final NodeDemand measured = new NodeDemand(0, "primary", false, 1.0, 1.0, 0.5, 64.0, 2.5, 0.4, 0.01, null,
            java.util.Map.of("client.ClientRequest", 1.0), java.util.Map.of("client.ClientResponse", 1.0));
        assertFalse(JSON.readTree(JSON.writeValueAsString(measured)).has("busy_null_reason"));
        final CapacityPrediction none = new CapacityPrediction(null, null, null, null,
            new CapacityPrediction.MaxThroughput(null, null, null, "no completed operations in the window"), 0.0,
            new CapacityPrediction.LowLoadLatency(null, null, "no completed operations in the window"), null, null,
            null, "", "no completed operations in the window");
        final JsonNode model = JSON.readTree(JSON.writeValueAsString(none));
        assertTrue(model.get("bottleneck_node").isNull(), "a null figure is written, not left out");
        assertEquals("no completed operations in the window", model.get("null_reason").asText());
    }

    @Test
    void olderAndNewerFilesReadWithWhatTheyHave() throws Exception
    {
        final NodeDemand node = JSON.readValue("{\"id\": 2, \"role\": \"tail\", \"msgs_in_per_op\": 1.5, " +
            "\"a_later_figure\": 7}", NodeDemand.class);
        assertEquals(2, node.id());
        assertEquals(1.5, node.msgsInPerOp());
        assertNull(node.busyUsPerOp());
        final CapacityPrediction model = JSON.readValue("{\"bottleneck_node\": 0, \"basis\": \"echo baseline\"}",
            CapacityPrediction.class);
        assertEquals(0, model.bottleneckNode());
        assertNull(model.predictedMaxOpsPerS());
    }
}
