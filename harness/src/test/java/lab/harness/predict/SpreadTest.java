package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpreadTest
{
    @Test
    void medianOfOddAndEvenCountsWithNaNLeftOut()
    {
        final Spread odd = Spread.of(5, 1, 3);
        assertEquals(1, odd.min());
        assertEquals(3, odd.median());
        assertEquals(5, odd.max());
        assertEquals(3, odd.count());
        assertEquals(100 * 4.0 / 3, odd.rangePct(), 1e-9);
        final Spread even = Spread.of(4, Double.NaN, 1, 3, 2);
        assertEquals(2.5, even.median());
        assertEquals(4, even.count());
    }

    @Test
    void nothingGivesNaN()
    {
        final Spread none = Spread.of(Double.NaN);
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(none.median()));
    }
}
