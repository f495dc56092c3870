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
     * @param point     the last interval.
     */
    default void onProgress(final long elapsedNs, final lab.harness.metrics.TimelinePoint point)
    {
    }
}
