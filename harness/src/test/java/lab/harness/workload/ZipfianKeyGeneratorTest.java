package lab.harness.workload;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfianKeyGeneratorTest
{
    @Test
    void shouldMakeTheMostPopularRankAboutAsLikelyAsZipfsLawSays()
    {
        final long items = 1000;
        final ZipfianKeyGenerator zipf = new ZipfianKeyGenerator(items, 0.99);
        final Random random = new Random(1);
        final int samples = 200_000;
        int rank0 = 0;
        int rank1 = 0;
        for (int i = 0; i < samples; i++)
        {
            final long r = zipf.nextRank(random);
            assertTrue(r >= 0 && r < items);
            if (r == 0)
            {
                rank0++;
            }
            else if (r == 1)
            {
                rank1++;
            }
        }
        final double zeta = ZipfianKeyGenerator.zeta(items, 0.99);
        assertEquals(1 / zeta, rank0 / (double)samples, 0.01);
        assertEquals(1 / Math.pow(2, 0.99) / zeta, rank1 / (double)samples, 0.01);
    }

    @Test
    void shouldKeepKeysInsideTheKeySpace()
    {
        final KeyGenerator keys = KeyGenerator.of("zipfian", 37, 0.99);
        final Random random = new Random(2);
        for (int i = 0; i < 10_000; i++)
        {
            final long k = keys.nextKey(random);
            assertTrue(k >= 0 && k < 37, "key " + k);
        }
    }

    @Test
    void shouldSpreadUniformKeysEvenly()
    {
        final KeyGenerator keys = KeyGenerator.of("uniform", 10, 0);
        final Random random = new Random(3);
        final int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            counts[(int)keys.nextKey(random)]++;
        }
        for (final int c : counts)
        {
            assertEquals(10_000, c, 500);
        }
    }
}
