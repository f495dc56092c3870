package lab.harness.cluster;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One node of the results contract's {@code nodes} (README.md, "The results contract"): where the load of a run
 * landed on it, per operation completed in the window, as {@link CapacityModel} computes it. A figure that cannot be
 * computed is null (written as such); {@link #busyNullReason} says why busy time is missing.
 *
 * @param msgsInPerOp          messages received / operations; null when no operation completed.
 * @param clientMsgsOutPerOp   of the messages sent, those to clients.
 * @param busyUsPerOp          D_i, busy time / operations (us); null when not measured or no operation completed.
 * @param utilization          busy time / window; null when not measured.
 * @param backgroundUtilization cycles that moved no message (timers) / window; null when not measured.
 * @param busyNullReason       why busy time is null; absent when it is not.
 * @param msgsInPerOpByType    messages received / operations by message type ({@link lab.core.MessageTypes} names,
 *                             e.g. {@code raft.AppendEntries}), the types seen only; null when no operation completed.
 * @param msgsOutPerOpByType   the same for messages sent.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"id", "role", "client", "msgs_in_per_op", "msgs_out_per_op", "client_msgs_out_per_op",
    "bytes_out_per_op", "busy_us_per_op", "utilization", "background_utilization", "busy_null_reason",
    "msgs_in_per_op_by_type", "msgs_out_per_op_by_type"})
public record NodeDemand(
    @JsonProperty("id") int id,
    @JsonProperty("role") String role,
    @JsonProperty("client") boolean client,
    @JsonProperty("msgs_in_per_op") Double msgsInPerOp,
    @JsonProperty("msgs_out_per_op") Double msgsOutPerOp,
    @JsonProperty("client_msgs_out_per_op") Double clientMsgsOutPerOp,
    @JsonProperty("bytes_out_per_op") Double bytesOutPerOp,
    @JsonProperty("busy_us_per_op") Double busyUsPerOp,
    @JsonProperty("utilization") Double utilization,
    @JsonProperty("background_utilization") Double backgroundUtilization,
    @JsonProperty("busy_null_reason") @JsonInclude(JsonInclude.Include.NON_NULL) String busyNullReason,
    @JsonProperty("msgs_in_per_op_by_type") Map<String, Double> msgsInPerOpByType,
    @JsonProperty("msgs_out_per_op_by_type") Map<String, Double> msgsOutPerOpByType)
{
}
