package lab.chain;

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
import lab.raft.RaftFactory;

/**
 * {@code --protocol chain [--chain-ack tail|head] [--reads tail|craq] [--opt chain-manager=single|raft]}: chain
 * replication with its configuration manager on control nodes (node ids from {@code replicas}): one unreplicated
 * manager, or {@code chain-managers} managers on a configuration service replicated with Raft ({@link ChainManager}).
 * The factory keeps the control plane's Raft storage, so that a manager node the simulator restarts recovers it.
 */
public final class ChainFactory implements ProtocolFactory
{
    /** The control plane's Raft nodes: their storage outlives a crash of the node (one run per factory). */
    private final RaftFactory controlRaft = new RaftFactory();

    public String name()
    {
        return "chain";
    }

    @Override
    public java.util.Set<String> roleNames()
    {
        return java.util.Set.of("head", "middle", "tail", "sole", "standby", "empty", "joining");
    }

    public void validate(final ProtocolSettings settings)
    {
        new ChainConfig(settings);
    }

    public int controlNodes(final ProtocolSettings settings)
    {
        return new ChainConfig(settings).managers;
    }

    public Endpoint newControlNode(final int nodeId, final ProtocolSettings settings, final Random random)
    {
        return newControlNode(nodeId, settings, random, false);
    }

    public synchronized Endpoint newControlNode(final int nodeId, final ProtocolSettings settings,
        final Random random, final boolean restarted)
    {
        final ChainConfig config = new ChainConfig(settings);
        final int replicas = settings.replicas();
        if (config.manager == ChainConfig.Manager.SINGLE)
        {
            return new ChainManager(replicas, config);
        }
        final ProtocolSettings raft = ConfigService.raftSettings(config.managers);
        final long graceNs = ConfigService.electionTimeoutNs(raft);
        return new ChainManager(nodeId, replicas, config, listener -> new ConfigService(replicas, config.managers,
            nodeId - replicas, controlRaft, raft, random, restarted, listener), graceNs);
    }

    public String warnings(final ProtocolSettings settings)
    {
        final ChainConfig config = new ChainConfig(settings);
        if (config.manager == ChainConfig.Manager.RAFT && config.managers % 2 == 0)
        {
            return "chain-managers=" + config.managers + " is even: a majority of it tolerates no more failures " +
                "than " + (config.managers - 1) + " managers do";
        }
        return "";
    }

    public void runEnded()
    {
        controlRaft.runEnded();
    }

    public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        return new ChainReplica(nodeId, settings.replicas(), new ChainConfig(settings), restarted);
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        return new ChainClient(clientNode, settings, new ChainConfig(settings), random);
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final ChainConfig config = new ChainConfig(settings);
        final int n = settings.replicas();
        final boolean tailAck = config.ack == ChainConfig.Ack.TAIL;
        final int writeHops = tailAck ? n + 1 : 2 * n;
        final String write = tailAck ?
            "write: client->head->...->tail->client (N+1)" :
            "write: client->head->...->tail->...->head->client (2N)";
        final String read = config.reads == ChainConfig.Reads.CRAQ ?
            "CRAQ reads at any node: 2 clean, 4 dirty (node asks the tail for the committed version); " +
                "dirty share = (read hops - 2) / 2" :
            "reads at the tail: 2";
        return new HopTheory(writeHops, 2, write + "; " + read);
    }

    public MessagePrinter printer()
    {
        return new ChainMessagePrinter();
    }

    @Override
    public List<Class<?>> messageDecoders()
    {
        final List<Class<?>> decoders = new java.util.ArrayList<>(List.of(
            lab.chain.codec.ForwardDecoder.class,
            lab.chain.codec.AckDecoder.class,
            lab.chain.codec.HelloDecoder.class,
            lab.chain.codec.LinkedDecoder.class,
            lab.chain.codec.VersionQueryDecoder.class,
            lab.chain.codec.VersionReplyDecoder.class,
            lab.chain.codec.SnapshotChunkDecoder.class,
            lab.chain.codec.SnapshotAckDecoder.class,
            lab.chain.codec.HeartbeatDecoder.class,
            lab.chain.codec.ConfigDecoder.class,
            lab.chain.codec.TiedReadDecoder.class,
            lab.chain.codec.TiedCancelDecoder.class));
        decoders.addAll(RaftFactory.MESSAGE_DECODERS); // the configuration service's Raft messages
        return decoders;
    }
}
