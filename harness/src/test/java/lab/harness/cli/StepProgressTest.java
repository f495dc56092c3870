package lab.harness.cli;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StepProgressTest
{
    @Test
    void shouldEstimateTheTimeLeftFromTheMeanStepSoFar()
    {
        final AtomicLong now = new AtomicLong(1_000);
        final StepProgress progress = new StepProgress(4, 0, now::get);
        now.addAndGet(10_000);
        assertEquals("[1/4, about 30 s left]", progress.step(), "10 s a step, 3 to go");
        now.addAndGet(30_000);
        assertEquals("[2/4, about 40 s left]", progress.step(), "20 s a step, 2 to go");
        now.addAndGet(100_000);
        assertEquals("[3/4, about 47 s left]", progress.step());
        assertEquals("[4/4]", progress.step(), "nothing left to estimate");
    }

    @Test
    void shouldShowAStepAtMostEveryQuietPeriodButAlwaysTheLast()
    {
        final AtomicLong now = new AtomicLong(0);
        final StepProgress progress = new StepProgress(1000, 5_000, now::get);
        now.set(1_000);
        assertNull(progress.stepIfDue(), "1 s after the start: quiet");
        now.set(5_000);
        assertEquals("[2/1000, about 41 min 35 s left]", progress.stepIfDue(), "2.5 s a step, 998 to go");
        now.set(6_000);
        for (int i = 0; i < 997; i++)
        {
            assertNull(progress.stepIfDue());
        }
        assertEquals("[1000/1000]", progress.stepIfDue(), "the last step always shows");
    }

    @Test
    void shouldWriteLongWaitsInMinutesAndHours()
    {
        assertEquals("59 s", StepProgress.formatSeconds(59));
        assertEquals("1 min 0 s", StepProgress.formatSeconds(60));
        assertEquals("2 h 3 min", StepProgress.formatSeconds(2 * 3600 + 3 * 60 + 59));
    }
}
