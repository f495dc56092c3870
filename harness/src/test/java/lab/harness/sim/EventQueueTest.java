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
    void rekeyFirstIsAPollAndAnAddOfTheSameEvent()
    {
        // The simulator's pattern: the front message is taken, and about half the time it is due again later (it
        // waits for its node's CPU) under a new, larger order key; new messages arrive between.
        final Random random = new Random(11);
        final EventQueue<long[]> queue = new EventQueue<>();
        final PriorityQueue<long[]> reference = new PriorityQueue<>((a, b) -> a[0] != b[0] ?
            Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long order = 0;
        long now = 0;
        int rekeyed = 0;
        for (int step = 0; step < 200_000; step++)
        {
            if (random.nextInt(100) < 40 || reference.isEmpty())
            {
                final long[] e = {now + random.nextInt(50), order++};
                queue.add(e[0], e[1], e);
                reference.add(e);
                continue;
            }
            final long[] expected = reference.poll();
            assertEquals(expected[0], queue.peekTimeNs(), "step " + step);
            final long[] first = queue.peek();
            assertEquals(expected, first, "step " + step); // the same event object: keys are distinct
            now = expected[0];
            if (random.nextBoolean())
            {
                // due again: the event keeps its identity and gets a later key (sometimes at the same instant)
                first[0] = now + random.nextInt(3) * random.nextInt(40);
                first[1] = order++;
                queue.rekeyFirst(first[0], first[1]);
                reference.add(first);
                rekeyed++;
            }
            else
            {
                assertEquals(first, queue.poll());
            }
            assertEquals(reference.size(), queue.size());
        }
        assertTrue(rekeyed > 50_000, "rekeyed " + rekeyed);
        while (!reference.isEmpty())
        {
            assertEquals(reference.poll(), queue.poll());
        }
        assertNull(queue.peek());
    }

    @Test
    void rekeyFirstOfAnEmptyQueueIsRefused()
    {
        final EventQueue<Long> queue = new EventQueue<>();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> queue.rekeyFirst(1, 1));
        queue.add(5, 0, 0L);
        queue.rekeyFirst(7, 1);
        assertEquals(7, queue.peekTimeNs());
        assertEquals(0L, queue.poll());
        assertTrue(queue.isEmpty());
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
