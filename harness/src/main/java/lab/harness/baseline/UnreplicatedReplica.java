package lab.harness.baseline;

import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Baseline "none": one node applies every operation to its store and answers at once. No replication, so its
 * cost is transport + store; the difference to a protocol is the protocol's cost.
 */
public final class UnreplicatedReplica implements Replica
{
    private final ClientMessages messages = new ClientMessages();
    private final WireCheck wire = new WireCheck("node 0 (none replica)");
    private final KvStore store = new KvStore();
    private final ExpandableArrayBuffer valueScratch = new ExpandableArrayBuffer(256);
    private long version;

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        final ClientRequestDecoder request = messages.onlyRequest(wire, fromNode, buffer, offset, length);
        if (request == null)
        {
            return;
        }
        final int depth = request.depth() + 1;
        final long clientId = request.clientId();
        final long seq = request.seq();
        final long key = request.key();
        final int replyLength;
        if (request.opType() == OpType.PUT)
        {
            final int valueLength = request.valueLength();
            final int valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
            store.put(key, buffer, valueOffset, valueLength, ++version);
            replyLength = messages.encodeResponse(depth, clientId, seq, Status.OK, 0, version, valueScratch, 0, 0);
        }
        else
        {
            final KvStore.Entry entry = store.get(key);
            if (entry == null)
            {
                replyLength = messages.encodeEmptyResponse(depth, clientId, seq, Status.NOT_FOUND, 0);
            }
            else
            {
                replyLength = messages.encodeResponse(
                    depth, clientId, seq, Status.OK, 0, entry.version(), entry.value(), 0, entry.length());
            }
        }
        out.send(fromNode, messages.buffer(), 0, replyLength);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("malformed_messages", wire.count());
    }

    public lab.core.Role role()
    {
        return SINGLE;
    }

    private static final lab.core.Role SINGLE = lab.core.Role.serving("single");
}
