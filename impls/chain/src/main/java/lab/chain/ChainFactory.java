package lab.chain;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.Endpoint;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;

/**
 * {@code --protocol chain [--chain-ack tail|head] [--reads tail|craq]}: chain replication with one configuration
 * manager as a control node (node id {@code replicas}).
 */
public final class ChainFactory implements ProtocolFactory
{
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
        return 1;
    }

    public Endpoint newControlNode(final int nodeId, final ProtocolSettings settings, final Random random)
    {
        return new ChainManager(settings.replicas(), new ChainConfig(settings));
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
}
