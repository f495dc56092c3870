package lab.harness.sim;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator's generator draws exactly what {@code new Random(seed)} draws, through every method the simulator and
 * the models use, so swapping it in leaves every seed's history as it was.
 */
class SimRandomTest
{
    @Test
    void shouldDrawWhatJavaUtilRandomDrawsForTheSameSeed()
    {
        for (final long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE, SimNetwork.deriveSeed(42, 50_000)})
        {
            final Random expected = new Random(seed);
            final Random actual = new SimRandom(seed);
            for (int i = 0; i < 2_000; i++)
            {
                final String at = "seed " + seed + " draw " + i;
                switch (i % 8)
                {
                    case 0 -> assertEquals(expected.nextDouble(), actual.nextDouble(), at);
                    case 1 -> assertEquals(expected.nextInt(), actual.nextInt(), at);
                    case 2 -> assertEquals(expected.nextInt(1 + i), actual.nextInt(1 + i), at);
                    case 3 -> assertEquals(expected.nextLong(), actual.nextLong(), at);
                    case 4 -> assertEquals(expected.nextGaussian(), actual.nextGaussian(), at);
                    case 5 -> assertEquals(expected.nextBoolean(), actual.nextBoolean(), at);
                    case 6 -> assertEquals(expected.nextFloat(), actual.nextFloat(), at);
                    default -> assertEquals(expected.nextLong(1L << 40), actual.nextLong(1L << 40), at);
                }
            }
        }
    }

    @Test
    void setSeedRestartsTheSequenceAndDropsTheSpareGaussian()
    {
        final Random expected = new Random(3);
        final Random actual = new SimRandom(3);
        assertEquals(expected.nextGaussian(), actual.nextGaussian()); // leaves a spare Gaussian in both
        expected.setSeed(99);
        actual.setSeed(99);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(expected.nextGaussian(), actual.nextGaussian(), "draw " + i);
            assertEquals(expected.nextInt(1000), actual.nextInt(1000), "draw " + i);
        }
    }
}
