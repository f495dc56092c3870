package lab.raft;

import lab.core.MessagePrinter;
import lab.raft.codec.AppendEntriesDecoder;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.InstallSnapshotDecoder;
import lab.raft.codec.InstallSnapshotResponseDecoder;
import lab.raft.codec.MessageHeaderDecoder;
import lab.raft.codec.RequestVoteDecoder;
import lab.raft.codec.VoteDecoder;
import org.agrona.DirectBuffer;

/**
 * Raft's messages as lines for traces and interaction tests. Log positions print as {@code index/term} (etcd's
 * notation); a pre-vote and its answer print under their own names (PreVote, PreVoteResponse) because they are a
 * different step of the election although they share the RequestVote and Vote templates. Clocks (sentNs) are left
 * out: they differ between runs of a test and say nothing a reader needs; so is a snapshot's checksum.
 */
public final class RaftMessagePrinter implements MessagePrinter
{
    public String print(final DirectBuffer buffer, final int offset, final int length)
    {
        return MessagePrinter.print(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, RaftMessagePrinter::raft);
    }

    private static String raft(final DirectBuffer message, final int template)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        switch (template)
        {
            case AppendEntriesDecoder.TEMPLATE_ID:
            {
                final AppendEntriesDecoder m = new AppendEntriesDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("AppendEntries term=").append(m.term())
                    .append(" prev=").append(m.prevLogIndex()).append('/').append(m.prevLogTerm());
                final long commit = m.leaderCommit();
                final long readRound = m.readRound();
                final int entries = m.entries().count();
                sb.append(" entries=").append(entries).append(" commit=").append(commit);
                if (readRound != 0)
                {
                    sb.append(" read=").append(readRound);
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case AppendResponseDecoder.TEMPLATE_ID:
            {
                final AppendResponseDecoder m = new AppendResponseDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("AppendResponse term=").append(m.term());
                if (m.successRaw() == 1)
                {
                    sb.append(" ok match=").append(m.matchIndex());
                }
                else
                {
                    sb.append(" reject prev=").append(m.prevLogIndex()).append(" conflict=")
                        .append(m.conflictIndex()).append('/').append(m.conflictTerm());
                }
                sb.append(" last=").append(m.lastIndex());
                if (m.readRound() != 0)
                {
                    sb.append(" read=").append(m.readRound());
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case RequestVoteDecoder.TEMPLATE_ID:
            {
                final RequestVoteDecoder m = new RequestVoteDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder(m.preVoteRaw() == 1 ? "PreVote" : "RequestVote")
                    .append(" term=").append(m.term())
                    .append(" last=").append(m.lastLogIndex()).append('/').append(m.lastLogTerm());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case VoteDecoder.TEMPLATE_ID:
            {
                final VoteDecoder m = new VoteDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder(m.preVoteRaw() == 1 ? "PreVoteResponse" : "Vote")
                    .append(" term=").append(m.term()).append(" granted=").append(MessagePrinter.bool(m.grantedRaw()));
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case InstallSnapshotDecoder.TEMPLATE_ID:
            {
                final InstallSnapshotDecoder m = new InstallSnapshotDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("InstallSnapshot term=").append(m.term())
                    .append(" last=").append(m.lastIncludedIndex()).append('/').append(m.lastIncludedTerm())
                    .append(" transfer=").append(m.transferId())
                    .append(" chunk=").append(m.chunkOffset()).append('+').append(m.bytesLength())
                    .append('/').append(m.totalLength());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case InstallSnapshotResponseDecoder.TEMPLATE_ID:
            {
                final InstallSnapshotResponseDecoder m =
                    new InstallSnapshotResponseDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("InstallSnapshotResponse term=").append(m.term())
                    .append(" transfer=").append(m.transferId()).append(" received=").append(m.receivedChunks());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            default:
                return null;
        }
    }
}
