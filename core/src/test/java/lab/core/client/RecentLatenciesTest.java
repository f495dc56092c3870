package lab.core.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecentLatenciesTest
{
    @Test
    void shouldGiveTheNearestRankPercentileOfWhatItHolds()
    {
        final RecentLatencies recent = new RecentLatencies(100, 1);
        for (int i = 100; i >= 1; i--)
        {
            recent.record(i);
        }

        assertEquals(50, recent.percentile(50));
        assertEquals(95, recent.percentile(95));
        assertEquals(100, recent.percentile(99.9));
        assertEquals(1, recent.percentile(0.5));
    }

    @Test
    void shouldForgetTheOldestBeyondItsCapacity()
    {
        final RecentLatencies recent = new RecentLatencies(4, 1);
        for (final long v : new long[] {1000, 1000, 1000, 1000, 1, 2, 3, 4})
        {
            recent.record(v);
        }

        assertEquals(4, recent.size());
        assertEquals(4, recent.percentile(99), "the four 1000s are gone");
    }

    @Test
    void shouldRecomputeOnlyAfterRefreshEverySamples()
    {
        final RecentLatencies recent = new RecentLatencies(10, 3);
        recent.record(10);
        assertEquals(10, recent.percentile(50));

        recent.record(20);
        recent.record(30);
        assertEquals(10, recent.percentile(99), "two new samples: not refreshed yet");

        recent.record(40);
        assertEquals(40, recent.percentile(99), "the third refreshes it");
    }

    @Test
    void shouldSayWhenItHoldsNothing()
    {
        assertEquals(-1, new RecentLatencies(8, 1).percentile(50));
        assertThrows(IllegalArgumentException.class, () -> new RecentLatencies(0, 1));
    }
}
