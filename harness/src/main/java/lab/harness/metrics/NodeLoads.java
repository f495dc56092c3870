package lab.harness.metrics;

import java.util.List;

/**
 * Every node's load in one run, and what the capacity model needs to know about how it was measured.
 *
 * @param nodes          one per node, by id (may be empty: not measured).
 * @param busyNote       null when busy time was measured; else why not (one line).
 * @param linkOneWayNs   the one-way latency of a link as the run configured it (emulated delay + mean jitter, or
 *                       the simulator's link); -1 when the run did not set one.
 * @param linkBasis      where {@code linkOneWayNs} came from, for the model's basis.
 * @param crashedNodes   nodes that were crashed at some time during the run (their counts cover part of it).
 * @param cpuShare       CPU time of the node threads / their wall time over the window (1 on an idle machine with a
 *                       spinning thread; lower when the scheduler took them away); NaN when not measured.
 */
public record NodeLoads(List<NodeLoad> nodes, String busyNote, long linkOneWayNs, String linkBasis,
    List<Integer> crashedNodes, double cpuShare)
{
    public static NodeLoads none(final String why)
    {
        return new NodeLoads(List.of(), why, -1, "", List.of(), Double.NaN);
    }
}
