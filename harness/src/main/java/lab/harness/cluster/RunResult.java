package lab.harness.cluster;

import java.util.List;
import java.util.Map;

import lab.core.HopTheory;
import lab.harness.metrics.OpStats;
import lab.harness.metrics.TrafficCounters;

/**
 * What one run measured.
 *
 * @param config       the run configuration, described.
 * @param protocolOptions every protocol option, defaults included.
 * @param theory       hop counts the theory predicts.
 * @param warnings     protocol warnings (e.g. stale reads possible), "" if none.
 * @param reads        GET latency, counts, hops.
 * @param writes       PUT latency, counts, hops.
 * @param readService  GET service time (from the actual send; equals reads for a closed loop).
 * @param writeService PUT service time.
 * @param traffic      messages and bytes sent in the window.
 * @param measuredNs   length of the measurement window.
 * @param requestedRate operations per second asked for (open loop), 0 for a closed loop.
 * @param transportStats back-pressure and drop counters of the transport, idle strategy used.
 * @param faults       faults applied and their cost (unavailability, failover, latency by phase); empty if none.
 * @param protocolStats replica counters summed (e.g. CRAQ clean/dirty reads) and stale reads when measured.
 * @param timeline     per interval from the start (warm-up included): t_s, ops/s, read/write counts and percentiles.
 * @param malformedMessages messages dropped as malformed by every node (replicas, control nodes, clients), whole
 *                     run: what failed {@link lab.core.WireCheck validation} at a decode edge.
 * @param load         per node: messages in and out, bytes out, busy time (see {@link CapacityModel}).
 */
public record RunResult(
    Map<String, Object> config,
    Map<String, String> protocolOptions,
    HopTheory theory,
    String warnings,
    OpStats reads,
    OpStats writes,
    OpStats readService,
    OpStats writeService,
    TrafficCounters traffic,
    long measuredNs,
    double requestedRate,
    Map<String, Object> transportStats,
    List<lab.harness.metrics.TimelinePoint> timeline,
    Map<String, Object> faults,
    Map<String, Object> protocolStats,
    long malformedMessages,
    lab.harness.metrics.NodeLoads load)
{
    public long totalOps()
    {
        return reads.count() + writes.count();
    }

    public double throughput(final OpStats stats)
    {
        return stats.count() / (measuredNs / 1e9);
    }

    public double achievedRate()
    {
        return throughput(reads) + throughput(writes);
    }

    /**
     * @return a warning when an open loop fell short of its rate (the saturation signal), else "".
     */
    public String rateWarning()
    {
        String warning = "";
        if (requestedRate > 0 && achievedRate() < 0.95 * requestedRate)
        {
            warning = String.format("achieved %.0f ops/s of the %.0f requested (%.0f%%): the system is saturated; " +
                "latencies include the queue this causes", achievedRate(), requestedRate,
                100 * achievedRate() / requestedRate);
        }
        final Object dropped = transportStats.get("open_loop_warmup_backlog_dropped");
        if (dropped instanceof Number && ((Number)dropped).longValue() > 0)
        {
            warning += (warning.isEmpty() ? "" : "; ") + "the warm-up fell behind its schedule: " + dropped +
                " arrivals still unsent when the measured window began were dropped (a longer --warmup may help)";
        }
        return warning;
    }

    public double messagesPerOp()
    {
        final long ops = totalOps();
        return ops == 0 ? 0 : (double)traffic.totalMessages() / ops;
    }

    public double bytesPerOp()
    {
        final long ops = totalOps();
        return ops == 0 ? 0 : (double)traffic.totalBytes() / ops;
    }
}
