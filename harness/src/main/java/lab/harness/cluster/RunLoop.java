package lab.harness.cluster;

import java.util.concurrent.TimeUnit;

import lab.harness.metrics.LatencyTimeline;
import lab.harness.workload.LoadGenerator;

/**
 * The one run loop over Aeron, in one process ({@link LabRunner}) or driving node processes
 * ({@code multiprocess.ProcessRun}): the node threads run the load; this thread, from the start to the end of the
 * measurement window, polls what the run needs ({@link Duties}: faults, node processes), samples the latency
 * timeline every interval (progress), then closes the timeline and lets the operations in flight finish.
 *
 * <p>It sleeps between passes (the node threads own the CPU): a millisecond while faults are active (their
 * timing), otherwise until the next sample or the end of the window, at most {@code maxSleepMs}.
 */
public final class RunLoop
{
    /**
     * What a run does on the loop's thread beside sampling.
     */
    public interface Duties
    {
        /**
         * @return true when the run cannot go on (a node's fatal error, a signal): the loop ends early.
         */
        boolean stopped();

        /**
         * Once, in the first pass at or after the start of the measurement window (before that pass's poll).
         */
        default void onWindowStart(final long nowNs)
        {
        }

        /**
         * Every pass: drive faults, watch processes.
         */
        void poll(long nowNs);

        /**
         * @return true while something needs polling every millisecond (a fault in progress).
         */
        boolean busy();
    }

    private RunLoop()
    {
    }

    /**
     * Runs the window: returns at its end or when the duties say the run stopped; the timeline is sampled a last
     * time and closed.
     *
     * @param startNs     when the run started (warm-up included): progress is measured from it.
     * @param maxSleepMs  the longest sleep between passes.
     */
    public static void measure(final long startNs, final long windowStartNs, final long windowEndNs,
        final long intervalNs, final long maxSleepMs, final LatencyTimeline timeline, final ProgressListener progress,
        final Duties duties)
    {
        long nextSampleNs = startNs + intervalNs;
        boolean windowStarted = false;
        while (true)
        {
            final long now = System.nanoTime();
            if (duties.stopped() || now >= windowEndNs)
            {
                break;
            }
            if (!windowStarted && now >= windowStartNs)
            {
                duties.onWindowStart(now);
                windowStarted = true;
            }
            duties.poll(now);
            if (now >= nextSampleNs)
            {
                progress.onProgress(now - startNs, timeline.sample(now));
                nextSampleNs += intervalNs;
            }
            final long waitMs = TimeUnit.NANOSECONDS.toMillis(Math.min(nextSampleNs, windowEndNs) - now);
            sleepMs(duties.busy() ? 1 : Math.max(1, Math.min(maxSleepMs, waitMs)));
        }
        timeline.sample(System.nanoTime());
        timeline.close();
    }

    /**
     * Lets operations in flight at the end of the window finish (they are not counted) before the node threads
     * stop: until every client is idle, at most the operation timeout and never more than 2 s.
     */
    public static void drain(final LoadGenerator[] clients, final long opTimeoutNs)
    {
        final long drainDeadlineNs = System.nanoTime() + Math.min(opTimeoutNs, TimeUnit.SECONDS.toNanos(2));
        while (System.nanoTime() < drainDeadlineNs && !allIdle(clients))
        {
            sleepMs(1);
        }
    }

    private static boolean allIdle(final LoadGenerator[] clients)
    {
        // Read from another thread without synchronization: only used to shorten the drain, never for results.
        for (final LoadGenerator c : clients)
        {
            if (!c.idle())
            {
                return false;
            }
        }
        return true;
    }

    static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
