package lab.core.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResendsTest
{
    private static final long RETRY = 200;
    private static final long BACKOFF = 5;

    private final Resends resends = new Resends(new ClientPolicy(RETRY, BACKOFF, 4 * BACKOFF, 1000), 2);

    @Test
    void shouldResendAfterTheRetryTimeoutAsATimeoutOfTheTarget()
    {
        resends.start(0);
        resends.sent(0, 2, 1000);

        assertFalse(resends.due(0, 1000 + RETRY - 1));
        assertTrue(resends.due(0, 1000 + RETRY));
        assertTrue(resends.timedOut(0));
        assertEquals(2, resends.target(0));
    }

    @Test
    void shouldAskAgainAfterABackoffWhenTurnedAwayAndNotCallItATimeout()
    {
        resends.start(0);
        resends.sent(0, 1, 1000);
        resends.turnedAway(0, 1010);

        assertFalse(resends.due(0, 1010 + BACKOFF - 1));
        assertTrue(resends.due(0, 1010 + BACKOFF));
        assertFalse(resends.timedOut(0));
    }

    @Test
    void shouldGrowTheBackoffWhileTurnedAwayInARowAndStartAgainWhenMoved()
    {
        resends.start(0);
        resends.sent(0, 1, 0);
        resends.turnedAway(0, 0);
        assertEquals(BACKOFF, resends.resendAtNs(0));
        resends.sent(0, 1, BACKOFF);
        resends.turnedAway(0, 100);
        assertEquals(100 + 2 * BACKOFF, resends.resendAtNs(0));
        resends.turnedAway(0, 200);
        assertEquals(200 + 4 * BACKOFF, resends.resendAtNs(0));
        resends.turnedAway(0, 300);
        assertEquals(300 + 4 * BACKOFF, resends.resendAtNs(0), "capped");

        resends.moved(0);
        resends.turnedAway(0, 400);
        assertEquals(400 + BACKOFF, resends.resendAtNs(0), "a redirect or timeout starts the backoff again");
    }

    @Test
    void shouldCountMovesForTheOperationAndForgetThemForTheNext()
    {
        resends.start(1);
        resends.moved(1);
        resends.moved(1);
        assertEquals(2, resends.attempts(1));
        assertEquals(0, resends.attempts(0), "slots are independent");

        resends.start(1);
        assertEquals(0, resends.attempts(1));
    }

    @Test
    void shouldKeepTheLastSendsDeadlineWhenARedirectIsNotFollowedAtOnce()
    {
        resends.start(0);
        resends.sent(0, 0, 1000);
        resends.waitForTimeout(0);

        assertFalse(resends.due(0, 1000 + RETRY - 1));
        assertTrue(resends.due(0, 1000 + RETRY));
        assertTrue(resends.timedOut(0), "it ends as a timeout of the replica last sent to");
    }
}
