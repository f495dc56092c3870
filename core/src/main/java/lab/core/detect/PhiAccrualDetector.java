package lab.core.detect;

import java.util.Arrays;

/**
 * The phi accrual failure detector (Hayashibara, Defago, Yared and Katayama 2004), as Akka's
 * {@code PhiAccrualFailureDetector} computes it: per peer, a window of the last {@code window} heartbeat
 * inter-arrival times gives a mean and a standard deviation; at time {@code t} after the last heartbeat,
 * {@code phi = -log10(1 - F(t))} with {@code F} the normal distribution of mean {@code mean + acceptablePause} and
 * standard deviation {@code max(stddev, minStdDev)} (Akka's logistic approximation of the normal CDF, error 0.00014
 * at +-3.16). The peer is suspected while phi is at or above the threshold: phi 8 means one chance in 10^8 that a
 * heartbeat this late would still arrive.
 *
 * <p>As in Akka: a peer's first heartbeat (or reset) seeds the window with two intervals of mean
 * {@code firstEstimate} and standard deviation {@code firstEstimate / 4} (without them one sample has no spread); an
 * interval is only learnt when it ends while the peer is not suspected, so a pause that was already a suspicion
 * does not widen the distribution. Only heartbeats are samples ({@link #heard} restarts the silence only), and the
 * silence phi is computed over runs from the last message of any kind. The minimum standard deviation keeps perfectly regular heartbeats (the
 * simulator's) from making phi jump to infinity a nanosecond after the mean.
 */
public final class PhiAccrualDetector implements FailureDetector
{
    private final double threshold;
    private final int window;
    private final double minStdDevNs;
    private final double acceptablePauseNs;
    private final long firstEstimateNs;

    private final long[] lastHeardNs;
    /** The last heartbeat, the start of the next inter-arrival sample; MIN_VALUE after a reset. */
    private final long[] lastHeartbeatNs;
    /** Ring buffers of intervals: peer p's are at {@code p * window .. p * window + window - 1}. */
    private final long[] intervals;
    private final int[] count;
    private final int[] next;
    private final double[] sum;
    private final double[] sumOfSquares;

    /**
     * @throws IllegalArgumentException for a threshold that is not > 0, a window below 2, a negative minimum
     *                                  standard deviation or pause, or a first estimate that is not > 0.
     */
    public PhiAccrualDetector(final int peers, final double threshold, final int window, final long minStdDevNs,
        final long acceptablePauseNs, final long firstEstimateNs)
    {
        if (!(threshold > 0))
        {
            throw new IllegalArgumentException("phi-threshold must be > 0, got " + threshold);
        }
        if (window < 2)
        {
            throw new IllegalArgumentException("fd-window must be >= 2, got " + window);
        }
        if (minStdDevNs <= 0 || acceptablePauseNs < 0 || firstEstimateNs <= 0)
        {
            throw new IllegalArgumentException(
                "fd-min-std-dev and the heartbeat interval must be > 0, fd-pause >= 0");
        }
        this.threshold = threshold;
        this.window = window;
        this.minStdDevNs = minStdDevNs;
        this.acceptablePauseNs = acceptablePauseNs;
        this.firstEstimateNs = firstEstimateNs;
        this.lastHeardNs = new long[peers];
        Arrays.fill(lastHeardNs, Long.MIN_VALUE);
        this.lastHeartbeatNs = new long[peers];
        Arrays.fill(lastHeartbeatNs, Long.MIN_VALUE);
        this.intervals = new long[peers * window];
        this.count = new int[peers];
        this.next = new int[peers];
        this.sum = new double[peers];
        this.sumOfSquares = new double[peers];
    }

    public void heartbeat(final int peer, final long nowNs)
    {
        if (count[peer] == 0)
        {
            seed(peer);
        }
        else if (lastHeartbeatNs[peer] != Long.MIN_VALUE && nowNs > lastHeartbeatNs[peer] &&
            !suspected(peer, nowNs))
        {
            add(peer, nowNs - lastHeartbeatNs[peer]);
        }
        lastHeartbeatNs[peer] = Math.max(lastHeartbeatNs[peer], nowNs);
        lastHeardNs[peer] = Math.max(lastHeardNs[peer], nowNs);
    }

    public void heard(final int peer, final long nowNs)
    {
        if (count[peer] == 0)
        {
            seed(peer);
        }
        lastHeardNs[peer] = Math.max(lastHeardNs[peer], nowNs);
    }

    /**
     * Also forgets the last heartbeat: the gap from it to the next one spans whatever the reset stands for (a new
     * primary, a restart), not the peer's heartbeat interval.
     */
    public void reset(final int peer, final long nowNs)
    {
        if (count[peer] == 0)
        {
            seed(peer);
        }
        lastHeardNs[peer] = nowNs;
        lastHeartbeatNs[peer] = Long.MIN_VALUE;
    }

    public boolean suspected(final int peer, final long nowNs)
    {
        return phi(peer, nowNs) >= threshold;
    }

    public double phi(final int peer, final long nowNs)
    {
        final long last = lastHeardNs[peer];
        if (last == Long.MIN_VALUE)
        {
            return 0.0;
        }
        final int n = count[peer];
        final double mean = sum[peer] / n;
        final double variance = Math.max(0.0, sumOfSquares[peer] / n - mean * mean);
        return phi(nowNs - last, mean + acceptablePauseNs, Math.max(Math.sqrt(variance), minStdDevNs));
    }

    /**
     * {@code -log10(1 - F(elapsed))} for the normal distribution N(mean, stdDev), with the logistic approximation
     * {@code F(y) ~ 1 / (1 + exp(-y (1.5976 + 0.070566 y^2)))}, {@code y = (elapsed - mean) / stdDev}, written in
     * the two forms that stay accurate on either side of the mean (Akka's).
     */
    static double phi(final double elapsedNs, final double meanNs, final double stdDevNs)
    {
        final double y = (elapsedNs - meanNs) / stdDevNs;
        final double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        if (elapsedNs > meanNs)
        {
            return -Math.log10(e / (1.0 + e));
        }
        return -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    public long lastHeardNs(final int peer)
    {
        return lastHeardNs[peer];
    }

    /**
     * @return the mean of the intervals in {@code peer}'s window (the two seeds included until they are pushed out).
     */
    public double meanIntervalNs(final int peer)
    {
        return count[peer] == 0 ? 0.0 : sum[peer] / count[peer];
    }

    public int samples(final int peer)
    {
        return count[peer];
    }

    private void seed(final int peer)
    {
        final long stdDev = firstEstimateNs / 4;
        add(peer, firstEstimateNs - stdDev);
        add(peer, firstEstimateNs + stdDev);
    }

    private void add(final int peer, final long intervalNs)
    {
        final int base = peer * window;
        if (count[peer] == window)
        {
            final double old = intervals[base + next[peer]];
            sum[peer] -= old;
            sumOfSquares[peer] -= old * old;
        }
        else
        {
            count[peer]++;
        }
        intervals[base + next[peer]] = intervalNs;
        next[peer] = (next[peer] + 1) % window;
        final double x = intervalNs;
        sum[peer] += x;
        sumOfSquares[peer] += x * x;
    }
}
