package lab.harness.cluster;

import java.util.Random;

import lab.harness.aeron.AeronCluster;
import lab.core.Replica;

/**
 * Faults on the in-process Aeron cluster: a crash stops the node's agent and closes its subscription (what peers
 * send it is lost), a restart gives the agent a fresh replica from the protocol's factory on a new subscription.
 * Roles are read from the replica objects while the node thread runs (see {@link FaultTarget#role}).
 */
final class InProcessFaults implements FaultTarget
{
    private final AeronCluster cluster;
    private final LabRunner.Nodes nodes;

    InProcessFaults(final AeronCluster cluster, final LabRunner.Nodes nodes)
    {
        this.cluster = cluster;
        this.nodes = nodes;
    }

    public int replicas()
    {
        return nodes.settings.replicas();
    }

    public String role(final int node)
    {
        return cluster.crashed(node) ? null : ((Replica)cluster.agents().get(node).endpoint()).role().name();
    }

    public boolean crashed(final int node)
    {
        return cluster.crashed(node);
    }

    public void crash(final int node)
    {
        cluster.crash(node);
    }

    public void restart(final int node, final long seed)
    {
        cluster.restart(node, nodes.factory.newReplica(node, nodes.settings, new Random(seed), true));
    }
}
