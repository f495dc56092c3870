package lab.raft;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader's view of one follower: states and the pipeline of appends in flight.
 */
class ProgressTest
{
    @Test
    void aNewLeaderProbesFromTheEndOfItsLog()
    {
        final Progress p = new Progress(4);
        p.match = 7;
        p.state = Progress.State.REPLICATE;
        p.probeOutstanding = true;
        p.reset(10, 500);
        assertEquals(Progress.State.PROBE, p.state);
        assertEquals(11, p.next);
        assertEquals(0, p.match);
        assertFalse(p.probeOutstanding);
        assertEquals(0, p.inflightCount());
        assertEquals(500, p.progressNs);
        assertEquals(500, p.lastHeardNs);
        assertTrue(p.lastSentNs < 0); // a heartbeat is due at once
    }

    @Test
    void replicatePipelinesUpToItsCapacity()
    {
        final Progress p = new Progress(2);
        p.match = 4;
        p.becomeReplicate();
        assertEquals(5, p.next);
        p.sent(6);
        assertEquals(7, p.next);
        assertFalse(p.pipelineFull());
        p.sent(9);
        assertTrue(p.pipelineFull());
        assertEquals(10, p.next);
    }

    @Test
    void acknowledgementsFreeTheAppendsTheyCover()
    {
        final Progress p = new Progress(3);
        p.becomeReplicate();
        p.sent(2);
        p.sent(4);
        p.sent(6);
        p.freeInflight(1); // covers none
        assertEquals(3, p.inflightCount());
        p.freeInflight(4); // covers the first two
        assertEquals(1, p.inflightCount());
        p.freeInflight(4); // a duplicate frees nothing more
        assertEquals(1, p.inflightCount());
        p.sent(8); // the ring wraps
        p.sent(9);
        assertTrue(p.pipelineFull());
        p.freeInflight(9);
        assertEquals(0, p.inflightCount());
    }

    @Test
    void aRefusalProbesAgainFromTheGivenIndex()
    {
        final Progress p = new Progress(2);
        p.becomeReplicate();
        p.sent(5);
        p.probeOutstanding = true;
        p.becomeProbe(3, 900);
        assertEquals(Progress.State.PROBE, p.state);
        assertEquals(3, p.next);
        assertEquals(0, p.inflightCount());
        assertFalse(p.probeOutstanding);
        assertEquals(900, p.progressNs);
    }

    @Test
    void goingBackForgetsWhatIsInFlight()
    {
        final Progress p = new Progress(2);
        p.becomeReplicate();
        p.sent(5);
        p.goBackTo(3, 1_000);
        assertEquals(Progress.State.REPLICATE, p.state);
        assertEquals(3, p.next);
        assertEquals(0, p.inflightCount());
        assertEquals(1_000, p.progressNs);
    }

    @Test
    void aSnapshotRemembersWhatWasSentAndWhenToResend()
    {
        final Progress p = new Progress(2);
        p.becomeSnapshot(40, 2_000);
        assertEquals(Progress.State.SNAPSHOT, p.state);
        assertEquals(40, p.snapshotSentIndex);
        assertEquals(2_000, p.snapshotResendNs);
    }
}
