package lab.chain;

import lab.chain.codec.ForwardDecoder;
import lab.chain.codec.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * The writes a node has received but not yet seen committed: each kept as the {@code Forward} message it was sent
 * or received as, in a ring indexed by chain sequence number, so a resend is the stored bytes as they are. Beside it,
 * the number of pending writes per key: a key with one is dirty for CRAQ reads, and per write the hop depth of the
 * input it was accepted with, for a new tail to answer it on that write's own path.
 *
 * <p>The ring holds {@code capacity} (a power of two) messages; its buffers are allocated once per slot, the first
 * time the slot is used, then reused.
 */
final class PendingWrites
{
    private final ExpandableArrayBuffer[] ring;
    private final int[] ringLength;
    private final int[] ringInputDepth;
    private final int mask;
    private final Long2LongHashMap pendingByKey = new Long2LongHashMap(0);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ForwardDecoder decoder = new ForwardDecoder();

    PendingWrites(final int capacity)
    {
        ring = new ExpandableArrayBuffer[capacity];
        ringLength = new int[capacity];
        ringInputDepth = new int[capacity];
        mask = capacity - 1;
    }

    int capacity()
    {
        return ring.length;
    }

    /**
     * @return the reused buffer of {@code chainSeq}'s slot, for the caller to write the message into.
     */
    ExpandableArrayBuffer slot(final long chainSeq)
    {
        final int slot = (int)(chainSeq & mask);
        ExpandableArrayBuffer entry = ring[slot];
        if (entry == null)
        {
            entry = new ExpandableArrayBuffer(256);
            ring[slot] = entry;
        }
        return entry;
    }

    void length(final long chainSeq, final int length)
    {
        ringLength[(int)(chainSeq & mask)] = length;
    }

    ExpandableArrayBuffer buffer(final long chainSeq)
    {
        return ring[(int)(chainSeq & mask)];
    }

    int length(final long chainSeq)
    {
        return ringLength[(int)(chainSeq & mask)];
    }

    /**
     * @return the stored message of {@code chainSeq}, decoded (the decoder is reused: read it before the next call).
     */
    ForwardDecoder decode(final long chainSeq)
    {
        final DirectBuffer entry = ring[(int)(chainSeq & mask)];
        return decoder.wrapAndApplyHeader(entry, 0, headerDecoder.wrap(entry, 0));
    }

    /**
     * @param inputDepth the {@link lab.core.HopDepth#input()} this write was accepted with.
     */
    void accepted(final long chainSeq, final long key, final int inputDepth)
    {
        ringInputDepth[(int)(chainSeq & mask)] = inputDepth;
        pendingByKey.put(key, pendingByKey.get(key) + 1);
    }

    int inputDepth(final long chainSeq)
    {
        return ringInputDepth[(int)(chainSeq & mask)];
    }

    void committed(final long key)
    {
        final long pending = pendingByKey.get(key) - 1;
        if (pending <= 0)
        {
            pendingByKey.remove(key);
        }
        else
        {
            pendingByKey.put(key, pending);
        }
    }

    /**
     * @return whether {@code key} has a write not yet committed here (CRAQ: dirty).
     */
    boolean dirty(final long key)
    {
        return pendingByKey.get(key) != 0;
    }

    void clearKeys()
    {
        pendingByKey.clear();
    }
}
