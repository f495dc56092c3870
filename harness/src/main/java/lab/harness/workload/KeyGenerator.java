package lab.harness.workload;

import java.util.Random;

/**
 * Chooses the key of the next operation.
 */
public interface KeyGenerator
{
    long nextKey(Random random);

    /**
     * @param write whether the key is for a write (the "latest" distribution moves its head on writes).
     */
    default long nextKey(final Random random, final boolean write)
    {
        return nextKey(random);
    }

    static KeyGenerator of(final String distribution, final long keys, final double zipfianConstant)
    {
        switch (distribution)
        {
            case "uniform":
                return new UniformKeyGenerator(keys);
            case "zipfian":
                return new ZipfianKeyGenerator(keys, zipfianConstant);
            case "latest":
                return new LatestKeyGenerator(keys, zipfianConstant);
            default:
                throw new IllegalArgumentException(
                    "--key-distribution must be uniform|zipfian|latest, got '" + distribution + "'");
        }
    }
}
