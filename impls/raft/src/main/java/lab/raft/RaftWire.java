package lab.raft;

import lab.core.WireCheck;
import lab.raft.codec.AppendEntriesDecoder;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.InstallSnapshotDecoder;
import lab.raft.codec.InstallSnapshotResponseDecoder;
import lab.raft.codec.RequestVoteDecoder;
import lab.raft.codec.VoteDecoder;

/**
 * The decode edge of the Raft schema: whether a message opened with {@link WireCheck#open} is whole and in range
 * before a decoder reads it. Every message comes from a peer; terms and indices are never negative (-1 only where
 * the protocol uses it: a heartbeat's prevLogTerm, a response's conflictTerm); an entry's term is not above the
 * term of the append carrying it, its session a client's (0 for a leader's no-op: the leader answers the session's
 * node when it applies the entry); booleans are 0 or 1; a snapshot chunk starts on a chunk boundary
 * ({@link RaftStateTransfer}), its transfer id and an acknowledgement's chunk count are never negative.
 */
final class RaftWire
{
    private static final int BOOLEAN_MAX = 1;

    private RaftWire()
    {
    }

    static boolean check(final WireCheck w, final int from, final int replicas, final int self, final int nodeCount)
    {
        if (!w.sender(from >= 0 && from < replicas && from != self))
        {
            return false;
        }
        switch (w.templateId())
        {
            case AppendEntriesDecoder.TEMPLATE_ID:
                return appendEntries(w, replicas, nodeCount);
            case AppendResponseDecoder.TEMPLATE_ID:
                return w.header(AppendResponseDecoder.SCHEMA_VERSION, AppendResponseDecoder.BLOCK_LENGTH) &&
                    w.depth(AppendResponseDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(AppendResponseDecoder.termEncodingOffset()), "term") &&
                    w.enumCode(AppendResponseDecoder.successEncodingOffset(), BOOLEAN_MAX, "success") &&
                    w.nonNegative(w.int64(AppendResponseDecoder.matchIndexEncodingOffset()), "matchIndex") &&
                    w.nonNegative(w.int64(AppendResponseDecoder.prevLogIndexEncodingOffset()), "prevLogIndex") &&
                    w.nonNegative(w.int64(AppendResponseDecoder.conflictIndexEncodingOffset()), "conflictIndex") &&
                    w.atLeast(w.int64(AppendResponseDecoder.conflictTermEncodingOffset()), -1, "conflictTerm") &&
                    w.nonNegative(w.int64(AppendResponseDecoder.lastIndexEncodingOffset()), "lastIndex") &&
                    w.end();
            case RequestVoteDecoder.TEMPLATE_ID:
                return w.header(RequestVoteDecoder.SCHEMA_VERSION, RequestVoteDecoder.BLOCK_LENGTH) &&
                    w.depth(RequestVoteDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(RequestVoteDecoder.termEncodingOffset()), "term") &&
                    w.nonNegative(w.int64(RequestVoteDecoder.lastLogIndexEncodingOffset()), "lastLogIndex") &&
                    w.nonNegative(w.int64(RequestVoteDecoder.lastLogTermEncodingOffset()), "lastLogTerm") &&
                    w.enumCode(RequestVoteDecoder.preVoteEncodingOffset(), BOOLEAN_MAX, "preVote") &&
                    w.end();
            case VoteDecoder.TEMPLATE_ID:
                return w.header(VoteDecoder.SCHEMA_VERSION, VoteDecoder.BLOCK_LENGTH) &&
                    w.depth(VoteDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(VoteDecoder.termEncodingOffset()), "term") &&
                    w.enumCode(VoteDecoder.grantedEncodingOffset(), BOOLEAN_MAX, "granted") &&
                    w.enumCode(VoteDecoder.preVoteEncodingOffset(), BOOLEAN_MAX, "preVote") &&
                    w.end();
            case InstallSnapshotDecoder.TEMPLATE_ID:
            {
                if (!(w.header(InstallSnapshotDecoder.SCHEMA_VERSION, InstallSnapshotDecoder.BLOCK_LENGTH) &&
                    w.depth(InstallSnapshotDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(InstallSnapshotDecoder.termEncodingOffset()), "term") &&
                    w.nonNegative(w.int64(InstallSnapshotDecoder.lastIncludedIndexEncodingOffset()),
                        "lastIncludedIndex") &&
                    w.nonNegative(w.int64(InstallSnapshotDecoder.lastIncludedTermEncodingOffset()),
                        "lastIncludedTerm") &&
                    w.nonNegative(w.int64(InstallSnapshotDecoder.transferIdEncodingOffset()), "transferId") &&
                    w.varData()))
                {
                    return false;
                }
                final int chunkOffset = w.int32(InstallSnapshotDecoder.chunkOffsetEncodingOffset());
                // Chunks are placed by offset / chunkBytes: every chunk starts on a boundary and is at most one long.
                return w.chunk(chunkOffset, w.int32(InstallSnapshotDecoder.totalLengthEncodingOffset())) &&
                    w.range(chunkOffset % RaftStateTransfer.CHUNK_BYTES == 0 &&
                        w.lastVarLength() <= RaftStateTransfer.CHUNK_BYTES, "chunk alignment") &&
                    w.end();
            }
            case InstallSnapshotResponseDecoder.TEMPLATE_ID:
                return w.header(InstallSnapshotResponseDecoder.SCHEMA_VERSION,
                    InstallSnapshotResponseDecoder.BLOCK_LENGTH) &&
                    w.depth(InstallSnapshotResponseDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(InstallSnapshotResponseDecoder.termEncodingOffset()), "term") &&
                    w.nonNegative(w.int64(InstallSnapshotResponseDecoder.transferIdEncodingOffset()), "transferId") &&
                    w.nonNegative(w.int32(InstallSnapshotResponseDecoder.receivedChunksEncodingOffset()),
                        "receivedChunks") &&
                    w.end();
            default:
                return w.unexpected();
        }
    }

