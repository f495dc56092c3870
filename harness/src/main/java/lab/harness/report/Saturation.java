package lab.harness.report;

import java.util.List;

/**
 * A sweep's saturation rule, in one place for {@code lab sweep}'s text and the report's knee mark, so the two never
 * disagree. A load point meets the bound when its achieved rate is at least 95% of the requested one (open loop; a
 * closed loop asks for no rate), its worst p99 (writes or reads) is at most the bound and no operation timed out. The
 * saturation point (the knee) of a curve is its highest load that meets the bound: beyond it the system queues.
 */
public final class Saturation
{
    /** Below this share of the requested rate an open-loop point is saturated: the generator could not keep up. */
    public static final double MIN_ACHIEVED_SHARE = 0.95;

    /**
     * One point of a curve.
     *
     * @param load          what the sweep varied: the requested rate (open loop) or outstanding operations.
     * @param requestedRate ops/s asked for, 0 or NaN for a closed loop.
     * @param achievedRate  ops/s completed.
     * @param worstP99Us    the larger of the write and read p99, microseconds.
     * @param timeouts      operations that timed out.
     */
    public record Point(double load, double requestedRate, double achievedRate, double worstP99Us, long timeouts)
    {
    }

    private Saturation()
    {
    }

    public static boolean meetsBound(final Point p, final double boundUs)
    {
        final boolean rateMet = !(p.requestedRate() > 0) || p.achievedRate() >= MIN_ACHIEVED_SHARE * p.requestedRate();
        return rateMet && p.worstP99Us() <= boundUs && p.timeouts() == 0;
    }

    /**
     * @return the index in {@code points} of the highest load that meets the bound, or -1 when none does.
     */
    public static int knee(final List<Point> points, final double boundUs)
    {
        int best = -1;
        for (int i = 0; i < points.size(); i++)
        {
            final Point p = points.get(i);
            if (meetsBound(p, boundUs) && (best < 0 || p.load() > points.get(best).load()))
            {
                best = i;
            }
        }
        return best;
    }
}
