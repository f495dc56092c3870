package lab.raft;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.raft.codec.AppendEntriesDecoder;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.InstallSnapshotDecoder;
import lab.raft.codec.InstallSnapshotResponseDecoder;
import lab.raft.codec.MessageHeaderDecoder;
import lab.raft.codec.RequestVoteDecoder;
import lab.raft.codec.VoteDecoder;
import org.agrona.DirectBuffer;

/**
 * The decoder side of a Raft replica (as Aeron cluster's ConsensusAdapter): opens a message, checks it at the decode
 * edge ({@link WireCheck}, {@link RaftWire}; a malformed message is dropped and counted before any decoder reads
 * it), and calls the replica's handler with the message's fields as plain arguments. The decoders are flyweights
 * reused for every message. Only an AppendEntries' entries stay in the message: the replica walks them from the
 * group decoder, reading each value in place ({@link #entryValueOffset}). Before a handler runs, the adapter tells the
 * replica's {@link HopDepth} the depth of the message it decoded ({@link HopDepth#received}); no handler takes one.
 */
final class RaftAdapter
{
    private final RaftReplica replica;
    private final int nodeId;
    private final int replicas;
    private final int nodeCount;
    private final WireCheck wire;
    private final HopDepth hops;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ClientMessages.RequestHandler requests = this::onClientRequest;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AppendEntriesDecoder appendDecoder = new AppendEntriesDecoder();
    private final AppendResponseDecoder responseDecoder = new AppendResponseDecoder();
    private final RequestVoteDecoder requestVoteDecoder = new RequestVoteDecoder();
    private final VoteDecoder voteDecoder = new VoteDecoder();
    private final InstallSnapshotDecoder snapshotDecoder = new InstallSnapshotDecoder();
    private final InstallSnapshotResponseDecoder snapshotResponseDecoder = new InstallSnapshotResponseDecoder();

    RaftAdapter(final RaftReplica replica, final HopDepth hops, final int nodeId, final int replicas,
        final int nodeCount)
    {
        this.replica = replica;
        this.hops = hops;
        this.nodeId = nodeId;
        this.replicas = replicas;
        this.nodeCount = nodeCount;
        this.wire = new WireCheck("node " + nodeId + " (raft replica)");
    }

    WireCheck wire()
    {
        return wire;
    }

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs,
        final Outbox out)
    {
        hops.received(request.depth());
        replica.onClientRequest(from, request.clientId(), request.seq(), request.opType(),
            request.key(), request.buffer(), request.limit() + ClientRequestDecoder.valueHeaderLength(),
            request.valueLength(), nowNs, out);
    }

    void onMessage(final int from, final DirectBuffer buffer, final int offset, final int length, final long nowNs,
        final Outbox out)
    {
        if (!clientMessages.openReplicaMessage(wire, from, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, nowNs,
            out, requests) ||
            !RaftWire.check(wire, from, replicas, nodeId, nodeCount))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case AppendEntriesDecoder.TEMPLATE_ID:
            {
                final AppendEntriesDecoder m = appendDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onAppendEntries(from, m.term(), m.prevLogIndex(), m.prevLogTerm(),
                    m.leaderCommit(), m.sentNs(), m.readRound(), m.entries(), nowNs, out);
                break;
            }
            case AppendResponseDecoder.TEMPLATE_ID:
            {
                final AppendResponseDecoder m = responseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onAppendResponse(from, m.term(), m.success() == BooleanType.TRUE,
                    m.matchIndex(), m.prevLogIndex(), m.conflictIndex(), m.conflictTerm(), m.sentNs(),
                    m.readRound(), nowNs, out);
                break;
            }
            case RequestVoteDecoder.TEMPLATE_ID:
            {
                final RequestVoteDecoder m = requestVoteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.election().onRequestVote(from, m.term(), m.lastLogIndex(), m.lastLogTerm(),
                    m.preVote() == BooleanType.TRUE, nowNs, out);
                break;
            }
            case VoteDecoder.TEMPLATE_ID:
            {
                final VoteDecoder m = voteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.election().onVote(from, m.term(), m.granted() == BooleanType.TRUE,
                    m.preVote() == BooleanType.TRUE, nowNs, out);
                break;
            }
            case InstallSnapshotDecoder.TEMPLATE_ID:
            {
                final InstallSnapshotDecoder m = snapshotDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.onInstallSnapshot(from, m.term(), m.lastIncludedIndex(), m.lastIncludedTerm(),
                    m.chunkOffset(), m.totalLength(), m.transferId(), m.checksum(), buffer,
                    m.limit() + InstallSnapshotDecoder.bytesHeaderLength(), m.bytesLength(), nowNs, out);
                break;
            }
            case InstallSnapshotResponseDecoder.TEMPLATE_ID:
            {
                final InstallSnapshotResponseDecoder m =
                    snapshotResponseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                hops.received(m.depth());
                replica.replication().onInstallSnapshotResponse(from, m.term(), m.transferId(), m.receivedChunks(),
                    nowNs, out);
                break;
            }
            default:
                break;
        }
    }

    /**
     * @return where the value of the AppendEntries entry the group decoder is on starts, in the message's buffer.
     */
    int entryValueOffset()
    {
        return appendDecoder.limit() + AppendEntriesDecoder.EntriesDecoder.valueHeaderLength();
    }

    DirectBuffer entryBuffer()
    {
        return appendDecoder.buffer();
    }
}
