package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;

import lab.harness.metrics.LatencyTimeline;
import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;

/**
 * Adds up the latency timeline's intervals into the phases of each fault window: before (from the previous window's
 * end, or the start of the measured window), during (the window) and after (to the next window's start, or the end
 * of the run). An interval belongs to every phase its middle lies in (the "after" of one window may be the "before"
 * of the next). The exact histograms of the intervals are added, so the percentiles are those of the phase, not an
 * average of the intervals'.
 */
public final class FaultPhases implements LatencyTimeline.IntervalListener
{
    private static final String[] NAMES = {"before", "during", "after"};

    private final List<String> faults = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<long[]> spans = new ArrayList<>(); // absolute [from, to)
    private final List<Histogram> reads = new ArrayList<>();
    private final List<Histogram> writes = new ArrayList<>();
    private final long[] measuredNs;
    private final long runStartNs;

    /**
     * @param runStartNs    start of the run (fault times count from it).
     * @param windowStartNs start of the measured window (nothing is recorded before it).
     * @param windowEndNs   end of the run.
     */
    public FaultPhases(final FaultSchedule schedule, final long runStartNs, final long windowStartNs,
        final long windowEndNs)
    {
        this.runStartNs = runStartNs;
        final List<FaultSchedule.Window> windows = schedule.windows();
        for (int w = 0; w < windows.size(); w++)
        {
            final FaultSchedule.Window window = windows.get(w);
            final long from = runStartNs + window.fromNs();
            final long to = window.toNs() < 0 ? windowEndNs : Math.min(windowEndNs, runStartNs + window.toNs());
            final long previousEnd = w == 0 ? windowStartNs : endOf(windows.get(w - 1), runStartNs, windowEndNs);
            final long nextStart = w + 1 < windows.size() ? runStartNs + windows.get(w + 1).fromNs() : windowEndNs;
            final long[][] bounds = {
                {Math.max(windowStartNs, Math.min(previousEnd, from)), from},
                {from, to},
                {to, Math.max(to, nextStart)}};
            for (int p = 0; p < 3; p++)
            {
                faults.add(window.fault());
                names.add(NAMES[p]);
                spans.add(bounds[p]);
                reads.add(new Histogram(3));
                writes.add(new Histogram(3));
            }
        }
        measuredNs = new long[spans.size()];
    }

    private static long endOf(final FaultSchedule.Window window, final long runStartNs, final long windowEndNs)
    {
        return window.toNs() < 0 ? windowEndNs : runStartNs + window.toNs();
    }

    @Override
    public void onInterval(final long fromNs, final long toNs, final Histogram readInterval,
        final Histogram writeInterval)
    {
        final long middle = fromNs + (toNs - fromNs) / 2;
        for (int i = 0; i < spans.size(); i++)
        {
            if (middle >= spans.get(i)[0] && middle < spans.get(i)[1])
            {
                reads.get(i).add(readInterval);
                writes.get(i).add(writeInterval);
                measuredNs[i] += toNs - fromNs;
            }
        }
    }

    /**
     * @param staleReadTimesNs when stale reads completed, or null when the run did not measure them.
     * @param writeGaps        per client, its [from, to] periods without a completed write.
     * @return one phase per window and phase, in time order of the windows.
     */
    public List<FaultPhase> phases(final LongArrayList staleReadTimesNs, final List<List<long[]>> writeGaps)
    {
        final List<FaultPhase> out = new ArrayList<>();
        final List<long[]> noWrites = intersection(writeGaps);
        for (int i = 0; i < spans.size(); i++)
        {
            final long[] span = spans.get(i);
            final Histogram r = reads.get(i);
            final Histogram w = writes.get(i);
            Long stale = null;
            if (staleReadTimesNs != null)
            {
                long n = 0;
                for (int k = 0; k < staleReadTimesNs.size(); k++)
                {
                    final long t = staleReadTimesNs.getLong(k);
                    n += t >= span[0] && t < span[1] ? 1 : 0;
                }
                stale = n;
            }
            long longestGap = 0;
            for (final long[] gap : noWrites)
            {
                longestGap = Math.max(longestGap, Math.min(gap[1], span[1]) - Math.max(gap[0], span[0]));
            }
            final double measuredS = measuredNs[i] / 1e9;
            out.add(new FaultPhase(faults.get(i), names.get(i), seconds(span[0]), seconds(span[1]),
                Math.round(measuredS * 1000) / 1000.0,
                measuredS == 0 ? 0 : Math.round((r.getTotalCount() + w.getTotalCount()) / measuredS),
                w.getTotalCount(), us(w, 50), us(w, 99), us(w, 99.9), maxUs(w),
                r.getTotalCount(), us(r, 50), us(r, 99), us(r, 99.9), maxUs(r),
                stale, Math.round(longestGap / 1e4) / 100.0));
        }
        return out;
    }

    /**
     * @return the periods in which no client completed a write: where every client's gaps overlap.
     */
    static List<long[]> intersection(final List<List<long[]>> perClient)
    {
        if (perClient.isEmpty())
        {
            return List.of();
        }
        List<long[]> common = perClient.get(0);
        for (int c = 1; c < perClient.size(); c++)
        {
            final List<long[]> next = new ArrayList<>();
            for (final long[] a : common)
            {
                for (final long[] b : perClient.get(c))
                {
                    final long from = Math.max(a[0], b[0]);
                    final long to = Math.min(a[1], b[1]);
                    if (from < to)
                    {
                        next.add(new long[] {from, to});
                    }
                }
            }
            common = next;
        }
        return common;
    }

    private double seconds(final long ns)
    {
        return Math.round((ns - runStartNs) / 1e6) / 1e3;
    }

    private static double us(final Histogram h, final double percentile)
    {
        return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 100.0) / 10.0;
    }

    private static double maxUs(final Histogram h)
    {
        return h.getTotalCount() == 0 ? 0 : Math.round(h.getMaxValue() / 100.0) / 10.0;
    }
}
