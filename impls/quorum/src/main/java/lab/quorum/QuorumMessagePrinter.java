package lab.quorum;

import lab.core.MessagePrinter;
import lab.quorum.codec.MessageHeaderDecoder;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.TiedCancelDecoder;
import lab.quorum.codec.SyncAckDecoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import lab.quorum.codec.WriteAckDecoder;
import lab.quorum.codec.WriteDecoder;
import org.agrona.DirectBuffer;

/**
 * The quorum store's messages (Dynamo and ABD) as lines for traces and interaction tests. A version prints as the
 * raw timestamp {@code ts} (see {@link Timestamps} for how it packs a counter and a writer); a read-repair Write,
 * which wants no acknowledgement, prints {@code noAck}, and a hinted one {@code hintFor=n}.
 */
public final class QuorumMessagePrinter implements MessagePrinter
{
    public String print(final DirectBuffer buffer, final int offset, final int length)
    {
        return MessagePrinter.print(buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, QuorumMessagePrinter::quorum);
    }

    private static String quorum(final DirectBuffer message, final int template)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        switch (template)
        {
            case ReadDecoder.TEMPLATE_ID:
            {
                final ReadDecoder m = new ReadDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Read key=").append(m.key());
                if (m.tiedPeer() >= 0)
                {
                    sb.append(" tiedPeer=").append(m.tiedPeer());
                }
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case TiedCancelDecoder.TEMPLATE_ID:
            {
                final TiedCancelDecoder m = new TiedCancelDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("TiedCancel origin=").append(m.origin());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case ReadReplyDecoder.TEMPLATE_ID:
            {
                final ReadReplyDecoder m = new ReadReplyDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("ReadReply key=").append(m.key())
                    .append(" ts=").append(m.ts()).append(" value=").append(m.valueLength()).append('B');
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case WriteDecoder.TEMPLATE_ID:
            {
                final WriteDecoder m = new WriteDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("Write key=").append(m.key())
                    .append(" ts=").append(m.ts());
                if (m.hintFor() >= 0)
                {
                    sb.append(" hintFor=").append(m.hintFor());
                }
                if (m.ackWantedRaw() == 0)
                {
                    sb.append(" noAck");
                }
                sb.append(" value=").append(m.valueLength()).append('B');
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case WriteAckDecoder.TEMPLATE_ID:
            {
                final WriteAckDecoder m = new WriteAckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("WriteAck key=").append(m.key()).append(" ts=").append(m.ts());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SyncRequestDecoder.TEMPLATE_ID:
            {
                final SyncRequestDecoder m = new SyncRequestDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SyncRequest term=").append(m.term());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SyncChunkDecoder.TEMPLATE_ID:
            {
                final SyncChunkDecoder m = new SyncChunkDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SyncChunk term=").append(m.term())
                    .append(" transfer=").append(m.transferId())
                    .append(" chunk=").append(m.chunkOffset()).append('+').append(m.bytesLength())
                    .append('/').append(m.totalLength());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            case SyncAckDecoder.TEMPLATE_ID:
            {
                final SyncAckDecoder m = new SyncAckDecoder().wrapAndApplyHeader(message, 0, header);
                MessagePrinter.whole(m.sbeDecodedLength(), message);
                final StringBuilder sb = new StringBuilder("SyncAck term=").append(m.term())
                    .append(" transfer=").append(m.transferId()).append(" chunks=").append(m.receivedChunks());
                return MessagePrinter.operation(sb, m.clientId(), m.seq(), m.depth());
            }
            default:
                return null;
        }
    }
}
