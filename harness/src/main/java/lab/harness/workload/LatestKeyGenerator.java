package lab.harness.workload;

import java.util.Random;

/**
 * YCSB's "latest" distribution (workload D): writes insert the next key in turn, reads pick recently written keys
 * with a Zipfian skew on recency (YCSB's {@code SkewedLatestGenerator}), wrapping around a fixed key space.
 */
public final class LatestKeyGenerator implements KeyGenerator
{
    private final long keys;
    private final ZipfianKeyGenerator recency;
    private long latest;

    public LatestKeyGenerator(final long keys, final double theta)
    {
        this.keys = keys;
        this.recency = new ZipfianKeyGenerator(keys, theta);
    }

    public long nextKey(final Random random)
    {
        return nextKey(random, false);
    }

    public long nextKey(final Random random, final boolean write)
    {
        if (write)
        {
            latest = (latest + 1) % keys;
            return latest;
        }
        return Math.floorMod(latest - recency.nextRank(random), keys);
    }
}
