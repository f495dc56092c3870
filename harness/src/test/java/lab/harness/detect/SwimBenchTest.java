package lab.harness.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwimBenchTest
{
    private static final long MS = 1_000_000;
    private static final long NEVER = 1_000_000_000 * MS;

    @Test
    void shouldConfirmACrashAfterTheSuspicionTimeoutAndNeverAHealthyMember()
    {
        final NetworkConditions quiet = new NetworkConditions(10 * MS, 1 * MS, 0, 0, NEVER, 0, 0);
        final SwimBench.Swim swim = new SwimBench.Swim(5, 20 * MS, 8 * MS, 3, 100 * MS);
        final DetectorPoint p = SwimBench.measure("swim-suspicion=100ms", swim, quiet, 600_000 * MS, 500 * MS, 100, 5);

        assertEquals(0, p.falseCount());
        assertEquals(0.0, p.refutedPerHour());
        // suspected at the end of the first period in which a member probed it, confirmed 100 ms (+ 1 ms news) later
        assertTrue(p.detectP50Ms() > 100 && p.detectP50Ms() < 100 + 4 * 20 + 5, "p50 " + p.detectP50Ms());
        assertTrue(p.detectP99Ms() >= p.detectP50Ms() && p.detectP99Ms() < 100 + 8 * 20 + 5, "p99 " + p.detectP99Ms());
        // a ping and its ack per member per period: 2 messages / 20 ms
        assertEquals(100.0, p.messagesPerSecond(), 1.0);
    }

    @Test
    void shouldRefuteMostSuspicionsOfPausedMembersWhenTheSuspicionTimeoutOutlastsThePauses()
    {
        final NetworkConditions pausing = new NetworkConditions(10 * MS, 1 * MS, 0, 0, 10_000 * MS, 20 * MS,
            200 * MS);
        final DetectorPoint shortSuspicion = SwimBench.measure("20ms",
            new SwimBench.Swim(5, 20 * MS, 8 * MS, 3, 20 * MS), pausing, 600_000 * MS, 500 * MS, 20, 9);
        final DetectorPoint longSuspicion = SwimBench.measure("500ms",
            new SwimBench.Swim(5, 20 * MS, 8 * MS, 3, 500 * MS), pausing, 600_000 * MS, 500 * MS, 20, 9);

        assertTrue(shortSuspicion.falseCount() > 0, "a member paused longer than the suspicion is removed");
        assertEquals(0, longSuspicion.falseCount(), "pauses of at most 200 ms are refuted within 500 ms");
        assertTrue(longSuspicion.refutedPerHour() > 0);
    }
}
