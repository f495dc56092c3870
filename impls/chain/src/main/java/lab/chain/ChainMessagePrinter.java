package lab.chain;

import lab.chain.codec.AckDecoder;
import lab.chain.codec.ConfigDecoder;
import lab.chain.codec.ForwardDecoder;
import lab.chain.codec.HeartbeatDecoder;
import lab.chain.codec.HelloDecoder;
import lab.chain.codec.LinkedDecoder;
import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.SnapshotAckDecoder;
import lab.chain.codec.SnapshotChunkDecoder;
import lab.chain.codec.TiedCancelDecoder;
import lab.chain.codec.TiedReadDecoder;
import lab.chain.codec.VersionQueryDecoder;
import lab.chain.codec.VersionReplyDecoder;
import lab.core.MessagePrinter;
import org.agrona.DirectBuffer;

/**
 * Chain replication's messages (replicas and the configuration manager) as lines for traces and interaction tests.
 * A Config prints its chain head first, e.g. {@code Config epoch=2 chain=[0,2]}; lease clocks are left out (they
 * differ between runs and say nothing a reader needs), only whether a Config grants a lease. The replicated managers'
 * Raft messages (chain-manager=raft) print as Raft's printer prints them.
 */
public final class ChainMessagePrinter implements MessagePrinter
{
    private final lab.raft.RaftMessagePrinter controlPlane = new lab.raft.RaftMessagePrinter();

    public String print(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= HEADER_LENGTH && offset >= 0 && offset + length <= buffer.capacity() &&
            (buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) ==
                lab.raft.codec.MessageHeaderDecoder.SCHEMA_ID)
        {
            return controlPlane.print(buffer, offset, length);
        }
        return MessagePrinter.print(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, ChainMessagePrinter::chain);
    }

    private static String chain(final DirectBuffer message, final int template)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        switch (template)
        {
            case ForwardDecoder.TEMPLATE_ID:
            {
                final ForwardDecoder m = new ForwardDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Forward epoch=").append(m.epoch())
                    .append(" chainSeq=").append(m.chainSeq()).append(" key=").append(m.key())
                    .append(" value=").append(m.valueLength()).append('B');
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case AckDecoder.TEMPLATE_ID:
            {
                final AckDecoder m = new AckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Ack epoch=").append(m.epoch())
                    .append(" received=").append(m.receivedSeq()).append(" commit=").append(m.commitSeq());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case HelloDecoder.TEMPLATE_ID:
            {
                final HelloDecoder m = new HelloDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Hello epoch=").append(m.epoch())
                    .append(" received=").append(m.receivedSeq());
                if (m.needSnapshotRaw() != 0)
                {
                    sb.append(" needSnapshot=").append(MessagePrinter.bool(m.needSnapshotRaw()));
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case LinkedDecoder.TEMPLATE_ID:
            {
                final LinkedDecoder m = new LinkedDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Linked epoch=").append(m.epoch())
                    .append(" last=").append(m.lastSeq());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case VersionQueryDecoder.TEMPLATE_ID:
            {
                final VersionQueryDecoder m = new VersionQueryDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("VersionQuery epoch=").append(m.epoch())
                    .append(" key=").append(m.key());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case TiedReadDecoder.TEMPLATE_ID:
            {
                final TiedReadDecoder m = new TiedReadDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("TiedRead epoch=").append(m.epoch())
                    .append(" key=").append(m.key()).append(" tiedPeer=").append(m.tiedPeer());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case TiedCancelDecoder.TEMPLATE_ID:
            {
                final TiedCancelDecoder m = new TiedCancelDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("TiedCancel epoch=").append(m.epoch());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case VersionReplyDecoder.TEMPLATE_ID:
            {
                final VersionReplyDecoder m = new VersionReplyDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("VersionReply epoch=").append(m.epoch())
                    .append(" key=").append(m.key()).append(" version=").append(m.version());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final SnapshotChunkDecoder m = new SnapshotChunkDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SnapshotChunk epoch=").append(m.epoch())
                    .append(" snapshotSeq=").append(m.snapshotSeq()).append(" transfer=").append(m.transferId())
                    .append(" chunk=").append(m.chunkOffset()).append('+').append(m.bytesLength())
                    .append('/').append(m.totalLength());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SnapshotAckDecoder.TEMPLATE_ID:
            {
                final SnapshotAckDecoder m = new SnapshotAckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SnapshotAck epoch=").append(m.epoch())
                    .append(" transfer=").append(m.transferId()).append(" received=").append(m.receivedChunks());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatDecoder m = new HeartbeatDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Heartbeat epoch=").append(m.epoch())
                    .append(" last=").append(m.lastSeq()).append(" synced=").append(MessagePrinter.bool(m.syncedRaw()));
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case ConfigDecoder.TEMPLATE_ID:
            {
                final ConfigDecoder m = new ConfigDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Config epoch=").append(m.epoch());
                final boolean lease = m.leaseSentNs() != Long.MIN_VALUE;
                final int joiner = m.joiner();
                final long clientId = m.clientId();
                final long seq = m.seq();
                final int depth = m.depth();
                sb.append(" chain=[");
                boolean first = true;
                for (final ConfigDecoder.MembersDecoder member : m.members())
                {
                    sb.append(first ? "" : ",").append(member.nodeId());
                    first = false;
                }
                sb.append(']');
                if (joiner >= 0)
                {
                    sb.append(" joiner=").append(joiner);
                }
                sb.append(lease ? " lease" : "");
                return MessagePrinter.operation(sb, clientId, seq, depth);
            }
            default:
                return null;
        }
    }
}
