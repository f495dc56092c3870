package lab.quorum;

/**
 * Versions of a key as one long: the Lamport clock in the high 48 bits, the writer's node id in the low 16, so that
 * comparing two timestamps as longs orders them by (Lamport clock, node id), the last-writer-wins order. 0 is the
 * version of a key never written.
 */
final class Timestamps
{
    static final int NODE_BITS = 16;

    private Timestamps()
    {
    }

    static long of(final long lamport, final int node)
    {
        return (lamport << NODE_BITS) | node;
    }

    static long lamport(final long ts)
    {
        return ts >>> NODE_BITS;
    }

    static int node(final long ts)
    {
        return (int)(ts & ((1 << NODE_BITS) - 1));
    }
}
