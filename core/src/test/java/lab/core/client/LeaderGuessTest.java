package lab.core.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderGuessTest
{
    private final LeaderGuess guess = new LeaderGuess(3);

    @Test
    void shouldStartAtReplicaZero()
    {
        assertEquals(0, guess.leader());
    }

    @Test
    void shouldGoWhereARedirectPoints()
    {
        guess.redirected(2);
        assertEquals(2, guess.leader());
    }

    @Test
    void shouldTryTheNextReplicaRoundTheRingWhenTheGuessTimesOut()
    {
        guess.timedOut(0);
        assertEquals(1, guess.leader());
        guess.timedOut(1);
        assertEquals(2, guess.leader());
        guess.timedOut(2);
        assertEquals(0, guess.leader(), "wraps");
    }

    @Test
    void shouldKeepTheGuessWhenAnotherReplicaTimesOut()
    {
        guess.redirected(2);
        guess.timedOut(0); // an operation sent to 0 before the redirect
        assertEquals(2, guess.leader());
    }

    @Test
    void shouldUseOnlyAHintThatNamesAnotherReplica()
    {
        assertTrue(LeaderGuess.usableHint(1, 0, 3));
        assertFalse(LeaderGuess.usableHint(-1, 0, 3), "no hint");
        assertFalse(LeaderGuess.usableHint(3, 0, 3), "not a replica");
        assertFalse(LeaderGuess.usableHint(0, 0, 3), "the replica that turned it away");
    }
}
