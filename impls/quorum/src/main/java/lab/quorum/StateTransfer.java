package lab.quorum;

import java.util.Random;

import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * State transfer between replicas of the quorum store. With volatile storage a restarted replica has lost every write
 * it acknowledged, which could break quorum intersection (a write acknowledged by w replicas, one of them this one,
 * could be missed by a later read quorum). So it first copies the state of {@link QuorumConfig#recoveryPeers()} peers
 * ({@code replicas - w + 1}: at least one of them holds each acknowledged write) and merges it, newest version per
 * key, the keys it is a home replica of only; until then it is {@link #recovering()}: it stores and acknowledges
 * writes but answers no read and coordinates nothing. Every replica that is not recovering itself serves its copy to
 * a peer that asks, in chunks, stop and wait, from a snapshot taken at the peer's first request.
 */
final class StateTransfer
{
    private static final int SYNC_CHUNK_BYTES = 16 * 1024;
    /** A state copy is entries of [key 8][ts 8][length 4][bytes]. */
    private static final int ENTRY_HEADER_BYTES = 20;

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
    private final long[] syncId;
    private final int[] syncOffset;
    private final long[] syncRequestedNs;
    private final ExpandableArrayBuffer[] syncIn;
    // serving ours out
    private final long[] snapshotOutId;
    private final int[] snapshotOutLength;
    private final ExpandableArrayBuffer[] snapshotOut;
    private ExpandableArrayBuffer snapshotTarget;
    private int snapshotPosition;
    private final KvStore.EntryVisitor snapshotWriter = this::writeSnapshotEntry;

    /**
     * @param store     the replica's store, whose snapshot is served to peers.
     * @param local     the replica, into which a copied state is merged (newest version per key).
     * @param random    draws the id of each copy, so that chunks of an abandoned copy are told apart.
     * @param recovering whether the replica starts by copying its peers' state (a restart that lost it).
     */
    StateTransfer(final int nodeId, final QuorumConfig config, final Random random, final KvStore store,
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
        syncId = new long[replicas];
        syncOffset = new int[replicas];
        syncRequestedNs = new long[replicas];
        syncIn = new ExpandableArrayBuffer[replicas];
        snapshotOutId = new long[replicas];
        snapshotOutLength = new int[replicas];
        snapshotOut = new ExpandableArrayBuffer[replicas];
    }

    /**
     * @return whether the replica is still copying its peers' state: its own copy may miss acknowledged writes.
     */
    boolean recovering()
    {
        return recovering;
    }

    /**
     * While recovering: ask every peer not yet copied for its state, again after {@code sync-retry} without an answer.
     */
    void onTick(final long nowNs, final Outbox out)
    {
        for (int peer = 0; peer < config.replicas; peer++)
        {
            if (peer == nodeId || syncDone[peer])
            {
                continue;
            }
            if (!syncStarted)
            {
                syncId[peer] = random.nextLong();
                syncOffset[peer] = 0;
            }
            if (!syncStarted || nowNs - syncRequestedNs[peer] >= config.syncRetryNs)
            {
                requestSync(peer, nowNs, out);
            }
        }
        syncStarted = true;
    }

    private void requestSync(final int peer, final long nowNs, final Outbox out)
    {
        syncRequestedNs[peer] = nowNs;
        final int length = messages.encodeSyncRequest(syncId[peer], syncOffset[peer]);
        out.send(peer, messages.buffer(), 0, length);
    }

    /**
     * A peer asks for our state from {@code position} on: the first request of a copy takes a snapshot of the store,
     * later ones are served from it (stop and wait, one chunk per request).
     */
    void onSyncRequest(final int from, final SyncRequestDecoder request, final Outbox out)
    {
        if (recovering || from < 0 || from >= config.replicas || from == nodeId)
        {
            return; // a copy of an incomplete state would not help the requester
        }
        final long id = request.syncId();
        final int offset = request.position();
        if (snapshotOutId[from] != id)
        {
            if (offset != 0)
            {
                // We no longer have the copy it was reading (we restarted): tell it to start over.
                final int length = messages.encodeSyncChunk(id, -1, 0, messages.buffer(), 0, 0);
                out.send(from, messages.buffer(), 0, length);
                return;
            }
            takeSnapshot(from);
            snapshotOutId[from] = id;
        }
        final int total = snapshotOutLength[from];
        if (offset < 0 || offset > total)
        {
            return;
        }
        final int chunk = Math.min(SYNC_CHUNK_BYTES, total - offset);
        final int length = messages.encodeSyncChunk(id, offset, total, snapshotOut[from], offset, chunk);
        out.send(from, messages.buffer(), 0, length);
    }

    private void takeSnapshot(final int peer)
    {
        if (snapshotOut[peer] == null)
        {
            snapshotOut[peer] = new ExpandableArrayBuffer(4096);
        }
        snapshotTarget = snapshotOut[peer];
        snapshotPosition = 0;
        store.forEach(snapshotWriter);
        snapshotOutLength[peer] = snapshotPosition;
        snapshotTarget = null;
    }

    private void writeSnapshotEntry(final KvStore.Entry entry)
    {
        snapshotTarget.putLong(snapshotPosition, entry.key());
        snapshotTarget.putLong(snapshotPosition + 8, entry.version());
        snapshotTarget.putInt(snapshotPosition + 16, entry.length());
        snapshotTarget.putBytes(snapshotPosition + ENTRY_HEADER_BYTES, entry.value(), 0, entry.length());
        snapshotPosition += ENTRY_HEADER_BYTES + entry.length();
    }

    /**
     * A chunk of a peer's state: the next one is asked for; when the copy is whole it is merged, and once enough peers
     * are merged the replica has recovered.
     */
    void onSyncChunk(final int from, final SyncChunkDecoder chunk, final long nowNs, final Outbox out)
    {
        if (!recovering || from < 0 || from >= config.replicas || syncDone[from] || chunk.syncId() != syncId[from])
        {
            return;
        }
        final int offset = chunk.position();
        if (offset == -1)
        {
            syncId[from] = random.nextLong();
            syncOffset[from] = 0;
            requestSync(from, nowNs, out);
            return;
        }
        if (offset != syncOffset[from])
        {
            return; // a duplicate or reordered chunk: the stop-and-wait request for our offset is out
        }
        if (syncIn[from] == null)
        {
            syncIn[from] = new ExpandableArrayBuffer(4096);
        }
        final int length = chunk.bytesLength();
        final int total = chunk.totalLength();
        syncIn[from].putBytes(offset, chunk.buffer(), QuorumMessages.bytesOffset(chunk), length);
        syncOffset[from] = offset + length;
        if (syncOffset[from] < total)
        {
            requestSync(from, nowNs, out);
            return;
        }
        if (!QuorumWire.wholeSync(syncIn[from], total, ENTRY_HEADER_BYTES))
        {
            wire.rejectState(from, "state copy");
            syncId[from] = random.nextLong();
            syncOffset[from] = 0;
            return;
        }
        merge(syncIn[from], total);
        syncDone[from] = true;
        if (++peersSynced >= config.recoveryPeers())
        {
            recovering = false;
        }
    }

    private void merge(final DirectBuffer in, final int total)
    {
        int position = 0;
        while (position < total)
        {
            final long key = in.getLong(position);
            final long ts = in.getLong(position + 8);
            final int length = in.getInt(position + 16);
            if (config.isHome(key, nodeId))
            {
                local.store(key, ts, in, position + ENTRY_HEADER_BYTES, length);
            }
            position += ENTRY_HEADER_BYTES + length;
        }
    }
}
