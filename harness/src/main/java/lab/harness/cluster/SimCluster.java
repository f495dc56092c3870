package lab.harness.cluster;

import java.util.Random;

import lab.core.Replica;
import lab.core.storage.DiskFailure;
import lab.harness.sim.SimDisk;
import lab.harness.sim.SimDisks;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.ClosedLoopLoadGenerator;

/**
 * A protocol's replicas and the load generators on the deterministic simulated network, with the faults a test
 * schedules: crash and restart of replicas (a restarted replica is a fresh object built with
 * {@code restarted = true}), partitions, loss, duplication and reordering through {@link #network()}.
 * One seed ({@link RunConfig#seed}) drives the network and every replica's and client's random source.
 */
public final class SimCluster
{
    private final RunConfig config;
    private final LabRunner.Nodes nodes;
    private final SimNetwork network;
    private int restarts;

    public SimCluster(final RunConfig config)
    {
        if (config.rate > 0)
        {
            throw new IllegalArgumentException("SimCluster drives a closed loop; use LabRunner for open-loop runs");
        }
        this.config = LabRunner.asRun(config);
        this.nodes = LabRunner.build(config);
        this.network = new SimNetwork(config.seed, config.sim(), nodes.endpoints.length, nodes.firstClient());
        for (int i = 0; i < nodes.endpoints.length; i++)
        {
            network.register(i, nodes.endpoints[i]);
        }
        if (config.disks instanceof SimDisks)
        {
            // A failed fsync is fatal for the node (see SimDisk): it crashes and, as a supervisor would, restarts
            // at once from what its disk kept.
            network.onDiskFailure(this::restart);
        }
    }

    /**
     * @return the simulated disks, or null when the nodes use another kind (real files, or none).
     */
    public SimDisks disks()
    {
        return config.disks instanceof SimDisks ? (SimDisks)config.disks : null;
    }

    /**
     * Crashes a replica's machine: as {@link #crash} and, on the simulated disks, its unsynced writes are lost or
     * torn ({@link SimDisk#powerCut}).
     */
    public void powerCut(final int nodeId)
    {
        network.crash(nodeId);
        if (disks() != null)
        {
            disks().of(nodeId).powerCut();
        }
    }

    public SimNetwork network()
    {
        return network;
    }

    public int replicas()
    {
        return config.replicas;
    }

    /**
     * @return the protocol's control nodes (e.g. a chain's managers): node ids {@code replicas ..}.
     */
    public int controlNodes()
    {
        return nodes.settings.controlNodes();
    }

    /**
     * @return how many replicas may be down at once without losing an acknowledged write (the protocol's answer).
     */
    public int replicaFailuresTolerated()
    {
        return nodes.factory.replicaFailuresTolerated(nodes.settings);
    }

    public Replica replica(final int nodeId)
    {
        return (Replica)network.endpoint(nodeId);
    }

    public ClosedLoopLoadGenerator[] clients()
    {
        return (ClosedLoopLoadGenerator[])nodes.clients;
    }

    /**
     * @return the network node id of client number {@code clientIndex} (clients follow replicas and control nodes),
     * e.g. to put a client on one side of a partition.
     */
    public int clientNode(final int clientIndex)
    {
        return nodes.firstClient() + clientIndex;
    }

    public long nowNs()
    {
        return network.nowNs();
    }

    public void runFor(final long durationNs)
    {
        network.runFor(durationNs);
    }

    public void runUntil(final long timeNs)
    {
        network.runUntil(timeNs);
    }

    /**
     * Stops new operations from this time on (those in flight may still complete), e.g. to let the cluster
     * settle before a final check.
     */
    public void stopClientsAt(final long timeNs)
    {
        for (final ClosedLoopLoadGenerator c : clients())
        {
            c.window(Long.MIN_VALUE, timeNs);
        }
    }

    public void crash(final int nodeId)
    {
        network.crash(nodeId);
    }

    /**
     * Brings a crashed replica (or control node) back without its volatile state.
     */
    public void restart(final int nodeId)
    {
        while (true)
        {
            final Random random = new Random(SimNetwork.deriveSeed(config.seed, 10_000 + nodeId * 100L + ++restarts));
            try
            {
                network.restart(nodeId, nodes.settings.isControlNode(nodeId) ?
                    nodes.factory.newControlNode(nodeId, nodes.settings, random, true) :
                    nodes.factory.newReplica(nodeId, nodes.settings, random, true));
                return;
            }
            catch (final DiskFailure failure)
            {
                if (disks() == null)
                {
                    throw failure;
                }
                // An fsync failed while the node recovered (SimDisk fails one sync per failNextSync): start again.
            }
        }
    }

    /**
     * @return the control node that currently has this role (e.g. "manager"), or -1; a control node that is not a
     * {@link Replica} has none.
     */
    public int findControlRole(final String role)
    {
        for (int i = config.replicas; i < config.replicas + controlNodes(); i++)
        {
            if (network.isUp(i) && network.endpoint(i) instanceof Replica r && r.role().is(role))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the replica that currently has this role (e.g. "primary", "leader", "head"), or -1.
     */
    public int findRole(final String role)
    {
        for (int i = 0; i < config.replicas; i++)
        {
            if (network.isUp(i) && replica(i).role().is(role))
            {
                return i;
            }
        }
        return -1;
    }

    public boolean allClientsIdle()
    {
        for (final ClosedLoopLoadGenerator c : clients())
        {
            if (!c.idle())
            {
                return false;
            }
        }
        return true;
    }
}
