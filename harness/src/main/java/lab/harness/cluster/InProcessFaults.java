package lab.harness.cluster;

import java.util.Random;

import lab.harness.aeron.AeronCluster;
import lab.core.Replica;

/**
 * Faults on the in-process Aeron cluster: a crash stops the node's agent and closes its subscription (what peers
 * send it is lost), a restart gives the agent a fresh replica from the protocol's factory on a new subscription;
 * cuts, loss, delay and slowness are the agents' receive-edge rules, a pause stops an agent's duty cycles.
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

    public int members()
    {
        return cluster.agents().size();
    }

    public void edge(final int node, final lab.harness.aeron.ReceiveEdgeFaults.Rules rules)
    {
        cluster.agents().get(node).faults().rules(rules);
    }

    public void pause(final int node)
    {
        cluster.agents().get(node).paused(true);
    }

    public void resume(final int node)
    {
        cluster.agents().get(node).paused(false);
    }

    public java.util.Map<String, Object> report()
    {
        long cut = 0;
        long lost = 0;
        long held = 0;
        for (final lab.harness.aeron.NodeAgent agent : cluster.agents())
        {
            cut += agent.faults().cut();
            lost += agent.faults().lost();
            held += agent.faults().held();
        }
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("receive_edge", java.util.Map.of("dropped_cut", cut, "dropped_loss", lost, "held_delay_or_slow", held));
        m.put("fault_mechanism", "in one process: crash stops the node's agent; cuts, loss, delay and slow at each " +
            "node's receive edge; pause stops its agent's duty cycles");
        return m;
    }

    public void restart(final int node, final long seed)
    {
        cluster.restart(node, nodes.factory.newReplica(node, nodes.settings, new Random(seed), true));
    }
}
