package lab.quorum;

import java.util.List;
import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.storage.DiskProvider;

/**
 * {@code --protocol quorum}: a leaderless store, Dynamo-style ({@code --quorum-mode dynamo --r R --w W}) or
 * linearizable ABD ({@code --quorum-mode abd}), coordinated by the client or by a replica
 * ({@code --coordinator client|replica}).
 */
public final class QuorumFactory implements ProtocolFactory
{
    private final java.util.Map<Integer, QuorumDisk> disks = new java.util.HashMap<>();
    /** Where this run's nodes get their disks with quorum-storage=file, until {@link #runEnded()}. */
    private DiskProvider diskProvider;

    public String name()
    {
        return "quorum";
    }

    @Override
    public java.util.Set<String> roleNames()
    {
        return java.util.Set.of("replica", "recovering");
    }

    public void validate(final ProtocolSettings settings)
    {
        new QuorumConfig(settings);
    }

    public synchronized Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        final QuorumConfig config = new QuorumConfig(settings);
        if (!config.durable)
        {
            return new QuorumReplica(nodeId, config, random, restarted);
        }
        if (config.onDisk)
        {
            // The node's journal on its disk: a restart replays what the disk kept (under torture, what was synced).
            final QuorumDisk previous = disks.get(nodeId);
            if (previous != null)
            {
                previous.close(); // the crashed process's file handle
            }
            if (diskProvider == null)
            {
                diskProvider = DiskProvider.of(settings);
            }
            final QuorumDisk disk = new QuorumDisk(diskProvider.disk(config.dir, nodeId), nodeId, !restarted);
            disks.put(nodeId, disk);
            return new QuorumReplica(nodeId, config, random, restarted, disk);
        }
        // The "disk" of each node: what a replica stored survives its crash and is handed to its restart.
        return new QuorumReplica(nodeId, config, random, restarted, disks.computeIfAbsent(nodeId, n -> new QuorumDisk()));
    }

    /**
     * Closes the journals and deletes the run's temporary folder (never one the user named).
     */
    public synchronized void runEnded()
    {
        for (final QuorumDisk disk : disks.values())
        {
            disk.close();
        }
        disks.clear();
        if (diskProvider != null)
        {
            diskProvider.runEnded();
        }
        diskProvider = null;
    }

    public String processRestartProblem(final ProtocolSettings settings)
    {
        final QuorumConfig config = new QuorumConfig(settings);
        if (config.onDisk)
        {
            return config.dir.isEmpty() ?
                "quorum-storage=file without quorum-dir keeps each node's journal in a temporary folder of the " +
                "node's own process, which its new process does not find: name a folder, --opt quorum-dir=DIR" : null;
        }
        return config.durable ?
            "quorum-storage=durable keeps each replica's store in memory as the model of its disk, which kill -9 " +
            "takes with it: use --opt quorum-storage=volatile (a restarted replica copies its peers' state first)" :
            null;
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        final QuorumConfig config = new QuorumConfig(settings);
        return config.replicaCoordinator ?
            new ReplicaCoordinatedClient(clientNode, config, settings) :
            new QuorumClient(clientNode, config, settings.slotsPerClient());
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final QuorumConfig config = new QuorumConfig(settings);
        final int readPhases = config.abd() ? 2 : 1;
        final int writePhases = config.abd() ? 2 : 1;
        if (!config.replicaCoordinator)
        {
            return new HopTheory(2 * writePhases, 2 * readPhases, config.abd() ?
                "client coordinates: read timestamps then write (4); read then write back (4)" :
                "client coordinates: W acks (2); R replies (2), read repair " +
                (config.readRepair == QuorumConfig.ReadRepair.SYNC ? "adds 2 when a replica was stale" :
                "off the critical path"));
        }
        // The coordinator is a home replica and answers its own share at once: a quorum of 1 needs no message.
        final int readHops = 2 + (config.r > 1 ? 2 : 0) + (config.abd() ? (config.w > 1 ? 2 : 0) : 0);
        final int writeHops = 2 + (config.abd() ? (config.r > 1 ? 2 : 0) : 0) + (config.w > 1 ? 2 : 0);
        return new HopTheory(writeHops, readHops, "client->coordinator replica, its quorum phases, ->client");
    }

    public boolean linearizable(final ProtocolSettings settings)
    {
        return new QuorumConfig(settings).mode == QuorumConfig.Mode.ABD;
    }

    public boolean measuresStaleReads(final ProtocolSettings settings)
    {
        return true;
    }

    public String warnings(final ProtocolSettings settings)
    {
        return new QuorumConfig(settings).warnings();
    }

    public MessagePrinter printer()
    {
        return new QuorumMessagePrinter();
    }

    @Override
    public List<Class<?>> messageDecoders()
    {
        final List<Class<?>> decoders = new java.util.ArrayList<>(List.of(
            lab.quorum.codec.ReadDecoder.class,
            lab.quorum.codec.ReadReplyDecoder.class,
            lab.quorum.codec.WriteDecoder.class,
            lab.quorum.codec.WriteAckDecoder.class,
            lab.quorum.codec.SyncRequestDecoder.class,
            lab.quorum.codec.SyncChunkDecoder.class,
            lab.quorum.codec.SyncAckDecoder.class,
            lab.quorum.codec.TiedCancelDecoder.class));
        return decoders;
    }
}
