package lab.harness.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lab.harness.cluster.RunResult;

/**
 * Min / median / max of the headline figures over repeated runs of one configuration: the {@code repeats} block a
 * command adds to the results contract ({@code lab run --repeat}, {@code lab compare --repeat}).
 *
 * @param runs how many runs.
 */
@JsonPropertyOrder({"runs", "throughput", "write_p50_us", "write_p99_us", "read_p50_us", "read_p99_us"})
public record RepeatSummary(
    @JsonProperty("runs") int runs,
    @JsonProperty("throughput") Spread throughput,
    @JsonProperty("write_p50_us") Spread writeP50Us,
    @JsonProperty("write_p99_us") Spread writeP99Us,
    @JsonProperty("read_p50_us") Spread readP50Us,
    @JsonProperty("read_p99_us") Spread readP99Us)
{
    /**
     * Min, median (the mean of the middle two for an even count) and max, one decimal.
     */
    @JsonPropertyOrder({"min", "median", "max"})
    public record Spread(@JsonProperty("min") double min, @JsonProperty("median") double median,
        @JsonProperty("max") double max)
    {
        /**
         * @param format the format of one figure, e.g. "%.1f".
         * @return "min / median / max" in that format.
         */
        public String text(final String format)
        {
            return String.format(format + " / " + format + " / " + format, min, median, max);
        }

        @Override
        public String toString()
        {
            return "{min=" + min + ", median=" + median + ", max=" + max + "}";
        }
    }

    public static RepeatSummary of(final List<RunResult> results)
    {
        return new RepeatSummary(
            results.size(),
            spread(results, RunResult::achievedRate),
            spread(results, r -> r.writes().latencyNs().getValueAtPercentile(50) / 1000.0),
            spread(results, r -> r.writes().latencyNs().getValueAtPercentile(99) / 1000.0),
            spread(results, r -> r.reads().latencyNs().getValueAtPercentile(50) / 1000.0),
            spread(results, r -> r.reads().latencyNs().getValueAtPercentile(99) / 1000.0));
    }

    /**
     * The line {@code lab run --repeat} prints (as it did when the summary was a map).
     */
    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "{runs=%d, throughput=%s, write_p50_us=%s, write_p99_us=%s, " +
            "read_p50_us=%s, read_p99_us=%s}", runs, throughput, writeP50Us, writeP99Us, readP50Us, readP99Us);
    }

    private static Spread spread(final List<RunResult> results, final ToDoubleFunction<RunResult> f)
    {
        final double[] v = results.stream().mapToDouble(f).sorted().toArray();
        return new Spread(round(v[0]),
            round(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2),
            round(v[v.length - 1]));
    }

    private static double round(final double v)
    {
        return Math.round(v * 10) / 10.0;
    }
}
