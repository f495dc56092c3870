package lab.raft;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node thread allocates nothing per operation: three replicas and a client exchange writes and reads through a
 * preallocated queue of messages (no simulator, no transport; each delivery is a burst, flushed), and the thread's
 * allocation counter stays below one byte per operation once every buffer the replicas keep (log, sessions, keys)
 * exists: a single object per message would be 16 bytes or more. What it does count is compaction's, a few hundred
 * bytes per snapshot every {@code raft-snapshot-entries} entries (about 15 per round here; the log compacts so that
 * its value buffer stops growing). Duplicate detection ({@code ClientSessionTable}) is on this path.
 */
class RaftAllocationTest
{
    private static final int REPLICAS = 3;
    private static final int CLIENT = REPLICAS;
    private static final int SLOTS = 8;
    private static final int QUEUE = 1024;
    private static final long STEP_NS = 20_000;

    private final ExpandableArrayBuffer[] queue = new ExpandableArrayBuffer[QUEUE];
    private final int[] queueTo = new int[QUEUE];
    private final int[] queueFrom = new int[QUEUE];
    private final int[] queueLength = new int[QUEUE];
    private int head;
    private int tail;
    private int sender;
    private int replies;
    private long nowNs;

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

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /**
     * @param fileLog the log in files ({@link FileStorage} over real files, fsync none so that only the write path
     * is measured: record staging with its CRC32C, one write per burst) instead of memory.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "file log {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void steadyStateWritesAndReadsAllocateNothingOnTheNodeThread(final boolean fileLog)
    {
        for (int i = 0; i < QUEUE; i++)
        {
            queue[i] = new ExpandableArrayBuffer(512);
        }
        final ProtocolSettings settings =
            new ProtocolSettings(REPLICAS, 1, 1, Map.of("raft-snapshot-entries", "1024"));
        final RaftReplica[] nodes = new RaftReplica[REPLICAS];
        for (int r = 0; r < REPLICAS; r++)
        {
            final RaftConfig config = new RaftConfig(settings);
            final RaftStorage storage = fileLog ?
                new FileStorage(new lab.harness.storage.FileDisk(dir), r, config.logCapacity, FileStorage.Fsync.NONE,
                    true) :
                new MemoryStorage(config.logCapacity);
            nodes[r] = new RaftReplica(r, REPLICAS, config, new Random(r), storage, false);
        }
        final int leader = elect(nodes);

        final ClientMessages client = new ClientMessages();
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        final long[] seq = new long[SLOTS];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long measured = -1;
        final int operations = 20_000;
        for (int round = 0; round < 3; round++)
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
                outbox.send(leader, client.buffer(), 0, length);
                deliver(nodes);
            }
            assertEquals(operations, replies, "every operation answered once");
            measured = threads.getThreadAllocatedBytes(thread) - before;
        }
        System.out.println("[raft-allocation] " + (fileLog ? "file" : "memory") + " log: " + measured +
            " bytes over " + operations + " operations");
        assertTrue(nodes[leader].log().snapshotIndex() > 0, "compaction ran");
        assertTrue(measured < operations,
            "steady state allocated " + measured + " bytes over " + operations + " operations");
    }

    private int elect(final RaftReplica[] nodes)
    {
        for (int step = 0; step < 10_000; step++)
        {
            for (int r = 0; r < REPLICAS; r++)
            {
                sender = r;
                nodes[r].onTick(nowNs, outbox);
                nodes[r].flush(nowNs, outbox);
                if (nodes[r].roleState() == RaftReplica.Role.LEADER)
                {
                    deliver(nodes); // the no-op commits
                    deliver(nodes);
                    return r;
                }
            }
            deliver(nodes);
            nowNs += 1_000_000;
        }
        throw new AssertionError("no leader");
    }

    private void deliver(final RaftReplica[] nodes)
    {
        while (head != tail)
        {
            nowNs += STEP_NS;
            final int i = head++ & (QUEUE - 1);
            final int to = queueTo[i];
            if (to == CLIENT)
            {
                replies++;
                continue;
            }
            sender = to;
            nodes[to].onMessage(queueFrom[i], queue[i], 0, queueLength[i], nowNs, outbox);
            nodes[to].flush(nowNs, outbox);
        }
    }
}
