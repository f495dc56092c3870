package lab.harness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lab.harness.cluster.RunResult;
import lab.harness.metrics.OpStats;
import org.HdrHistogram.Histogram;

/**
 * Turns a {@link RunResult} into the results contract (README.md, "The results contract"; a {@link RunContract}
 * Jackson writes) and a readable table.
 */
public final class RunReport
{
    private RunReport()
    {
    }

    public static RunContract toContract(final RunResult result, final Map<String, Object> environment)
    {
        return toContract(result, environment, null);
    }

    /**
     * @param echo the echo baseline over the same transport for the capacity model, or null.
     */
    public static RunContract toContract(final RunResult result, final Map<String, Object> environment,
        final RunResult echo)
    {
        final Map<String, Object> config = new LinkedHashMap<>(result.config());
        config.put("protocol_options", result.protocolOptions());
        final boolean open = result.requestedRate() > 0;
        final RunContract.Messages messages = new RunContract.Messages(
            result.traffic().clientReplicaMessages(),
            result.traffic().replicaReplicaMessages(),
            result.messagesPerOp(),
            perOp(result, result.traffic().clientReplicaMessages()),
            perOp(result, result.traffic().replicaReplicaMessages()),
            result.bytesPerOp(),
            "all messages sent in the measurement window / all operations completed in it");
        final lab.harness.cluster.CapacityModel model = lab.harness.cluster.CapacityModel.of(result, echo);
        return new RunContract(
            null,
            result.config().get("protocol"),
            result.config().get("replicas"),
            result.config().get("transport"),
            config,
            environment,
            result.warnings().isEmpty() ? null : result.warnings(),
            new RunContract.Ops(
                opBlock(result, result.writes(), result.writeService(), result.theory().writeHops()),
                opBlock(result, result.reads(), result.readService(), result.theory().readHops())),
            result.achievedRate(),
            open ? result.requestedRate() : null,
            open && !result.rateWarning().isEmpty() ? result.rateWarning() : null,
            result.theory().note(),
            messages,
            result.malformedMessages(),
            model.nodeDemands(),
            model.prediction(),
            result.transportStats(),
            result.measuredNs() / 1_000_000,
            result.timeline(),
            result.faults().isEmpty() ? null : result.faults(),
            result.protocolStats().isEmpty() ? null : result.protocolStats(),
            Map.of());
    }

    private static double perOp(final RunResult result, final long messages)
    {
        return result.totalOps() == 0 ? 0 : (double)messages / result.totalOps();
    }

    private static RunContract.OpBlock opBlock(
        final RunResult result, final OpStats stats, final OpStats service, final int theoryHops)
    {
        return new RunContract.OpBlock(
            stats.count(),
            result.throughput(stats),
            stats.timeouts(),
            latencySummary(stats.latencyNs()),
            // Open loop: latency_us is from the intended start; this is from the actual send (uncorrected).
            result.requestedRate() > 0 ? latencySummary(service.latencyNs()) : null,
            new RunContract.Hops(stats.meanHops(), theoryHops),
            result.messagesPerOp(),
            distribution(stats.latencyNs()));
    }

    /**
     * @return [percentile, latency us] pairs as HdrHistogram's percentile distribution output gives them (5 ticks per
     * half distance), for plots on a log percentile axis.
     */
    public static java.util.List<double[]> distribution(final Histogram h)
    {
        final java.util.List<double[]> points = new java.util.ArrayList<>();
        if (h.getTotalCount() == 0)
        {
            return points;
        }
        for (final org.HdrHistogram.HistogramIterationValue v : h.percentiles(5))
        {
            points.add(new double[]{v.getPercentileLevelIteratedTo(), round(v.getValueIteratedTo() / 1000.0)});
            if (v.getPercentileLevelIteratedTo() >= 100.0)
            {
                break;
            }
        }
        return points;
    }