    private static boolean appendEntries(final WireCheck w, final int replicas, final int nodeCount)
    {
        if (!(w.header(AppendEntriesDecoder.SCHEMA_VERSION, AppendEntriesDecoder.BLOCK_LENGTH) &&
            w.depth(AppendEntriesDecoder.depthEncodingOffset()) &&
            w.nonNegative(w.int64(AppendEntriesDecoder.termEncodingOffset()), "term") &&
            w.nonNegative(w.int64(AppendEntriesDecoder.prevLogIndexEncodingOffset()), "prevLogIndex") &&
            w.atLeast(w.int64(AppendEntriesDecoder.prevLogTermEncodingOffset()), -1, "prevLogTerm") &&
            w.nonNegative(w.int64(AppendEntriesDecoder.leaderCommitEncodingOffset()), "leaderCommit")))
        {
            return false;
        }
        final long term = w.int64(AppendEntriesDecoder.termEncodingOffset());
        final int blockLength = AppendEntriesDecoder.EntriesDecoder.sbeBlockLength();
        final int count = w.group(blockLength, AppendEntriesDecoder.EntriesDecoder.countMaxValue());
        if (count < 0)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            if (!(w.entry(blockLength) &&
                w.range(w.entryInt64(AppendEntriesDecoder.EntriesDecoder.entryTermEncodingOffset()) >= 0 &&
                    w.entryInt64(AppendEntriesDecoder.EntriesDecoder.entryTermEncodingOffset()) <= term,
                    "entryTerm") &&
                w.session(w.entryInt64(AppendEntriesDecoder.EntriesDecoder.entryClientIdEncodingOffset()), replicas,
                    nodeCount, true, "entryClientId") &&
                w.varData()))
            {
                return false;
            }
        }
        return w.end();
    }
}
