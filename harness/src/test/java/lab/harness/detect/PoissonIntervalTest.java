package lab.harness.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exact Poisson interval against published values (Garwood 1936; e.g. the tables in Ulm 1990): 0 events give
 * [0, 3.689], 1 gives [0.0253, 5.572], 10 give [4.795, 18.39].
 */
class PoissonIntervalTest
{
    @Test
    void shouldMatchTheTabulatedExactIntervals()
    {
        assertInterval(0, 0, 3.689);
        assertInterval(1, 0.0253, 5.572);
        assertInterval(10, 4.795, 18.39);
    }

    @Test
    void shouldRejectANegativeCount()
    {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PoissonInterval.of(-1));
    }

    private static void assertInterval(final long count, final double low, final double high)
    {
        final double[] ci = PoissonInterval.of(count);
        assertEquals(low, ci[0], 0.001 + low * 1e-3, "low of " + count);
        assertEquals(high, ci[1], high * 1e-3, "high of " + count);
    }
}
