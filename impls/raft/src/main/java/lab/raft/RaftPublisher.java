package lab.raft;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.codec.ClientMessages;
import lab.core.codec.Status;
import lab.raft.codec.AppendEntriesEncoder;
import lab.raft.codec.AppendResponseEncoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.InstallSnapshotEncoder;
import lab.raft.codec.InstallSnapshotResponseEncoder;
import lab.raft.codec.MessageHeaderEncoder;
import lab.raft.codec.RequestVoteEncoder;
import lab.raft.codec.VoteEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The encoder side of a Raft replica (as Aeron cluster's ConsensusPublisher): one method per message, plain
 * arguments in, one message out. It owns the encoders and the send buffer, reused for every message (an outbox
 * copies what it is given), so sending allocates nothing. Every message is stamped with the replica's
 * {@link HopDepth} ({@link HopDepth#stamp()}): the rules never compute a depth, they only say where a message does
 * not follow from the input being handled.
 */
final class RaftPublisher
{
    /** An AppendEntries carries at most this many value bytes (at least one entry, whatever its size). */
    static final int MAX_APPEND_BYTES = 64 * 1024;

    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(MAX_APPEND_BYTES + 4096);
    private final ExpandableArrayBuffer empty = new ExpandableArrayBuffer(16);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AppendEntriesEncoder appendEncoder = new AppendEntriesEncoder();
    private final AppendResponseEncoder responseEncoder = new AppendResponseEncoder();
    private final RequestVoteEncoder requestVoteEncoder = new RequestVoteEncoder();
    private final VoteEncoder voteEncoder = new VoteEncoder();
    private final InstallSnapshotEncoder snapshotEncoder = new InstallSnapshotEncoder();
    private final InstallSnapshotResponseEncoder snapshotResponseEncoder = new InstallSnapshotResponseEncoder();
    private final ClientMessages clientMessages = new ClientMessages();
    private final HopDepth hops;

    RaftPublisher(final HopDepth hops)
    {
        this.hops = hops;
    }

    /**
     * @return a buffer of no bytes: the value of a leader's no-op entry and of a response without one.
     */
    DirectBuffer emptyValue()
    {
        return empty;
    }

    /**
     * AppendEntries with the {@code count} entries of {@code log} after {@code prevIndex}.
     */
    void appendEntries(final Outbox out, final int to, final long term, final long prevIndex,
        final long prevTerm, final long leaderCommit, final long sentNs, final long readRound, final RaftLog log,
        final int count)
    {
        final AppendEntriesEncoder.EntriesEncoder entries = appendEncoder
            .wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term).prevLogIndex(prevIndex).prevLogTerm(prevTerm)
            .leaderCommit(leaderCommit).sentNs(sentNs).readRound(readRound)
            .entriesCount(count);
        for (long i = prevIndex + 1; i <= prevIndex + count; i++)
        {
            entries.next().entryTerm(log.termAt(i)).entryClientId(log.clientId(i)).entrySeq(log.seq(i))
                .key(log.key(i)).putValue(log.value(i), 0, log.valueLength(i));
        }
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + appendEncoder.encodedLength());
    }

    /**
     * An empty AppendEntries at the follower's match index, which needs no consistency check: prevLogTerm -1.
     */
    void heartbeat(final Outbox out, final int to, final long term, final long matchIndex,
        final long leaderCommit, final long sentNs, final long readRound)
    {
        appendEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term).prevLogIndex(matchIndex).prevLogTerm(-1)
            .leaderCommit(leaderCommit).sentNs(sentNs).readRound(readRound)
            .entriesCount(0);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + appendEncoder.encodedLength());
    }

    void appendResponse(final Outbox out, final int to, final long term, final boolean success,
        final long matchIndex, final long prevIndex, final long conflictIndex, final long conflictTerm,
        final long lastIndex, final long sentNs, final long readRound)
    {
        responseEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term)
            .success(success ? BooleanType.TRUE : BooleanType.FALSE)
            .matchIndex(matchIndex).prevLogIndex(prevIndex).conflictIndex(conflictIndex).conflictTerm(conflictTerm)
            .lastIndex(lastIndex).sentNs(sentNs).readRound(readRound);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength());
    }

    /**
     * RequestVote (or a pre-vote) to every replica but {@code self}, encoded once. Elections start paths: callers
     * send it on a new path (a timer, or a vote that won a pre-vote).
     */
    void requestVotes(final Outbox out, final int self, final int replicas, final long term, final long lastIndex,
        final long lastTerm, final boolean preVote)
    {
        requestVoteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term).lastLogIndex(lastIndex).lastLogTerm(lastTerm)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + requestVoteEncoder.encodedLength();
        for (int f = 0; f < replicas; f++)
        {
            if (f != self)
            {
                out.send(f, sendBuffer, 0, length);
            }
        }
    }

    void vote(final Outbox out, final int to, final long term, final boolean granted,
        final boolean preVote)
    {
        voteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term)
            .granted(granted ? BooleanType.TRUE : BooleanType.FALSE)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + voteEncoder.encodedLength());
    }

    /**
     * One chunk of a snapshot transfer ({@link RaftStateTransfer}): {@code chunkLength} bytes of {@code snapshot}
     * from {@code chunkOffset}. A transfer is no client's operation: callers send it on a new path.
     */
    void installSnapshot(final Outbox out, final int to, final long term, final long lastIncludedIndex,
        final long lastIncludedTerm, final int chunkOffset, final int totalLength, final long transferId,
        final int checksum, final DirectBuffer snapshot, final int chunkLength)
    {
        snapshotEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term).lastIncludedIndex(lastIncludedIndex)
            .lastIncludedTerm(lastIncludedTerm).chunkOffset(chunkOffset).totalLength(totalLength)
            .transferId(transferId).checksum(checksum)
            .putBytes(snapshot, chunkOffset, chunkLength);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + snapshotEncoder.encodedLength());
    }

    void installSnapshotResponse(final Outbox out, final int to, final long term,
        final long transferId, final int receivedChunks)
    {
        snapshotResponseEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).term(term).transferId(transferId).receivedChunks(receivedChunks);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + snapshotResponseEncoder.encodedLength());
    }

    /**
     * A client response without a value (a redirect, unavailable, not found).
     */
    void clientStatus(final Outbox out, final int to, final long clientId, final long seq,
        final Status status, final int hint)
    {
        clientMessages.sendStatus(out, to, hops.stamp(), clientId, seq, status, hint);
    }

    void clientResponse(final Outbox out, final int to, final long clientId, final long seq,
        final Status status, final int hint, final long version, final DirectBuffer value, final int valueOffset,
        final int valueLength)
    {
        clientMessages.sendResponse(out, to, hops.stamp(), clientId, seq, status, hint, version, value, valueOffset,
            valueLength);
    }
}
