package lab.primarybackup;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.BooleanType;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.SnapshotAckDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import lab.primarybackup.codec.ViewDecoder;
import lab.primarybackup.codec.VoteDecoder;
import lab.primarybackup.codec.VoteRequestDecoder;
import org.agrona.DirectBuffer;

/**
 * The decoder side of a primary-backup replica (as Aeron cluster's ConsensusAdapter): opens every message through
 * {@link WireCheck} and {@link PrimaryBackupWire} (a malformed one is dropped and counted, never read), then calls
 * the replica's {@code onX(...)} handler with plain arguments, so the replica's rules never see a flyweight. Each
 * message's hop depth goes to the replica's {@link HopDepth} before its handler runs, so the rules never handle it:
 * the publisher stamps what they send one hop further.
 */
final class PrimaryBackupAdapter
{
    private final int nodeId;
    private final int replicas;
    private final int configNodes;
    private final PrimaryBackupReplica replica;
    private final ViewElection election;
    private final ViewPolicy views;
    private final HopDepth hops;
    private final WireCheck wire;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ClientMessages.RequestHandler requests = this::onClientRequest;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplicateDecoder replicateDecoder = new ReplicateDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final VoteRequestDecoder voteRequestDecoder = new VoteRequestDecoder();
    private final VoteDecoder voteDecoder = new VoteDecoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private final SnapshotAckDecoder snapshotAckDecoder = new SnapshotAckDecoder();
    private final ViewDecoder viewDecoder = new ViewDecoder();
    private final int[] viewMembers;
    private final long[] viewJoined;

    PrimaryBackupAdapter(final int nodeId, final int replicas, final int configNodes,
        final PrimaryBackupReplica replica, final ViewElection election, final ViewPolicy views, final HopDepth hops)
    {
        this.views = views;
        this.hops = hops;
        this.configNodes = configNodes;
        viewMembers = new int[replicas];
        viewJoined = new long[replicas];
        this.election = election;
        this.nodeId = nodeId;
        this.replicas = replicas;
        this.replica = replica;
        this.wire = new WireCheck("node " + nodeId + " (primary-backup replica)");
    }

    WireCheck wire()
    {
        return wire;
    }

    void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        if (!clientMessages.openReplicaMessage(wire, fromNode, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID,
            nowNs, out, requests) ||
            !PrimaryBackupWire.check(wire, fromNode, replicas, configNodes, nodeId,
                PrimaryBackupStateTransfer.CHUNK_BYTES))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case ReplicateDecoder.TEMPLATE_ID:
            {
                final ReplicateDecoder m = replicateDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                final int valueOffset = m.limit() + ReplicateDecoder.valueHeaderLength();
                replica.onReplicate(fromNode, m.clientId(), m.seq(), m.view(), m.index(), m.leaseNs(), m.key(),
                    m.buffer(), valueOffset, m.valueLength(), nowNs, out);
                break;
            }
            case AckDecoder.TEMPLATE_ID:
            {
                final AckDecoder m = ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onAck(fromNode, m.view(), m.lastIndex(), m.leaseNs(),
                    m.needSnapshot() == BooleanType.TRUE, m.clientId() == 0, nowNs, out);
                break;
            }
            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatDecoder m = heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onHeartbeat(fromNode, m.view(), m.leaseNs(), nowNs, out);
                break;
            }
            case VoteRequestDecoder.TEMPLATE_ID:
            {
                final VoteRequestDecoder m = voteRequestDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                election.onVoteRequest(fromNode, m.view(), m.lastEntryView(), m.lastIndex(),
                    m.preVote() == BooleanType.TRUE, nowNs, out);
                break;
            }
            case VoteDecoder.TEMPLATE_ID:
            {
                final VoteDecoder m = voteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                election.onVote(fromNode, m.view(), m.granted() == BooleanType.TRUE, m.preVote() == BooleanType.TRUE,
                    nowNs, out);
                break;
            }
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final SnapshotChunkDecoder m = chunkDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                final int bytesOffset = m.limit() + SnapshotChunkDecoder.bytesHeaderLength();
                replica.onSnapshotChunk(fromNode, m.view(), m.snapshotIndex(), m.transferId(),
                    m.chunkOffset() / PrimaryBackupStateTransfer.CHUNK_BYTES, m.totalLength(), m.checksum(), buffer,
                    bytesOffset, m.bytesLength(), nowNs, out);
                break;
            }
            case SnapshotAckDecoder.TEMPLATE_ID:
            {
                final SnapshotAckDecoder m = snapshotAckDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onSnapshotAck(fromNode, m.view(), m.transferId(), m.receivedChunks(), nowNs, out);
                break;
            }
            case ViewDecoder.TEMPLATE_ID:
            {
                final ViewDecoder m = viewDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                final long view = m.view();
                final int primary = m.primary();
                final long leaseSentNs = m.leaseSentNs();
                int count = 0;
                for (final ViewDecoder.BackupsDecoder b : m.backups())
                {
                    viewMembers[count] = b.nodeId();
                    viewJoined[count] = b.joinedView();
                    count++;
                }
                views.onServiceView(view, primary, leaseSentNs, viewMembers, viewJoined, count, nowNs, out);
                break;
            }
            default:
                break;
        }
    }

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs, final Outbox out)
    {
        final OpType opType = request.opType();
        final int valueOffset;
        final int valueLength;
        if (opType == OpType.GET)
        {
            valueOffset = 0;
            valueLength = 0;
        }
        else
        {
            valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
            valueLength = request.valueLength();
        }
        hops.received(request.depth());
        replica.onClientRequest(from, request.clientId(), request.seq(), opType, request.key(),
            request.buffer(), valueOffset, valueLength, nowNs, out);
    }
}
