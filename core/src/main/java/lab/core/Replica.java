package lab.core;

/**
 * One replica of a replicated key-value store. Node ids of replicas are 0 .. replicas-1; clients follow them.
 */
public interface Replica extends Endpoint
{
    /**
     * @return the role this replica believes it has now (for fault targeting, reports and checks), e.g. "primary",
     * "backup", "leader", "head", with whether it serves clients and holds the state; a constant, not allocated.
     */
    Role role();

    /**
     * @return protocol-specific counters to report with the run (e.g. CRAQ clean and dirty reads), summed over
     * replicas by the harness after the run; empty by default. Called only when the node is not running.
     */
    default java.util.Map<String, Long> counters()
    {
        return java.util.Map.of();
    }
}
