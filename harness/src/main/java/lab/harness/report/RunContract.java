package lab.harness.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lab.harness.cluster.CapacityPrediction;
import lab.harness.cluster.NodeDemand;
import lab.harness.metrics.TimelinePoint;

/**
 * One run's results contract (README.md, "The results contract"): what {@code results.json} and every
 * {@code run-*.json} hold, typed, in the order Jackson writes it. Built by {@link RunReport#toContract}.
 *
 * <p>The blocks the lab names itself are records, built where their figures are computed: {@code nodes} and
 * {@code model} by {@link lab.harness.cluster.CapacityModel}, {@code timeline} by
 * {@link lab.harness.metrics.LatencyTimeline}. The ones whose keys vary by run stay maps: the run configuration as
 * {@link lab.harness.cluster.RunConfig#describe()} words it (keys by transport and load), the environment,
 * transport counters (by transport), fault reports (by fault target), and protocol counters (named by each
 * protocol).
 * A command adds its own blocks after the run's ({@link #with}: {@code repeats}, {@code sweep}, {@code command},
 * {@code prediction}, ...), written after the others in the order added.
 *
 * @param predicted      true for a predicted (simulated, calibrated) point of {@code lab predict}; absent otherwise.
 * @param warnings       the protocol's warnings; absent when none.
 * @param requestedRate  open loop: the rate asked for; absent for a closed loop.
 * @param rateWarning    open loop: why the achieved rate fell short; absent when it did not.
 * @param faults         faults applied and their cost; absent when none.
 * @param protocolCounters replica counters and stale reads, named by the protocol; absent when none.
 * @param extras         the blocks a command added, in order.
 */
@JsonPropertyOrder({"predicted", "protocol", "replicas", "transport", "config", "environment", "warnings", "ops",
    "throughput_total", "requested_rate", "rate_warning", "hops_note", "messages", "malformed_messages", "nodes",
    "model", "transport_stats", "measured_ms", "timeline", "faults", "protocol_counters"})
public record RunContract(
    @JsonProperty("predicted") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean predicted,
    @JsonProperty("protocol") Object protocol,
    @JsonProperty("replicas") Object replicas,
    @JsonProperty("transport") Object transport,
    @JsonProperty("config") Map<String, Object> config,
    @JsonProperty("environment") Map<String, Object> environment,
    @JsonProperty("warnings") @JsonInclude(JsonInclude.Include.NON_NULL) String warnings,
    @JsonProperty("ops") Ops ops,
    @JsonProperty("throughput_total") double throughputTotal,
    @JsonProperty("requested_rate") @JsonInclude(JsonInclude.Include.NON_NULL) Double requestedRate,
    @JsonProperty("rate_warning") @JsonInclude(JsonInclude.Include.NON_NULL) String rateWarning,
    @JsonProperty("hops_note") String hopsNote,
    @JsonProperty("messages") Messages messages,
    @JsonProperty("malformed_messages") long malformedMessages,
    @JsonProperty("nodes") List<NodeDemand> nodes,
    @JsonProperty("model") CapacityPrediction model,
    @JsonProperty("transport_stats") Map<String, Object> transportStats,
    @JsonProperty("measured_ms") long measuredMs,
    @JsonProperty("timeline") List<TimelinePoint> timeline,
    @JsonProperty("faults") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> faults,
    @JsonProperty("protocol_counters") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> protocolCounters,
    @JsonIgnore Map<String, Object> extras)
{
    public RunContract
    {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /**
     * @return this contract with a command's block added after the others (replaced where the key is there).
     */
    public RunContract with(final String key, final Object block)
    {
        final Map<String, Object> more = new LinkedHashMap<>(extras);
        more.put(key, block);
        return new RunContract(predicted, protocol, replicas, transport, config, environment, warnings, ops,
            throughputTotal, requestedRate, rateWarning, hopsNote, messages, malformedMessages, nodes, model,
            transportStats, measuredMs, timeline, faults, protocolCounters, more);
    }

    /**
     * @return this contract marked as a predicted point ({@code "predicted": true}, first).
     */
    public RunContract asPredicted()
    {
        return new RunContract(true, protocol, replicas, transport, config, environment, warnings, ops,
            throughputTotal, requestedRate, rateWarning, hopsNote, messages, malformedMessages, nodes, model,
            transportStats, measuredMs, timeline, faults, protocolCounters, extras);
    }

    /**
     * The commands' blocks, written after the contract's own.
     */
    @JsonAnyGetter
    Map<String, Object> extraBlocks()
    {
        return extras;
    }

    /**
     * Writes and reads, one block per operation type.
     */
    @JsonPropertyOrder({"write", "read"})
    public record Ops(@JsonProperty("write") OpBlock write, @JsonProperty("read") OpBlock read)
    {
    }

    /**
     * @param serviceTimeUs open loop: latency from the actual send (uncorrected); absent for a closed loop, where it
     *                      is the latency.
     * @param msgsPerOp     the run's overall figure (messages are not attributed to an operation type).
     * @param percentileDistribution [percentile, latency us] pairs ({@link RunReport#distribution}).
     */
    @JsonPropertyOrder({"count", "throughput", "timeouts", "latency_us", "service_time_us", "hops", "msgs_per_op",
        "percentile_distribution"})
    public record OpBlock(
        @JsonProperty("count") long count,
        @JsonProperty("throughput") double throughput,
        @JsonProperty("timeouts") long timeouts,
        @JsonProperty("latency_us") LatencySummary latencyUs,
        @JsonProperty("service_time_us") @JsonInclude(JsonInclude.Include.NON_NULL) LatencySummary serviceTimeUs,
        @JsonProperty("hops") Hops hops,
        @JsonProperty("msgs_per_op") double msgsPerOp,
        @JsonProperty("percentile_distribution") List<double[]> percentileDistribution)
    {
    }

    /**
     * Latency percentiles in microseconds, one decimal; 0.0 when nothing was measured.
     */
    @JsonPropertyOrder({"p50", "p90", "p99", "p999", "p9999", "max", "mean"})
    public record LatencySummary(
        @JsonProperty("p50") double p50,
        @JsonProperty("p90") double p90,
        @JsonProperty("p99") double p99,
        @JsonProperty("p999") double p999,
        @JsonProperty("p9999") double p9999,
        @JsonProperty("max") double max,
        @JsonProperty("mean") double mean)
    {
    }

    /**
     * @param measured mean critical-path depth of the operations measured.
     * @param theory   what the protocol's theory says.
     */
    @JsonPropertyOrder({"measured", "theory"})
    public record Hops(@JsonProperty("measured") double measured, @JsonProperty("theory") int theory)
    {
    }

    /**
     * All messages sent in the measurement window over all operations completed in it ({@link #scope}).
     */
    @JsonPropertyOrder({"client_replica", "replica_replica", "per_op", "client_replica_per_op",
        "replica_replica_per_op", "bytes_per_op", "scope"})
    public record Messages(
        @JsonProperty("client_replica") long clientReplica,
        @JsonProperty("replica_replica") long replicaReplica,
        @JsonProperty("per_op") double perOp,
        @JsonProperty("client_replica_per_op") double clientReplicaPerOp,
        @JsonProperty("replica_replica_per_op") double replicaReplicaPerOp,
        @JsonProperty("bytes_per_op") double bytesPerOp,
        @JsonProperty("scope") String scope)
    {
    }
}
