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

    default void onProgress(final long elapsedNs)
    {
    }
}
