package lab.core;

import lab.core.codec.OpType;
import org.agrona.DirectBuffer;

/**
 * The client side of a protocol: where a GET or PUT goes and when it is complete (the primary; the chain's head for
 * writes and its tail for reads; the Raft leader following redirects; R or W quorum replies). Like a replica it is a
 * pure state machine. It retries by itself (timeouts, redirects) until the operation completes or the load
 * generator {@link #abandon abandons} it.
 *
 * <p>Operations run on slots 0 .. slots-1, at most one per slot; a slot is a client session for duplicate
 * detection: {@link ClientSessions#sessionId(int, int)} of (client node, slot) with a sequence that only grows.
 */
public interface ClientProtocol
{
    void submit(
        int slot, long seq, OpType opType, long key, DirectBuffer value, int valueOffset, int valueLength,
        long nowNs, Outbox out);

    void onMessage(int fromNode, DirectBuffer buffer, int offset, int length, long nowNs, Outbox out,
        ClientListener listener);

    void onTick(long nowNs, Outbox out, ClientListener listener);

    /**
     * Stop working on the operation on this slot (the load generator timed it out). Its outcome stays unknown.
     */
    void abandon(int slot);

    /**
     * @return messages this client dropped as malformed so far (see {@link WireCheck}).
     */
    default long malformedMessages()
    {
        return 0;
    }

    /**
     * @return the client's read hedging (its settings and what it sent), or null for a client that never hedges.
     */
    default lab.core.client.Hedging hedging()
    {
        return null;
    }

    /**
     * @return the client's tied reads (its setting and what it sent), or null for a client that never ties reads.
     */
    default lab.core.client.TiedReads tied()
    {
        return null;
    }
}
