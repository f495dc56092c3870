package lab.harness.cluster;

import java.util.Map;

/**
 * What {@link FaultInjector} needs of a cluster to carry out a {@link FaultSchedule}: the roles its replicas report,
 * and a way to crash a replica and bring it back. In one process ({@link InProcessFaults}) a crash stops the node's
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
     * @return facts about how the faults were carried out that only this kind of cluster has (e.g. the pids
     * killed), added to the run's {@code faults}; empty by default.
     */
    default Map<String, Object> report()
    {
        return Map.of();
    }
}
