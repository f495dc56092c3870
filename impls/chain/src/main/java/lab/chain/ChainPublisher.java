package lab.chain;

import lab.chain.codec.AckEncoder;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ForwardEncoder;
import lab.chain.codec.HeartbeatEncoder;
import lab.chain.codec.HelloEncoder;
import lab.chain.codec.LinkedEncoder;
import lab.chain.codec.MessageHeaderEncoder;
import lab.chain.codec.SnapshotAckEncoder;
import lab.chain.codec.SnapshotChunkEncoder;
import lab.chain.codec.TiedCancelEncoder;
import lab.chain.codec.TiedReadEncoder;
import lab.chain.codec.VersionQueryEncoder;
import lab.chain.codec.VersionReplyEncoder;
import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.codec.ClientMessages;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The encode side of a chain replica: every message it sends, from plain arguments, into reused buffers and
 * flyweights (nothing is allocated per message). Every message of an operation is stamped with the replica's
 * {@link HopDepth} (one hop past the input being handled), so the rules never name a depth; control messages of
 * the chain (links, heartbeats, state transfer) carry no operation and always
 * {@link HopDepth#PATH_START}.
 */
final class ChainPublisher
{
    static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    private final int nodeId;
    private final HopDepth hops;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer empty = new ExpandableArrayBuffer(16);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ForwardEncoder forwardEncoder = new ForwardEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final LinkedEncoder linkedEncoder = new LinkedEncoder();
    private final VersionQueryEncoder queryEncoder = new VersionQueryEncoder();
    private final VersionReplyEncoder versionEncoder = new VersionReplyEncoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private final SnapshotAckEncoder snapshotAckEncoder = new SnapshotAckEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final TiedCancelEncoder tiedCancelEncoder = new TiedCancelEncoder();

    ChainPublisher(final int nodeId, final HopDepth hops)
    {
        this.nodeId = nodeId;
        this.hops = hops;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writes: a Forward is encoded once into its pending slot and sent (and resent) from there

    /**
     * @return the length of the {@code Forward} written at offset 0 of {@code entry}.
     */
    int encodeForward(final MutableDirectBuffer entry, final long clientId, final long seq, final long epoch,
        final long chainSeq, final long key, final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        forwardEncoder.wrapAndApplyHeader(entry, 0, headerEncoder)
            .depth(hops.stamp())
            .clientId(clientId)
            .seq(seq)
            .epoch(epoch)
            .chainSeq(chainSeq)
            .key(key);
        forwardEncoder.putValue(value, valueOffset, valueLength);
        return HEADER_LENGTH + forwardEncoder.encodedLength();
    }

    /**
     * A received {@code Forward} kept as it came, stamped as this node's to pass on (one hop deeper).
     */
    void stampForward(final MutableDirectBuffer entry)
    {
        forwardEncoder.wrap(entry, HEADER_LENGTH).depth(hops.stamp());
    }

    /**
     * A pending {@code Forward} resent in the current epoch (it may have been received in an older one); its depth
     * stays the one it was first sent with.
     */
    void restampEpoch(final MutableDirectBuffer entry, final long epoch)
    {
        forwardEncoder.wrap(entry, HEADER_LENGTH).epoch(epoch);
    }

    void ack(final Outbox out, final int to, final long clientId, final long seq, final long epoch,
        final long receivedSeq, final long commitSeq)
    {
        ackEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).epoch(epoch).receivedSeq(receivedSeq).commitSeq(commitSeq);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + ackEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration and links

    void heartbeat(final Outbox out, final int manager, final long epoch, final long nowNs, final long lastSeq,
        final boolean synced)
    {
        heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).epoch(epoch).sentNs(nowNs).lastSeq(lastSeq)
            .synced(synced ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(manager, sendBuffer, 0, HEADER_LENGTH + heartbeatEncoder.encodedLength());
    }

    void hello(final Outbox out, final int to, final long epoch, final long receivedSeq, final boolean needSnapshot)
    {
        helloEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).epoch(epoch).receivedSeq(receivedSeq)
            .needSnapshot(needSnapshot ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + helloEncoder.encodedLength());
    }

    void linked(final Outbox out, final int to, final long epoch, final long lastSeq)
    {
        linkedEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).epoch(epoch).lastSeq(lastSeq);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + linkedEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State transfer (lab.core.snapshot: the mechanism decides which chunk, this encodes it)

    void snapshotChunk(final Outbox out, final int to, final long epoch, final long snapshotSeq,
        final int chunkOffset, final int totalLength, final long transferId, final int checksum,
        final DirectBuffer bytes, final int chunkLength)
    {
        chunkEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).epoch(epoch).snapshotSeq(snapshotSeq)
            .chunkOffset(chunkOffset).totalLength(totalLength).transferId(transferId).checksum(checksum)
            .putBytes(bytes, chunkOffset, chunkLength);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + chunkEncoder.encodedLength());
    }

    void snapshotAck(final Outbox out, final int to, final long epoch, final long transferId,
        final int receivedChunks)
    {
        snapshotAckEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).epoch(epoch).transferId(transferId)
            .receivedChunks(receivedChunks);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + snapshotAckEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CRAQ version query

    void versionQuery(final Outbox out, final int to, final long clientId, final long seq, final long epoch,
        final long key)
    {
        queryEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).epoch(epoch).key(key);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + queryEncoder.encodedLength());
    }

    /**
     * Tied reads: this node started serving the read (clientId, seq); its tied peer drops its copy if not started.
     */
    void tiedCancel(final Outbox out, final int to, final long clientId, final long seq, final long epoch)
    {
        tiedCancelEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).epoch(epoch);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + tiedCancelEncoder.encodedLength());
    }

    /**
     * A client's tied read copy (encoded by {@link ChainClient}, which has no publisher of its own: a static helper
     * with the caller's encoders and buffer, so nothing is allocated per message).
     */
    static int encodeTiedRead(final MutableDirectBuffer buffer, final MessageHeaderEncoder header,
        final TiedReadEncoder encoder, final long clientId, final long seq, final long epoch, final long key,
        final int tiedPeer)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .depth(HopDepth.PATH_START).clientId(clientId).seq(seq).epoch(epoch).key(key).tiedPeer(tiedPeer);
        return HEADER_LENGTH + encoder.encodedLength();
    }

    void versionReply(final Outbox out, final int to, final long clientId, final long seq, final long epoch,
        final long key, final long version)
    {
        versionEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(clientId).seq(seq).epoch(epoch).key(key).version(version);
        out.send(to, sendBuffer, 0, HEADER_LENGTH + versionEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Client responses

    /**
     * OK for a write: its version, no value.
     */
    void written(final Outbox out, final int to, final long clientId, final long seq, final long version)
    {
        clientMessages.sendWritten(out, to, hops.stamp(), clientId, seq, nodeId, version);
    }

    /**
     * A read's answer from the committed state: the entry, or NOT_FOUND.
     */
    void value(final Outbox out, final int to, final long clientId, final long seq, final KvStore.Entry entry)
    {
        clientMessages.sendEntry(out, to, hops.stamp(), clientId, seq, nodeId, entry);
    }

    /**
     * A read's answer from a value held elsewhere (a pending write).
     */
    void value(final Outbox out, final int to, final long clientId, final long seq, final long version,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        clientMessages.sendResponse(out, to, hops.stamp(), clientId, seq, Status.OK, nodeId, version, value,
            valueOffset, valueLength);
    }

    void reply(final Outbox out, final int to, final long clientId, final long seq, final Status status)
    {
        clientMessages.sendStatus(out, to, hops.stamp(), clientId, seq, status, nodeId);
    }

    /**
     * REDIRECT to {@code hint} (UNAVAILABLE when there is none but this node), with the whole chain hint packed in
     * the version (see {@link ChainHint}).
     */
    void redirect(final Outbox out, final int to, final long clientId, final long seq, final int hint,
        final long epoch, final int head, final int tail)
    {
        final Status status = hint >= 0 && hint != nodeId ? Status.REDIRECT : Status.UNAVAILABLE;
        clientMessages.sendResponse(out, to, hops.stamp(), clientId, seq, status, hint,
            ChainHint.pack(epoch, head, tail), empty, 0, 0);
    }
}
