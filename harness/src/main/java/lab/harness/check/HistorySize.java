package lab.harness.check;

import java.util.Locale;

/**
 * How large a {@code --history} will be, told before the run: every operation is kept in memory until the run ends,
 * then written twice (JSON lines and Jepsen EDN), and {@code lab check} has to search it. An open loop's size is
 * known beforehand (rate x (warm-up + duration)); a closed loop records what the cluster completes, which no flag
 * tells, so it gets no estimate.
 */
public final class HistorySize
{
    /** Above this many operations the run warns: files of most of a gigabyte, and a long {@code lab check}. */
    public static final long LARGE_OPERATIONS = 2_000_000;
    /**
     * Bytes per operation in the two files: a JSON line of about 170 characters (session id, times in ns, event
     * indices) plus two EDN events of about 95 ({@code HistorySizeTest} holds this to written files).
     */
    static final int FILE_BYTES_PER_OPERATION = 360;
    /** The recorder's arrays: five longs and two bytes per operation. */
    static final int RECORDER_BYTES_PER_OPERATION = 5 * Long.BYTES + 2;

    private HistorySize()
    {
    }

    /**
     * @return the operations an open loop at {@code ratePerSecond} issues in warm-up plus duration; 0 for a closed
     * loop (rate 0).
     */
    public static long expectedOperations(final double ratePerSecond, final long warmupNs, final long durationNs)
    {
        return ratePerSecond > 0 ? (long)Math.ceil(ratePerSecond * (warmupNs + durationNs) / 1e9) : 0;
    }

    /**
     * @return a one-line warning when the history will be large, else null.
     */
    public static String warning(final double ratePerSecond, final long warmupNs, final long durationNs)
    {
        final long operations = expectedOperations(ratePerSecond, warmupNs, durationNs);
        if (operations <= LARGE_OPERATIONS)
        {
            return null;
        }
        return String.format(Locale.ROOT, "warning: --history will record about %,d operations (%,.0f ops/s x " +
            "%.1f s, warm-up included): about %s of JSON lines and EDN, %s in memory during the run, and a long " +
            "lab check; a shorter run or a lower rate keeps it checkable", operations, ratePerSecond,
            (warmupNs + durationNs) / 1e9, bytes(operations * FILE_BYTES_PER_OPERATION),
            bytes(operations * RECORDER_BYTES_PER_OPERATION));
    }

    static String bytes(final long n)
    {
        if (n >= 1L << 30)
        {
            return String.format(Locale.ROOT, "%.1f GB", n / (double)(1L << 30));
        }
        return String.format(Locale.ROOT, "%d MB", Math.round(n / (double)(1L << 20)));
    }
}
