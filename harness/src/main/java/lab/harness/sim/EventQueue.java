package lab.harness.sim;

import java.util.Arrays;

/**
 * The simulator's pending events, earliest first: a binary min-heap keyed by (time, order), the order being the
 * network's count of events scheduled so far, so that no two keys are equal and events at one instant come out in
 * the order they were scheduled. The keys live in two {@code long} arrays beside the events, so ordering compares
 * primitives in place instead of calling a comparator on each event object ({@link java.util.PriorityQueue} with a
 * comparator was a visible part of a predicted run's profile). Any correct heap pops the same sequence, since the
 * keys are distinct: replacing the queue leaves every seed's history as it was.
 *
 * <p>A message the simulator takes from the front is often due again later at once (it arrived and now waits for its
 * node's CPU): {@link #rekeyFirst} gives the front event its new key in place and sifts it down once, where a poll and
 * an add would each walk the heap.
 *
 * @param <T> what an event carries.
 */
final class EventQueue<T>
{
    private long[] timeNs = new long[1024];
    private long[] order = new long[1024];
    private Object[] items = new Object[1024];
    private int size;

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * @param orderKey distinct per event (ties in time are broken by it).
     */
    void add(final long atNs, final long orderKey, final T item)
    {
        if (size == items.length)
        {
            timeNs = Arrays.copyOf(timeNs, size * 2);
            order = Arrays.copyOf(order, size * 2);
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(atNs, orderKey, timeNs[parent], order[parent]))
            {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, atNs, orderKey, item);
    }

    /**
     * Removes every event the filter accepts (rare: a cleared slow fault takes its node's backlog out to hand it
     * over at once) and rebuilds the heap from what is left. The keys are unchanged, so the order is too.
     */
    @SuppressWarnings("unchecked")
    void removeIf(final java.util.function.Predicate<T> filter)
    {
        final long[] keptTime = new long[size];
        final long[] keptOrder = new long[size];
        final Object[] kept = new Object[size];
        int n = 0;
        for (int i = 0; i < size; i++)
        {
            if (!filter.test((T)items[i]))
            {
                keptTime[n] = timeNs[i];
                keptOrder[n] = order[i];
                kept[n++] = items[i];
            }
        }
        Arrays.fill(items, 0, size, null);
        size = 0;
        for (int i = 0; i < n; i++)
        {
            add(keptTime[i], keptOrder[i], (T)kept[i]);
        }
    }

    /**
     * @return the earliest event's time; {@link Long#MAX_VALUE} when empty.
     */
    long peekTimeNs()
    {
        return size == 0 ? Long.MAX_VALUE : timeNs[0];
    }

    /**
     * @return the earliest event, left in the queue; null when empty.
     */
    @SuppressWarnings("unchecked")
    T peek()
    {
        return size == 0 ? null : (T)items[0];
    }

    /**
     * Gives the earliest event a new key and puts it where that key belongs: what a {@link #poll} followed by an
     * {@link #add} of the same event with that key does, in one walk down the heap.
     *
     * @param orderKey distinct per event, like {@link #add}'s.
     * @throws IllegalStateException when the queue is empty.
     */
    void rekeyFirst(final long atNs, final long orderKey)
    {
        if (size == 0)
        {
            throw new IllegalStateException("no event to rekey: the queue is empty");
        }
        siftDownFromRoot(atNs, orderKey, items[0], size);
    }

    /**
     * @return the earliest event, removed; null when empty.
     */
    @SuppressWarnings("unchecked")
    T poll()
    {
        if (size == 0)
        {
            return null;
        }
        final T first = (T)items[0];
        final int last = --size;
        final Object lastItem = items[last];
        items[last] = null;
        if (last > 0)
        {
            siftDownFromRoot(timeNs[last], order[last], lastItem, last);
        }
        return first;
    }

    /**
     * Places an event with key (atNs, orderKey) at the root of the heap's first {@code n} slots and moves it down
     * until no child is earlier.
     */
    private void siftDownFromRoot(final long atNs, final long orderKey, final Object item, final int n)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && before(timeNs[child + 1], order[child + 1], timeNs[child], order[child]))
            {
                child++;
            }
            if (!before(timeNs[child], order[child], atNs, orderKey))
            {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, atNs, orderKey, item);
    }

    private static boolean before(final long t1, final long o1, final long t2, final long o2)
    {
        return t1 < t2 || (t1 == t2 && o1 < o2);
    }

    private void move(final int from, final int to)
    {
        timeNs[to] = timeNs[from];
        order[to] = order[from];
        items[to] = items[from];
    }

    private void set(final int i, final long atNs, final long orderKey, final Object item)
    {
        timeNs[i] = atNs;
        order[i] = orderKey;
        items[i] = item;
    }
}
