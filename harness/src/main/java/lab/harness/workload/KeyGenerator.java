package lab.harness.workload;

import java.util.Random;

/**
 * Chooses the key of the next operation.
 */
public interface KeyGenerator
{
    long nextKey(Random random);

    static KeyGenerator of(final String distribution, final long keys, final double zipfianConstant)
    {
        switch (distribution)
        {
            case "uniform":
                return new UniformKeyGenerator(keys);
            case "zipfian":
                return new ZipfianKeyGenerator(keys, zipfianConstant);
            default:
                throw new IllegalArgumentException(
                    "--key-distribution must be uniform|zipfian, got '" + distribution + "'");
        }
    }
}
