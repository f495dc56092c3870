package lab.primarybackup;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;

import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node thread allocates nothing per operation: three replicas and a client exchange writes and reads through a
 * preallocated queue of messages (no simulator, no transport), and the thread's allocation counter does not move
 * once every buffer the replicas keep (ring slots, sessions, keys) exists.
 */
class PrimaryBackupAllocationTest
{
    private static final int REPLICAS = 3;
    private static final int CLIENT = REPLICAS;
    private static final int SLOTS = 8;
    private static final int QUEUE = 1024;

    private final ExpandableArrayBuffer[] queue = new ExpandableArrayBuffer[QUEUE];
    private final int[] queueTo = new int[QUEUE];
    private final int[] queueFrom = new int[QUEUE];
    private final int[] queueLength = new int[QUEUE];
    private int head;
    private int tail;
    private int sender;
    private int replies;

    private final Outbox outbox = new Outbox()
    {
        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            final int i = tail++ & (QUEUE - 1);
            queue[i].putBytes(0, buffer, offset, length);
            queueTo[i] = toNode;
            queueFrom[i] = sender;
            queueLength[i] = length;
        }
    };

    @Test
    void steadyStateWritesAndReadsAllocateNothingOnTheNodeThread()
    {
        for (int i = 0; i < QUEUE; i++)
        {
            queue[i] = new ExpandableArrayBuffer(512);
        }
        final ProtocolSettings settings = new ProtocolSettings(REPLICAS, 1, 1, Map.of("pb-pending-capacity", "1024"));
        final PrimaryBackupReplica[] nodes = new PrimaryBackupReplica[REPLICAS];
        for (int r = 0; r < REPLICAS; r++)
        {
            nodes[r] = new PrimaryBackupReplica(r, REPLICAS, new PrimaryBackupConfig(settings), new Random(r), false);
        }
        final ClientMessages client = new ClientMessages();
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        final long[] seq = new long[SLOTS];

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long measured = -1;
        final int rounds = 3;
        final int operations = 20_000;
        for (int round = 0; round < rounds; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            replies = 0;
            for (int op = 0; op < operations; op++)
            {
                final int slot = op % SLOTS;
                final OpType type = op % 4 == 3 ? OpType.GET : OpType.PUT;
                final int length = client.encodeRequest(
                    1, ClientSessions.sessionId(CLIENT, slot), ++seq[slot], type, op % 64, value, 0, 64);
                sender = CLIENT;
                outbox.send(0, client.buffer(), 0, length);
                deliver(nodes);
            }
            assertEquals(operations, replies, "every operation answered once");
            measured = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertTrue(measured < 1024, "steady state allocated " + measured + " bytes over " + operations + " operations");
    }

    private void deliver(final PrimaryBackupReplica[] nodes)
    {
        while (head != tail)
        {
            final int i = head++ & (QUEUE - 1);
            final int to = queueTo[i];
            if (to == CLIENT)
            {
                replies++;
                continue;
            }
            sender = to;
            nodes[to].onMessage(queueFrom[i], queue[i], 0, queueLength[i], 0, outbox);
        }
    }
}
