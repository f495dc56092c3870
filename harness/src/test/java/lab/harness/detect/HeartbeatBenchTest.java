package lab.harness.detect;

import java.util.Random;

import lab.core.detect.PhiAccrualDetector;
import lab.core.detect.TimeoutDetector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatBenchTest
{
    private static final long MS = 1_000_000;
    private static final long HOUR = 3_600_000 * MS;
    /** Pauses so rare that none falls in a run. */
    private static final long NEVER = 1_000 * HOUR;

    @Test
    void shouldDetectACrashWithinOneIntervalOfTheTimeoutOnAQuietNetwork()
    {
        final NetworkConditions quiet = new NetworkConditions(10 * MS, 1 * MS, 0, 0, NEVER, 0, 0);
        final DetectorPoint p = HeartbeatBench.measure("timeout", "fd-timeout=50ms",
            () -> new TimeoutDetector(1, 50 * MS), quiet, HOUR, 1_000 * MS, 200, 7);

        assertEquals(0, p.falseCount(), "heartbeats 10 ms apart never leave 50 ms of silence");
        // the last heartbeat arrived 1 ms after it was sent, 0..10 ms before the crash: suspected 50 ms after it
        assertTrue(p.detectP50Ms() > 40 && p.detectP50Ms() <= 51, "p50 " + p.detectP50Ms());
        assertTrue(p.detectP99Ms() > p.detectP50Ms() && p.detectP99Ms() <= 51, "p99 " + p.detectP99Ms());
        assertEquals(100.0, p.messagesPerSecond(), 1e-9);
    }

    @Test
    void shouldCountAFalseSuspicionForEachPauseLongerThanTheTimeout()
    {
        // pauses of exactly 100 ms about every minute: a 50 ms timeout suspects each, a 250 ms one none
        final NetworkConditions pausing = new NetworkConditions(10 * MS, 1 * MS, 0, 0, 60_000 * MS, 100 * MS,
            100 * MS);
        final long shortTimeout = HeartbeatBench.falseSuspicions(new TimeoutDetector(1, 50 * MS), pausing, HOUR,
            new Random(3));
        final long longTimeout = HeartbeatBench.falseSuspicions(new TimeoutDetector(1, 250 * MS), pausing, HOUR,
            new Random(3));

        assertEquals(0, longTimeout);
        assertTrue(shortTimeout > 40 && shortTimeout < 80, "about 60 pauses in an hour: " + shortTimeout);
    }

    @Test
    void shouldTradeDetectionTimeForMistakesAsThePhiThresholdRises()
    {
        final NetworkConditions lossy = new NetworkConditions(10 * MS, 1 * MS, 2 * MS, 0.01, 30_000 * MS, 20 * MS,
            200 * MS);
        final DetectorPoint low = phi(lossy, 2);
        final DetectorPoint high = phi(lossy, 12);

        assertTrue(low.falsePerHour() > high.falsePerHour(), low + " vs " + high);
        assertTrue(low.detectP50Ms() < high.detectP50Ms(), low + " vs " + high);
    }

    @Test
    void shouldReplayFromTheSeed()
    {
        final NetworkConditions lossy = new NetworkConditions(10 * MS, 1 * MS, 2 * MS, 0.01, 30_000 * MS, 20 * MS,
            200 * MS);
        assertEquals(phi(lossy, 4), phi(lossy, 4));
    }

    private static DetectorPoint phi(final NetworkConditions conditions, final double threshold)
    {
        return HeartbeatBench.measure("phi", "phi-threshold=" + threshold,
            () -> new PhiAccrualDetector(1, threshold, 100, 5 * MS, 0, 10 * MS), conditions, HOUR / 6, 2_000 * MS,
            100, 11);
    }
}
