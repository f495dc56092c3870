package lab.harness.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.RunResult;

/**
 * One row per protocol: throughput, read and write latency percentiles, hops measured beside theory, msgs/op.
 */
public final class ComparisonTable
{
    private static final String HEADER_FORMAT =
        "%-16s %10s | %8s %8s %8s | %8s %8s %8s | %12s %12s | %7s %8s | %-16s %12s%n";
    private static final String ROW_FORMAT =
        "%-16s %10.0f | %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f | %5.2f (%4d) %5.2f (%4d) | %7.2f %8d | %-16s %12s%n";

    private ComparisonTable()
    {
    }

    public static String text(final List<RunResult> results)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(HEADER_FORMAT, "protocol", "ops/s", "w p50", "w p99", "w p99.9",
            "r p50", "r p99", "r p99.9", "w hops (th)", "r hops (th)", "msgs/op", "timeouts", "bottleneck",
            "max ops/s"));
        sb.append(String.format(HEADER_FORMAT, "", "", "us", "us", "us", "us", "us", "us", "", "", "", "", "",
            "1 core/node*"));
        final RunResult echo = lab.harness.cluster.CapacityModel.echoOf(results);
        for (final RunResult r : results)
        {
            final lab.harness.cluster.CapacityModel model = lab.harness.cluster.CapacityModel.of(r, echo);
            final Map<String, Object> w = RunReport.latencyUs(r.writes().latencyNs());
            final Map<String, Object> rd = RunReport.latencyUs(r.reads().latencyNs());
            sb.append(String.format(Locale.ROOT, ROW_FORMAT, name(r),
                r.throughput(r.reads()) + r.throughput(r.writes()),
                w.get("p50"), w.get("p99"), w.get("p999"), rd.get("p50"), rd.get("p99"), rd.get("p999"),
                r.writes().meanHops(), r.theory().writeHops(), r.reads().meanHops(), r.theory().readHops(),
                r.messagesPerOp(), r.writes().timeouts() + r.reads().timeouts(), model.bottleneckLabel(),
                model.oneCorePerNode() == null ? "-" : String.format(Locale.ROOT, "%.0f", model.oneCorePerNode())));
        }
        sb.append("* max ops/s, one core per node (predicted): 1 / the bottleneck's CPU demand per op (busy time x " +
            "the node thread's CPU share); bottleneck: the server node with the most busy time per op\n");
        return sb.toString();
    }

    public static String csv(final List<RunResult> results)
    {
        final StringBuilder sb = new StringBuilder(
            "protocol,replicas,transport,ops_per_s,write_p50_us,write_p99_us,write_p999_us,write_max_us," +
            "read_p50_us,read_p99_us,read_p999_us,read_max_us,write_hops,write_hops_theory,read_hops," +
            "read_hops_theory,msgs_per_op,bytes_per_op,timeouts,bottleneck,predicted_max_ops_per_s_one_core_per_node," +
            "predicted_max_ops_per_s_shared_core\n");
        final RunResult echo = lab.harness.cluster.CapacityModel.echoOf(results);
        for (final RunResult r : results)
        {
            final lab.harness.cluster.CapacityModel model = lab.harness.cluster.CapacityModel.of(r, echo);
            final Map<String, Object> w = RunReport.latencyUs(r.writes().latencyNs());
            final Map<String, Object> rd = RunReport.latencyUs(r.reads().latencyNs());
            sb.append(String.join(",", name(r), String.valueOf(r.config().get("replicas")),
                String.valueOf(r.config().get("transport")),
                fmt(r.throughput(r.reads()) + r.throughput(r.writes())),
                String.valueOf(w.get("p50")), String.valueOf(w.get("p99")), String.valueOf(w.get("p999")),
                String.valueOf(w.get("max")), String.valueOf(rd.get("p50")), String.valueOf(rd.get("p99")),
                String.valueOf(rd.get("p999")), String.valueOf(rd.get("max")),
                fmt(r.writes().meanHops()), String.valueOf(r.theory().writeHops()), fmt(r.reads().meanHops()),
                String.valueOf(r.theory().readHops()), fmt(r.messagesPerOp()), fmt(r.bytesPerOp()),
                String.valueOf(r.writes().timeouts() + r.reads().timeouts()), model.bottleneckLabel(),
                model.oneCorePerNode() == null ? "" : fmt(model.oneCorePerNode()),
                model.sharedCore() == null ? "" : fmt(model.sharedCore()))).append('\n');
        }
        return sb.toString();
    }

    private static String name(final RunResult r)
    {
        return String.valueOf(r.config().get("protocol"));
    }

    private static String fmt(final double v)
    {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
