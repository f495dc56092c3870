package lab.core.election;

import org.junit.jupiter.api.Test;

import static lab.core.election.ElectionRules.NO_VOTE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElectionRulesTest
{
    @Test
    void upToDateComparesLastTermFirst()
    {
        assertTrue(ElectionRules.upToDate(3, 1, 2, 100)); // higher last term wins over a longer log
        assertFalse(ElectionRules.upToDate(2, 100, 3, 1));
    }

    @Test
    void upToDateThenLastIndex()
    {
        assertTrue(ElectionRules.upToDate(2, 10, 2, 10)); // equal logs are up to date
        assertTrue(ElectionRules.upToDate(2, 11, 2, 10));
        assertFalse(ElectionRules.upToDate(2, 9, 2, 10));
        assertTrue(ElectionRules.upToDate(0, 0, 0, 0)); // two empty logs
    }

    @Test
    void leaderIsLiveForLessThanTheElectionTimeout()
    {
        assertTrue(ElectionRules.leaderLive(false, 100, 50, 100));
        assertTrue(ElectionRules.leaderLive(false, 100, 50, 149));
        assertFalse(ElectionRules.leaderLive(false, 100, 50, 150)); // exactly at the timeout: no longer live
        assertTrue(ElectionRules.leaderLive(true, Long.MIN_VALUE / 2, 50, 1_000)); // a leader hears itself
        assertFalse(ElectionRules.leaderLive(false, Long.MIN_VALUE / 2, 50, 0)); // never heard from one
    }

    @Test
    void oneVotePerTerm()
    {
        assertTrue(ElectionRules.canVoteFor(NO_VOTE, 2));
        assertTrue(ElectionRules.canVoteFor(2, 2)); // asked again: same answer
        assertFalse(ElectionRules.canVoteFor(1, 2));
        assertTrue(ElectionRules.grantVote(NO_VOTE, 2, true));
        assertFalse(ElectionRules.grantVote(NO_VOTE, 2, false)); // not up to date
        assertFalse(ElectionRules.grantVote(1, 2, true)); // voted for another
        assertTrue(ElectionRules.grantVote(2, 2, true));
    }

    @Test
    void voteConsideredOnlyForCurrentOrNewerTermWithoutLiveLeader()
    {
        assertTrue(ElectionRules.considerVote(5, 5, false));
        assertTrue(ElectionRules.considerVote(6, 5, false));
        assertFalse(ElectionRules.considerVote(4, 5, false)); // an old term
        assertFalse(ElectionRules.considerVote(6, 5, true)); // the lease promise
    }

    @Test
    void preVoteNeedsNewerTermUpToDateLogAndNoLiveLeader()
    {
        assertTrue(ElectionRules.grantPreVote(6, 5, true, false));
        assertFalse(ElectionRules.grantPreVote(5, 5, true, false)); // a pre-vote is always for a newer term
        assertFalse(ElectionRules.grantPreVote(6, 5, false, false));
        assertFalse(ElectionRules.grantPreVote(6, 5, true, true));
    }

    @Test
    void wonWithAMajorityOfGrants()
    {
        assertTrue(ElectionRules.won(0b1, 1));
        assertFalse(ElectionRules.won(0b1, 2));
        assertTrue(ElectionRules.won(0b11, 2));
        assertTrue(ElectionRules.won(0b101, 3));
        assertFalse(ElectionRules.won(0b100, 3));
        assertFalse(ElectionRules.won(0b0011, 4)); // half of an even cluster is not a majority
        assertTrue(ElectionRules.won(0b1011, 4));
        assertTrue(ElectionRules.won(0b10101, 5));
    }
}
