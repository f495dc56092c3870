package lab.harness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import lab.harness.cluster.RunResult;

/**
 * Min / median / max of the headline figures over repeated runs of one configuration.
 */
public final class RepeatSummary
{
    private RepeatSummary()
    {
    }

    public static Map<String, Object> of(final List<RunResult> results)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", results.size());
        m.put("throughput", spread(results, RunResult::achievedRate));
        m.put("write_p50_us", spread(results, r -> r.writes().latencyNs().getValueAtPercentile(50) / 1000.0));
        m.put("write_p99_us", spread(results, r -> r.writes().latencyNs().getValueAtPercentile(99) / 1000.0));
        m.put("read_p50_us", spread(results, r -> r.reads().latencyNs().getValueAtPercentile(50) / 1000.0));
        m.put("read_p99_us", spread(results, r -> r.reads().latencyNs().getValueAtPercentile(99) / 1000.0));
        return m;
    }

    private static Map<String, Double> spread(final List<RunResult> results, final ToDoubleFunction<RunResult> f)
    {
        final double[] v = results.stream().mapToDouble(f).sorted().toArray();
        final Map<String, Double> m = new LinkedHashMap<>();
        m.put("min", round(v[0]));
        m.put("median", round(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2));
        m.put("max", round(v[v.length - 1]));
        return m;
    }

    private static double round(final double v)
    {
        return Math.round(v * 10) / 10.0;
    }

}
