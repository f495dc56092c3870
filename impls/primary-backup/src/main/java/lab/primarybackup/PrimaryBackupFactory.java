package lab.primarybackup;

import java.util.List;
import java.util.Random;

import lab.control.ConfigService;
import lab.core.ClientProtocol;
import lab.core.Endpoint;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.TargetedClient;
import lab.raft.RaftFactory;

/**
 * {@code --protocol primary-backup [--opt pb-views=majority|config-service]}: views decided by a majority vote of the
 * replicas, or by a configuration service replicated with Raft on {@code pb-config-nodes} control nodes (node ids
 * from {@code replicas}, {@link ViewService}). The factory keeps the service's Raft storage, so that a service node
 * the simulator restarts recovers it.
 */
public final class PrimaryBackupFactory implements ProtocolFactory
{
    /** The service's Raft nodes: their storage outlives a crash of the node (one run per factory). */
    private final RaftFactory controlRaft = new RaftFactory();

    public String name()
    {
        return "primary-backup";
    }

    @Override
    public java.util.Set<String> roleNames()
    {
        return java.util.Set.of("primary", "backup", "pre_candidate", "candidate", "recovering", "standby");
    }

    public void validate(final ProtocolSettings settings)
    {
        new PrimaryBackupConfig(settings);
    }

    public int controlNodes(final ProtocolSettings settings)
    {
        return new PrimaryBackupConfig(settings).configNodes;
    }

    public Endpoint newControlNode(final int nodeId, final ProtocolSettings settings, final Random random)
    {
        return newControlNode(nodeId, settings, random, false);
    }

    public synchronized Endpoint newControlNode(final int nodeId, final ProtocolSettings settings,
        final Random random, final boolean restarted)
    {
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        final int replicas = settings.replicas();
        final ProtocolSettings raft = ConfigService.raftSettings(config.configNodes);
        return new ViewService(nodeId, replicas, config, listener -> new ConfigService(replicas, config.configNodes,
            nodeId - replicas, controlRaft, raft, random, restarted, listener), ConfigService.electionTimeoutNs(raft));
    }

    public void runEnded()
    {
        controlRaft.runEnded();
    }

    /**
     * With the configuration service, any N-1 replicas may crash (one holding the state must live, and the service's
     * majority); with majority views, a minority.
     */
    public int replicaFailuresTolerated(final ProtocolSettings settings)
    {
        return new PrimaryBackupConfig(settings).views == PrimaryBackupConfig.Views.CONFIG_SERVICE ?
            settings.replicas() - 1 : (settings.replicas() - 1) / 2;
    }

    public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        return new PrimaryBackupReplica(nodeId, settings.replicas(), new PrimaryBackupConfig(settings), random,
            restarted);
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        return config.backupReads ? new BackupReadingClient(clientNode, settings, config.client) :
            new TargetedClient(clientNode, settings, config.client);
    }

    public boolean linearizable(final ProtocolSettings settings)
    {
        return !new PrimaryBackupConfig(settings).backupReads;
    }

    public boolean measuresStaleReads(final ProtocolSettings settings)
    {
        return new PrimaryBackupConfig(settings).backupReads;
    }

    public String warnings(final ProtocolSettings settings)
    {
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        final String reads = config.backupReads && settings.replicas() > 1 ? "pb-reads=backup: reads " +
            "are answered by a backup from what it has applied: they may be stale or return a write never " +
            "acknowledged (a weak mode, not linearizable)" : "";
        final String even = config.configNodes > 0 && config.configNodes % 2 == 0 ? PrimaryBackupConfig.CONFIG_NODES +
            "=" + config.configNodes + " is even: a majority of it tolerates no more failures than " +
            (config.configNodes - 1) + " service nodes do" : "";
        return reads.isEmpty() ? even : even.isEmpty() ? reads : reads + "; " + even;
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final int writeHops = settings.replicas() == 1 ? 2 : 4;
        return new HopTheory(writeHops, 2, "write: client->primary->backups->primary->client; read at the " +
            (new PrimaryBackupConfig(settings).backupReads && settings.replicas() > 1 ? "backup (weak)" : "primary"));
    }

    public MessagePrinter printer()
    {
        return new PrimaryBackupMessagePrinter();
    }

    @Override
    public List<Class<?>> messageDecoders()
    {
        final List<Class<?>> decoders = new java.util.ArrayList<>(List.of(
            lab.primarybackup.codec.ReplicateDecoder.class,
            lab.primarybackup.codec.AckDecoder.class,
            lab.primarybackup.codec.HeartbeatDecoder.class,
            lab.primarybackup.codec.VoteRequestDecoder.class,
            lab.primarybackup.codec.VoteDecoder.class,
            lab.primarybackup.codec.SnapshotChunkDecoder.class,
            lab.primarybackup.codec.SnapshotAckDecoder.class,
            lab.primarybackup.codec.ServiceHeartbeatDecoder.class,
            lab.primarybackup.codec.ViewDecoder.class));
        decoders.addAll(RaftFactory.MESSAGE_DECODERS); // the configuration service's Raft messages
        return decoders;
    }
}
