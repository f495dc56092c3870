package lab.harness.workload;

import java.util.Random;

/**
 * Every key in [0, keys) equally likely.
 */
public final class UniformKeyGenerator implements KeyGenerator
{
    private final long keys;

    public UniformKeyGenerator(final long keys)
    {
        if (keys < 1)
        {
            throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        }
        this.keys = keys;
    }

    public long nextKey(final Random random)
    {
        return keys <= Integer.MAX_VALUE ? random.nextInt((int)keys) : Math.floorMod(random.nextLong(), keys);
    }
}
