package lab.quorum;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.sim.SimConfig;
import lab.harness.sim.SimNetwork;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quorum replicas and one scripted client on the simulated network: a test issues single GETs and PUTs and looks
 * at the replicas' state in between.
 */
final class ScriptedQuorum
{
    /**
     * The outcome of one operation.
     */
    record Result(Status status, int hops, long ts, long value)
    {
    }

    private final class ScriptClient implements Endpoint, ClientListener
    {
        private final ClientProtocol protocol;
        private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(16);
        private boolean pending;
        private OpType type;
        private long key;
        private long seq;
        private Result result;

        ScriptClient(final ClientProtocol protocol)
        {
            this.protocol = protocol;
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            protocol.onMessage(fromNode, buffer, offset, length, nowNs, out, this);
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            if (pending)
            {
                pending = false;
                protocol.submit(0, seq, type, key, value, 0, type == OpType.PUT ? 16 : 0, nowNs, out);
            }
            protocol.onTick(nowNs, out, this);
        }

        public void onComplete(final int slot, final long seq, final Status status, final int hops, final long version,
            final DirectBuffer value, final int valueOffset, final int valueLength)
        {
            result = new Result(status, hops, version, valueLength >= 8 ? value.getLong(valueOffset) : 0);
        }
    }

    final SimNetwork network;
    final QuorumReplica[] replicas;
    final ProtocolSettings settings;
    final int clientNode;
    private final QuorumFactory factory = new QuorumFactory();
    private final ScriptClient client;
    private int restarts;

    ScriptedQuorum(final int replicaCount, final String... options)
    {
        final Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < options.length; i += 2)
        {
            opts.put(options[i], options[i + 1]);
        }
        settings = new ProtocolSettings(replicaCount, 1, 1, opts);
        factory.validate(settings);
        clientNode = settings.clientNode(0);
        network = new SimNetwork(7, new SimConfig(), replicaCount + 1, replicaCount);
        replicas = new QuorumReplica[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            replicas[i] = (QuorumReplica)factory.newReplica(i, settings, new Random(i), false);
            network.register(i, replicas[i]);
        }
        client = new ScriptClient(factory.newClient(clientNode, settings, new Random(99)));
        network.register(clientNode, client);
    }

    Result put(final long key, final long value)
    {
        client.value.putLong(0, value);
        client.value.putLong(8, key);
        return run(OpType.PUT, key);
    }

    Result get(final long key)
    {
        return run(OpType.GET, key);
    }

    private Result run(final OpType type, final long key)
    {
        client.type = type;
        client.key = key;
        client.seq++;
        client.result = null;
        client.pending = true;
        final long deadlineNs = network.nowNs() + 2000 * MS;
        while (client.result == null && network.nowNs() < deadlineNs)
        {
            network.runFor(MS / 10);
        }
        assertTrue(client.result != null, type + " of key " + key + " did not complete");
        return client.result;
    }

    void runFor(final long ns)
    {
        network.runFor(ns);
    }

    /**
     * @return the timestamp replica {@code node} holds for the key, 0 if none.
     */
    long tsAt(final int node, final long key)
    {
        final lab.core.KvStore.Entry entry = replicas[node].kvStore().get(key);
        return entry == null ? 0 : entry.version();
    }

    void crash(final int node)
    {
        network.crash(node);
    }

    void restart(final int node)
    {
        replicas[node] = (QuorumReplica)factory.newReplica(node, settings, new Random(100 + ++restarts), true);
        network.restart(node, replicas[node]);
    }
}
