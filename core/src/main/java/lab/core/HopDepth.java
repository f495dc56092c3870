package lab.core;

/**
 * The hop depth of what a replica sends, kept at the protocol's edge so that its rules never compute it.
 *
 * <p>Hop depth is a measurement, not a rule: a client request has depth 1 and a message sent while handling a
 * message of depth d has depth d + 1, so the response that completes an operation carries the length of the
 * operation's critical path (shown beside {@link HopTheory}). The decoder-side adapter records the depth of each
 * message it decodes ({@link #received}); the encoder-side publisher stamps every message it encodes with
 * {@link #stamp()}. A duty cycle's timers and {@code flush} start new paths ({@link #startPath()}: their sends
 * have depth 1).
 *
 * <p>The protocol speaks only where a message does not follow from the one input being handled, as etcd's
 * application names the entries a Ready carries: a message that answers an input handled earlier (a write
 * committed at a later ack, a read held until a lease is confirmed) {@link #resume resumes} the depth remembered
 * with it ({@link #input()} at the time), and a message sent for several inputs at once (a batched append)
 * {@link #join joins} them, taking the longest path.
 *
 * <p>One instance per replica, on the node's thread; no allocation.
 */
public final class HopDepth
{
    /**
     * The depth of a message that starts a path: a client's request, and traffic no operation waits for (heartbeats,
     * snapshot chunks and their acks), which every protocol sends at this depth whatever input led to it.
     */
    public static final int PATH_START = 1;

    private int input;

    /**
     * The adapter decoded a message of this depth; what is sent while handling it is one hop further.
     *
     * @param depth the depth field of the decoded message.
     */
    public void received(final int depth)
    {
        input = depth;
    }

    /**
     * Sends that no message caused (a timer, a heartbeat, a batch assembled at flush) start a path: depth 1.
     */
    public void startPath()
    {
        input = 0;
    }

    /**
     * Handling now continues a path that arrived earlier, e.g. a held write answered when a later ack commits it.
     *
     * @param inputDepth the {@link #input()} remembered when that path's message was handled.
     */
    public void resume(final int inputDepth)
    {
        input = inputDepth;
    }

    /**
     * What is sent next depends on this earlier path too: the depth becomes the longer of the two, as for an
     * append that carries entries from several requests.
     *
     * @param inputDepth the {@link #input()} remembered when that path's message was handled.
     */
    public void join(final int inputDepth)
    {
        if (inputDepth > input)
        {
            input = inputDepth;
        }
    }

    /**
     * The depth of the input being handled, to remember with anything answered later.
     *
     * @return the depth of the message being handled, or 0 on a new path.
     */
    public int input()
    {
        return input;
    }

    /**
     * The depth of a message sent now.
     *
     * @return one more than the input being handled.
     */
    public int stamp()
    {
        return input + 1;
    }

    public String toString()
    {
        return "HopDepth{input=" + input + '}';
    }
}
