package lab.harness.cluster;

import java.util.Map;

/**
 * What {@link FaultInjector} needs of a cluster to carry out a {@link FaultSchedule}: the roles its replicas report,
 * a way to crash a replica and bring it back, to set a node's receive-edge faults and to pause and resume it. In one process ({@link InProcessFaults}) a crash stops the node's
 * agent and closes its subscription; with one process per replica ({@code ProcessFaults}) it is kill -9 of the
 * node's JVM and a restart is a new JVM.
 */
public interface FaultTarget
{
    /**
     * @return the replica count (replicas are nodes 0 .. replicas-1).
     */
    int replicas();

    /**
     * @return the role the node reports now, or null when it is not known (down, or not reported yet). A racy
     * read: used to pick a target and to notice a new role holder, never for results of the protocol itself.
     */
    String role(int node);

    /**
     * @return whether the node is down: crashed and not restarted since.
     */
    boolean crashed(int node);

    void crash(int node);

    /**
     * Brings a crashed node back as a fresh replica that knows it restarted ({@code restarted = true}), whose
     * random choices come from {@code seed}.
     */
    void restart(int node, long seed);

    /**
     * @return every node of the run: replicas first, then control nodes and clients (a cut names their ids).
     */
    default int members()
    {
        return replicas();
    }

    /**
     * Sets what node {@code node}'s receive edge does (cuts, loss, delay, slow): see
     * {@link lab.harness.aeron.ReceiveEdgeFaults}.
     */
    default void edge(final int node, final lab.harness.aeron.ReceiveEdgeFaults.Rules rules)
    {
        throw new UnsupportedOperationException("this cluster has no receive-edge faults");
    }

    /**
     * Stops the node without losing its state (a GC pause; SIGSTOP of its process), until {@link #resume}.
     */
    default void pause(final int node)
    {
        throw new UnsupportedOperationException("this cluster cannot pause a node");
    }

    default void resume(final int node)
    {
        throw new UnsupportedOperationException("this cluster cannot pause a node");
    }

    /**
     * @return facts about how the faults were carried out that only this kind of cluster has (e.g. the pids
     * killed), added to the run's {@code faults}; empty by default.
     */
    default Map<String, Object> report()
    {
        return Map.of();
    }
}
