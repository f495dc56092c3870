package lab.quorum;

import java.util.Random;

import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.quorum.codec.BooleanType;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import lab.quorum.codec.WriteAckDecoder;
import lab.quorum.codec.WriteDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A replica of the quorum store as a pure state machine. It keeps one version per key, the one with the highest
 * timestamp it has been sent (last writer wins), answers reads with it and acknowledges writes. In
 * replica-coordinator mode it also coordinates the operations clients send it ({@link Coordinator}).
 *
 * <p>Faults. With durable storage (the default) a restarted replica gets back its {@link QuorumDisk}: the versions
 * it acknowledged and, as a coordinator, which ABD writes it started, so that it never runs one twice. With volatile
 * storage a restarted replica has lost every write it acknowledged, which could break quorum intersection (a write
 * acknowledged by w replicas, one of them this one, could be missed by a later read quorum). So it first copies the state of {@code replicas - w + 1} peers (at least one of which holds each
 * acknowledged write) and merges it, newest version per key; until then it stores and acknowledges writes but answers
 * no read and coordinates nothing. A spare replica of a sloppy quorum keeps writes it holds for a home replica apart,
 * as hints, and hands them to that replica every {@code handoff-interval} until acknowledged.
 */
public final class QuorumReplica implements Replica, Coordinator.Local, Coordinator.Completion
{
    private static final int SYNC_CHUNK_BYTES = 16 * 1024;
    private static final int ENTRY_HEADER_BYTES = 20;

    /**
     * A write held for a home replica that did not acknowledge it in time.
     */
    private static final class Hint
    {
        final long key;
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        int length;
        long ts;

        Hint(final long key)
        {
            this.key = key;
        }
    }

    private final int nodeId;
    private final QuorumConfig config;
    private final Random random;
    private final QuorumDisk disk;
    private final KvStore store;
    private final QuorumMessages messages = new QuorumMessages();
    private final ClientMessages clientMessages = new ClientMessages();
    private final WireCheck wire;
    private final Coordinator coordinator;

    private final Long2ObjectHashMap<Hint>[] hints;
    private long nextHandoffNs;

    // recovery: copying peers' state in, and serving ours out
    private boolean recovering;
    private boolean syncStarted;
    private int peersSynced;
    private final boolean[] syncDone;
    private final long[] syncId;
    private final int[] syncOffset;
    private final long[] syncRequestedNs;
    private final ExpandableArrayBuffer[] syncIn;
    private final long[] snapshotOutId;
    private final int[] snapshotOutLength;
    private final ExpandableArrayBuffer[] snapshotOut;
    private ExpandableArrayBuffer snapshotTarget;
    private int snapshotPosition;
    private final KvStore.EntryVisitor snapshotWriter = this::writeSnapshotEntry;

    @SuppressWarnings("unchecked")
    public QuorumReplica(final int nodeId, final QuorumConfig config, final Random random, final boolean restarted)
    {
        this(nodeId, config, random, restarted, new QuorumDisk());
    }

    /**
     * @param disk the replica's disk: with durable storage a restarted replica gets back the one it had (what it
     *             acknowledged survives, as on a disk written before the ack); otherwise a fresh one, and it copies
     *             state from its peers before it serves reads.
     */
    QuorumReplica(final int nodeId, final QuorumConfig config, final Random random, final boolean restarted,
        final QuorumDisk disk)
    {
        this.nodeId = nodeId;
        this.wire = new WireCheck("node " + nodeId + " (quorum replica)");
        this.disk = disk;
        this.store = disk.store();
        this.config = config;
        this.random = random;
        final int replicas = config.replicas;
        coordinator = config.replicaCoordinator ?
            new Coordinator(config, nodeId, this, messages, this, 2 * config.client.retryNs()) : null;
        hints = new Long2ObjectHashMap[replicas];
        syncDone = new boolean[replicas];
        syncId = new long[replicas];
        syncOffset = new int[replicas];
        syncRequestedNs = new long[replicas];
        syncIn = new ExpandableArrayBuffer[replicas];
        snapshotOutId = new long[replicas];
        snapshotOutLength = new int[replicas];
        snapshotOut = new ExpandableArrayBuffer[replicas];
        recovering = restarted && !config.durable && config.recoveryPeers() > 0;
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("malformed_messages", wire.count());
    }

    public String role()
    {
        return recovering ? "recovering" : "replica";
    }

