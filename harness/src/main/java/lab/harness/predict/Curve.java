package lab.harness.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.RunContract;
import lab.harness.report.RunReport;

/**
 * The predicted latency-throughput curve of one configuration (protocol, replicas): its points, and the saturation
 * point under a p99 bound, as {@code lab sweep} finds it on measured points: the highest load whose achieved rate is
 * at least 95% of the requested (open loop) and whose p99 (writes and reads) stays under the bound, with no timeouts.
 */
public final class Curve
{
    /** The column header of {@link #row}. */
    public static final String HEADER = String.format("%-26s %4s %10s %12s %12s %9s %9s %9s %9s %8s %6s %11s",
        "PREDICTED protocol", "N", "load", "requested", "ops/s", "w p50 us", "w p99 us", "r p50 us", "r p99 us",
        "msgs/op", "hops", "sim msg/s");

    private final String protocol;
    private final int replicas;
    private final long boundNs;
    private final List<RunContract> points = new ArrayList<>();
    private String saturation = "none (no point met the bound)";
    private double saturationOpsPerSecond = Double.NaN;
    /** The prediction block of the saturation point, marked {@code "saturation_point": true}; null while none. */
    private Map<String, Object> saturationMark;

    public Curve(final String protocol, final int replicas, final long boundNs)
    {
        this.protocol = protocol;
        this.replicas = replicas;
        this.boundNs = boundNs;
    }

    /**
     * Adds a point. Its JSON's {@code prediction} block is a copy of {@code prediction} with the p99 bound and
     * {@code saturation_point}: true on the curve's saturation point so far (write the points once the curve is done).
     *
     * @return its line of text.
     */
    public String add(final RunConfig config, final String load, final PredictedRun.Outcome o,
        final Map<String, Object> environment, final Map<String, Object> prediction)
    {
        final RunResult r = o.result();
        final double wp50 = r.writes().latencyNs().getValueAtPercentile(50) / 1e3;
        final double wp99 = r.writes().latencyNs().getValueAtPercentile(99) / 1e3;
        final double rp50 = r.reads().latencyNs().getValueAtPercentile(50) / 1e3;
        final double rp99 = r.reads().latencyNs().getValueAtPercentile(99) / 1e3;
        final long timeouts = r.writes().timeouts() + r.reads().timeouts();
        final boolean rateMet = config.rate <= 0 || r.achievedRate() >= 0.95 * config.rate;
        final double worstP99Us = Math.max(r.writes().count() > 0 ? wp99 : 0, r.reads().count() > 0 ? rp99 : 0);
        final Map<String, Object> marks = new LinkedHashMap<>(prediction);
        marks.put("p99_bound_us", boundNs / 1e3);
        marks.put("saturation_point", false);
        if (rateMet && worstP99Us * 1e3 <= boundNs && timeouts == 0 && r.totalOps() > 0 &&
            !(r.achievedRate() <= saturationOpsPerSecond))
        {
            if (saturationMark != null)
            {
                saturationMark.put("saturation_point", false);
            }
            saturationMark = marks;
            marks.put("saturation_point", true);
            saturationOpsPerSecond = r.achievedRate();
            saturation = String.format(Locale.ROOT, "%s (%.0f ops/s predicted, p99 %.1f us predicted)", load,
                r.achievedRate(), worstP99Us);
        }
        final Map<String, Object> sim = new LinkedHashMap<>();
        sim.put("messages", o.simulatedMessages());
        sim.put("wall_ms", o.wallNs() / 1_000_000);
        sim.put("messages_per_wall_second", Math.round(o.messagesPerWallSecond()));
        if (!o.uncalibratedMessages().isEmpty())
        {
            sim.put("uncalibrated_messages_by_role", o.uncalibratedMessages());
        }
        if (!o.untypedMessages().isEmpty())
        {
            sim.put("messages_without_type_cost", o.untypedMessages());
        }
        points.add(RunReport.toContract(r, environment).asPredicted().with("prediction", marks)
            .with("simulation", sim));
        final double hops = r.writes().count() > 0 ? r.writes().meanHops() : r.reads().meanHops();
        return String.format(Locale.ROOT, "%-26s %4d %10s %12.0f %12.0f %9.1f %9.1f %9.1f %9.1f %8.2f %6.2f %11.0f%s",
            protocol, replicas, load, config.rate, r.achievedRate(), wp50, wp99, rp50, rp99, r.messagesPerOp(), hops,
            o.messagesPerWallSecond(), o.uncalibratedMessages().isEmpty() ? "" :
                "  (uncalibrated roles, charged the server mean: " + o.uncalibratedMessages() + ")") +
            (o.untypedMessages().isEmpty() ? "" : "  (message types the calibration's by_type has no cost for, " +
                "charged the role's figure: " + o.untypedMessages() + ")");
    }

    public List<RunContract> points()
    {
        return points;
    }

    public String saturationLine()
    {
        return String.format("PREDICTED saturation %-26s N=%d: %s", protocol, replicas, saturation);
    }

    public double saturationOpsPerSecond()
    {
        return saturationOpsPerSecond;
    }
}
