package lab.harness.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The results contract's {@code model} (README.md, "The results contract"): what {@link CapacityModel} predicts from
 * where the load landed. Whatever cannot be computed is null (written as such) with a one-line reason.
 *
 * @param bottleneckNode        the server node with the largest demand; null when the model cannot be computed.
 * @param bottleneckBy          what "largest" was measured by (busy time, or messages where busy time was not).
 * @param bottleneckUtilization its busy time / window; null when not measured.
 * @param measuredOpsPerS       the run's throughput, rounded.
 * @param nodeThreadCpuShare    CPU time / wall time of the node threads in the window; null when not measured.
 * @param transportUsPerMsg     the transport's busy time per message from an echo baseline; null without one.
 * @param transportShareOfBottleneck that cost's share of the bottleneck's demand; null without a baseline.
 * @param basis                 what the figures rest on, "; "-separated.
 * @param nullReason            why the model cannot be computed at all; absent when it can.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"bottleneck_node", "bottleneck_role", "bottleneck_by", "bottleneck_utilization",
    "predicted_max_ops_per_s", "measured_ops_per_s", "predicted_p50_us", "node_thread_cpu_share",
    "transport_us_per_msg", "transport_share_of_bottleneck", "basis", "null_reason"})
public record CapacityPrediction(
    @JsonProperty("bottleneck_node") Integer bottleneckNode,
    @JsonProperty("bottleneck_role") String bottleneckRole,
    @JsonProperty("bottleneck_by") String bottleneckBy,
    @JsonProperty("bottleneck_utilization") Double bottleneckUtilization,
    @JsonProperty("predicted_max_ops_per_s") MaxThroughput predictedMaxOpsPerS,
    @JsonProperty("measured_ops_per_s") Double measuredOpsPerS,
    @JsonProperty("predicted_p50_us") LowLoadLatency predictedP50Us,
    @JsonProperty("node_thread_cpu_share") Double nodeThreadCpuShare,
    @JsonProperty("transport_us_per_msg") Double transportUsPerMsg,
    @JsonProperty("transport_share_of_bottleneck") Double transportShareOfBottleneck,
    @JsonProperty("basis") String basis,
    @JsonProperty("null_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String nullReason)
{
    /**
     * Throughput bounds, ops/s rounded.
     *
     * @param oneCorePerNode        1 / max D_i: each node on a core of its own.
     * @param sharedCore            1 / sum D_i: every node on one core, the clients' demand counted.
     * @param sharedCoreServersOnly 1 / sum D_i over the servers.
     * @param nullReason            why the bounds are null; absent when they are not.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"one_core_per_node", "shared_core", "shared_core_servers_only", "null_reason"})
    public record MaxThroughput(
        @JsonProperty("one_core_per_node") Double oneCorePerNode,
        @JsonProperty("shared_core") Double sharedCore,
        @JsonProperty("shared_core_servers_only") Double sharedCoreServersOnly,
        @JsonProperty("null_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String nullReason)
    {
    }

    /**
     * Low-load p50 latency per operation type (us): hops x one-way link + service along the critical path.
     *
     * @param write      null when no write completed or the model has no service time.
     * @param read       null when no read completed or the model has no service time.
     * @param nullReason why a prediction is null; absent when neither is.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"write", "read", "null_reason"})
    public record LowLoadLatency(
        @JsonProperty("write") Double write,
        @JsonProperty("read") Double read,
        @JsonProperty("null_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String nullReason)
    {
    }
}
