package lab.chain;

import lab.chain.codec.AckDecoder;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ConfigDecoder;
import lab.chain.codec.ForwardDecoder;
import lab.chain.codec.HelloDecoder;
import lab.chain.codec.LinkedDecoder;
import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.SnapshotAckDecoder;
import lab.chain.codec.SnapshotChunkDecoder;
import lab.chain.codec.TiedCancelDecoder;
import lab.chain.codec.TiedReadDecoder;
import lab.chain.codec.VersionQueryDecoder;
import lab.chain.codec.VersionReplyDecoder;
import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;

/**
 * The decode side of a chain replica: opens every message through {@link WireCheck} (dropped and counted when
 * malformed, see {@link ChainWire}), reads it with a reused flyweight and calls the replica's {@code onX(...)} with
 * plain arguments, so the replica's rules never see a decoder. It is also where hop depth is read: the depth of
 * each message of an operation goes into the replica's {@link HopDepth} before its handler runs, so everything the
 * handler sends is stamped one hop deeper by {@link ChainPublisher}.
 */
final class ChainAdapter
{
    private final ChainReplica replica;
    private final HopDepth hops;
    private final WireCheck wire;
    private final int n;
    private final int nodeId;
    private final int nodeCount;
    private final int managerNode;
    private final int managers;
    private final int chunkBytes;
    private final int[] members;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ClientMessages.RequestHandler requests = this::onClientRequest;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ForwardDecoder forwardDecoder = new ForwardDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final LinkedDecoder linkedDecoder = new LinkedDecoder();
    private final VersionQueryDecoder queryDecoder = new VersionQueryDecoder();
    private final VersionReplyDecoder versionDecoder = new VersionReplyDecoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private final SnapshotAckDecoder snapshotAckDecoder = new SnapshotAckDecoder();
    private final ConfigDecoder configDecoder = new ConfigDecoder();
    private final TiedReadDecoder tiedReadDecoder = new TiedReadDecoder();
    private final TiedCancelDecoder tiedCancelDecoder = new TiedCancelDecoder();

    ChainAdapter(final ChainReplica replica, final HopDepth hops, final WireCheck wire, final int nodeId,
        final int replicas, final int managers, final int nodeCount, final int chunkBytes)
    {
        this.managers = managers;
        this.replica = replica;
        this.hops = hops;
        this.wire = wire;
        this.nodeId = nodeId;
        this.n = replicas;
        this.nodeCount = nodeCount;
        this.managerNode = replicas;
        this.chunkBytes = chunkBytes;
        this.members = new int[replicas];
    }

    void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        if (!clientMessages.openReplicaMessage(wire, fromNode, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID,
            nowNs, out, requests) ||
            !ChainWire.replica(wire, fromNode, n, managers, nodeId, nodeCount, chunkBytes))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        // Control messages (links, state transfer, configurations) are on no operation's path: what their handling
        // sends starts a path of its own (a new tail's ack up the chain after a Config). Operation messages say
        // their depth below.
        hops.startPath();
        switch (headerDecoder.templateId())
        {
            case ForwardDecoder.TEMPLATE_ID:
            {
                final ForwardDecoder m = forwardDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onForward(fromNode, m.epoch(), m.chainSeq(), m.clientId(), m.seq(), m.key(),
                    buffer, offset, length, nowNs, out);
                break;
            }
            case AckDecoder.TEMPLATE_ID:
            {
                final AckDecoder m = ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onAck(fromNode, m.clientId(), m.seq(), m.epoch(), m.receivedSeq(), m.commitSeq(), nowNs, out);
                break;
            }
            case HelloDecoder.TEMPLATE_ID:
            {
                final HelloDecoder m = helloDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                replica.onHello(fromNode, m.epoch(), m.receivedSeq(), m.needSnapshot() == BooleanType.TRUE, nowNs,
                    out);
                break;
            }
            case LinkedDecoder.TEMPLATE_ID:
                replica.onLinked(fromNode, linkedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder).epoch());
                break;
            case VersionQueryDecoder.TEMPLATE_ID:
            {
                final VersionQueryDecoder m = queryDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.reads().onVersionQuery(fromNode, m.clientId(), m.seq(), m.epoch(), m.key(), out);
                break;
            }
            case VersionReplyDecoder.TEMPLATE_ID:
            {
                final VersionReplyDecoder m = versionDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.reads().onVersionReply(m.clientId(), m.seq(), m.epoch(), m.key(), m.version(), nowNs, out);
                break;
            }
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final SnapshotChunkDecoder m = chunkDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                replica.onSnapshotChunk(fromNode, m.epoch(), m.snapshotSeq(), m.transferId(),
                    m.chunkOffset() / chunkBytes, m.totalLength(), m.checksum(), buffer,
                    m.limit() + SnapshotChunkDecoder.bytesHeaderLength(), m.bytesLength(), nowNs, out);
                break;
            }
            case SnapshotAckDecoder.TEMPLATE_ID:
            {
                final SnapshotAckDecoder m = snapshotAckDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                replica.onSnapshotAck(fromNode, m.epoch(), m.transferId(), m.receivedChunks(), nowNs, out);
                break;
            }
            case TiedReadDecoder.TEMPLATE_ID:
            {
                final TiedReadDecoder m = tiedReadDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.reads().onTiedRead(fromNode, m.clientId(), m.seq(), m.key(), m.tiedPeer(),
                    nowNs, out);
                break;
            }
            case TiedCancelDecoder.TEMPLATE_ID:
            {
                final TiedCancelDecoder m = tiedCancelDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.reads().onTiedCancel(fromNode, m.clientId(), m.seq());
                break;
            }
            case ConfigDecoder.TEMPLATE_ID:
                if (fromNode >= managerNode && fromNode < managerNode + managers)
                {
                    onConfig(configDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                }
                break;
            default:
                break;
        }
    }

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs,
        final Outbox out)
    {
        hops.received(request.depth());
        if (request.opType() == OpType.GET)
        {
            replica.reads().onRead(from, request.clientId(), request.seq(), request.key(), nowNs, out);
        }
        else
        {
            replica.onWrite(from, request.clientId(), request.seq(), request.key(), request.buffer(),
                request.limit() + ClientRequestDecoder.valueHeaderLength(), request.valueLength(), out);
        }
    }

    private void onConfig(final ConfigDecoder m, final long nowNs, final Outbox out)
    {
        final long epoch = m.epoch();
        final long leaseSentNs = m.leaseSentNs();
        final int joiner = m.joiner();
        int count = 0;
        for (final ConfigDecoder.MembersDecoder member : m.members())
        {
            if (count < members.length)
            {
                members[count++] = member.nodeId();
            }
        }
        replica.onConfig(epoch, leaseSentNs, joiner, members, count, nowNs, out);
    }
}
