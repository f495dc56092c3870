package lab.harness.predict;

import java.util.Random;

/**
 * How long a node's CPU is busy with one received message: a mean and a spread (coefficient of variation), and the
 * mean when the message finds the CPU already busy. A duty cycle that wakes for one message pays the whole cycle (poll,
 * clock read, the idle loop's cold caches) for it; one that finds several waiting shares that cost among them, and
 * measured busy time per message at saturation is several times below the figure at low load. With no
 * spread every message costs the mean (a deterministic server, M/D/1 under Poisson arrivals); with a spread the cost is
 * drawn from a log-normal of that mean and coefficient of variation (positive, skewed to the right like measured
 * handler times).
 *
 * @param meanNs    mean service time of a message that arrives at an idle CPU.
 * @param cv        standard deviation / mean; 0 for a fixed cost.
 * @param batchedNs mean service time of a message that arrives while the CPU is busy (handled in a batch).
 */
public record ServiceTime(double meanNs, double cv, double batchedNs)
{
    public ServiceTime(final double meanNs, final double cv)
    {
        this(meanNs, cv, meanNs);
    }

    public ServiceTime
    {
        if (!(batchedNs >= 0) || Double.isInfinite(batchedNs))
        {
            throw new IllegalArgumentException("a batched service time must be >= 0 ns, got " + batchedNs);
        }
        if (!(meanNs >= 0) || Double.isInfinite(meanNs))
        {
            throw new IllegalArgumentException("a service time must be >= 0 ns, got " + meanNs);
        }
        if (!(cv >= 0) || Double.isInfinite(cv))
        {
            throw new IllegalArgumentException("a service time's spread must be >= 0, got " + cv);
        }
    }

    public static ServiceTime fixed(final double meanNs)
    {
        return new ServiceTime(meanNs, 0);
    }

    /**
     * @return one draw for a message that arrives at an idle CPU, in whole nanoseconds.
     */
    public long sampleNs(final Random random)
    {
        return sampleNs(random, false);
    }

    /**
     * @param batched whether the message arrived while the CPU was busy.
     * @return one draw, in whole nanoseconds (the random source is used only when there is a spread).
     */
    public long sampleNs(final Random random, final boolean batched)
    {
        final double meanNs = batched ? this.batchedNs : this.meanNs;
        if (cv == 0 || meanNs == 0)
        {
            return Math.round(meanNs);
        }
        // Log-normal with E = mean and CV = cv: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
        final double sigma2 = Math.log(1 + cv * cv);
        final double mu = Math.log(meanNs) - sigma2 / 2;
        return Math.round(Math.exp(mu + Math.sqrt(sigma2) * random.nextGaussian()));
    }
}
