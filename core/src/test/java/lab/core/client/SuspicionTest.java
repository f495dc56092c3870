package lab.core.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuspicionTest
{
    private static final long SUSPECT_NS = 1_000;

    private final Suspicion suspicion = new Suspicion(new ClientPolicy(200, 5, 5, SUSPECT_NS), 5);

    @Test
    void shouldSuspectAReplicaThatTimedOutUntilTheSuspicionExpires()
    {
        assertFalse(suspicion.suspected(2, 0));
        suspicion.timedOut(2, 10_000);

        assertTrue(suspicion.suspected(2, 10_000));
        assertTrue(suspicion.suspected(2, 10_000 + SUSPECT_NS - 1));
        assertFalse(suspicion.suspected(2, 10_000 + SUSPECT_NS), "expired");
        assertFalse(suspicion.suspected(1, 10_000), "only the replica that timed out");
    }

    @Test
    void shouldTrustAReplicaAgainAsSoonAsItIsHeardFrom()
    {
        suspicion.timedOut(3, 10_000);
        suspicion.heard(3, 10_000);

        assertFalse(suspicion.suspected(3, 10_001));
    }

    @Test
    void shouldAnswerAsAFailureDetectorFedByReplies()
    {
        final lab.core.detect.FailureDetector detector = suspicion;
        assertEquals(Long.MIN_VALUE, detector.lastHeardNs(1), "never heard");
        suspicion.timedOut(1, 10_000);
        assertTrue(detector.suspected(1, 10_001));
        assertEquals(Double.POSITIVE_INFINITY, detector.phi(1, 10_001));

        detector.heartbeat(1, 10_002);
        assertFalse(detector.suspected(1, 10_003), "a reply ends the suspicion");
        assertEquals(0.0, detector.phi(1, 10_003));
        assertEquals(10_002, detector.lastHeardNs(1));

        suspicion.timedOut(1, 20_000);
        detector.reset(1, 20_001);
        assertFalse(detector.suspected(1, 20_002), "watching afresh holds nothing against it");
        assertFalse(detector.suspected(2, 50_000), "silence alone is not suspicion: a client is owed no heartbeats");
    }

    @Test
    void shouldRenewTheSuspicionOnAnotherTimeout()
    {
        suspicion.timedOut(0, 10_000);
        suspicion.timedOut(0, 10_500);

        assertTrue(suspicion.suspected(0, 11_200));
        assertFalse(suspicion.suspected(0, 11_500));
    }

    @Test
    void shouldIgnoreNodesThatAreNotReplicas()
    {
        suspicion.timedOut(-1, 0);
        suspicion.timedOut(7, 0);
        suspicion.heard(7, 0);

        for (int r = 0; r < 5; r++)
        {
            assertFalse(suspicion.suspected(r, 1));
        }
    }

    @Test
    void shouldPickTheFirstUnsuspectedCandidateRoundTheRing()
    {
        assertEquals(0, suspicion.firstUnsuspectedOnRing(3, 3, 0), "nobody suspected: the first preference");

        suspicion.timedOut(3, 0);
        suspicion.timedOut(4, 0);
        assertEquals(2, suspicion.firstUnsuspectedOnRing(3, 3, 1), "3 and 4 suspected: replica 0, two on");
        assertEquals(1, suspicion.firstUnsuspectedOnRing(4, 5, 1), "from 4: 0 is the second candidate");
        assertEquals(0, suspicion.firstUnsuspectedOnRing(3, 3, SUSPECT_NS), "expired: back to the preference");
    }

    @Test
    void shouldFallBackToTheFirstPreferenceWhenEveryCandidateIsSuspected()
    {
        suspicion.timedOut(1, 0);
        suspicion.timedOut(2, 0);

        assertEquals(0, suspicion.firstUnsuspectedOnRing(1, 2, 1));
    }
}
