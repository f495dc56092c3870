package lab.harness.sim;

import java.util.ArrayList;
import java.util.List;

import lab.core.Endpoint;
import lab.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network's reuse of message arrays: the pool hands back what was released, by exact length; the trace releases
 * an array only when it overwrites the entry that showed it; and under the network's faults (loss, duplication,
 * crashes, a trace of one entry or none) no array is ever shared by two messages at once, which would show as a
 * delivered message whose bytes are not the ones sent.
 */
class MessageBytesPoolTest
{
    @Test
    void reusesAReleasedArrayOfTheSameLengthOnly()
    {
        final MessageBytesPool pool = new MessageBytesPool();
        final byte[] a = pool.take(100);
        assertEquals(100, a.length);
        pool.release(a);
        assertEquals(1, pool.free(100));
        assertNotSame(a, pool.take(99));
        assertSame(a, pool.take(100));
        assertEquals(0, pool.free(100));
        assertNotSame(a, pool.take(100)); // taken, so not handed out again
        assertEquals(4, pool.taken());
        assertEquals(1, pool.reused());
    }

    @Test
    void keepsABoundedNumberPerLengthAndNoLongArrays()
    {
        final MessageBytesPool pool = new MessageBytesPool();
        for (int i = 0; i < MessageBytesPool.MAX_FREE_PER_LENGTH + 10; i++)
        {
            pool.release(new byte[64]);
        }
        assertEquals(MessageBytesPool.MAX_FREE_PER_LENGTH, pool.free(64));
        final byte[] big = new byte[MessageBytesPool.MAX_LENGTH + 1];
        pool.release(big);
        assertNotSame(big, pool.take(big.length));
        assertEquals(0, pool.free(big.length));
    }

    @Test
    void theTraceReleasesAnArrayWhenItOverwritesItsEntryAndOnlyIfReleasable()
    {
        final List<byte[]> released = new ArrayList<>();
        final MessageTrace trace = new MessageTrace(2);
        trace.onEvict(released::add);
        final byte[] a = new byte[1];
        final byte[] b = new byte[2];
        final byte[] c = new byte[3];
        assertTrue(trace.delivered(1, 0, 1, a, true));
        assertTrue(trace.delivered(2, 0, 1, b, false));
        assertTrue(released.isEmpty());
        assertTrue(trace.delivered(3, 0, 1, c, true)); // overwrites a's entry
        assertEquals(1, released.size());
        assertSame(a, released.get(0));
        trace.event(4, "crash 1"); // overwrites b's, which is not releasable
        assertEquals(1, released.size());
        trace.event(5, "heal"); // overwrites c's
        assertEquals(2, released.size());
        assertSame(c, released.get(1));
        trace.stopAt(5);
        assertFalse(trace.delivered(6, 0, 1, new byte[4], true), "past stopAt nothing is kept");
        final MessageTrace none = new MessageTrace(0);
        assertFalse(none.delivered(1, 0, 1, a, true), "a trace of capacity 0 keeps nothing");
    }

    @Test
    void noArrayIsSharedByTwoMessagesUnderFaultsWhateverTheTraceKeeps()
    {
        for (final int traceCapacity : new int[] {0, 1, 512})
        {
            final long reused = exchange(traceCapacity);
            assertTrue(reused > 10_000, "trace " + traceCapacity + ": arrays reused " + reused);
        }
    }

    /**
     * Nodes that answer every message at once (so a handler sends while it still reads its input) and check every
     * byte of what they receive.
     */
    private static long exchange(final int traceCapacity)
    {
        final String before = System.getProperty(MessageTrace.CAPACITY_PROPERTY);
        System.setProperty(MessageTrace.CAPACITY_PROPERTY, Integer.toString(traceCapacity));
        final SimNetwork network;
        try
        {
            network = new SimNetwork(5, new SimConfig().loss(0.05).duplication(0.05).reordering(0.1, 200_000), 4, 4);
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(MessageTrace.CAPACITY_PROPERTY);
            }
            else
            {
                System.setProperty(MessageTrace.CAPACITY_PROPERTY, before);
            }
        }
        final Checker[] nodes = new Checker[4];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = new Checker(i);
            network.register(i, nodes[i]);
        }
        network.runFor(20_000_000);
        network.crash(3); // its messages in flight are dropped ("down") and traced
        network.runFor(5_000_000);
        network.restart(3, nodes[3]);
        network.partition(2);
        network.runFor(5_000_000); // drops at send ("partition"), copied by the trace
        network.heal();
        network.runFor(20_000_000);
        long received = 0;
        for (final Checker n : nodes)
        {
            received += n.received;
        }
        assertTrue(received > 10_000, "too little traffic: " + received);
        assertTrue(network.droppedCount() > 0 && network.duplicatedCount() > 0);
        return network.messageBytes().reused();
    }

    private static final class Checker implements Endpoint
    {
        private static final int[] LENGTHS = {16, 40, 40, 97, 300};
        private final int id;
        private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        private long seq;
        private long received;

        Checker(final int id)
        {
            this.id = id;
        }

        private void send(final int to, final Outbox outbox)
        {
            final long s = ++seq;
            final int length = LENGTHS[(int)(s % LENGTHS.length)];
            out.putInt(0, id);
            out.putLong(4, s);
            for (int i = 12; i < length; i++)
            {
                out.putByte(i, fill(id, s, i));
            }
            outbox.send(to, out, 0, length);
        }

        private static byte fill(final int from, final long seq, final int i)
        {
            return (byte)(seq * 31 + i * 7 + from);
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox outbox)
        {
            // Answer first: this takes an array from the pool while the input is still read below. One answer per
            // message (less loss, plus duplicates) keeps the traffic about level; the ticks start new chains.
            send(received % 2 == 0 ? fromNode : (id + 1) % 4, outbox);
            assertEquals(fromNode, buffer.getInt(offset), "sender");
            final long s = buffer.getLong(offset + 4);
            for (int i = 12; i < length; i++)
            {
                assertEquals(fill(fromNode, s, i), buffer.getByte(offset + i), "byte " + i + " of " + fromNode + "#" + s);
            }
            received++;
        }

        public void onTick(final long nowNs, final Outbox outbox)
        {
            if (nowNs % 1_000_000 == 0)
            {
                send((id + 2) % 4, outbox); // keeps traffic going whatever was lost
            }
        }
    }
}
