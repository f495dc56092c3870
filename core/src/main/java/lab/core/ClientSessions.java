package lab.core;

/**
 * Client session ids: one per (client node, slot), so that a slot with one operation at a time is a sequential
 * session and "(session, seq)" identifies an operation for duplicate detection.
 */
public final class ClientSessions
{
    private static final int SLOT_BITS = 20;

    private ClientSessions()
    {
    }

    public static long sessionId(final int clientNode, final int slot)
    {
        return ((long)clientNode << SLOT_BITS) | slot;
    }

    public static int clientNode(final long sessionId)
    {
        return (int)(sessionId >>> SLOT_BITS);
    }

    /**
     * @return the node a session id names, without dropping any bit ({@link #clientNode} keeps the low 32 bits of
     * it): what a decoder compares with the node ids it allows, so that ids with stray high bits never pass.
     */
    public static long owner(final long sessionId)
    {
        return sessionId >>> SLOT_BITS;
    }

    public static int slot(final long sessionId)
    {
        return (int)(sessionId & ((1 << SLOT_BITS) - 1));
    }
}
