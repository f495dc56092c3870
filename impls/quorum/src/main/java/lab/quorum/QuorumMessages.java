package lab.quorum;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.quorum.codec.BooleanType;
import lab.quorum.codec.MessageHeaderDecoder;
import lab.quorum.codec.MessageHeaderEncoder;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadEncoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.ReadReplyEncoder;
import lab.quorum.codec.SyncAckDecoder;
import lab.quorum.codec.SyncAckEncoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncChunkEncoder;
import lab.quorum.codec.SyncRequestDecoder;
import lab.quorum.codec.SyncRequestEncoder;
import lab.quorum.codec.TiedCancelDecoder;
import lab.quorum.codec.TiedCancelEncoder;
import lab.quorum.codec.WriteAckDecoder;
import lab.quorum.codec.WriteAckEncoder;
import lab.quorum.codec.WriteDecoder;
import lab.quorum.codec.WriteEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encoders and decoders of the quorum schema around one reusable send buffer. One instance per state machine, so
 * encoding allocates nothing; an encoded message stays valid in {@link #buffer()} until the next encode.
 *
 * <p>The encoder edge of hop depth: every message of an operation is stamped with {@link HopDepth#stamp()} of the
 * node's hop depth (one more than the input being handled), so the protocol's rules never compute it. State
 * transfer's messages are no operation's path and carry depth 1.
 */
final class QuorumMessages
{
    static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final HopDepth hops;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReadEncoder readEncoder = new ReadEncoder();
    private final ReadReplyEncoder readReplyEncoder = new ReadReplyEncoder();
    private final WriteEncoder writeEncoder = new WriteEncoder();
    private final WriteAckEncoder writeAckEncoder = new WriteAckEncoder();
    private final SyncRequestEncoder syncRequestEncoder = new SyncRequestEncoder();
    private final SyncChunkEncoder syncChunkEncoder = new SyncChunkEncoder();
    private final SyncAckEncoder syncAckEncoder = new SyncAckEncoder();
    private final TiedCancelEncoder tiedCancelEncoder = new TiedCancelEncoder();

    final ReadDecoder read = new ReadDecoder();
    final ReadReplyDecoder readReply = new ReadReplyDecoder();
    final WriteDecoder write = new WriteDecoder();
    final WriteAckDecoder writeAck = new WriteAckDecoder();
    final SyncRequestDecoder syncRequest = new SyncRequestDecoder();
    final SyncChunkDecoder syncChunk = new SyncChunkDecoder();
    final SyncAckDecoder syncAck = new SyncAckDecoder();
    final TiedCancelDecoder tiedCancel = new TiedCancelDecoder();

    /**
     * Messages built outside a node (tests, tools): each a new path, depth 1.
     */
    QuorumMessages()
    {
        this(new HopDepth());
    }

    /**
     * @param hops the node's hop depth, which its adapter sets for each input.
     */
    QuorumMessages(final HopDepth hops)
    {
        this.hops = hops;
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the template id of a message of this schema, after which the decoder of that template may be wrapped
     * with {@link #wrap}; -1 for any other schema.
     */
    int templateId(final DirectBuffer src, final int offset)
    {
        headerDecoder.wrap(src, offset);
        return headerDecoder.schemaId() == SCHEMA_ID ? headerDecoder.templateId() : -1;
    }

    ReadDecoder wrapRead(final DirectBuffer src, final int offset)
    {
        return read.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    ReadReplyDecoder wrapReadReply(final DirectBuffer src, final int offset)
    {
        return readReply.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    WriteDecoder wrapWrite(final DirectBuffer src, final int offset)
    {
        return write.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    WriteAckDecoder wrapWriteAck(final DirectBuffer src, final int offset)
    {
        return writeAck.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    SyncRequestDecoder wrapSyncRequest(final DirectBuffer src, final int offset)
    {
        return syncRequest.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    SyncChunkDecoder wrapSyncChunk(final DirectBuffer src, final int offset)
    {
        return syncChunk.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    SyncAckDecoder wrapSyncAck(final DirectBuffer src, final int offset)
    {
        return syncAck.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    TiedCancelDecoder wrapTiedCancel(final DirectBuffer src, final int offset)
    {
        return tiedCancel.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    int encodeRead(final long clientId, final long seq, final long key)
    {
        return encodeRead(clientId, seq, key, -1);
    }

    /**
     * @param tiedPeer the replica a tied read's other copy goes to; -1 for an untied read.
     */
    int encodeRead(final long clientId, final long seq, final long key, final int tiedPeer)
    {
        readEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).key(key).tiedPeer(tiedPeer);
        return HEADER_LENGTH + readEncoder.encodedLength();
    }

    int encodeTiedCancel(final long clientId, final long seq, final int origin)
    {
        tiedCancelEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).origin(origin);
        return HEADER_LENGTH + tiedCancelEncoder.encodedLength();
    }

    int encodeReadReply(
        final long clientId, final long seq, final long key, final long ts, final DirectBuffer value,
        final int valueOffset, final int valueLength)
    {
        readReplyEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(hops.stamp())
            .clientId(clientId)
            .seq(seq)
            .key(key)
            .ts(ts)
            .putValue(value, valueOffset, valueLength);
        return HEADER_LENGTH + readReplyEncoder.encodedLength();
    }

    int encodeWrite(
        final long clientId, final long seq, final long key, final long ts, final int hintFor, final boolean ackWanted,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        writeEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(hops.stamp())
            .clientId(clientId)
            .seq(seq)
            .key(key)
            .ts(ts)
            .hintFor(hintFor)
            .ackWanted(ackWanted ? BooleanType.TRUE : BooleanType.FALSE)
            .putValue(value, valueOffset, valueLength);
        return HEADER_LENGTH + writeEncoder.encodedLength();
    }

    int encodeWriteAck(final long clientId, final long seq, final long key, final long ts)
    {
        writeAckEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).key(key).ts(ts);
        return HEADER_LENGTH + writeAckEncoder.encodedLength();
    }

    /**
     * Sends the message just encoded to each node of {@code targets} but {@code except} (a coordinator's own share
     * needs no message), in node order.
     */
    void sendTo(final long targets, final int except, final int length, final Outbox out)
    {
        for (long rest = targets; rest != 0; rest &= rest - 1)
        {
            final int node = Long.numberOfTrailingZeros(rest);
            if (node != except)
            {
                out.send(node, buffer, 0, length);
            }
        }
    }

    int encodeSyncRequest(final long term)
    {
        syncRequestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).term(term);
        return HEADER_LENGTH + syncRequestEncoder.encodedLength();
    }

    int encodeSyncChunk(
        final long term, final long transferId, final int chunkOffset, final int totalLength, final int checksum,
        final DirectBuffer bytes, final int bytesOffset, final int bytesLength)
    {
        syncChunkEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START)
            .clientId(0)
            .seq(0)
            .term(term)
            .transferId(transferId)
            .chunkOffset(chunkOffset)
            .totalLength(totalLength)
            .checksum(checksum)
            .putBytes(bytes, bytesOffset, bytesLength);
        return HEADER_LENGTH + syncChunkEncoder.encodedLength();
    }

    int encodeSyncAck(final long term, final long transferId, final int receivedChunks)
    {
        syncAckEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).term(term).transferId(transferId)
            .receivedChunks(receivedChunks);
        return HEADER_LENGTH + syncAckEncoder.encodedLength();
    }

    /**
     * @return offset of a decoded message's value bytes in its buffer (after the var data length prefix).
     */
    static int valueOffset(final ReadReplyDecoder decoder)
    {
        return decoder.limit() + ReadReplyDecoder.valueHeaderLength();
    }

    static int valueOffset(final WriteDecoder decoder)
    {
        return decoder.limit() + WriteDecoder.valueHeaderLength();
    }

    static int bytesOffset(final SyncChunkDecoder decoder)
    {
        return decoder.limit() + SyncChunkDecoder.bytesHeaderLength();
    }
}
