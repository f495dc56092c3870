package lab.harness.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import lab.core.MessageTypes;
import lab.core.codec.ClientRequestDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Counting a message by type is on every node thread's path (AeronOutbox.send, NodeAgent.onFragment, the simulator's
 * network): reading the type from the header and counting it allocates nothing.
 */
class TrafficCountersAllocationTest
{
    @Test
    void countingByTypeAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final MessageTypes types = MessageTypes.lab();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putShort(2, (short)ClientRequestDecoder.TEMPLATE_ID, java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(4, (short)ClientRequestDecoder.SCHEMA_ID, java.nio.ByteOrder.LITTLE_ENDIAN);
        final TrafficCounters t = new TrafficCounters(3);
        t.window(1_000, 2_000_000);
        count(types, buffer, t, 200_000); // warm up: the JIT's own allocations are not the path's
        final long before = threads.getThreadAllocatedBytes(thread);
        final int messages = 1_000_000;
        count(types, buffer, t, messages);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < messages / 10, allocated + " bytes for " + messages + " messages");
        assertTrue(t.receivedByType().get("client.ClientRequest") > messages / 2, t.receivedByType().toString());
    }

    private static void count(final MessageTypes types, final UnsafeBuffer buffer, final TrafficCounters t,
        final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final int type = types.of(buffer, 0, 40);
            t.onReceive(i, type, 40);
            t.onSend(0, 4, type, 40, i);
        }
    }
}
