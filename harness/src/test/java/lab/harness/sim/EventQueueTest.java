package lab.harness.sim;

import java.util.PriorityQueue;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's event queue pops exactly what the {@link PriorityQueue} it replaced popped: earliest time first,
 * ties in time by the order of scheduling, under any interleaving of adds and polls (so every seed's history stays).
 */
class EventQueueTest
{
    private record Event(long atNs, long order)
    {
    }

    @Test
    void shouldPopInTimeThenOrderLikeThePriorityQueueItReplaced()
    {
        final Random random = new Random(7);
        final EventQueue<Event> queue = new EventQueue<>();
        final PriorityQueue<Event> reference = new PriorityQueue<>((a, b) -> a.atNs != b.atNs ?
            Long.compare(a.atNs, b.atNs) : Long.compare(a.order, b.order));
        long order = 0;
        long now = 0;
        for (int step = 0; step < 200_000; step++)
        {
            if (random.nextInt(100) < 55 || reference.isEmpty())
            {
                // few distinct times, so that ties are common; the queue grows past its first capacity
                final Event e = new Event(now + random.nextInt(50), order++);
                queue.add(e.atNs, e.order, e);
                reference.add(e);
            }
            else
            {
                assertEquals(reference.peek().atNs, queue.peekTimeNs());
                final Event expected = reference.poll();
                assertEquals(expected, queue.poll(), "step " + step);
                now = expected.atNs;
            }
            assertEquals(reference.size(), queue.size());
        }
        assertTrue(queue.size() > 1024, "grew past its initial capacity: " + queue.size());
        while (!reference.isEmpty())
        {
            assertEquals(reference.poll(), queue.poll());
        }
        assertTrue(queue.isEmpty());
        assertEquals(Long.MAX_VALUE, queue.peekTimeNs());
        assertNull(queue.poll());
    }

    @Test
    void removeIfKeepsTheOthersInKeyOrder()
    {
        final EventQueue<Long> queue = new EventQueue<>();
        final PriorityQueue<long[]> reference = new PriorityQueue<>((a, b) -> a[0] != b[0] ?
            Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final Random random = new Random(3);
        for (long order = 0; order < 5_000; order++)
        {
            final long at = random.nextInt(1_000);
            queue.add(at, order, order);
            if (order % 3 != 0)
            {
                reference.add(new long[] {at, order});
            }
        }
        queue.removeIf(order -> order % 3 == 0);
        assertEquals(reference.size(), queue.size());
        while (!reference.isEmpty())
        {
            final long[] expected = reference.poll();
            assertEquals(expected[0], queue.peekTimeNs());
            assertEquals(expected[1], (long)queue.poll());
        }
        assertTrue(queue.isEmpty());
    }
}