    public int nodeId()
    {
        return nodeId;
    }

    public boolean servesReads()
    {
        return !recovering;
    }

    public KvStore.Entry entry(final long key)
    {
        return store.get(key);
    }

    public void store(final long key, final long ts, final DirectBuffer value, final int offset, final int length)
    {
        final KvStore.Entry entry = store.get(key);
        if (ts > (entry == null ? 0 : entry.version()))
        {
            store.put(key, value, offset, length, ts);
        }
        if (coordinator != null)
        {
            coordinator.observe(ts);
        }
    }

    KvStore kvStore()
    {
        return store;
    }

    int hintCount()
    {
        int count = 0;
        for (final Long2ObjectHashMap<Hint> h : hints)
        {
            count += h == null ? 0 : h.size();
        }
        return count;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        final int schemaId = wire.open(fromNode, buffer, offset, length, QuorumMessages.SCHEMA_ID, ClientMessages.SCHEMA_ID);
        if (schemaId == ClientMessages.SCHEMA_ID)
        {
            final ClientRequestDecoder request = clientMessages.request(wire, fromNode);
            if (request != null)
            {
                onClientRequest(fromNode, request, nowNs, out);
            }
            return;
        }
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (!QuorumWire.check(wire, fromNode, nodeId, config.replicas, config.nodeCount, false))
        {
            return;
        }
        final int templateId = messages.templateId(buffer, offset);
        switch (templateId)
        {
            case ReadDecoder.TEMPLATE_ID:
                onRead(fromNode, messages.wrapRead(buffer, offset), out);
                break;
            case WriteDecoder.TEMPLATE_ID:
                onWrite(fromNode, messages.wrapWrite(buffer, offset), out);
                break;
            case ReadReplyDecoder.TEMPLATE_ID:
                if (coordinator != null)
                {
                    coordinator.onReadReply(fromNode, messages.wrapReadReply(buffer, offset), nowNs, out);
                }
                break;
            case WriteAckDecoder.TEMPLATE_ID:
                onWriteAck(fromNode, messages.wrapWriteAck(buffer, offset), nowNs, out);
                break;
            case SyncRequestDecoder.TEMPLATE_ID:
                onSyncRequest(fromNode, messages.wrapSyncRequest(buffer, offset), out);
                break;
            case SyncChunkDecoder.TEMPLATE_ID:
                onSyncChunk(fromNode, messages.wrapSyncChunk(buffer, offset), nowNs, out);
                break;
            default:
                break; // not ours: ignore rather than misread
        }
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (recovering)
        {
            recoveryTick(nowNs, out);
        }
        if (coordinator != null)
        {
            coordinator.onTick(nowNs, out);
        }
        if (config.sloppy && nowNs >= nextHandoffNs)
        {
            nextHandoffNs = nowNs + config.handoffIntervalNs;
            handOff(out);
        }
    }

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs,
        final Outbox out)
    {
        final int depth = request.depth();
        if (coordinator == null || recovering)
        {
            // A recovering replica's clock and copy may lag acknowledged writes: send the client on.
            final int hint = (nodeId + 1) % config.replicas;
            final int length = clientMessages.encodeEmptyResponse(
                depth + 1, request.clientId(), request.seq(), Status.REDIRECT, hint);
            out.send(from, clientMessages.buffer(), 0, length);
            return;
        }
        final long sessionId = request.clientId();
        final long seq = request.seq();
        final Coordinator.Operation op = coordinator.operation(sessionId);
        if (op != null && (seq < op.seq() || (seq == op.seq() && op.active())))
        {
            return; // older than the session's latest, or a retry of the operation under way: it will answer
        }
        if (op != null && seq == op.seq() && op.completed())
        {
            // Running it again could write its value over a newer write acknowledged since: answer from the record.
            coordinator.report(op, depth, out);
            return;
        }
        if (config.abd() && request.opType() == OpType.PUT)
        {
            if (seq <= disk.startedWrite(sessionId))
            {
                // Started before and not known to have completed (it expired, or we restarted since): a second run
                // would take a second timestamp while the first may still be landing. The client times out instead.
                return;
            }
            disk.recordStartedWrite(sessionId, seq);
        }
        final int valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
        coordinator.start(request.clientId(), request.seq(), from, request.opType(), request.key(),
            request.buffer(), valueOffset, request.valueLength(), depth, nowNs, out);
    }

    public void onComplete(final Coordinator.Operation op, final Status status, final int depth, final long ts,
        final DirectBuffer value, final int offset, final int length, final Outbox out)
    {
        final int encoded = clientMessages.encodeResponse(
            depth + 1, op.sessionId, op.seq(), status, -1, ts, value, offset, length);
        out.send(op.replyTo(), clientMessages.buffer(), 0, encoded);
    }

    private void onRead(final int from, final ReadDecoder read, final Outbox out)
    {
        if (recovering)
        {
            return; // our copy may miss acknowledged writes: let the coordinator count on others
        }
        final KvStore.Entry entry = store.get(read.key());
        final int length = entry == null ?
            messages.encodeReadReply(read.depth() + 1, read.clientId(), read.seq(), read.key(), 0, emptyValue(), 0, 0) :
            messages.encodeReadReply(read.depth() + 1, read.clientId(), read.seq(), read.key(), entry.version(),
                entry.value(), 0, entry.length());
        out.send(from, messages.buffer(), 0, length);
    }

    private DirectBuffer emptyValue()
    {
        return messages.buffer(); // any buffer: zero bytes are copied from it
    }

    private void onWrite(final int from, final WriteDecoder write, final Outbox out)
    {
        final long key = write.key();
        final long ts = write.ts();
        final int hintFor = write.hintFor();
        final int depth = write.depth();
        final long clientId = write.clientId();
        final long seq = write.seq();
        final boolean ackWanted = write.ackWanted() == BooleanType.TRUE;
        final int valueOffset = QuorumMessages.valueOffset(write);
        final int valueLength = write.valueLength();
        if (hintFor >= 0 && hintFor < config.replicas && hintFor != nodeId)
        {
            holdHint(hintFor, key, ts, write.buffer(), valueOffset, valueLength);
        }
        else
        {
            store(key, ts, write.buffer(), valueOffset, valueLength);
        }
        if (ackWanted)
        {
            final int length = messages.encodeWriteAck(depth + 1, clientId, seq, key, ts);
            out.send(from, messages.buffer(), 0, length);
        }
    }

    private void onWriteAck(final int from, final WriteAckDecoder ack, final long nowNs, final Outbox out)
    {
        if (ack.clientId() == 0)
        {
            onHandoffAck(from, ack.key(), ack.ts());
        }
        else if (coordinator != null)
        {
            coordinator.onWriteAck(from, ack, nowNs, out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hinted handoff

    private void holdHint(final int home, final long key, final long ts, final DirectBuffer value, final int offset,
        final int length)
    {
        Long2ObjectHashMap<Hint> held = hints[home];
        if (held == null)
        {
            held = new Long2ObjectHashMap<>();
            hints[home] = held;
        }
        Hint hint = held.get(key);
        if (hint == null)
        {
            hint = new Hint(key);
            held.put(key, hint);
        }
        else if (hint.ts >= ts)
        {
            return;
        }
        hint.ts = ts;
        hint.value.putBytes(0, value, offset, length);
        hint.length = length;
    }

    private void handOff(final Outbox out)
    {
        for (int home = 0; home < hints.length; home++)
        {
            final Long2ObjectHashMap<Hint> held = hints[home];
            if (held == null || held.isEmpty())
            {
                continue;
            }
            for (final Hint hint : held.values())
            {
                final int length = messages.encodeWrite(
                    1, 0, 0, hint.key, hint.ts, -1, true, hint.value, 0, hint.length);
                out.send(home, messages.buffer(), 0, length);
            }
        }
    }

    private void onHandoffAck(final int home, final long key, final long ts)
    {
        final Long2ObjectHashMap<Hint> held = home >= 0 && home < hints.length ? hints[home] : null;
        if (held != null)
        {
            final Hint hint = held.get(key);
            if (hint != null && hint.ts <= ts)
            {
                held.remove(key);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Recovery after a restart

    private void recoveryTick(final long nowNs, final Outbox out)
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

    private void onSyncRequest(final int from, final SyncRequestDecoder request, final Outbox out)
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

    private void onSyncChunk(final int from, final SyncChunkDecoder chunk, final long nowNs, final Outbox out)
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
                store(key, ts, in, position + ENTRY_HEADER_BYTES, length);
            }
            position += ENTRY_HEADER_BYTES + length;
        }
    }
}
