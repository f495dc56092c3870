package lab.harness.baseline;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.TargetedClient;

/**
 * The two baselines that separate transport cost from protocol cost.
 */
public final class BaselineFactories
{
    private BaselineFactories()
    {
    }

    private abstract static class SingleNode implements ProtocolFactory
    {
        public void validate(final ProtocolSettings settings)
        {
            settings.durationNsOption("client-retry", "1s");
        }

        public int fixedReplicas()
        {
            return 1;
        }

        public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
        {
            return new TargetedClient(clientNode, settings, settings.durationNsOption("client-retry", "1s"),
                settings.durationNsOption("client-retry", "1s"));
        }

        public HopTheory theory(final ProtocolSettings settings)
        {
            return new HopTheory(2, 2, "one request, one reply");
        }
    }

    /**
     * {@code --protocol none}: one unreplicated node with a store.
     */
    public static final class None extends SingleNode
    {
        public String name()
        {
            return "none";
        }

        @Override
        public java.util.Set<String> roleNames()
        {
            return java.util.Set.of("single");
        }

        public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
            final boolean restarted)
        {
            return new UnreplicatedReplica();
        }
    }

    /**
     * {@code --protocol echo}: raw request/response, no store.
     */
    public static final class Echo extends SingleNode
    {
        public String name()
        {
            return "echo";
        }

        @Override
        public java.util.Set<String> roleNames()
        {
            return java.util.Set.of("echo");
        }

        public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
            final boolean restarted)
        {
            return new EchoReplica();
        }

        public boolean linearizable(final ProtocolSettings settings)
        {
            return false; // no store: reads return nothing
        }
    }
}
