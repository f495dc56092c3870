package lab.quorum;

import lab.core.WireCheck;
import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.ClientSessions;
import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.WriteAckDecoder;
import org.agrona.DirectBuffer;

/**
 * The client as coordinator: it sends each phase of an operation to the key's home replicas itself and completes
 * the operation on the r-th reply or w-th acknowledgement, so a Dynamo operation takes 2 hops and an ABD one 4.
 * Each slot is a session with its own {@link Coordinator.Operation}; all slots share one Lamport clock.
 *
 * <p>The decoder edge of hop depth: a submitted operation and a tick start a new path, and each decoded reply's depth
 * is handed to {@link HopDepth#received} before it is handled; {@link QuorumMessages} stamps what is sent.
 */
final class QuorumClient implements ClientProtocol, Coordinator.Completion
{
    private final int clientNode;
    private final Coordinator coordinator;
    private final HopDepth hops = new HopDepth();
    private final QuorumMessages messages = new QuorumMessages(hops);
    private final long[] sessionId;
    private ClientListener listener;
    private final WireCheck wire;
    private final int replicas;
    private final int nodeCount;

    QuorumClient(final int clientNode, final QuorumConfig config, final int slots)
    {
        this.clientNode = clientNode;
        this.wire = new WireCheck("node " + clientNode + " (quorum client)");
        this.replicas = config.replicas;
        this.nodeCount = config.nodeCount;
        coordinator = new Coordinator(config, clientNode, null, messages, hops, this, 0, Hedging.parse(config.hedge),
            TiedReads.of(config.tied));
        sessionId = new long[slots];
        for (int i = 0; i < slots; i++)
        {
            sessionId[i] = ClientSessions.sessionId(clientNode, i);
        }
    }

    public void submit(
        final int slot, final long seq, final OpType opType, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        hops.startPath();
        coordinator.start(sessionId[slot], seq, clientNode, opType, key, value, valueOffset, valueLength, nowNs, out);
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out, final ClientListener listener)
    {
        this.listener = listener;
        final int schemaId = wire.open(fromNode, buffer, offset, length, QuorumMessages.SCHEMA_ID, WireCheck.NO_SCHEMA);
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (!QuorumWire.check(wire, fromNode, -1, replicas, nodeCount, true))
        {
            return;
        }
        switch (messages.templateId(buffer, offset))
        {
            case ReadReplyDecoder.TEMPLATE_ID:
            {
                final ReadReplyDecoder m = messages.wrapReadReply(buffer, offset);
                hops.received(m.depth());
                coordinator.onReadReply(fromNode, m, nowNs, out);
                break;
            }
            case WriteAckDecoder.TEMPLATE_ID:
            {
                final WriteAckDecoder m = messages.wrapWriteAck(buffer, offset);
                hops.received(m.depth());
                coordinator.onWriteAck(fromNode, m, nowNs, out);
                break;
            }
            default:
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
    {
        this.listener = listener;
        hops.startPath();
        coordinator.onTick(nowNs, out);
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public Hedging hedging()
    {
        return coordinator.hedging();
    }

    public TiedReads tied()
    {
        return coordinator.tied();
    }

    public void abandon(final int slot)
    {
        coordinator.abandon(sessionId[slot]);
    }

    public void onComplete(final Coordinator.Operation op, final Status status, final long ts,
        final DirectBuffer value, final int offset, final int length, final Outbox out)
    {
        // The reply that completed the operation is the last hop of its critical path.
        listener.onComplete(ClientSessions.slot(op.sessionId), op.seq(), status, hops.input(), ts, value, offset,
            length);
    }
}
