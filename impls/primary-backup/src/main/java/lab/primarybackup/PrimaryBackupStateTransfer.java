package lab.primarybackup;

import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.WireCheck;
import lab.core.session.ClientSessionTable;
import lab.core.snapshot.SnapshotReceiver;
import lab.core.snapshot.SnapshotSender;
import org.agrona.DirectBuffer;

/**
 * A replica's side of the state transfer from primary to backup, over the shared mechanism of
 * {@code lab.core.snapshot}: as primary it sends each backup the committed state ({@link SnapshotSender}, one per
 * backup: which chunk goes when, resent until acknowledged), as backup it receives the primary's
 * ({@link SnapshotReceiver}: reassembly, verification). This class routes and encodes: chunks and acknowledgements
 * are PB's {@code SnapshotChunk} and {@code SnapshotAck}, their term the view. The replica checks view, sender and
 * role before handing anything here, and marks a backup's transfer done when the backup's ordinary {@code Ack}
 * reaches the snapshot's index (a backup acknowledges an installed snapshot as it acknowledges entries, so a
 * single-chunk transfer costs one chunk and one ack, as before the shared mechanism).
 */
final class PrimaryBackupStateTransfer
{
    static final int CHUNK_BYTES = 32 * 1024;
    /** Chunks in flight before an acknowledgement: 8 MiB, so a lab-sized state goes out in one burst. */
    private static final int WINDOW = 256;

    private final int self;
    private final ClientSessionTable sessions;
    private final PrimaryBackupPublisher publisher;
    private final WireCheck wire;
    private final long retryNs;
    /** One per backup, allocated at its first transfer (a sender holds a buffer the size of the state). */
    private final SnapshotSender[] senders;
    private final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK_BYTES);

    PrimaryBackupStateTransfer(final int self, final int replicas, final ClientSessionTable sessions,
        final PrimaryBackupPublisher publisher, final WireCheck wire, final long retryNs)
    {
        this.self = self;
        this.sessions = sessions;
        this.publisher = publisher;
        this.wire = wire;
        this.retryNs = retryNs;
        this.senders = new SnapshotSender[replicas];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // To a backup (primary)

    /**
     * Serializes the committed state (with its committed sessions) at {@code commitIndex} for backup {@code b} and
     * starts sending it; a transfer under way to it is abandoned.
     */
    void start(final Outbox out, final int b, final long view, final long commitIndex, final long nowNs)
    {
        final SnapshotSender sender = sender(b);
        sender.start(view, commitIndex, sessions.writeSnapshot(sender.buffer()), nowNs);
        send(out, b, nowNs);
    }

    /**
     * The resend timer: chunks not acknowledged within the retry interval go out again.
     */
    void onTick(final Outbox out, final int b, final long nowNs)
    {
        send(out, b, nowNs);
    }

    void onAck(final Outbox out, final int b, final long view, final long transferId, final int receivedChunks,
        final long nowNs)
    {
        if (senders[b] != null)
        {
            senders[b].onAck(view, transferId, receivedChunks, nowNs);
            send(out, b, nowNs);
        }
    }

    /**
     * The backup acknowledged the snapshot's index: it holds the state, stop sending.
     */
    void done(final int b)
    {
        if (senders[b] != null)
        {
            senders[b].cancel();
        }
    }

    private SnapshotSender sender(final int b)
    {
        if (senders[b] == null)
        {
            senders[b] = new SnapshotSender(CHUNK_BYTES, retryNs, WINDOW);
        }
        return senders[b];
    }

    private void send(final Outbox out, final int b, final long nowNs)
    {
        final SnapshotSender sender = senders[b];
        if (sender == null || b == self)
        {
            return;
        }
        int index;
        while ((index = sender.nextChunk(nowNs)) >= 0)
        {
            publisher.snapshotChunk(out, b, sender.term(), sender.position(), sender.chunkOffset(index),
                sender.length(), sender.transferId(), sender.checksum(), sender.bytes(), sender.chunkLength(index));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // From the primary (backup)

    /**
     * @return whether this chunk completed the transfer and {@code state} now holds the snapshot (at
     * {@link #installedIndex()}): the replica then acknowledges it with an {@code Ack}. Every other chunk that
     * counts is acknowledged here with a {@code SnapshotAck}.
     */
    boolean onChunk(final int primary, final long view, final long snapshotIndex, final long transferId,
        final int index, final int totalLength, final int checksum, final DirectBuffer buffer, final int bytesOffset,
        final int bytesLength, final ReplicaState state, final Outbox out)
    {
        switch (receiver.onChunk(view, transferId, snapshotIndex, index, totalLength, checksum, buffer, bytesOffset,
            bytesLength))
        {
            case SnapshotReceiver.ACCEPTED, SnapshotReceiver.DUPLICATE ->
                publisher.snapshotAck(out, primary, view, transferId, receiver.receivedChunks());
            case SnapshotReceiver.CORRUPT ->
            {
                wire.rejectState(primary, "snapshot");
                publisher.snapshotAck(out, primary, view, transferId, receiver.receivedChunks());
            }
            case SnapshotReceiver.COMPLETE ->
            {
                // Install by swapping in a complete copy: until the last chunk the old state stays whole, so this
                // replica never votes or stands with half a state.
                if (receiver.installInto(state))
                {
                    return true;
                }
                // Verified bytes that are not a snapshot: never installed; the resends start it over.
                wire.rejectState(primary, "snapshot");
                receiver.clear();
                publisher.snapshotAck(out, primary, view, transferId, 0);
            }
            default ->
            {
                // OLD: a chunk of a transfer a newer one replaced; MALFORMED: not of the format. Dropped.
            }
        }
        return false;
    }

    long installedIndex()
    {
        return receiver.position();
    }
}
