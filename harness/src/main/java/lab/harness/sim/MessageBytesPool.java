package lab.harness.sim;

import java.util.Arrays;

/**
 * The arrays the simulated network copies messages into, reused by exact length once nothing refers to them: a
 * message's array is taken when it is sent and given back after its handler ran, or, while the network's
 * {@link MessageTrace} still shows it, when the trace overwrites its entry. Exact lengths keep {@code bytes.length}
 * the message's length everywhere (the delivery hash, the trace's printing), so reuse changes no history. A protocol
 * sends few distinct lengths, so a free list per length stays short; lengths above {@link #MAX_LENGTH} and arrays
 * beyond {@link #MAX_FREE_PER_LENGTH} per length are left to the garbage collector.
 *
 * <p>Whoever releases an array promises that nothing else refers to it: an array released twice would be handed to
 * two messages at once.
 */
final class MessageBytesPool
{
    static final int MAX_LENGTH = 4096;
    static final int MAX_FREE_PER_LENGTH = 1024;

    private final byte[][][] free = new byte[MAX_LENGTH + 1][][];
    private final int[] freeCount = new int[MAX_LENGTH + 1];
    private long taken;
    private long reused;

    /**
     * @return an array of exactly {@code length} bytes whose contents are undefined (the caller overwrites them all).
     */
    byte[] take(final int length)
    {
        taken++;
        if (length <= MAX_LENGTH)
        {
            final int n = freeCount[length];
            if (n > 0)
            {
                final byte[][] stack = free[length];
                final byte[] bytes = stack[n - 1];
                stack[n - 1] = null;
                freeCount[length] = n - 1;
                reused++;
                return bytes;
            }
        }
        return new byte[length];
    }

    /**
     * @param bytes an array nothing refers to any more (from {@link #take} or not).
     */
    void release(final byte[] bytes)
    {
        final int length = bytes.length;
        if (length > MAX_LENGTH)
        {
            return;
        }
        byte[][] stack = free[length];
        final int n = freeCount[length];
        if (stack == null || n == stack.length)
        {
            if (n >= MAX_FREE_PER_LENGTH)
            {
                return;
            }
            stack = stack == null ? new byte[8][] : Arrays.copyOf(stack, n * 2);
            free[length] = stack;
        }
        stack[n] = bytes;
        freeCount[length] = n + 1;
    }

    /** @return arrays handed out so far. */
    long taken()
    {
        return taken;
    }

    /** @return of those, how many were reused rather than allocated. */
    long reused()
    {
        return reused;
    }

    /** @return arrays of {@code length} bytes waiting to be reused. */
    int free(final int length)
    {
        return length <= MAX_LENGTH ? freeCount[length] : 0;
    }
}
