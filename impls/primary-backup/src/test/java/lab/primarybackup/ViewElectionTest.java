package lab.primarybackup;

import java.util.Map;
import java.util.Random;

import lab.core.Outbox;
import lab.core.ProtocolSettings;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewElectionTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aVoterGrantsOncePerViewOnlyAnUpToDateCandidateAndNeverWhileItsPrimaryLives()
    {
        assertTrue(ViewElection.grants(3, 1, 2, false, 1, 10, 1, 10, false), "as up to date");
        assertTrue(ViewElection.grants(3, 1, 2, false, 2, 0, 1, 10, false),
            "a later entry view wins over a longer log");
        assertFalse(ViewElection.grants(3, 1, 2, false, 1, 9, 1, 10, false), "behind this voter");
        assertFalse(ViewElection.grants(3, 1, 2, false, 0, 20, 1, 10, false), "an older entry view");
        assertFalse(ViewElection.grants(2, 1, 2, false, 1, 10, 1, 10, false), "already voted in that view");
        assertFalse(ViewElection.grants(3, 1, 2, true, 1, 10, 1, 10, false), "its primary is alive");
        assertFalse(ViewElection.grants(2, 1, 2, false, 1, 10, 1, 10, false),
            "the same candidate again in a view already voted in: PB keeps the view, not whom it voted for");
    }

    @Test
    void aPreVoteAsksTheSameQuestion()
    {
        assertTrue(ViewElection.grants(3, 1, 2, false, 1, 10, 1, 10, true), "as up to date");
        assertFalse(ViewElection.grants(3, 1, 2, false, 1, 9, 1, 10, true), "behind this voter");
        assertFalse(ViewElection.grants(2, 1, 2, false, 1, 10, 1, 10, true), "not above the view voted in");
        assertFalse(ViewElection.grants(3, 1, 2, true, 1, 10, 1, 10, true), "its primary is alive");
    }

    /** Messages one replica sends, kept for feeding another. */
    private static final class Captured implements Outbox
    {
        final ExpandableArrayBuffer last = new ExpandableArrayBuffer(256);
        int lastLength;
        int lastTo = -1;
        int count;

        public void send(final int toNode, final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            last.putBytes(0, buffer, offset, length);
            lastLength = length;
            lastTo = toNode;
            count++;
        }
    }

    @Test
    void aSilentPrimaryIsReplacedAfterAPreVoteAndAVoteByAMajority()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of());
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        final PrimaryBackupReplica backup = new PrimaryBackupReplica(1, 3, config, new Random(2), false);
        final Captured out = new Captured();
        backup.onTick(0, out);
        assertEquals(Role.BACKUP, backup.roleState());

        backup.onTick(3 * SECOND, out); // past the primary timeout and any jitter (at most one timeout)
        assertEquals(Role.PRE_CANDIDATE, backup.roleState());
        assertEquals(1, backup.view(), "a pre-vote changes no view");
        assertEquals(1, backup.votedView());

        final PrimaryBackupPublisher voter = new PrimaryBackupPublisher(2, 3);
        voter.vote(out, 1, 2, true, true);
        backup.onMessage(2, out.last, 0, out.lastLength, 3 * SECOND, out);
        assertEquals(Role.CANDIDATE, backup.roleState());
        assertEquals(2, backup.votedView(), "stands for the view above every view it knew of");

        voter.vote(out, 1, 2, true, false);
        backup.onMessage(2, out.last, 0, out.lastLength, 3 * SECOND, out);
        assertEquals(Role.PRIMARY, backup.roleState());
        assertEquals(2, backup.view());
    }

    @Test
    void aRefusalNamingAHigherViewRaisesTheNextProposalAndNothingElse()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of());
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        final PrimaryBackupReplica backup = new PrimaryBackupReplica(1, 3, config, new Random(2), false);
        final Captured out = new Captured();
        backup.onTick(0, out);
        backup.onTick(3 * SECOND, out);
        final PrimaryBackupPublisher voter = new PrimaryBackupPublisher(2, 3);
        voter.vote(out, 1, 9, false, true);
        backup.onMessage(2, out.last, 0, out.lastLength, 3 * SECOND, out);
        assertEquals(Role.PRE_CANDIDATE, backup.roleState());
        assertEquals(1, backup.view());

        backup.onTick(9 * SECOND, out); // the round ran out: the next one proposes above the refusal
        voter.vote(out, 1, 10, true, true);
        backup.onMessage(2, out.last, 0, out.lastLength, 9 * SECOND, out);
        assertEquals(Role.CANDIDATE, backup.roleState());
        assertEquals(10, backup.votedView());
    }
}
