package lab.harness.metrics;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Latency, count and hop accounting of one operation type (GET or PUT) at one client.
 */
public final class OpStats
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram latencyNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private long count;
    private long hopsSum;
    private long timeouts;

    public void record(final long latencyNs, final int hops)
    {
        this.latencyNs.recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
        count++;
        hopsSum += hops;
    }

    public void recordTimeout()
    {
        timeouts++;
    }

    public void add(final OpStats other)
    {
        latencyNs.add(other.latencyNs);
        count += other.count;
        hopsSum += other.hopsSum;
        timeouts += other.timeouts;
    }

    public Histogram latencyNs()
    {
        return latencyNs;
    }

    public long count()
    {
        return count;
    }

    public long timeouts()
    {
        return timeouts;
    }

    public double meanHops()
    {
        return count == 0 ? 0 : (double)hopsSum / count;
    }
}
