package lab.harness.api;

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
}
