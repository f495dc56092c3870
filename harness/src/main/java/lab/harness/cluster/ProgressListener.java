package lab.harness.cluster;

/**
 * Told how a long run is going (the CLI prints a progress line).
 */
public interface ProgressListener
{
    ProgressListener NONE = new ProgressListener()
    {
    };

    default void onStart(final RunConfig config)
    {
    }

    /**
     * @param elapsedNs since the run started (warm-up included).
     * @param point     the last interval: ops_per_s, read/write counts, p50/p99/max (see LatencyTimeline).
     */
    default void onProgress(final long elapsedNs, final java.util.Map<String, Object> point)
    {
    }
}
