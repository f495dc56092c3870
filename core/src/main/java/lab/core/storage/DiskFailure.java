package lab.core.storage;

/**
 * An I/O error of a {@link Disk}. After one, what the node wrote but did not sync may be lost, so the node must
 * not go on as if it were durable: a driver treats it as fatal for the node (the simulator crashes it and restarts
 * it from what its disk kept; a real node's thread dies with it).
 */
public final class DiskFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public DiskFailure(final String message)
    {
        super(message);
    }

    public DiskFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
