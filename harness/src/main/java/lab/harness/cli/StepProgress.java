package lab.harness.cli;

import java.util.function.LongSupplier;

/**
 * Progress of a command that runs N steps of like cost (sweep points, torture seeds, matrix cells): "[k/N, about
 * 12 s left]", the time left estimated from the mean time per step so far (also bin/lab jmh's runs). Thread-safe: seeds finishing on several
 * threads may report at once.
 */
public final class StepProgress
{
    private final int total;
    private final LongSupplier clockMs;
    private final long startMs;
    private final long quietMs;
    private int done;
    private long lastShownMs;

    /**
     * @param total   steps in all (>= 1).
     * @param quietMs {@link #stepIfDue()} shows a step at most this often (the last step always): thousands of
     *                torture seeds must not print thousands of lines.
     * @param clockMs milliseconds now (System::currentTimeMillis; a test passes its own).
     */
    public StepProgress(final int total, final long quietMs, final LongSupplier clockMs)
    {
        this.total = total;
        this.quietMs = quietMs;
        this.clockMs = clockMs;
        this.startMs = clockMs.getAsLong();
        this.lastShownMs = startMs;
    }

    public StepProgress(final int total)
    {
        this(total, 0, System::currentTimeMillis);
    }

    /**
     * Counts one step done.
     *
     * @return "[k/N, about S s left]", or "[N/N]" for the last.
     */
    public synchronized String step()
    {
        done++;
        lastShownMs = clockMs.getAsLong();
        return text(lastShownMs);
    }

    /**
     * Counts one step done.
     *
     * @return as {@link #step()} when the last was shown at least quietMs ago or this is the last step, else null.
     */
    public synchronized String stepIfDue()
    {
        done++;
        final long now = clockMs.getAsLong();
        if (done < total && now - lastShownMs < quietMs)
        {
            return null;
        }
        lastShownMs = now;
        return text(now);
    }

    private String text(final long now)
    {
        if (done >= total)
        {
            return "[" + done + "/" + total + "]";
        }
        final long leftS = Math.round((now - startMs) / 1000.0 * (total - done) / done);
        return "[" + done + "/" + total + ", about " + formatSeconds(leftS) + " left]";
    }

    /**
     * @return "45 s", "12 min 5 s", "2 h 3 min".
     */
    static String formatSeconds(final long s)
    {
        if (s < 60)
        {
            return s + " s";
        }
        if (s < 3600)
        {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
