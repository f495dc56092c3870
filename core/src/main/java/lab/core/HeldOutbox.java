package lab.core;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The messages a replica sends during one burst of input, copied and held until the replica has persisted what they
 * depend on (etcd's Ready: persist, then send). Records are {@code [to int][length int][bytes]}; the buffer grows to
 * the largest burst once and is reused, so holding costs a copy and no garbage.
 */
public final class HeldOutbox implements Outbox
{
    private final ExpandableArrayBuffer held = new ExpandableArrayBuffer(64 * 1024);
    private int limit;

    public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
    {
        final int p = limit;
        held.putBytes(p + 8, buffer, offset, length); // grows the buffer first, if it has to
        held.putInt(p, toNode);
        held.putInt(p + 4, length);
        limit = p + 8 + length;
    }

    public boolean isEmpty()
    {
        return limit == 0;
    }

    /**
     * Sends everything held, in the order it was sent here, and forgets it.
     */
    public void releaseTo(final Outbox out)
    {
        int p = 0;
        while (p < limit)
        {
            final int length = held.getInt(p + 4);
            out.send(held.getInt(p), held, p + 8, length);
            p += 8 + length;
        }
        limit = 0;
    }
}
