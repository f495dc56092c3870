package lab.core.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhiAccrualDetectorTest
{
    private static final long MS = 1_000_000;

    private static PhiAccrualDetector detector(final double threshold, final int window, final long pauseNs)
    {
        return new PhiAccrualDetector(2, threshold, window, 1 * MS, pauseNs, 10 * MS);
    }

    @Test
    void shouldComputePhiFromTheNormalTail()
    {
        // at the mean the tail is one half: phi = log10(2)
        assertEquals(Math.log10(2), PhiAccrualDetector.phi(100, 100, 10), 1e-3);
        // 2 and 3 standard deviations above: 1 - CDF = 0.02275 and 0.00135 (within the approximation's error)
        assertEquals(-Math.log10(0.02275), PhiAccrualDetector.phi(120, 100, 10), 0.01);
        assertEquals(-Math.log10(0.00135), PhiAccrualDetector.phi(130, 100, 10), 0.05);
        // below the mean phi is small and positive
        final double early = PhiAccrualDetector.phi(80, 100, 10);
        assertTrue(early > 0 && early < 0.02, "2 sd below the mean: " + early);
    }

    @Test
    void shouldGrowMonotonicallyWithSilence()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        for (int i = 0; i <= 20; i++)
        {
            d.heartbeat(0, i * 10 * MS);
        }
        double previous = -1;
        for (long t = 200 * MS; t < 300 * MS; t += MS)
        {
            final double phi = d.phi(0, t);
            assertTrue(phi >= previous, "phi fell at " + t);
            previous = phi;
        }
    }

    @Test
    void shouldSuspectRegularHeartbeatsSoonAfterTheyStopAndNotBefore()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        long t = 0;
        for (int i = 0; i < 50; i++, t += 10 * MS)
        {
            d.heartbeat(0, t);
            assertFalse(d.suspected(0, t + 10 * MS), "a heartbeat on time is not late");
        }
        final long last = t - 10 * MS;
        // window full of exact 10 ms intervals: stddev 0, so the minimum (1 ms) applies; phi 8 is about 5.6 sd
        assertFalse(d.suspected(0, last + 15 * MS));
        assertTrue(d.suspected(0, last + 17 * MS));
        assertEquals(10.0 * MS, d.meanIntervalNs(0), 1.0, "the seeds are pushed out of a full window");
        assertEquals(10, d.samples(0));
    }

    @Test
    void shouldToleratePausesItHasSeenAndTheAcceptablePause()
    {
        final PhiAccrualDetector regular = detector(8, 100, 0);
        final PhiAccrualDetector jittery = detector(8, 100, 0);
        final PhiAccrualDetector pausing = detector(8, 100, 40 * MS);
        long t = 0;
        for (int i = 0; i < 100; i++)
        {
            regular.heartbeat(0, i * 10 * MS);
            pausing.heartbeat(0, i * 10 * MS);
            t += i % 2 == 0 ? 4 * MS : 16 * MS; // same mean, stddev 6 ms
            jittery.heartbeat(0, t);
        }
        final long regularLast = 99 * 10 * MS;
        assertTrue(regular.suspected(0, regularLast + 30 * MS));
        assertFalse(jittery.suspected(0, t + 30 * MS), "its own spread makes 30 ms plausible");
        assertFalse(pausing.suspected(0, regularLast + 50 * MS), "40 ms acceptable pause on the 10 ms mean");
        assertTrue(pausing.suspected(0, regularLast + 60 * MS));
    }

    @Test
    void shouldNotLearnAnIntervalThatEndedInSuspicion()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        for (int i = 0; i < 20; i++)
        {
            d.heartbeat(0, i * 10 * MS);
        }
        d.heartbeat(0, 190 * MS + 500 * MS); // a 500 ms gap: suspected when it ended

        assertEquals(10.0 * MS, d.meanIntervalNs(0), 1.0);
        assertFalse(d.suspected(0, 690 * MS + 10 * MS), "the late heartbeat still counts as hearing from it");
    }

    @Test
    void shouldRestartTheSilenceButNotSampleOnOtherMessages()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        for (int i = 0; i < 20; i++)
        {
            d.heartbeat(0, i * 10 * MS);
            for (int j = 1; j < 10; j++)
            {
                d.heard(0, i * 10 * MS + j * MS); // load: a message every millisecond between heartbeats
            }
        }
        assertEquals(10.0 * MS, d.meanIntervalNs(0), 1.0, "heartbeat to heartbeat, whatever came between");
        assertFalse(d.suspected(0, 199 * MS + 12 * MS), "silence counts from the last message");
        assertTrue(d.suspected(0, 199 * MS + 20 * MS));
    }

    @Test
    void shouldNotSampleTheGapAcrossAReset()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        for (int i = 0; i < 20; i++)
        {
            d.heartbeat(0, i * 10 * MS);
        }
        d.reset(0, 1_000 * MS); // e.g. a new primary
        d.heartbeat(0, 1_005 * MS);
        d.heartbeat(0, 1_015 * MS);

        assertEquals(10.0 * MS, d.meanIntervalNs(0), 1.0, "neither 190-1000 nor 1000-1005 was a sample");
    }

    @Test
    void shouldSeedAPeerOnItsFirstHeartbeatOrReset()
    {
        final PhiAccrualDetector d = detector(8, 10, 0);
        assertFalse(d.suspected(1, 1_000 * MS), "never heard from: not watched, not suspected");

        d.reset(1, 0);
        assertEquals(2, d.samples(1));
        assertEquals(10.0 * MS, d.meanIntervalNs(1), 1.0, "seeds of mean first-estimate");
        assertFalse(d.suspected(1, 10 * MS));
        assertTrue(d.suspected(1, 100 * MS), "a peer never heard after a reset is suspected in time");
    }

    @Test
    void shouldRejectBadParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> detector(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> detector(-1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> detector(8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> detector(8, 10, -1));
    }
}
