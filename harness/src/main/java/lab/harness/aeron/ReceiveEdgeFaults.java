package lab.harness.aeron;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The faults of a real run at one node's receive edge ({@code lab run --fault}): a cut from some senders (partition,
 * isolate), loss, added one-way delay, and a slow CPU. The one filter both kinds of real run use: the in-process
 * cluster's node agents and the node process's agent ({@link NodeAgent#faults()}).
 *
 * <p>Rules are set from another thread (the run's main loop, or a node process's control loop) as one immutable
 * {@link Rules} value; the node thread reads it once per message. A message is dropped (cut or lost), or queued
 * until its release time, or (no rule) passed on at once. Release times are FIFO like a real link: with a delay
 * {@code d} and a service time {@code s} (slow), message i is released at {@code max(arrival_i + d, release_(i-1)) + s}:
 * a CPU that takes {@code s} per message and serves its queue in order. Nothing is burned on the CPU: in a run
 * where node agents share a thread, the neighbours are not slowed with the slow node.
 */
public final class ReceiveEdgeFaults
{
    /**
     * What a node's receive edge does now.
     *
     * @param blockedFrom one bit per sender node id (ids below 64): messages from them are dropped (a cut link).
     * @param lossRate    probability, in [0, 1], that any other message is dropped.
     * @param delayNs     added to every message's delivery (one way).
     * @param slowNs      service time per message: the receiver handles one message per this much time.
     */
    public record Rules(long blockedFrom, double lossRate, long delayNs, long slowNs)
    {
        public static final Rules NONE = new Rules(0, 0, 0, 0);

        public Rules
        {
            if (!(lossRate >= 0 && lossRate <= 1) || delayNs < 0 || slowNs < 0)
            {
                throw new IllegalArgumentException("receive-edge faults: loss in [0, 1], delay and slow >= 0");
            }
        }

        public boolean blocks(final int from)
        {
            return from < 64 && (blockedFrom & (1L << from)) != 0;
        }

        public Rules withBlocked(final long mask)
        {
            return new Rules(mask, lossRate, delayNs, slowNs);
        }

        public Rules withLoss(final double rate)
        {
            return new Rules(blockedFrom, rate, delayNs, slowNs);
        }

        public Rules withDelay(final long ns)
        {
            return new Rules(blockedFrom, lossRate, ns, slowNs);
        }

        public Rules withSlow(final long ns)
        {
            return new Rules(blockedFrom, lossRate, delayNs, ns);
        }

        /**
         * @return the rules without loss, delay and slowness (what {@code clear:<target>} ends); cuts stay.
         */
        public Rules cleared()
        {
            return new Rules(blockedFrom, 0, 0, 0);
        }

        /**
         * @return as control-message fields (a node process receives them so).
         */
        public Map<String, String> fields()
        {
            final Map<String, String> m = new LinkedHashMap<>();
            m.put("blocked_from", Long.toString(blockedFrom));
            m.put("loss", Double.toString(lossRate));
            m.put("delay_ns", Long.toString(delayNs));
            m.put("slow_ns", Long.toString(slowNs));
            return m;
        }

        /**
         * @throws IllegalArgumentException (one line) when a field is missing or malformed.
         */
        public static Rules fromFields(final Map<String, String> m)
        {
            try
            {
                return new Rules(Long.parseLong(m.get("blocked_from")), Double.parseDouble(m.get("loss")),
                    Long.parseLong(m.get("delay_ns")), Long.parseLong(m.get("slow_ns")));
            }
            catch (final NullPointerException | NumberFormatException ex)
            {
                throw new IllegalArgumentException("fault rules need numeric blocked_from, loss, delay_ns, slow_ns");
            }
        }
    }

    /**
     * Where a released message goes next (the link emulation or the endpoint).
     */
    @FunctionalInterface
    public interface Next
    {
        void accept(int from, DirectBuffer buffer, int offset, int length, long nowNs);
    }

    private static final int HEADER = 16; // releaseNs long, from int, length int

    private final Random random;
    private final ExpandableArrayBuffer queue = new ExpandableArrayBuffer(64 * 1024);
    private volatile Rules rules = Rules.NONE;
    private int head;
    private int tail;
    private long lastReleaseNs;
    private long cut;
    private long lost;
    private long held;

    /**
     * @param random the node's own seeded source for loss.
     */
    public ReceiveEdgeFaults(final Random random)
    {
        this.random = random;
    }

    /**
     * Sets the rules from any thread; the node thread applies them from its next message.
     */
    public void rules(final Rules rules)
    {
        this.rules = rules;
    }

    public Rules rules()
    {
        return rules;
    }

    /**
     * A message arrived: drop it, hold it, or (no rule applies) leave it to the caller.
     *
     * @return true when this edge took the message (dropped or queued); false: the caller passes it on now.
     */
    public boolean onReceive(final int from, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        final Rules r = rules;
        if (r == Rules.NONE && head == tail)
        {
            return false;
        }
        if (r.blocks(from))
        {
            cut++;
            return true;
        }
        if (r.lossRate() > 0 && random.nextDouble() < r.lossRate())
        {
            lost++;
            return true;
        }
        if (r.delayNs() == 0 && r.slowNs() == 0 && head == tail)
        {
            return false;
        }
        // Behind a queue a message waits its turn (FIFO); once the rules are cleared the next deliverDue drains it.
        long releaseNs = Math.max(nowNs + r.delayNs(), lastReleaseNs) + r.slowNs();
        lastReleaseNs = releaseNs;
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        queue.putLong(tail, releaseNs);
        queue.putInt(tail + 8, from);
        queue.putInt(tail + 12, length);
        queue.putBytes(tail + HEADER, buffer, offset, length);
        tail += HEADER + length;
        held++;
        return true;
    }

    /**
     * Passes on every held message whose release time has come.
     *
     * @return how many.
     */
    public int deliverDue(final Next next, final long nowNs)
    {
        int delivered = 0;
        // Once delay and slowness are cleared, what they still hold goes now: the CPU is fast again and catches up.
        final Rules r = rules;
        final boolean drain = r.delayNs() == 0 && r.slowNs() == 0;
        while (head != tail && (drain || queue.getLong(head) <= nowNs))
        {
            final int from = queue.getInt(head + 8);
            final int length = queue.getInt(head + 12);
            final int offset = head + HEADER;
            head = offset + length;
            next.accept(from, queue, offset, length, nowNs);
            delivered++;
        }
        if (head == tail)
        {
            head = 0;
            tail = 0;
            lastReleaseNs = drain ? 0 : lastReleaseNs;
        }
        return delivered;
    }

    /**
     * @return messages dropped on a cut link (read after the node thread stopped).
     */
    public long cut()
    {
        return cut;
    }

    /**
     * @return messages dropped by loss.
     */
    public long lost()
    {
        return lost;
    }

    /**
     * @return messages held for delay or a slow CPU.
     */
    public long held()
    {
        return held;
    }
}
