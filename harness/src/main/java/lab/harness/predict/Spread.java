package lab.harness.predict;

import java.util.Arrays;

/**
 * The median and range of one figure over repeated runs. A run's speed on a shared machine drifts between runs
 * (the same configuration measured minutes apart differs by up to 1.8 x per message in one calibration on a quiet
 * machine), so a prediction set against a single run measures the drift as much as the model; against the median of
 * interleaved rounds, with the range beside it, it does not.
 *
 * @param min    the smallest value.
 * @param median the median (the mean of the middle two for an even count).
 * @param max    the largest value.
 * @param count  how many values (NaN ones left out).
 */
public record Spread(double min, double median, double max, int count)
{
    /**
     * @return the spread of the values that are not NaN; all NaN when there is none.
     */
    public static Spread of(final double... values)
    {
        final double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0)
        {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final int mid = v.length / 2;
        final double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Spread(v[0], median, v[v.length - 1], v.length);
    }

    /**
     * @return (max - min) / median in percent: how far apart the rounds were.
     */
    public double rangePct()
    {
        return 100 * (max - min) / median;
    }
}
