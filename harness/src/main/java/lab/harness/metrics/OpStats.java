package lab.harness.metrics;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency, count and hop accounting of one operation type (GET or PUT) at one client.
 */
public final class OpStats
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram latencyNs;
    private long count;
    private long hopsSum;
    private long timeouts;
    /**
     * Never null: stats without a timeline record into a coarse recorder nobody samples. A null check here was a
     * branch whose one side warm-up never took (warm-up's stats had a recorder, the window's service-time stats had
     * none), so the window's first operation deoptimized the node thread's compiled duty cycle.
     */
    private Recorder intervals = new Recorder(HIGHEST_TRACKABLE_NS, 1);

    public OpStats()
    {
        latencyNs = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    }

    private OpStats(final int significantDigits)
    {
        latencyNs = new Histogram(HIGHEST_TRACKABLE_NS, significantDigits);
    }

    /**
     * Stats that warm-up operations are recorded into and that nobody reads: warm-up runs the very code the
     * measured window runs (histogram and interval recorder included), so the JIT has compiled it before the window
     * and does not deoptimize and recompile the node thread's hot path at its start. Coarse (one significant digit),
     * so small.
     */
    public static OpStats warmUp()
    {
        return new OpStats(1);
    }

    /**
     * Also record into this (thread-safe, wait-free) recorder, which another thread samples per interval for the
     * latency-over-time log.
     */
    public void intervals(final Recorder recorder)
    {
        this.intervals = java.util.Objects.requireNonNull(recorder);
    }

    public Recorder intervals()
    {
        return intervals;
    }

    public void record(final long latencyNs, final int hops)
    {
        final long value = Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS);
        this.latencyNs.recordValue(value);
        intervals.recordValue(value);
        count++;
        hopsSum += hops;
    }

    public static Recorder newRecorder()
    {
        return new Recorder(HIGHEST_TRACKABLE_NS, 3);
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
