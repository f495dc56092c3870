package lab.harness.book;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The median and range of a figure over an experiment's repeats: the book always shows the spread beside the
 * median, so a difference smaller than the noise is visible as such.
 */
public record Spread(double median, double min, double max, int repeats)
{
    public static Spread of(final List<Double> values)
    {
        if (values.isEmpty())
        {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = v.length;
        final double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1], n);
    }

    public static Spread of(final double... values)
    {
        return of(Arrays.stream(values).boxed().toList());
    }

    /**
     * @return the median with its range when there was more than one repeat: "412 (398-430)".
     */
    public String format(final String pattern)
    {
        final String m = String.format(Locale.ROOT, pattern, median);
        if (repeats < 2)
        {
            return m;
        }
        return m + " (" + String.format(Locale.ROOT, pattern, min) + "-" + String.format(Locale.ROOT, pattern, max) + ")";
    }
}
