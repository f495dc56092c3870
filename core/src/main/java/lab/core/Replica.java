package lab.core;

/**
 * One replica of a replicated key-value store. Node ids of replicas are 0 .. replicas-1; clients follow them.
 */
public interface Replica extends Endpoint
{
    /**
     * @return a short description of the role this replica believes it has now (for logs and fault targeting),
     * e.g. "primary", "backup", "leader", "head".
     */
    String role();

    /**
     * @return protocol-specific counters to report with the run (e.g. CRAQ clean and dirty reads), summed over
     * replicas by the harness after the run; empty by default. Called only when the node is not running.
     */
    default java.util.Map<String, Long> counters()
    {
        return java.util.Map.of();
    }
}
