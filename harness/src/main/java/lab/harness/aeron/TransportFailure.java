package lab.harness.aeron;

/**
 * A run that cannot go on because a node cannot (see {@link TransportErrors}): its message is one line naming the
 * node and the error, and the command line prints only that line (no stack trace).
 */
public final class TransportFailure extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public TransportFailure(final String message)
    {
        super(message);
    }
}
