package lab.harness.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaturationTest
{
    private static final double BOUND_US = 1000;

    private static Saturation.Point open(final double requested, final double achieved, final double p99Us)
    {
        return new Saturation.Point(requested, requested, achieved, p99Us, 0);
    }

    @Test
    void shouldAskAnOpenLoopForNinetyFivePercentOfTheRequestedRate()
    {
        assertTrue(Saturation.meetsBound(open(10_000, 9_500, 500), BOUND_US));
        assertFalse(Saturation.meetsBound(open(10_000, 9_499, 500), BOUND_US), "the generator fell behind");
    }

    @Test
    void shouldAskNoRateOfAClosedLoop()
    {
        assertTrue(Saturation.meetsBound(new Saturation.Point(16, 0, 123_456, 999, 0), BOUND_US));
        assertTrue(Saturation.meetsBound(new Saturation.Point(16, Double.NaN, 123_456, 999, 0), BOUND_US));
    }

    @Test
    void shouldRefuseAPointOverTheBoundOrWithTimeouts()
    {
        assertTrue(Saturation.meetsBound(open(10_000, 10_000, 1000), BOUND_US), "the bound itself is within");
        assertFalse(Saturation.meetsBound(open(10_000, 10_000, 1000.1), BOUND_US));
        assertFalse(Saturation.meetsBound(new Saturation.Point(10_000, 10_000, 10_000, 10, 1), BOUND_US));
        assertFalse(Saturation.meetsBound(open(10_000, 10_000, Double.NaN), BOUND_US), "no p99: not within");
    }

    @Test
    void shouldTakeTheHighestLoadWithinTheBoundWhateverTheOrder()
    {
        final List<Saturation.Point> points = List.of(
            open(40_000, 39_000, 800), open(10_000, 10_000, 100), open(80_000, 60_000, 900), open(20_000, 20_000, 200));
        assertEquals(0, Saturation.knee(points, BOUND_US), "40k: 80k fell behind the rate, 20k is lower");
    }

    @Test
    void shouldFindNoKneeWhenNoPointMeetsTheBound()
    {
        assertEquals(-1, Saturation.knee(List.of(open(10_000, 10_000, 5000), open(20_000, 20_000, 9000)), BOUND_US));
        assertEquals(-1, Saturation.knee(List.of(), BOUND_US));
    }
}
