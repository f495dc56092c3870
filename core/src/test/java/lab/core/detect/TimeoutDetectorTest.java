package lab.core.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeoutDetectorTest
{
    private final TimeoutDetector detector = new TimeoutDetector(3, 100);

    @Test
    void shouldNotSuspectAPeerNeverHeardFrom()
    {
        assertFalse(detector.suspected(1, 1_000_000));
        assertEquals(0.0, detector.phi(1, 1_000_000));
        assertEquals(Long.MIN_VALUE, detector.lastHeardNs(1));
    }

    @Test
    void shouldSuspectOnlyAfterMoreThanTheTimeoutOfSilence()
    {
        detector.heartbeat(1, 1_000);

        assertFalse(detector.suspected(1, 1_100), "at exactly the timeout");
        assertTrue(detector.suspected(1, 1_101));
        assertEquals(Double.POSITIVE_INFINITY, detector.phi(1, 1_101));
        assertFalse(detector.suspected(0, 1_101), "only the silent peer");
    }

    @Test
    void shouldClearASuspicionOnAHeartbeatOrAReset()
    {
        detector.heartbeat(2, 0);
        assertTrue(detector.suspected(2, 500));

        detector.heartbeat(2, 500);
        assertFalse(detector.suspected(2, 600));

        detector.heard(2, 650);
        assertFalse(detector.suspected(2, 740), "any message restarts the silence");

        detector.reset(2, 1_000);
        assertFalse(detector.suspected(2, 1_100));
        assertEquals(1_000, detector.lastHeardNs(2));
    }

    @Test
    void shouldRejectATimeoutThatIsNotPositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new TimeoutDetector(1, 0));
    }
}
