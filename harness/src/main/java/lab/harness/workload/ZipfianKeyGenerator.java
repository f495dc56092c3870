package lab.harness.workload;

import java.util.Random;

/**
 * YCSB's scrambled Zipfian distribution: item ranks follow Zipf's law with constant theta (0.99 in YCSB), computed
 * with the closed form of Gray et al., "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD 1994); the
 * rank is then hashed (FNV-1a 64) so that the popular keys are spread over the key space rather than clustered at
 * 0, as YCSB's {@code ScrambledZipfianGenerator} does.
 */
public final class ZipfianKeyGenerator implements KeyGenerator
{
    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;

    public ZipfianKeyGenerator(final long items, final double theta)
    {
        if (items < 1)
        {
            throw new IllegalArgumentException("keys must be >= 1, got " + items);
        }
        if (!(theta > 0 && theta < 1))
        {
            throw new IllegalArgumentException("zipfian constant must be in (0, 1), got " + theta);
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = zeta(items, theta);
        final double zeta2 = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
        this.halfPowTheta = 1 + Math.pow(0.5, theta);
    }

    static double zeta(final long n, final double theta)
    {
        double sum = 0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    /**
     * @return a rank in [0, items): 0 the most popular.
     */
    public long nextRank(final Random random)
    {
        final double u = random.nextDouble();
        final double uz = u * zetaN;
        if (uz < 1.0)
        {
            return 0;
        }
        if (uz < halfPowTheta)
        {
            return Math.min(1, items - 1);
        }
        final long rank = (long)(items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, items - 1);
    }

    public long nextKey(final Random random)
    {
        return Math.floorMod(fnv1a64(nextRank(random)), items);
    }

    public double theta()
    {
        return theta;
    }

    static long fnv1a64(final long value)
    {
        long hash = 0xCBF29CE484222325L;
        long v = value;
        for (int i = 0; i < 8; i++)
        {
            hash ^= v & 0xFF;
            hash *= 0x100000001B3L;
            v >>>= 8;
        }
        return hash;
    }
}
