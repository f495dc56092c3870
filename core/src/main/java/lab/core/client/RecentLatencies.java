package lab.core.client;

import java.util.Arrays;

/**
 * The last {@code capacity} latencies a client saw, and a percentile of them: what a percentile hedge waits for.
 * Core may not use HdrHistogram, and a client needs only the recent past (a replica that was slow a minute ago is not
 * the question), so this is a ring of raw values. The percentile is recomputed from a sorted copy every
 * {@code refreshEvery} samples rather than per read: the ring is small, and the delay need only follow the load, not
 * every sample. Primitive arrays only: nothing is allocated after construction.
 */
public final class RecentLatencies
{
    private final long[] ring;
    private final long[] sorted;
    private final int refreshEvery;
    private int next;
    private int size;
    private int sinceRefresh;
    private int sortedSize;
    private boolean stale = true;

    /**
     * @param capacity     how many of the latest samples are kept (older ones are forgotten).
     * @param refreshEvery recompute a percentile at most once per this many new samples.
     */
    public RecentLatencies(final int capacity, final int refreshEvery)
    {
        if (capacity < 1 || refreshEvery < 1)
        {
            throw new IllegalArgumentException("capacity and refreshEvery must be >= 1");
        }
        ring = new long[capacity];
        sorted = new long[capacity];
        this.refreshEvery = refreshEvery;
    }

    public void record(final long latencyNs)
    {
        ring[next] = latencyNs;
        next = (next + 1) % ring.length;
        if (size < ring.length)
        {
            size++;
        }
        if (++sinceRefresh >= refreshEvery)
        {
            stale = true;
        }
    }

    /**
     * @return samples held (at most the capacity).
     */
    public int size()
    {
        return size;
    }

    /**
     * @param percentile in (0, 100).
     * @return the smallest held sample with at least {@code percentile}% of the held samples at or below it (nearest
     * rank), as of the last refresh; -1 when nothing was recorded.
     */
    public long percentile(final double percentile)
    {
        if (size == 0)
        {
            return -1;
        }
        if (stale)
        {
            System.arraycopy(ring, 0, sorted, 0, size);
            Arrays.sort(sorted, 0, size);
            sortedSize = size;
            sinceRefresh = 0;
            stale = false;
        }
        final int rank = (int)Math.ceil(percentile / 100.0 * sortedSize);
        return sorted[Math.max(0, Math.min(sortedSize, rank) - 1)];
    }
}
