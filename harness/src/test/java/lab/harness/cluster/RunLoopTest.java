package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import lab.harness.metrics.LatencyTimeline;
import lab.harness.workload.LoadGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run loop both Aeron runs use: it ends at the window's end or when the run stopped, starts window duties once,
 * samples progress every interval and polls every millisecond while a fault is busy.
 */
class RunLoopTest
{
    private static class Recorded implements RunLoop.Duties
    {
        final List<Long> windowStarts = new ArrayList<>();
        int polls;
        boolean stop;
        boolean busy;

        public boolean stopped()
        {
            return stop;
        }

        public void onWindowStart(final long nowNs)
        {
            windowStarts.add(nowNs);
        }

        public void poll(final long nowNs)
        {
            polls++;
        }

        public boolean busy()
        {
            return busy;
        }
    }

    @Test
    void runsToTheEndOfTheWindowSamplingEveryInterval()
    {
        final long start = System.nanoTime();
        final long windowStart = start + TimeUnit.MILLISECONDS.toNanos(50);
        final long windowEnd = windowStart + TimeUnit.MILLISECONDS.toNanos(200);
        final Recorded duties = new Recorded();
        final List<Long> progress = new ArrayList<>();
        final LatencyTimeline timeline = new LatencyTimeline(start, null);
        RunLoop.measure(start, windowStart, windowEnd, TimeUnit.MILLISECONDS.toNanos(50), Long.MAX_VALUE, timeline,
            new ProgressListener()
            {
                @Override
                public void onProgress(final long elapsedNs, final lab.harness.metrics.TimelinePoint point)
                {
                    progress.add(elapsedNs);
                }
            }, duties);
        assertTrue(System.nanoTime() >= windowEnd, "ran to the end of the window");
        assertEquals(1, duties.windowStarts.size(), "window duties once");
        assertTrue(duties.windowStarts.get(0) >= windowStart);
        assertTrue(progress.size() >= 3 && progress.size() <= 5, "a sample every 50 ms of 250: " + progress);
        assertTrue(duties.polls >= progress.size() && duties.polls < 50, "passes sleep until the next sample: " +
            duties.polls);
    }

    @Test
    void pollsEveryMillisecondWhileBusyAndEndsWhenStopped()
    {
        final long start = System.nanoTime();
        final Recorded duties = new Recorded()
        {
            public void poll(final long nowNs)
            {
                super.poll(nowNs);
                stop = polls == 20;
            }
        };
        duties.busy = true;
        RunLoop.measure(start, start, start + TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(10),
            Long.MAX_VALUE, new LatencyTimeline(start, null), ProgressListener.NONE, duties);
        assertEquals(20, duties.polls);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "stopped early");
    }

    @Test
    void drainReturnsAtOnceWhenEveryClientIsIdle()
    {
        final long start = System.nanoTime();
        RunLoop.drain(new LoadGenerator[0], TimeUnit.SECONDS.toNanos(1));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
    }
}
