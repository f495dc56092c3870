package lab.core.client;

import java.util.Map;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HedgingTest
{
    private static final long MS = 1_000_000L;

    @Test
    void shouldBeOffByDefaultAndNeverHedge()
    {
        final Hedging hedging = Hedging.from(new ProtocolSettings(3, 1, 1, Map.of()));

        assertFalse(hedging.enabled());
        assertEquals(Hedging.NEVER, hedging.hedgeAtNs(5 * MS));
    }

    @Test
    void shouldHedgeAFixedDelayAfterTheSend()
    {
        final Hedging hedging = Hedging.from(new ProtocolSettings(3, 1, 1, Map.of(ClientPolicy.HEDGE, "2ms")));

        assertTrue(hedging.enabled());
        assertEquals(7 * MS, hedging.hedgeAtNs(5 * MS));
    }

    @Test
    void shouldWaitForEnoughReadsBeforeAPercentileHedge()
    {
        final Hedging hedging = Hedging.parse("p90");
        for (int i = 1; i < Hedging.MIN_SAMPLES; i++)
        {
            hedging.readCompleted(i * MS);
        }
        assertEquals(Hedging.NEVER, hedging.hedgeAtNs(0), "too few reads to know the percentile");

        hedging.readCompleted(Hedging.MIN_SAMPLES * MS);
        assertEquals(18 * MS, hedging.hedgeAtNs(0), "p90 of 1..20 ms by nearest rank");
        assertEquals(Hedging.MIN_SAMPLES, hedging.readsCompleted());
    }

    @Test
    void shouldFollowTheRecentReadsNotTheOldOnes()
    {
        final Hedging hedging = Hedging.parse("p50");
        for (int i = 0; i < Hedging.WINDOW; i++)
        {
            hedging.readCompleted(100 * MS);
        }
        for (int i = 0; i < Hedging.WINDOW; i++)
        {
            hedging.readCompleted(MS);
        }

        assertEquals(MS, hedging.hedgeAtNs(0));
    }

    @Test
    void shouldCountCopies()
    {
        final Hedging hedging = Hedging.parse("1ms");
        hedging.copySent();
        hedging.copySent();

        assertEquals(2, hedging.copiesSent());
    }

    @Test
    void shouldRefuseWhatIsNotADelayOrAPercentileInOneLine()
    {
        for (final String bad : new String[] {"p0", "p100", "p", "pfast", "0ms", "soon", "-1ms"})
        {
            final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Hedging.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("hedge"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
