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

    /**
     * YCSB core workload presets: A update heavy (50/50, Zipfian), B read mostly (95/5), C read only, D read latest
     * (95% reads of recently written keys, 5% writes of new keys). Zipfian constant 0.99 as in YCSB.
     */
    public static Workload ycsb(final String preset, final long keys, final int valueSize)
    {
        switch (preset.toLowerCase())
        {
            case "a": return new Workload(0.5, keys, "zipfian", 0.99, valueSize);
            case "b": return new Workload(0.95, keys, "zipfian", 0.99, valueSize);
            case "c": return new Workload(1.0, keys, "zipfian", 0.99, valueSize);
            case "d": return new Workload(0.95, keys, "latest", 0.99, valueSize);
            default:
                throw new IllegalArgumentException("--workload must be a|b|c|d (YCSB core workloads), got '" + preset + "'");
        }
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
        if (!"uniform".equals(keyDistribution))
        {
            m.put("zipfian_constant", zipfianConstant);
        }
        m.put("value_size", valueSize);
        return m;
    }
}
