package lab.harness.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the clients ask for: read ratio, key count and distribution, value size.
 */
public record Workload(double readRatio, long keys, String keyDistribution, double zipfianConstant, int valueSize)
{
    /** Values carry (session, seq) of the write that made them so that reads can be traced to writes. */
    public static final int MIN_VALUE_SIZE = 16;

    public Workload
    {
        if (!(readRatio >= 0 && readRatio <= 1))
        {
            throw new IllegalArgumentException("--read-ratio must be in [0, 1], got " + readRatio);
        }
        if (keys < 1)
        {
            throw new IllegalArgumentException("--keys must be >= 1, got " + keys);
        }
        if (valueSize < MIN_VALUE_SIZE || valueSize > 64 * 1024)
        {
            throw new IllegalArgumentException(
                "--value-size must be in [" + MIN_VALUE_SIZE + ", 65536] bytes, got " + valueSize);
        }
        KeyGenerator.of(keyDistribution, 1, zipfianConstant);
    }

    public KeyGenerator keyGenerator()
    {
        return KeyGenerator.of(keyDistribution, keys, zipfianConstant);
    }

    public Map<String, Object> describe()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_ratio", readRatio);
        m.put("keys", keys);
        m.put("key_distribution", keyDistribution);
        if ("zipfian".equals(keyDistribution))
        {
            m.put("zipfian_constant", zipfianConstant);
        }
        m.put("value_size", valueSize);
        return m;
    }
}
