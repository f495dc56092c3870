package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The unavailability window of a crash, from the periods in which the clients completed no write.
 *
 * <p>Only the periods in which no client at all completed a write count (the intersection of the clients' gaps). The
 * window starts at the fault: it is the gap that contains the crash, or else the first one after it at least
 * {@link #JOIN_MIN_GAP_NS} long that begins less than {@link #FOLLOW_NS} after it. It runs until writes resume at their pace: the gaps that follow it less than
 * {@link #JOIN_NS} apart and themselves at least {@link #JOIN_MIN_GAP_NS} long are joined to it, because after a
 * leader crash a new leader may answer a few writes it had in its log and then go quiet again until the other
 * clients' retry timeouts send them to it, and that is one outage, not two. A gap anywhere later in the run (a
 * second fault, a pause, the run's end) is not this crash's outage, however long. A gap still open when the run
 * ended means writes never came back; the window then runs to the end of the run and says so.
 */
public final class Unavailability
{
    /** Gaps closer than this are one outage... */
    public static final long JOIN_NS = 50_000_000L;
    /** ...when the neighbour is itself at least this long (a slow run's ordinary pauses between writes are not). */
    public static final long JOIN_MIN_GAP_NS = 20_000_000L;
    /**
     * An outage that begins this long after the crash is not the crash's: the protocols' failure detection takes a
     * few hundred milliseconds at most, and writes that do not wait for the crashed node stop at once or never.
     */
    public static final long FOLLOW_NS = 1_000_000_000L;

    /**
     * @param fromNs        start of the window (the last write completed before it).
     * @param toNs          end of the window (the first write completed after it, or the end of the run).
     * @param resumed       false when no write completed after the window began, until the end of the run.
     * @param longestGapNs  the longest single gap in the window.
     */
    public record Window(long fromNs, long toNs, boolean resumed, long longestGapNs)
    {
        public long lengthNs()
        {
            return toNs - fromNs;
        }
    }

    private Unavailability()
    {
    }

    /**
     * @param gapsPerClient     each client's closed gaps, [from, to] pairs in time order.
     * @param lastWritePerClient the time each client last completed a write, {@code Long.MIN_VALUE} if it never did
     *                           (such a client, e.g. with a read-only workload, says nothing about writes).
     * @param minGapNs          a client's silence counts as a gap from this long on.
     * @return the window, or null when writes went on through the crash (no write gap contains it or follows it
     * within {@link #FOLLOW_NS}).
     */
    public static Window around(final List<List<long[]>> gapsPerClient, final long[] lastWritePerClient,
        final long minGapNs, final long crashNs, final long endNs)
    {
        List<long[]> common = null;
        for (int c = 0; c < gapsPerClient.size(); c++)
        {
            if (lastWritePerClient[c] == Long.MIN_VALUE)
            {
                continue;
            }
            final List<long[]> gaps = new ArrayList<>(gapsPerClient.get(c));
            if (endNs - lastWritePerClient[c] > minGapNs)
            {
                gaps.add(new long[]{lastWritePerClient[c], endNs}); // still open at the end of the run
            }
            common = common == null ? gaps : intersect(common, gaps);
        }
        if (common == null)
        {
            return null;
        }
        common.removeIf(g -> g[1] <= crashNs);
        common.sort((x, y) -> Long.compare(x[0], y[0]));
        // Every gap left ends after the crash, in time order. The crash's outage is the one that contains it, or
        // else the first one after it that is not an ordinary pause and begins within a failure detection's time.
        int first = -1;
        for (int i = 0; i < common.size() && common.get(i)[0] - crashNs < FOLLOW_NS; i++)
        {
            if (common.get(i)[0] <= crashNs || length(common.get(i)) >= JOIN_MIN_GAP_NS)
            {
                first = i;
                break;
            }
        }
        if (first < 0)
        {
            return null;
        }
        int last = first;
        while (last + 1 < common.size() && common.get(last + 1)[0] - common.get(last)[1] < JOIN_NS &&
            length(common.get(last + 1)) >= JOIN_MIN_GAP_NS)
        {
            last++;
        }
        long longestGapNs = 0;
        for (int i = first; i <= last; i++)
        {
            longestGapNs = Math.max(longestGapNs, length(common.get(i)));
        }
        final long to = common.get(last)[1];
        return new Window(common.get(first)[0], to, to < endNs, longestGapNs);
    }

    private static long length(final long[] gap)
    {
        return gap[1] - gap[0];
    }

    private static List<long[]> intersect(final List<long[]> a, final List<long[]> b)
    {
        final List<long[]> out = new ArrayList<>();
        for (final long[] x : a)
        {
            for (final long[] y : b)
            {
                final long from = Math.max(x[0], y[0]);
                final long to = Math.min(x[1], y[1]);
                if (to > from)
                {
                    out.add(new long[]{from, to});
                }
            }
        }
        return out;
    }
}
