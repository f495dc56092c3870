package lab.raft;

import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.WireCheck;
import lab.core.snapshot.SnapshotReceiver;
import lab.core.snapshot.SnapshotSender;
import org.agrona.DirectBuffer;

/**
 * A Raft replica's side of snapshot transfers (InstallSnapshot), over the shared mechanism of
 * {@code lab.core.snapshot}: as leader it sends its latest snapshot to each follower that needs compacted entries
 * (one {@link SnapshotSender} per follower: which chunk goes when, resent until acknowledged), as follower it
 * reassembles and verifies the leader's ({@link SnapshotReceiver}). This class routes and encodes: chunks are
 * {@code InstallSnapshot}, their acknowledgements {@code InstallSnapshotResponse}, their transfer term the Raft term
 * and their position the snapshot's lastIncludedIndex (its lastIncludedTerm rides along in every chunk). The
 * installed snapshot itself is answered the Raft way, with an AppendResponse at its index (the replica's), which is
 * what moves the leader's {@link Progress} out of SNAPSHOT; it also ends the transfer ({@link #cancel}).
 */
final class RaftStateTransfer
{
    static final int CHUNK_BYTES = 32 * 1024;
    /** Chunks in flight before an acknowledgement: 8 MiB, so a lab-sized snapshot goes out in one burst, as before. */
    private static final int WINDOW = 256;

    private final RaftPublisher publisher;
    private final WireCheck wire;
    private final SnapshotSender[] senders;
    private final long[] lastIncludedTerms;
    private final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK_BYTES);

    /**
     * @param resendNs how long a follower may acknowledge nothing before the chunks it lacks go again.
     */
    RaftStateTransfer(final int nodeId, final int replicas, final RaftPublisher publisher, final WireCheck wire,
        final long resendNs)
    {
        this.publisher = publisher;
        this.wire = wire;
        this.senders = new SnapshotSender[replicas];
        this.lastIncludedTerms = new long[replicas];
        for (int f = 0; f < replicas; f++)
        {
            if (f != nodeId)
            {
                senders[f] = new SnapshotSender(CHUNK_BYTES, resendNs, WINDOW);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Leader: to a follower

    /**
     * Starts sending {@code snapshot} (the storage's, at {@code lastIncludedIndex}) to follower {@code f}: a
     * transfer to it in progress is abandoned. The bytes are copied, so a compaction meanwhile does not disturb it.
     */
    void start(final int f, final long term, final long lastIncludedIndex, final long lastIncludedTerm,
        final DirectBuffer snapshot, final int length, final long nowNs, final Outbox out)
    {
        final SnapshotSender sender = senders[f];
        sender.buffer().putBytes(0, snapshot, 0, length);
        sender.start(term, lastIncludedIndex, length, nowNs);
        lastIncludedTerms[f] = lastIncludedTerm;
        send(f, nowNs, out);
    }

    boolean active(final int f)
    {
        return senders[f].active();
    }

    /**
     * Resends what follower {@code f} has not acknowledged for the resend interval.
     */
    void onTick(final int f, final long nowNs, final Outbox out)
    {
        if (senders[f].active())
        {
            send(f, nowNs, out);
        }
    }

    /**
     * Follower {@code f} holds chunks {@code [0, receivedChunks)} of transfer (term, transferId).
     */
    void onAck(final int f, final long term, final long transferId, final int receivedChunks, final long nowNs,
        final Outbox out)
    {
        final SnapshotSender sender = senders[f];
        sender.onAck(term, transferId, receivedChunks, nowNs);
        send(f, nowNs, out);
    }

    /**
     * Follower {@code f} has the snapshot (it answered at its index), or this replica no longer leads: stop sending.
     */
    void cancel(final int f)
    {
        senders[f].cancel();
    }

    private void send(final int f, final long nowNs, final Outbox out)
    {
        final SnapshotSender sender = senders[f];
        int index;
        while ((index = sender.nextChunk(nowNs)) >= 0)
        {
            publisher.installSnapshot(out, f, sender.term(), sender.position(), lastIncludedTerms[f],
                sender.chunkOffset(index), sender.length(), sender.transferId(), sender.checksum(), sender.bytes(),
                sender.chunkLength(index));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Follower: from the leader

    /**
     * Every acknowledgement sent here answers the chunk being handled (one hop after it).
     *
     * @return whether this chunk completed the transfer and {@code state} now holds the snapshot ({@link #bytes()},
     * {@link #length()}); every other chunk that counts is acknowledged here (the completing one is the replica's
     * to answer, once it has adopted the snapshot).
     */
    boolean onChunk(final int leader, final long term, final long lastIncludedIndex,
        final long transferId, final int chunkOffset, final int totalLength, final int checksum,
        final DirectBuffer buffer, final int bytesOffset, final int bytesLength, final ReplicaState state,
        final Outbox out)
    {
        switch (receiver.onChunk(term, transferId, lastIncludedIndex, chunkOffset / CHUNK_BYTES, totalLength,
            checksum, buffer, bytesOffset, bytesLength))
        {
            case SnapshotReceiver.ACCEPTED, SnapshotReceiver.DUPLICATE ->
                publisher.installSnapshotResponse(out, leader, term, transferId, receiver.receivedChunks());
            case SnapshotReceiver.CORRUPT ->
            {
                wire.rejectState(leader, "snapshot");
                publisher.installSnapshotResponse(out, leader, term, transferId, receiver.receivedChunks());
            }
            case SnapshotReceiver.COMPLETE ->
            {
                // Install by swapping in a complete, verified copy: until then the old state stays whole.
                if (receiver.installInto(state))
                {
                    return true;
                }
                // Verified bytes that are not a snapshot: never installed; the resends start it over.
                wire.rejectState(leader, "snapshot");
                receiver.clear();
                publisher.installSnapshotResponse(out, leader, term, transferId, 0);
            }
            default ->
            {
                // OLD: a chunk of a transfer a newer one replaced; MALFORMED: not of the format. Dropped.
            }
        }
        return false;
    }

    /**
     * @return the installed snapshot's bytes, from offset 0 (for the storage).
     */
    DirectBuffer bytes()
    {
        return receiver.bytes();
    }

    int length()
    {
        return receiver.length();
    }
}
