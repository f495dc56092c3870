package lab;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.Torture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeds of {@code lab torture} (issue 15) where, after every fault had healed, no operation completed again. Each
 * replays exactly the schedule that failed and must now pass every check: {@link #CLI} is {@code bin/lab torture}'s
 * default (2 s of faults, 1 s healed), {@link #SHORT} is TortureTest's (800 ms of faults, 1 s healed).
 */
class LivenessRegressionTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long[] CLI = {2000 * MS, 1000 * MS};
    private static final long[] SHORT = {800 * MS, 1000 * MS};
    private static final Map<String, String> NO_PRE_VOTE = Map.of("raft-pre-vote", "false");

    private static void assertPasses(final String protocol, final int replicas, final Map<String, String> options,
        final long[] schedule, final long... seeds)
    {
        final Torture torture = new Torture(protocol, replicas, options, schedule[0], schedule[1]);
        for (final long seed : seeds)
        {
            final Torture.Outcome outcome = torture.run(seed);
            assertTrue(outcome.passed(), "seed " + seed + ": " + outcome.problem() + "\n  faults: " +
                outcome.faults() + "\n  replay: " + torture.replayCommand(seed) + " --faults-for " +
                schedule[0] / MS + "ms --liveness " + schedule[1] / MS + "ms");
        }
    }

    /**
     * Two primary-backup candidates refusing each other for good. At the end of seed 65's faults (5 replicas) n0 and
     * n1 are restarted and recovering (no vote), so n2, n3 and n4 must all agree. n3 has the longest log (view 2,
     * index 86) but votedView 2; n2 and n4 voted in view 3 (for n1, which then crashed) and are behind (index 84). n3
     * pre-votes for view 3 and n2/n4 refuse (3 is not above their votedView), but the refusal echoed view 3, so n3
     * proposed 3 again every round; n2/n4 propose view 4, which n3 refuses as less up to date. A refusal now carries
     * the voter's view and the candidate proposes above it.
     */
    @Test
    void primaryBackupCandidateLearnsTheViewItWasRefusedAt()
    {
        assertPasses("primary-backup", 5, Map.of(), CLI, 65);
    }

    /**
     * A primary-backup backup that restarted kept its previous incarnation's match index at the primary (match
     * indexes only rose). Seed 250 (5 replicas): n1 had acked index 54 while the commit index was 52 (n2 lagging),
     * crashed and restarted at the heal, installed the snapshot at 52 and acked 52; the primary kept matchIndex 54,
     * took n1 back in sync and retransmitted from 55, which n1 ignores (not its lastIndex + 1). The commit index, the
     * minimum over in-sync backups, stopped at 54 with n1 at 52 acking forever: no write committed again. Seed 448
     * likewise (n0 at 80, matchIndex 84). Starting a snapshot now forgets the match index and a lower ack lowers it.
     */
    @Test
    void primaryBackupPrimaryForgetsWhatARestartedBackupOnceAcknowledged()
    {
        assertPasses("primary-backup", 5, Map.of(), SHORT, 250, 448);
    }

    /**
     * Raft without pre-vote: a candidate whose log is behind (it cannot win) restarted the election timer of the
     * up-to-date replicas with every RequestVote they refused (adopting its higher term restarted their timer), so
     * it timed out first round after round and no replica that could win stood. Seed 422 (3 replicas): n1 (log
     * index 65) ran for terms 7 to 14 while n0 and n2 (index 206) never campaigned in the healed second; the other
     * seeds end the same way (a stale candidate, up-to-date followers). Only a granted vote or the current leader's
     * messages now restart the timer (thesis 3.4).
     */
    @Test
    void raftWithoutPreVoteElectsAnUpToDateReplicaWhileAStaleOneCampaigns()
    {
        assertPasses("raft", 3, NO_PRE_VOTE, CLI, 243, 332, 422, 575);
        assertPasses("raft", 3, NO_PRE_VOTE, SHORT, 499, 564);
        assertPasses("raft", 5, NO_PRE_VOTE, CLI, 139, 344, 550);
        assertPasses("raft", 5, NO_PRE_VOTE, SHORT, 144, 247, 451, 528);
    }
}