    /**
     * @return the latency percentiles of the results contract.
     */
    public static RunContract.LatencySummary latencySummary(final Histogram h)
    {
        return new RunContract.LatencySummary(us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), us(h, 99.99),
            h.getTotalCount() == 0 ? 0.0 : round(h.getMaxValue() / 1000.0),
            h.getTotalCount() == 0 ? 0.0 : round(h.getMean() / 1000.0));
    }

    /**
     * @return {@link #latencySummary} as a map (tables read it by key).
     */
    public static Map<String, Object> latencyUs(final Histogram h)
    {
        final RunContract.LatencySummary s = latencySummary(h);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", s.p50());
        m.put("p90", s.p90());
        m.put("p99", s.p99());
        m.put("p999", s.p999());
        m.put("p9999", s.p9999());
        m.put("max", s.max());
        m.put("mean", s.mean());
        return m;
    }

    private static double us(final Histogram h, final double percentile)
    {
        return h.getTotalCount() == 0 ? 0.0 : round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double round(final double v)
    {
        return Math.round(v * 10.0) / 10.0;
    }

    public static String toTable(final RunResult result)
    {
        return toTable(result, null);
    }

    /**
     * @param echo the echo baseline over the same transport for the capacity model, or null.
     */
    public static String toTable(final RunResult result, final RunResult echo)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-6s %10s %12s %9s %9s %9s %9s %9s %9s %7s %12s %8s%n",
            "op", "count", "ops/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "p99.99us", "max us",
            "hops", "(theory)", "timeouts"));
        row(sb, "write", result, result.writes(), result.theory().writeHops());
        row(sb, "read", result, result.reads(), result.theory().readHops());
        sb.append(String.format("total %12.0f ops/s   msgs/op %.2f (client<->replica %.2f, replica<->replica %.2f)" +
            "   bytes/op %.0f%n",
            result.throughput(result.reads()) + result.throughput(result.writes()), result.messagesPerOp(),
            perOp(result, result.traffic().clientReplicaMessages()),
            perOp(result, result.traffic().replicaReplicaMessages()), result.bytesPerOp()));
        if (result.malformedMessages() > 0)
        {
            sb.append(String.format("malformed messages dropped: %d (whole run, all nodes; the first are described " +
                "on their stderr)%n", result.malformedMessages()));
        }
        final Object hedging = result.protocolStats().get("hedging");
        if (hedging instanceof Map)
        {
            final Map<?, ?> h = (Map<?, ?>)hedging;
            sb.append(String.format("hedged reads (%s): %s copies sent for %s reads, %.4f per read (whole run)%n",
                h.get("setting"), h.get("copies_sent"), h.get("reads"),
                ((Number)h.get("copies_per_read")).doubleValue()));
        }
        final Object tied = result.protocolStats().get("tied");
        if (tied instanceof Map)
        {
            final Map<?, ?> t = (Map<?, ?>)tied;
            sb.append(String.format("tied reads: %s copies sent for %s reads, %s cancels sent, %s copies dropped, " +
                "%s served by both, %s cancels evicted; %.4f extra messages per read (whole run)%n",
                t.get("copies_sent"), t.get("reads"), t.get("cancels_sent"), t.get("copies_dropped"),
                t.get("both_served"), t.get("cancels_evicted"),
                ((Number)t.get("extra_messages_per_read")).doubleValue()));
        }
        if (!result.theory().note().isEmpty())
        {
            sb.append("hops theory: ").append(result.theory().note()).append('\n');
        }
        if (result.requestedRate() > 0)
        {
            final Map<String, Object> ws = latencyUs(result.writeService().latencyNs());
            final Map<String, Object> rs = latencyUs(result.readService().latencyNs());
            sb.append(String.format("open loop at %.0f ops/s requested; above: latency from the intended start. " +
                "Service time (uncorrected) p50/p99/p99.9 us: write %s/%s/%s, read %s/%s/%s%n",
                result.requestedRate(), ws.get("p50"), ws.get("p99"), ws.get("p999"), rs.get("p50"), rs.get("p99"),
                rs.get("p999")));
        }
        if (!result.faults().isEmpty())
        {
            faults(sb, result.faults());
        }
        final Object stale = result.protocolStats().get("stale_reads");
        if (stale instanceof Map)
        {
            final Map<?, ?> m = (Map<?, ?>)stale;
            sb.append(String.format("stale reads: %s of %s reads (%.3f%%)%n", m.get("stale"), m.get("reads"),
                100 * ((Number)m.get("rate")).doubleValue()));
        }
        final Object clean = result.protocolStats().get("craq_clean_reads");
        final Object dirty = result.protocolStats().get("craq_dirty_reads");
        if (clean instanceof Long && dirty instanceof Long && (Long)clean + (Long)dirty > 0)
        {
            sb.append(String.format("craq reads: clean %d, dirty %d (%.2f%% dirty)%n", clean, dirty,
                100.0 * (Long)dirty / ((Long)clean + (Long)dirty)));
        }
        final Object appends = result.protocolStats().get("raft_appends_sent");
        final Object entries = result.protocolStats().get("raft_entries_sent");
        if (appends instanceof Long && entries instanceof Long && (Long)appends > 0)
        {
            sb.append(String.format("raft (whole run, warm-up included): %d appends carrying %d entries " +
                "(%.2f per append), %s acknowledgements, %s log file writes%n", appends, entries,
                (double)(Long)entries / (Long)appends, result.protocolStats().get("raft_acks_sent"),
                result.protocolStats().get("raft_log_writes")));
        }
        sb.append(lab.harness.cluster.CapacityModel.of(result, echo).text());
        if (!result.rateWarning().isEmpty())
        {
            sb.append("WARNING: ").append(result.rateWarning()).append('\n');
        }
        if (!result.warnings().isEmpty())
        {
            sb.append("WARNING: ").append(result.warnings()).append('\n');
        }
        return sb.toString();
    }

    private static void row(final StringBuilder sb, final String name, final RunResult result, final OpStats stats,
        final int theory)
    {
        final Map<String, Object> l = latencyUs(stats.latencyNs());
        sb.append(String.format("%-6s %10d %12.0f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %7.2f %12s %8d%n",
            name, stats.count(), result.throughput(stats), l.get("p50"), l.get("p90"), l.get("p99"), l.get("p999"),
            l.get("p9999"), l.get("max"), stats.meanHops(), "(" + theory + ")", stats.timeouts()));
    }

    /**
     * The faults of a run as lines a person reads: the events in time, the outage, latency by phase, then whatever
     * else the fault target reported (killed and relaunched processes), one key per line.
     */
    static void faults(final StringBuilder sb, final Map<String, Object> faults)
    {
        sb.append("faults:\n");
        final Map<String, Object> rest = new java.util.LinkedHashMap<>(faults);
        final Object events = rest.remove("events");
        if (events instanceof List)
        {
            int repeats = 0;
            for (final Object e : (List<?>)events)
            {
                final Map<?, ?> m = (Map<?, ?>)e;
                if (Boolean.TRUE.equals(m.get("repeat")))
                {
                    repeats++; // a repeated pause and resume: the first of each is shown
                    continue;
                }
                sb.append(String.format("  %7.3f s  %s%s%n", ((Number)m.get("t_s")).doubleValue(), m.get("event"),
                    m.containsKey("node") ? " (node " + m.get("node") + ")" : ""));
            }
            if (repeats > 0)
            {
                sb.append(String.format("  (and %d more pauses and resumes of the repeated pauses, in the JSON)%n",
                    repeats));
            }
        }
        final Object phases = rest.remove("phases");
        if (phases instanceof List && !((List<?>)phases).isEmpty())
        {
            phases(sb, (List<?>)phases);
        }
        if (rest.containsKey("unavailability_from_s"))
        {
            sb.append(String.format("  unavailability %s ms (%s - %s s, longest gap %s ms)%s; new role holder after %s%n",
                rest.remove("unavailability_ms"), rest.remove("unavailability_from_s"),
                rest.remove("unavailability_to_s"), rest.remove("longest_write_gap_ms"),
                Boolean.FALSE.equals(rest.remove("writes_resumed")) ? ", writes never resumed" : "",
                msOrText(rest.remove("time_to_new_role_holder_ms"))));
        }
        else if (rest.containsKey("unavailability_ms"))
        {
            sb.append(String.format("  unavailability %s ms (writes went on through the fault); new role holder " +
                "after %s%n", rest.remove("unavailability_ms"), msOrText(rest.remove("time_to_new_role_holder_ms"))));
        }
        if (rest.containsKey("write_latency_before"))
        {
            sb.append("  write latency, mean interval p50 / worst interval p99 us (writes):");
            for (final String phase : new String[]{"before", "during", "after"})
            {
                final Object p = rest.remove("write_latency_" + phase);
                if (p instanceof Map)
                {
                    final Map<?, ?> m = (Map<?, ?>)p;
                    sb.append(String.format(" %s %s / %s (%,d)", phase, m.get("mean_interval_p50_us"),
                        m.get("worst_interval_p99_us"), ((Number)m.get("writes")).longValue()));
                }
            }
            sb.append('\n');
        }
        rest.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    }

    /**
     * The phases of each fault window as a table: throughput, latency percentiles, stale reads, the longest time
     * without a completed write.
     */
    private static void phases(final StringBuilder sb, final List<?> phases)
    {
        sb.append("  per fault window (ops/s; latency us; stale reads, - when not measured; longest write gap ms):\n");
        sb.append(String.format("  %-34s %-6s %13s %9s | %8s %8s %8s %9s | %8s %8s %8s %9s | %5s %8s%n", "fault",
            "phase", "from - to s", "ops/s", "w p50", "w p99", "w p99.9", "w max", "r p50", "r p99", "r p99.9",
            "r max", "stale", "gap ms"));
        for (final Object o : phases)
        {
            if (!(o instanceof lab.harness.cluster.FaultPhase))
            {
                sb.append("  ").append(o).append('\n');
                continue;
            }
            final lab.harness.cluster.FaultPhase p = (lab.harness.cluster.FaultPhase)o;
            final String fault = p.fault().length() > 34 ? p.fault().substring(0, 31) + "..." : p.fault();
            sb.append(String.format("  %-34s %-6s %6.1f-%6.1f %9d | %8.1f %8.1f %8.1f %9.1f | %8.1f %8.1f %8.1f %9.1f | " +
                "%5s %8.1f%s%n", fault, p.phase(), p.fromS(), p.toS(), p.opsPerS(), p.writeP50Us(), p.writeP99Us(),
                p.writeP999Us(), p.writeMaxUs(), p.readP50Us(), p.readP99Us(), p.readP999Us(), p.readMaxUs(),
                p.staleReads() == null ? "-" : p.staleReads().toString(), p.longestWriteGapMs(),
                p.measuredS() == 0 ? "  (no measured interval)" : ""));
        }
    }

    private static String msOrText(final Object value)
    {
        return value instanceof Number ? value + " ms" : String.valueOf(value);
    }
}
