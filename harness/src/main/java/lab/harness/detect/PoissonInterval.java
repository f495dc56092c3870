package lab.harness.detect;

/**
 * The exact (Garwood) two-sided 95% confidence interval of a Poisson mean from one observed count: how sure a rate
 * measured from few events is. {@code lab detectors --transport ipc} counts false suspicions over minutes of real
 * time, not the simulated hour, so "0 an hour" means "fewer than about 3.7 over the run" and says so.
 */
public final class PoissonInterval
{
    private static final double TAIL = 0.025;

    private PoissonInterval()
    {
    }

    /**
     * @return {low, high}: the means for which seeing {@code count} or more (low), or {@code count} or fewer
     * (high), has probability 2.5%; low is 0 for a count of 0.
     */
    public static double[] of(final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("a count is >= 0, got " + count);
        }
        final double top = count + 20 * Math.sqrt(count + 1.0) + 20;
        // P(X <= count) falls as the mean grows: high is where it reaches 2.5%
        final double high = bisect(m -> cdf(count, m) - TAIL, count, top);
        // P(X >= count) = 1 - P(X <= count - 1) rises with the mean: low is where it reaches 2.5%
        final double low = count == 0 ? 0 : bisect(m -> TAIL - (1 - cdf(count - 1, m)), 0, count);
        return new double[]{low, high};
    }

    /**
     * @return P(X <= k) for X Poisson with mean {@code mean}, summed in log space (no overflow for large k).
     */
    static double cdf(final long k, final double mean)
    {
        if (mean == 0)
        {
            return 1;
        }
        double sum = 0;
        double logTerm = -mean; // log P(X = 0)
        for (long i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logTerm += Math.log(mean) - Math.log(i);
            }
            sum += Math.exp(logTerm);
        }
        return Math.min(1, sum);
    }

    /**
     * @param f decreasing in its argument, positive at {@code lo} and negative at {@code hi}.
     */
    private static double bisect(final java.util.function.DoubleUnaryOperator f, final double lo, final double hi)
    {
        double a = lo;
        double b = hi;
        for (int i = 0; i < 100 && b - a > 1e-9 * Math.max(1, b); i++)
        {
            final double mid = (a + b) / 2;
            if (f.applyAsDouble(mid) > 0)
            {
                a = mid;
            }
            else
            {
                b = mid;
            }
        }
        return (a + b) / 2;
    }
}
