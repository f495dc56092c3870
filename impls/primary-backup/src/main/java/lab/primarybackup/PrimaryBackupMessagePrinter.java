package lab.primarybackup;

import lab.core.MessagePrinter;
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.SnapshotAckDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import lab.primarybackup.codec.VoteDecoder;
import lab.primarybackup.codec.VoteRequestDecoder;
import org.agrona.DirectBuffer;

/**
 * Primary-backup's messages as lines for traces and interaction tests. A candidate's last entry prints as
 * {@code index/view} (the view the entry was written in); lease clocks are left out (they differ between runs and
 * say nothing a reader needs). A pre-vote and its answer print as PreVoteRequest and PreVote.
 */
public final class PrimaryBackupMessagePrinter implements MessagePrinter
{
    public String print(final DirectBuffer buffer, final int offset, final int length)
    {
        return MessagePrinter.print(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID,
            PrimaryBackupMessagePrinter::primaryBackup);
    }

    private static String primaryBackup(final DirectBuffer message, final int template)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        switch (template)
        {
            case ReplicateDecoder.TEMPLATE_ID:
            {
                final ReplicateDecoder m = new ReplicateDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Replicate view=").append(m.view())
                    .append(" index=").append(m.index()).append(" commit=").append(m.commitIndex())
                    .append(" key=").append(m.key()).append(" value=").append(m.valueLength()).append('B');
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case AckDecoder.TEMPLATE_ID:
            {
                final AckDecoder m = new AckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Ack view=").append(m.view())
                    .append(" last=").append(m.lastIndex());
                if (m.needSnapshotRaw() != 0)
                {
                    sb.append(" needSnapshot=").append(MessagePrinter.bool(m.needSnapshotRaw()));
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatDecoder m = new HeartbeatDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Heartbeat view=").append(m.view())
                    .append(" last=").append(m.lastIndex()).append(" commit=").append(m.commitIndex());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case VoteRequestDecoder.TEMPLATE_ID:
            {
                final VoteRequestDecoder m = new VoteRequestDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder(m.preVoteRaw() == 1 ? "PreVoteRequest" : "VoteRequest")
                    .append(" view=").append(m.view()).append(" candidate=").append(m.candidate())
                    .append(" last=").append(m.lastIndex()).append('/').append(m.lastEntryView());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case VoteDecoder.TEMPLATE_ID:
            {
                final VoteDecoder m = new VoteDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder(m.preVoteRaw() == 1 ? "PreVote" : "Vote")
                    .append(" view=").append(m.view()).append(" granted=").append(MessagePrinter.bool(m.grantedRaw()));
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final SnapshotChunkDecoder m = new SnapshotChunkDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SnapshotChunk view=").append(m.view())
                    .append(" index=").append(m.snapshotIndex()).append(" transfer=").append(m.transferId())
                    .append(" chunk=").append(m.chunkOffset()).append('+').append(m.bytesLength())
                    .append('/').append(m.totalLength());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SnapshotAckDecoder.TEMPLATE_ID:
            {
                final SnapshotAckDecoder m = new SnapshotAckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SnapshotAck view=").append(m.view())
                    .append(" transfer=").append(m.transferId()).append(" received=").append(m.receivedChunks());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            default:
                return null;
        }
    }
}
