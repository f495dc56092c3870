package lab.quorum;

import java.util.Random;

import lab.core.ClientSession;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.StateSnapshot;
import lab.core.WireCheck;
import lab.core.snapshot.SnapshotReceiver;
import lab.core.snapshot.SnapshotSender;
import lab.quorum.codec.SyncAckDecoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * State transfer between replicas of the quorum store, over the shared mechanism of {@code lab.core.snapshot}
 * ({@link SnapshotSender}: which chunk goes when, resent until acknowledged; {@link SnapshotReceiver}: reassembly,
 * CRC-32 verification) in its format ({@link StateSnapshot}, without sessions: a quorum replica keeps none). This
 * class decides who copies from whom, routes and encodes ({@code SyncRequest}, {@code SyncChunk}, {@code SyncAck}).
 *
 * <p>With volatile storage a restarted replica has lost every write it acknowledged, which could break quorum
 * intersection (a write acknowledged by w replicas, one of them this one, could be missed by a later read quorum).
 * So it first copies the state of {@link QuorumConfig#recoveryPeers()} peers ({@code replicas - w + 1}: at least
 * one of them holds each acknowledged write) and merges it, newest version per key, the keys it is a home replica
 * of only; until then it is {@link #recovering()}: it stores and acknowledges writes but answers no read and
 * coordinates nothing. Every replica that is not recovering itself serves a copy to a peer that asks, one transfer
 * per peer, from a snapshot taken at the request.
 *
 * <p>The term of a transfer is drawn by the requester at each start (so a replica that restarted again never takes
 * a copy made for its previous life, which may lack writes it acknowledged since): a peer starts a new copy for a
 * request of another term than the transfer it holds for that requester, and the requester counts only chunks of its
 * own term. The requester asks again after {@code sync-retry} without progress (a lost request, a peer that
 * restarted); lost chunks and acknowledgements are resent by the sender on the same timer.
 */
final class QuorumStateTransfer
{
    /** The chunk size is part of the format: the same at sender and receiver. */
    static final int CHUNK_BYTES = 16 * 1024;
    /** Chunks in flight before an acknowledgement: 1 MiB, so a lab-sized state goes out in one burst. */
    private static final int WINDOW = 64;

    private final int nodeId;
    private final QuorumConfig config;
    private final Random random;
    private final KvStore store;
    private final Coordinator.Local local;
    private final QuorumMessages messages;
    private final WireCheck wire;

    // copying peers' state in
    private boolean recovering;
    private boolean syncStarted;
    private int peersSynced;
    private final boolean[] syncDone;
    private final long[] syncTerm;
    private final long[] syncProgressNs;
    private final SnapshotReceiver[] receivers;
    private KvStore copy;
    private Long2ObjectHashMap<ClientSession> copySessions;
    // serving ours out
    private Long2ObjectHashMap<ClientSession> noSessions;
    private final SnapshotSender[] senders;

    /**
     * @param store      the replica's store, whose snapshot is served to peers.
     * @param local      the replica, into which a copied state is merged (newest version per key).
     * @param random     draws the term of each copy, so that chunks of a copy made for an earlier life are told apart.
     * @param recovering whether the replica starts by copying its peers' state (a restart that lost it).
     */
    QuorumStateTransfer(final int nodeId, final QuorumConfig config, final Random random, final KvStore store,
        final Coordinator.Local local, final QuorumMessages messages, final WireCheck wire, final boolean recovering)
    {
        this.nodeId = nodeId;
        this.config = config;
        this.random = random;
        this.store = store;
        this.local = local;
        this.messages = messages;
        this.wire = wire;
        this.recovering = recovering;
        final int replicas = config.replicas;
        syncDone = new boolean[replicas];
        syncTerm = new long[replicas];
        syncProgressNs = new long[replicas];
        receivers = new SnapshotReceiver[replicas];
        senders = new SnapshotSender[replicas];
    }

    /**
     * @return whether the replica is still copying its peers' state: its own copy may miss acknowledged writes.
     */
    boolean recovering()
    {
        return recovering;
    }

    /**
     * While recovering: ask every peer not yet copied for its state, again after {@code sync-retry} without
     * progress. Serving: resend what a peer has not acknowledged.
     */
    void onTick(final long nowNs, final Outbox out)
    {
        if (recovering)
        {
            for (int peer = 0; peer < config.replicas; peer++)
            {
                if (peer == nodeId || syncDone[peer])
                {
                    continue;
                }
                if (!syncStarted)
                {
                    syncTerm[peer] = random.nextLong() >>> 1;
                    receivers[peer] = new SnapshotReceiver(CHUNK_BYTES);
                }
                if (!syncStarted || nowNs - syncProgressNs[peer] >= config.syncRetryNs)
                {
                    syncProgressNs[peer] = nowNs;
                    final int length = messages.encodeSyncRequest(syncTerm[peer]);
                    out.send(peer, messages.buffer(), 0, length);
                }
            }
            syncStarted = true;
        }
        for (int peer = 0; peer < config.replicas; peer++)
        {
            if (senders[peer] != null && senders[peer].active())
            {
                sendChunks(peer, nowNs, out);
            }
        }
    }

    /**
     * A peer asks for our state: a request of a new term starts a transfer of a snapshot taken now; one of the term
     * under way is a resend (the transfer resends on its own timer).
     */
    void onSyncRequest(final int from, final SyncRequestDecoder request, final long nowNs, final Outbox out)
    {
        if (recovering || from < 0 || from >= config.replicas || from == nodeId)
        {
            return; // a copy of an incomplete state would not help the requester
        }
        if (senders[from] == null)
        {
            senders[from] = new SnapshotSender(CHUNK_BYTES, config.syncRetryNs, WINDOW);
        }
        final SnapshotSender sender = senders[from];
        final long term = request.term();
        if (sender.transferId() != 0 && sender.term() == term)
        {
            return;
        }
        if (noSessions == null)
        {
            noSessions = new Long2ObjectHashMap<>();
        }
        sender.start(term, 0, StateSnapshot.write(store, noSessions, Long.MAX_VALUE, sender.buffer()), nowNs);
        sendChunks(from, nowNs, out);
    }

    void onSyncAck(final int from, final SyncAckDecoder ack, final long nowNs, final Outbox out)
    {
        if (from < 0 || from >= config.replicas || senders[from] == null)
        {
            return;
        }
        senders[from].onAck(ack.term(), ack.transferId(), ack.receivedChunks(), nowNs);
        sendChunks(from, nowNs, out);
    }

    private void sendChunks(final int peer, final long nowNs, final Outbox out)
    {
        final SnapshotSender sender = senders[peer];
        int index;
        while ((index = sender.nextChunk(nowNs)) >= 0)
        {
            final int length = messages.encodeSyncChunk(sender.term(), sender.transferId(), sender.chunkOffset(index),
                sender.length(), sender.checksum(), sender.bytes(), sender.chunkOffset(index),
                sender.chunkLength(index));
            out.send(peer, messages.buffer(), 0, length);
        }
    }

    /**
     * A chunk of a peer's state: acknowledged; when the copy is whole and verified it is merged, and once enough
     * peers are merged the replica has recovered. A chunk for a copy this replica no longer needs is acknowledged
     * as complete, so that its sender stops.
     */
    void onSyncChunk(final int from, final SyncChunkDecoder chunk, final long nowNs, final Outbox out)
    {
        if (from < 0 || from >= config.replicas || from == nodeId)
        {
            return;
        }
        final long term = chunk.term();
        final long transferId = chunk.transferId();
        final int total = chunk.totalLength();
        if (!recovering || syncDone[from])
        {
            ack(from, term, transferId, SnapshotReceiver.chunkCount(total, CHUNK_BYTES), out);
            return;
        }
        if (receivers[from] == null || term != syncTerm[from])
        {
            return; // a copy made for an earlier life of this replica
        }
        final SnapshotReceiver receiver = receivers[from];
        final int index = chunk.chunkOffset() / CHUNK_BYTES;
        final int result = receiver.onChunk(term, transferId, 0, index, total, chunk.checksum(), chunk.buffer(),
            QuorumMessages.bytesOffset(chunk), chunk.bytesLength());
        switch (result)
        {
            case SnapshotReceiver.ACCEPTED, SnapshotReceiver.DUPLICATE ->
            {
                syncProgressNs[from] = nowNs;
                ack(from, term, transferId, receiver.receivedChunks(), out);
            }
            case SnapshotReceiver.CORRUPT ->
            {
                wire.rejectState(from, "state copy");
                ack(from, term, transferId, receiver.receivedChunks(), out);
            }
            case SnapshotReceiver.COMPLETE ->
            {
                if (!merge(receiver))
                {
                    // Verified bytes that are not a state copy: never merged; the resends start it over.
                    wire.rejectState(from, "state copy");
                    receiver.clear();
                    ack(from, term, transferId, 0, out);
                    return;
                }
                ack(from, term, transferId, receiver.receivedChunks(), out);
                syncDone[from] = true;
                receivers[from] = null;
                if (++peersSynced >= config.recoveryPeers())
                {
                    recovering = false;
                }
            }
            default ->
            {
                // OLD: a chunk of a transfer a newer one replaced; MALFORMED: not of the format. Dropped.
            }
        }
    }

    private void ack(final int peer, final long term, final long transferId, final int receivedChunks,
        final Outbox out)
    {
        final int length = messages.encodeSyncAck(term, transferId, receivedChunks);
        out.send(peer, messages.buffer(), 0, length);
    }

    /**
     * Merges a complete copy, newest version per key, the keys this replica is a home replica of only.
     *
     * @return false, with nothing merged, when the bytes are not one whole snapshot or carry a timestamp out of range.
     */
    private boolean merge(final SnapshotReceiver receiver)
    {
        if (!StateSnapshot.isWhole(receiver.bytes(), receiver.length()))
        {
            return false;
        }
        if (copy == null)
        {
            copy = new KvStore();
            copySessions = new Long2ObjectHashMap<>();
        }
        StateSnapshot.read(receiver.bytes(), receiver.length(), copy, copySessions);
        final boolean[] valid = {true};
        copy.forEach(entry ->
        {
            final long ts = entry.version();
            valid[0] &= ts >= 0 && Timestamps.lamport(ts) < QuorumWire.MAX_LAMPORT;
        });
        if (valid[0])
        {
            copy.forEach(entry ->
            {
                if (config.isHome(entry.key(), nodeId))
                {
                    local.store(entry.key(), entry.version(), entry.value(), 0, entry.length());
                }
            });
        }
        copy.clear();
        copySessions.clear();
        return valid[0];
    }
}
