package lab.harness.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * One chart axis: maps a data value to a fraction [0, 1] of the plot's extent and gives its ticks.
 */
abstract class Axis
{
    /**
     * A tick: the value where it stands, its label (empty for a minor grid line), whether it is major.
     */
    record Tick(double value, String label, boolean major)
    {
    }

    final String title;

    Axis(final String title)
    {
        this.title = title;
    }

    /**
     * @return where v falls, 0 at the axis origin and 1 at its end (may lie outside [0, 1]: callers clamp).
     */
    abstract double fraction(double v);

    abstract List<Tick> ticks();

    /**
     * @return whether a value can be drawn on this axis (a log axis cannot draw 0 or less).
     */
    boolean accepts(final double v)
    {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    /**
     * A linear axis from min to max, extended to round tick values.
     */
    static final class Linear extends Axis
    {
        private final double lo;
        private final double hi;
        private final double step;
        private final DoubleFunction<String> labels;

        Linear(final String title, final double min, final double max, final DoubleFunction<String> labels)
        {
            super(title);
            double a = Double.isFinite(min) ? min : 0;
            double b = Double.isFinite(max) ? max : 1;
            if (b <= a)
            {
                b = a == 0 ? 1 : a + Math.abs(a);
            }
            step = niceStep((b - a) / 6);
            a = Math.floor(a / step) * step;
            b = Math.ceil(b / step) * step;
            this.lo = a;
            this.hi = b;
            this.labels = labels;
        }

        static double niceStep(final double rough)
        {
            if (!(rough > 0))
            {
                return 1;
            }
            final double mag = Math.pow(10, Math.floor(Math.log10(rough)));
            final double n = rough / mag;
            final double m = n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10;
            return m * mag;
        }

        @Override
        double fraction(final double v)
        {
            return (v - lo) / (hi - lo);
        }

        @Override
        List<Tick> ticks()
        {
            final List<Tick> ticks = new ArrayList<>();
            final long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n && i <= 100; i++)
            {
                final double v = lo + i * step;
                ticks.add(new Tick(v, labels.apply(Math.abs(v) < step / 1e6 ? 0 : v), true));
            }
            return ticks;
        }

        double lo()
        {
            return lo;
        }

        double hi()
        {
            return hi;
        }
    }

    /**
     * A base-10 log axis over whole decades that hold [min, max]; minor grid lines at 2x and 5x.
     */
    static final class Log extends Axis
    {
        private final int loDecade;
        private final int hiDecade;
        private final DoubleFunction<String> labels;
        private final boolean minor;

        /**
         * @param min smallest positive value to show (values at or below 0 are not drawn).
         */
        Log(final String title, final double min, final double max, final DoubleFunction<String> labels,
            final boolean minor)
        {
            super(title);
            final double a = min > 0 && Double.isFinite(min) ? min : 1;
            final double b = max > 0 && Double.isFinite(max) ? Math.max(max, a) : a * 10;
            int lo = (int)Math.floor(Math.log10(a) + 1e-9);
            int hi = (int)Math.ceil(Math.log10(b) - 1e-9);
            if (hi <= lo)
            {
                hi = lo + 1;
            }
            this.loDecade = lo;
            this.hiDecade = hi;
            this.labels = labels;
            this.minor = minor;
        }

        @Override
        boolean accepts(final double v)
        {
            return v > 0 && Double.isFinite(v);
        }

        @Override
        double fraction(final double v)
        {
            return (Math.log10(v) - loDecade) / (hiDecade - loDecade);
        }

        @Override
        List<Tick> ticks()
        {
            final List<Tick> ticks = new ArrayList<>();
            for (int d = loDecade; d <= hiDecade; d++)
            {
                final double v = Math.pow(10, d);
                ticks.add(new Tick(v, labels.apply(v), true));
                if (minor && d < hiDecade)
                {
                    ticks.add(new Tick(2 * v, "", false));
                    ticks.add(new Tick(5 * v, "", false));
                }
            }
            return ticks;
        }

        double lowest()
        {
            return Math.pow(10, loDecade);
        }
    }

    /**
     * @return the label of x = 1/(1-p) on a log percentile axis, as HdrHistogram plots name it: 1 is "0%",
     * 10 "90%", 100 "99%", 1000 "99.9%".
     */
    static String percentileLabel(final double x)
    {
        final int decades = (int)Math.round(Math.log10(x));
        if (decades <= 0)
        {
            return "0%";
        }
        if (decades == 1)
        {
            return "90%";
        }
        return "99" + (decades > 2 ? "." + "9".repeat(decades - 2) : "") + "%";
    }
}
