package lab.core.quorum;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MajorityTrackerTest
{
    private static MajorityTracker tracker(final long... values)
    {
        final MajorityTracker t = new MajorityTracker(values.length, 0);
        for (int i = 0; i < values.length; i++)
        {
            t.set(i, values[i]);
        }
        return t;
    }

    @Test
    void majorityIsMoreThanHalf()
    {
        assertEquals(1, MajorityTracker.majority(1));
        assertEquals(2, MajorityTracker.majority(2));
        assertEquals(2, MajorityTracker.majority(3));
        assertEquals(3, MajorityTracker.majority(4));
        assertEquals(3, MajorityTracker.majority(5));
        assertEquals(4, MajorityTracker.majority(6));
        assertThrows(IllegalArgumentException.class, () -> new MajorityTracker(0, 0));
    }

    @Test
    void singleVoterIsItsOwnMajority()
    {
        final MajorityTracker t = tracker(7);
        assertEquals(7, t.quorumValue());
        t.set(0, 9);
        assertEquals(9, t.quorumValue());
    }

    @Test
    void oddVotersTakeTheMedian()
    {
        assertEquals(5, tracker(9, 5, 1).quorumValue());
        assertEquals(5, tracker(1, 9, 5).quorumValue());
        assertEquals(4, tracker(1, 2, 4, 8, 9).quorumValue());
        assertEquals(4, tracker(9, 8, 4, 2, 1).quorumValue());
    }

    @Test
    void evenVotersNeedMoreThanHalf()
    {
        assertEquals(3, tracker(3, 9).quorumValue()); // 2 of 2
        assertEquals(5, tracker(1, 9, 5, 7).quorumValue()); // 3 of 4: 9, 7, 5
        assertEquals(2, tracker(2, 2, 8, 8).quorumValue()); // two halves: the lower half's value
        assertEquals(5, tracker(1, 3, 5, 7, 9, 11).quorumValue()); // 4 of 6: 11, 9, 7, 5
    }

    @Test
    void tiesCountEveryVoter()
    {
        assertEquals(4, tracker(4, 4, 4).quorumValue());
        assertEquals(4, tracker(4, 4, 0).quorumValue());
        assertEquals(0, tracker(4, 0, 0).quorumValue());
        assertEquals(6, tracker(6, 6, 6, 1, 1).quorumValue());
    }

    @Test
    void duplicateAndStaleAcknowledgementsNeverGoBack()
    {
        final MajorityTracker t = new MajorityTracker(3, 0);
        assertTrue(t.advance(1, 5));
        assertFalse(t.advance(1, 5)); // the same acknowledgement twice
        assertFalse(t.advance(1, 3)); // an older one, reordered
        assertEquals(5, t.value(1));
        t.set(0, 10);
        assertEquals(5, t.quorumValue());
        t.set(1, 2); // set is explicit: the caller says it went back
        assertEquals(2, t.quorumValue());
    }

    @Test
    void quorumValueDoesNotDisturbTheValues()
    {
        final MajorityTracker t = tracker(3, 1, 2);
        assertEquals(2, t.quorumValue());
        assertEquals(3, t.value(0));
        assertEquals(1, t.value(1));
        assertEquals(2, t.value(2));
    }

    @Test
    void resetForgetsEveryVoter()
    {
        final MajorityTracker t = tracker(3, 4, 5);
        t.reset(-1);
        assertEquals(-1, t.quorumValue());
        assertEquals(-1, t.value(2));
    }

    @Test
    void majorityAboveCountsStrictlyAbove()
    {
        final MajorityTracker t = tracker(10, 5, 5, 0, 0);
        assertTrue(t.majorityAbove(4));
        assertFalse(t.majorityAbove(5)); // only one voter above 5
        assertEquals(t.quorumValue() > 4, t.majorityAbove(4));
        assertTrue(tracker(1).majorityAbove(0));
        assertFalse(tracker(1, 1).majorityAbove(1));
    }

    @Test
    void leaseHoldsUntilStartPlusDurationMinusDrift()
    {
        assertEquals(130, MajorityTracker.leaseExpiry(100, 50, 20));
        assertTrue(MajorityTracker.leaseHolds(100, 50, 20, 100));
        assertTrue(MajorityTracker.leaseHolds(100, 50, 20, 129));
        assertFalse(MajorityTracker.leaseHolds(100, 50, 20, 130)); // exactly at expiry: over
        assertFalse(MajorityTracker.leaseHolds(100, 50, 20, 131));
        assertFalse(MajorityTracker.leaseHolds(100, 50, 50, 100)); // drift eats the whole lease
    }

    @Test
    void leaseStartsAtTheMajoritysOldestAcknowledgedSend()
    {
        // The leader's own clock is 200; followers acknowledged heartbeats sent at 120 and 90.
        final MajorityTracker t = tracker(200, 120, 90);
        assertEquals(120, t.quorumValue());
        assertTrue(t.leaseHolds(50, 20, 149));
        assertFalse(t.leaseHolds(50, 20, 150));
        // Five voters: the third largest send time starts the lease.
        final MajorityTracker five = tracker(200, 180, 120, 90, Long.MIN_VALUE / 2);
        assertTrue(five.leaseHolds(50, 20, 149));
        assertFalse(five.leaseHolds(50, 20, 150));
    }

    @Test
    void noLeaseBeforeAMajorityAcknowledged()
    {
        final MajorityTracker t = new MajorityTracker(3, Long.MIN_VALUE / 2);
        t.set(0, 1_000);
        assertFalse(t.leaseHolds(150, 20, 1_000));
        assertTrue(tracker(1_000).leaseHolds(150, 20, 1_000)); // alone, a node is its own majority
    }
}
