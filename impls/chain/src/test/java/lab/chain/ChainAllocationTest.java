package lab.chain;

import java.lang.management.ManagementFactory;
import java.util.Map;

import lab.core.ClientSessions;
import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node thread allocates nothing per operation in steady state: three replicas and the manager driven in one
 * thread over a preallocated in-memory network, PUTs and GETs from one client, bytes allocated by the thread counted
 * after a warm-up (HotSpot's per-thread allocation counter) over rounds of 20,000 operations.
 */
class ChainAllocationTest
{
    private static final int REPLICAS = 3;
    private static final int MANAGER = REPLICAS;
    private static final int CLIENT = REPLICAS + 1;
    private static final int KEYS = 64;
    private static final int QUEUE = 4096;

    /** A FIFO of frames in preallocated buffers. */
    private static final class Network implements Outbox
    {
        final UnsafeBuffer[] frames = new UnsafeBuffer[QUEUE];
        final int[] from = new int[QUEUE];
        final int[] to = new int[QUEUE];
        final int[] length = new int[QUEUE];
        int head;
        int tail;
        int sender;
        int responses;

        Network()
        {
            for (int i = 0; i < QUEUE; i++)
            {
                frames[i] = new UnsafeBuffer(new byte[2048]);
            }
        }

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int len)
        {
            if (toNode == CLIENT)
            {
                responses++;
                return;
            }
            final int slot = tail++ & (QUEUE - 1);
            frames[slot].putBytes(0, buffer, offset, len);
            from[slot] = sender;
            to[slot] = toNode;
            length[slot] = len;
        }

        void drain(final Endpoint[] nodes, final long nowNs)
        {
            while (head != tail)
            {
                final int slot = head++ & (QUEUE - 1);
                sender = to[slot];
                nodes[to[slot]].onMessage(from[slot], frames[slot], 0, length[slot], nowNs, this);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reads=tail", "reads=craq", "chain-ack=head"})
    void steadyStateAllocatesNothing(final String option)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        final String[] kv = option.split("=");
        // The single manager: this test wires one control node by hand.
        final ProtocolSettings settings =
            new ProtocolSettings(REPLICAS, 1, 1, Map.of(kv[0], kv[1], "chain-manager", "single"));
        final ChainConfig config = new ChainConfig(settings);
        final Endpoint[] nodes = new Endpoint[REPLICAS + 1];
        for (int i = 0; i < REPLICAS; i++)
        {
            nodes[i] = new ChainReplica(i, REPLICAS, config, false);
        }
        nodes[MANAGER] = new ChainManager(REPLICAS, config);
        final Network net = new Network();
        final ClientMessages client = new ClientMessages();
        final UnsafeBuffer value = new UnsafeBuffer(new byte[64]);
        final long session = ClientSessions.sessionId(CLIENT, 0);
        final boolean craq = "reads=craq".equals(option);
        final long[] now = {0};
        final Runnable[] step = new Runnable[1];
        final int[] seq = {0};
        step[0] = () ->
        {
            now[0] += 200_000;
            for (final Endpoint node : nodes)
            {
                net.sender = node == nodes[MANAGER] ? MANAGER : indexOf(nodes, node);
                node.onTick(now[0], net);
            }
            net.drain(nodes, now[0]);
            final int s = ++seq[0];
            final boolean put = (s & 1) == 0;
            final long key = s % KEYS;
            final int length = client.encodeRequest(1, session, s, put ? OpType.PUT : OpType.GET, key, value, 0,
                put ? value.capacity() : 0);
            // Writes to the head, reads to the tail, or with CRAQ to the middle (clean or dirty).
            final int target = put ? 0 : craq ? 1 : REPLICAS - 1;
            net.sender = target; // what the target sends while handling it is from the target
            nodes[target].onMessage(CLIENT, client.buffer(), 0, length, now[0], net);
            net.drain(nodes, now[0]);
        };
        for (int i = 0; i < 30_000; i++)
        {
            step[0].run();
        }
        final int responsesBefore = net.responses;
        final long[] rounds = new long[5];
        final long cpuStart = threads.getCurrentThreadCpuTime();
        for (int round = 0; round < rounds.length; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                step[0].run();
            }
            rounds[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuStart;
        System.out.println("[alloc] " + option + ": bytes allocated per round of 20,000 operations: " +
            java.util.Arrays.toString(rounds) + "; thread CPU " + cpuNs / (rounds.length * 20_000) + " ns/op");
        assertTrue(net.responses - responsesBefore >= 5 * 20_000, "every operation answered");
        assertEquals(0, malformed(nodes), "the harness sends only well-formed messages");
        // One object per operation would be 16 bytes or more per operation, 1.6 MB here. What the thread allocates
        // besides is the JIT's (a recompilation, a deoptimization): a few hundred bytes now and then, before this
        // change as after it. So the bound is a tenth of a byte per operation.
        final long total = java.util.Arrays.stream(rounds).sum();
        assertTrue(total < rounds.length * 20_000 / 10, option + ": " + total + " bytes allocated over " +
            rounds.length * 20_000 + " operations");
    }

    private static long malformed(final Endpoint[] nodes)
    {
        long count = 0;
        for (final Endpoint node : nodes)
        {
            count += node.malformedMessages();
        }
        return count;
    }

    private static int indexOf(final Endpoint[] nodes, final Endpoint node)
    {
        for (int i = 0; i < nodes.length; i++)
        {
            if (nodes[i] == node)
            {
                return i;
            }
        }
        return -1;
    }
}
