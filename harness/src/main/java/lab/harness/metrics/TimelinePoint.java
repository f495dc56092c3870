package lab.harness.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One interval of a run's {@code timeline} (README.md, "The results contract"), as {@link LatencyTimeline} samples
 * it: the operations completed in the interval and their latency. Percentiles are 0.0 for an interval without
 * operations of that type.
 *
 * @param tS       end of the interval, seconds since the run started (warm-up included), to the millisecond.
 * @param opsPerS  reads and writes completed in the interval per second.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"t_s", "ops_per_s", "read_count", "read_p50_us", "read_p99_us", "read_max_us", "write_count",
    "write_p50_us", "write_p99_us", "write_max_us"})
public record TimelinePoint(
    @JsonProperty("t_s") double tS,
    @JsonProperty("ops_per_s") long opsPerS,
    @JsonProperty("read_count") long readCount,
    @JsonProperty("read_p50_us") double readP50Us,
    @JsonProperty("read_p99_us") double readP99Us,
    @JsonProperty("read_max_us") double readMaxUs,
    @JsonProperty("write_count") long writeCount,
    @JsonProperty("write_p50_us") double writeP50Us,
    @JsonProperty("write_p99_us") double writeP99Us,
    @JsonProperty("write_max_us") double writeMaxUs)
{
}
