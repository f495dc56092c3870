package lab.chain;

import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.WireCheck;
import lab.core.snapshot.SnapshotReceiver;
import lab.core.snapshot.SnapshotSender;
import org.agrona.DirectBuffer;

/**
 * A chain node's side of the state transfer to a joining tail, over the shared mechanism of
 * {@code lab.core.snapshot}: as a predecessor it sends its state to the successor ({@link SnapshotSender}: which
 * chunk goes when, resent until acknowledged), as a joining node it receives its predecessor's
 * ({@link SnapshotReceiver}: reassembly, verification). This class routes and encodes: chunks and acknowledgements
 * are the chain's {@code SnapshotChunk} and {@code SnapshotAck}, their term the epoch. The replica checks epoch,
 * sender and role before handing anything here.
 */
final class ChainStateTransfer
{
    static final int CHUNK_BYTES = 32 * 1024;
    /** Chunks in flight before an acknowledgement: 8 MiB, so a lab-sized state goes out in one burst. */
    private static final int WINDOW = 256;

    private final ChainPublisher publisher;
    private final WireCheck wire;
    private final long retryNs;
    private final SnapshotSender sender;
    private final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK_BYTES);

    ChainStateTransfer(final ChainPublisher publisher, final WireCheck wire, final long retryNs)
    {
        this.publisher = publisher;
        this.wire = wire;
        this.retryNs = retryNs;
        this.sender = new SnapshotSender(CHUNK_BYTES, retryNs, WINDOW);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // To the successor

    /**
     * The successor asks for a snapshot: start one of {@code state} at {@code commitSeq} unless one is under way or
     * the last started less than the retry interval ago (a transfer in progress resends on its own timer).
     *
     * <p>Every session goes in, those of writes still pending here too (not only the committed ones, as
     * {@code ClientSessionTable.writeSnapshot} would): the joiner gets those writes next, resent from this node's
     * pending list, and the session of a client whose latest write is pending still stands for its earlier writes.
     */
    void offer(final int succ, final long epoch, final long commitSeq, final ReplicaState state, final long nowNs,
        final Outbox out)
    {
        if (!sender.active() && nowNs - sender.startedNs() >= retryNs)
        {
            sender.start(epoch, commitSeq, state, Long.MAX_VALUE, nowNs);
            send(succ, nowNs, out);
        }
    }

    void onTick(final int succ, final long nowNs, final Outbox out)
    {
        if (sender.active())
        {
            send(succ, nowNs, out);
        }
    }

    void onAck(final int succ, final long epoch, final long transferId, final int receivedChunks, final long nowNs,
        final Outbox out)
    {
        sender.onAck(epoch, transferId, receivedChunks, nowNs);
        send(succ, nowNs, out);
    }

    /**
     * The successor changed, the epoch moved on, or the successor holds a state now: stop sending.
     */
    void cancel()
    {
        sender.cancel();
    }

    private void send(final int succ, final long nowNs, final Outbox out)
    {
        int index;
        while ((index = sender.nextChunk(nowNs)) >= 0)
        {
            publisher.snapshotChunk(out, succ, sender.term(), sender.position(), sender.chunkOffset(index),
                sender.length(), sender.transferId(), sender.checksum(), sender.bytes(), sender.chunkLength(index));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // From the predecessor

    /**
     * @return whether this chunk completed the transfer and {@code state} now holds the snapshot (at
     * {@link #installedSeq()}); every chunk that counts is acknowledged.
     */
    boolean onChunk(final int pred, final long epoch, final long snapshotSeq, final long transferId, final int index,
        final int totalLength, final int checksum, final DirectBuffer buffer, final int bytesOffset,
        final int bytesLength, final ReplicaState state, final Outbox out)
    {
        switch (receiver.onChunk(epoch, transferId, snapshotSeq, index, totalLength, checksum, buffer, bytesOffset,
            bytesLength))
        {
            case SnapshotReceiver.ACCEPTED, SnapshotReceiver.DUPLICATE ->
                publisher.snapshotAck(out, pred, epoch, transferId, receiver.receivedChunks());
            case SnapshotReceiver.CORRUPT ->
            {
                wire.rejectState(pred, "snapshot");
                publisher.snapshotAck(out, pred, epoch, transferId, receiver.receivedChunks());
            }
            case SnapshotReceiver.COMPLETE ->
            {
                if (receiver.installInto(state))
                {
                    publisher.snapshotAck(out, pred, epoch, transferId, receiver.receivedChunks());
                    return true;
                }
                // Verified bytes that are not a snapshot: never installed; the resends start it over.
                wire.rejectState(pred, "snapshot");
                receiver.clear();
                publisher.snapshotAck(out, pred, epoch, transferId, 0);
            }
            default ->
            {
                // OLD: a chunk of a transfer a newer one replaced; MALFORMED: not of the format. Dropped.
            }
        }
        return false;
    }

    long installedSeq()
    {
        return receiver.position();
    }
}
