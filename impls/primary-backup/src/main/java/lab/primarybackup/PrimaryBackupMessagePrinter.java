package lab.primarybackup;

import lab.core.MessagePrinter;
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.ServiceHeartbeatDecoder;
import lab.primarybackup.codec.ViewDecoder;
import lab.primarybackup.codec.SnapshotAckDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import lab.primarybackup.codec.VoteDecoder;
import lab.primarybackup.codec.VoteRequestDecoder;
import org.agrona.DirectBuffer;

/**
 * Primary-backup's messages as lines for traces and interaction tests. A candidate's last entry prints as
 * {@code index/view} (the view the entry was written in); lease clocks are left out (they differ between runs and
 * say nothing a reader needs). A pre-vote and its answer print as PreVoteRequest and PreVote. With
 * pb-views=config-service a View prints as {@code View view=3 primary=1 backups=[2@3]} (each backup with the view
 * that added it; " lease" when it grants one) and the service's Raft messages as Raft's printer prints them.
 */
public final class PrimaryBackupMessagePrinter implements MessagePrinter
{
    private final lab.raft.RaftMessagePrinter controlPlane = new lab.raft.RaftMessagePrinter();

    public String print(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH && offset >= 0 && offset + length <= buffer.capacity() &&
            (buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) ==
                lab.raft.codec.MessageHeaderDecoder.SCHEMA_ID)
        {
            return controlPlane.print(buffer, offset, length);
        }
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
            case ServiceHeartbeatDecoder.TEMPLATE_ID:
            {
                final ServiceHeartbeatDecoder m = new ServiceHeartbeatDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("ServiceHeartbeat view=").append(m.view())
                    .append(" synced=").append(m.syncedView());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case ViewDecoder.TEMPLATE_ID:
            {
                final ViewDecoder m = new ViewDecoder().wrapAndApplyHeader(message, 0, header);
                final StringBuilder sb = new StringBuilder("View view=").append(m.view())
                    .append(" primary=").append(m.primary()).append(" backups=[");
                final long lease = m.leaseSentNs();
                boolean first = true;
                for (final ViewDecoder.BackupsDecoder b : m.backups())
                {
                    sb.append(first ? "" : ",").append(b.nodeId()).append('@').append(b.joinedView());
                    first = false;
                }
                sb.append(']');
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                if (lease != Long.MIN_VALUE)
                {
                    sb.append(" lease");
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            default:
                return null;
        }
    }
}
