package lab.harness.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import lab.core.MessagePrinter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The simulator's flight recorder: the last {@link #capacity()} things that happened on the network (deliveries,
 * drops, and crashes, restarts, partitions and heals as events), in the order they happened, to print when a seed
 * fails. Recording is cheap because nothing is printed until someone asks: a delivery stores a reference to the
 * bytes the network already copied for the message (one array slot each for time, ends and kind), and the lines
 * are made by {@link #lines} with the protocol's {@link MessagePrinter} only then. A dropped message is copied,
 * since the sender's buffer is reused, but drops are a few percent of the traffic at most.
 *
 * <p>The network reuses a message's array once nothing refers to it ({@link MessageBytesPool}): an entry recorded as
 * releasable hands its array to the {@link #onEvict} hook when a newer entry overwrites it, and a recording method
 * says whether it kept the array at all (not with capacity 0, nor after {@link #stopAt}).
 */
public final class MessageTrace
{
    /** What a torture run keeps: enough for the last few hundred messages of every node together. */
    public static final int DEFAULT_CAPACITY = 512;
    /** Sets the capacity of the traces simulators make from then on; 0 records nothing (to measure the cost). */
    public static final String CAPACITY_PROPERTY = "lab.sim.trace";

    private static final byte DELIVERED = 0;
    private static final byte DROPPED = 1;
    private static final byte EVENT = 2;

    private final int capacity;
    private final long[] timeNs;
    private final int[] from;
    private final int[] to;
    private final byte[] kind;
    private final byte[][] bytes;
    private final String[] text;
    /** Per entry, whether its array goes to {@link #evicted} when the entry is overwritten. */
    private final boolean[] releasable;
    private java.util.function.Consumer<byte[]> evicted;
    private long recorded;
    private int next;
    private long stopAtNs = Long.MAX_VALUE;

    /**
     * @return a trace of {@link #DEFAULT_CAPACITY}, or of what {@link #CAPACITY_PROPERTY} says.
     */
    public static MessageTrace withDefaultCapacity()
    {
        return new MessageTrace(Integer.getInteger(CAPACITY_PROPERTY, DEFAULT_CAPACITY));
    }

    /**
     * @param capacity entries kept; 0 keeps none.
     */
    public MessageTrace(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("a trace cannot keep " + capacity + " entries");
        }
        this.capacity = capacity;
        timeNs = new long[capacity];
        from = new int[capacity];
        to = new int[capacity];
        kind = new byte[capacity];
        bytes = new byte[capacity][];
        text = new String[capacity];
        releasable = new boolean[capacity];
    }

    /**
     * @param hook what receives the array of a releasable entry when a newer entry overwrites it (nothing in the
     *             trace refers to it after that).
     */
    public void onEvict(final java.util.function.Consumer<byte[]> hook)
    {
        this.evicted = hook;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return how many entries were recorded in all (those before the last {@link #capacity()} are forgotten).
     */
    public long recorded()
    {
        return recorded;
    }

    /**
     * Records nothing that happens after {@code timeNs}, so that the ring ends where a replayed seed went wrong
     * rather than at the end of its run.
     */
    public void stopAt(final long timeNs)
    {
        this.stopAtNs = timeNs;
    }

    /**
     * @param message the delivered bytes; kept, not copied: the caller must not change them afterwards.
     */
    public void delivered(final long nowNs, final int fromNode, final int toNode, final byte[] message)
    {
        add(nowNs, DELIVERED, fromNode, toNode, message, null, false);
    }

    /**
     * @param message    the delivered bytes; kept, not copied.
     * @param releasable whether the array goes to the {@link #onEvict} hook when this entry is overwritten.
     * @return whether the trace kept the array (false: it refers to it nowhere).
     */
    public boolean delivered(final long nowNs, final int fromNode, final int toNode, final byte[] message,
        final boolean releasable)
    {
        return add(nowNs, DELIVERED, fromNode, toNode, message, null, releasable);
    }

    /**
     * @param message kept, not copied.
     * @param why     e.g. "loss", "partition", "down".
     */
    public void dropped(final long nowNs, final int fromNode, final int toNode, final byte[] message, final String why)
    {
        add(nowNs, DROPPED, fromNode, toNode, message, why, false);
    }

    /**
     * @param message    kept, not copied.
     * @param releasable whether the array goes to the {@link #onEvict} hook when this entry is overwritten.
     * @return whether the trace kept the array.
     */
    public boolean dropped(final long nowNs, final int fromNode, final int toNode, final byte[] message,
        final String why, final boolean releasable)
    {
        return add(nowNs, DROPPED, fromNode, toNode, message, why, releasable);
    }

    /**
     * A message dropped before the network copied it: copies it (the sender reuses its buffer).
     */
    public void dropped(final long nowNs, final int fromNode, final int toNode, final DirectBuffer buffer,
        final int offset, final int length, final String why)
    {
        if (capacity > 0 && nowNs <= stopAtNs)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            dropped(nowNs, fromNode, toNode, copy, why, true); // the copy is the trace's alone
        }
    }

    /**
     * A fault or other happening that is not a message, e.g. "crash 2".
     */
    public void event(final long nowNs, final String what)
    {
        add(nowNs, EVENT, -1, -1, null, what, false);
    }

    private boolean add(final long nowNs, final byte what, final int fromNode, final int toNode, final byte[] message,
        final String note, final boolean release)
    {
        if (capacity == 0 || nowNs > stopAtNs)
        {
            return false;
        }
        final int i = next;
        if (releasable[i] && evicted != null)
        {
            final byte[] old = bytes[i];
            bytes[i] = null;
            evicted.accept(old);
        }
        next = next + 1 == capacity ? 0 : next + 1;
        recorded++;
        timeNs[i] = nowNs;
        kind[i] = what;
        from[i] = fromNode;
        to[i] = toNode;
        bytes[i] = message;
        text[i] = note;
        releasable[i] = release;
        return true;
    }

    /**
     * @return the entries kept, oldest first, e.g. {@code "   1.234567s  1 -> 0  AppendEntries term=2 ..."}, a
     * drop as {@code "1 -x 0 (loss) ..."} and an event as {@code "== crash 2"}.
     */
    public List<String> lines(final MessagePrinter printer)
    {
        final List<String> lines = new ArrayList<>();
        final long first = Math.max(0, recorded - capacity);
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        for (long n = first; n < recorded; n++)
        {
            final int i = (int)(n % capacity);
            final String time = String.format(Locale.ROOT, "%11.6fs  ", timeNs[i] / 1e9);
            if (kind[i] == EVENT)
            {
                lines.add(time + "== " + text[i]);
                continue;
            }
            view.wrap(bytes[i]);
            final String message = printer.print(view, 0, bytes[i].length);
            lines.add(time + from[i] + (kind[i] == DROPPED ? " -x " : " -> ") + to[i] + "  " +
                (kind[i] == DROPPED ? "(" + text[i] + ") " : "") + message);
        }
        return lines;
    }
}
