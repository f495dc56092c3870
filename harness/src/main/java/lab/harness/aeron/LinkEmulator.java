package lab.harness.aeron;

import java.util.Random;

import lab.core.Endpoint;
import lab.core.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The lab's own link emulation at a node's receive edge, for machines without tc netem (this one) and for the
 * in-process cluster: every message is held for {@code delay + uniform jitter} and then delivered, or lost with a
 * given probability. Delivery stays in arrival order (jitter never reorders), like a real FIFO link with queueing.
 * The queue is a reused buffer: no allocation per message once it has grown to the bandwidth-delay product.
 */
public final class LinkEmulator
{
    /**
     * Link settings: one-way delay, jitter, loss.
     *
     * @param delayNs  added to every message.
     * @param jitterNs uniform extra delay in [0, jitterNs).
     * @param lossRate probability a message is dropped.
     */
    public record Settings(long delayNs, long jitterNs, double lossRate)
    {
        public static final Settings NONE = new Settings(0, 0, 0);

        public Settings
        {
            if (delayNs < 0 || jitterNs < 0 || !(lossRate >= 0 && lossRate < 1))
            {
                throw new IllegalArgumentException("link emulation: delay and jitter must be >= 0, loss in [0, 1)");
            }
        }

        public boolean active()
        {
            return delayNs > 0 || jitterNs > 0 || lossRate > 0;
        }

        @Override
        public String toString()
        {
            return "delay=" + delayNs / 1000 + "us jitter=" + jitterNs / 1000 + "us loss=" + lossRate;
        }
    }

    private static final int HEADER = 16; // releaseNs long, from int, length int

    private final Settings settings;
    private final Random random;
    private final ExpandableArrayBuffer queue = new ExpandableArrayBuffer(64 * 1024);
    private int head;
    private int tail;
    private long lastReleaseNs;
    private long dropped;

    public LinkEmulator(final Settings settings, final Random random)
    {
        this.settings = settings;
        this.random = random;
    }

    /**
     * A message arrived from the network: hold it (or lose it).
     */
    public void onReceive(final int from, final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        if (settings.lossRate() > 0 && random.nextDouble() < settings.lossRate())
        {
            dropped++;
            return;
        }
        long releaseNs = nowNs + settings.delayNs();
        if (settings.jitterNs() > 0)
        {
            releaseNs += (long)(random.nextDouble() * settings.jitterNs());
        }
        releaseNs = Math.max(releaseNs, lastReleaseNs);
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
    }

    /**
     * Delivers every held message whose time has come.
     *
     * @return how many were delivered.
     */
    public int deliverDue(final Endpoint endpoint, final long nowNs, final Outbox out)
    {
        int delivered = 0;
        while (head != tail && queue.getLong(head) <= nowNs)
        {
            final int from = queue.getInt(head + 8);
            final int length = queue.getInt(head + 12);
            final int offset = head + HEADER;
            head = offset + length;
            endpoint.onMessage(from, queue, offset, length, nowNs, out);
            delivered++;
        }
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return delivered;
    }

    public long dropped()
    {
        return dropped;
    }
}
