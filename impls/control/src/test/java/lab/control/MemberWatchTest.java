package lab.control;

import lab.core.detect.TimeoutDetector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a configuration service's acting node watches its members ({@link MemberWatch}): which heartbeat is news,
 * when a member is silent, and the takeover grace of a node that starts acting.
 */
class MemberWatchTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aHeartbeatOvertakenByANewerOneIsNoNews()
    {
        final MemberWatch watch = new MemberWatch(2, new TimeoutDetector(2, 100 * MS), 0);
        assertTrue(watch.fresh(0, 10 * MS));
        assertFalse(watch.fresh(0, 10 * MS), "a duplicate");
        assertFalse(watch.fresh(0, 5 * MS), "reordered behind a newer one");
        assertTrue(watch.fresh(0, 11 * MS));
        assertTrue(watch.fresh(1, 1 * MS), "per member");
    }

    @Test
    void silentOnlyWhenSuspectedAndUnheardForTheTimeout()
    {
        final MemberWatch watch = new MemberWatch(1, new TimeoutDetector(1, 50 * MS), 0);
        watch.start(0);
        watch.heard(0, 100 * MS);
        assertFalse(watch.silent(0, 150 * MS, 200 * MS), "suspected (50 ms) but heard 100 ms ago: the floor holds");
        assertFalse(watch.silent(0, 150 * MS, 250 * MS), "exactly the timeout is not past it");
        assertTrue(watch.silent(0, 150 * MS, 250 * MS + 1));
        assertFalse(watch.silent(0, 10 * MS, 140 * MS), "heard 40 ms ago: the detector does not suspect yet");
    }

    @Test
    void aNodeThatStartsActingWaitsTheGraceBeyondTheTimeoutAndForgetsWhoItHeard()
    {
        final MemberWatch watch = new MemberWatch(1, new TimeoutDetector(1, 50 * MS), 150 * MS);
        watch.heard(0, 0);
        assertTrue(watch.heardSinceStart(0));
        watch.start(1_000 * MS);
        assertFalse(watch.heardSinceStart(0), "what a standby heard is not news of this reign");
        assertFalse(watch.silent(0, 100 * MS, 1_250 * MS), "grace 150 + timeout 100 not yet past");
        assertTrue(watch.silent(0, 100 * MS, 1_250 * MS + 1));
        watch.heard(0, 1_260 * MS);
        assertTrue(watch.heardSinceStart(0));
        assertFalse(watch.silent(0, 100 * MS, 1_300 * MS));
    }
}
