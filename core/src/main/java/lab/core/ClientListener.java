package lab.core;

import lab.core.codec.Status;
import org.agrona.DirectBuffer;

/**
 * Told when an operation submitted to a {@link ClientProtocol} completes.
 */
@FunctionalInterface
public interface ClientListener
{
    /**
     * @param slot        the slot the operation was submitted on.
     * @param seq         its sequence number.
     * @param status      {@link Status#OK} or {@link Status#NOT_FOUND} for a GET of a key never written.
     * @param hops        critical-path depth of the message that completed it.
     * @param version     protocol-defined version of the value written or read (0 when the protocol has none).
     * @param value       the value read (GET), or an empty buffer.
     * @param valueOffset offset of the value.
     * @param valueLength length of the value.
     */
    void onComplete(int slot, long seq, Status status, int hops, long version,
        DirectBuffer value, int valueOffset, int valueLength);
}
