package lab.harness.predict;

import java.util.Random;

/**
 * How long a node's CPU is busy with one received message: a mean and a spread (coefficient of variation). With no
 * spread every message costs the mean (a deterministic server, M/D/1 under Poisson arrivals); with a spread the cost is
 * drawn from a log-normal of that mean and coefficient of variation (positive, skewed to the right like measured
 * handler times).
 *
 * @param meanNs mean service time.
 * @param cv     standard deviation / mean; 0 for a fixed cost.
 */
public record ServiceTime(double meanNs, double cv)
{
    public ServiceTime
    {
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
     * @return one draw, in whole nanoseconds (the random source is used only when there is a spread).
     */
    public long sampleNs(final Random random)
    {
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
