package lab.chain;

/**
 * Where a replica believes the chain's ends are, packed into the {@code version} field of a REDIRECT so that a client
 * learns head and tail together: [epoch: 48 bits][head + 1: 8 bits][tail + 1: 8 bits]. 0 means no hint.
 */
final class ChainHint
{
    private ChainHint()
    {
    }

    static long pack(final long epoch, final int head, final int tail)
    {
        return (epoch << 16) | ((long)(head + 1) & 0xFF) << 8 | ((long)(tail + 1) & 0xFF);
    }

    static long epoch(final long hint)
    {
        return hint >>> 16;
    }

    static int head(final long hint)
    {
        return (int)((hint >>> 8) & 0xFF) - 1;
    }

    static int tail(final long hint)
    {
        return (int)(hint & 0xFF) - 1;
    }
}
