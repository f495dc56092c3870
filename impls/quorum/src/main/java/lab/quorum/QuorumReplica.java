package lab.quorum;

import java.util.Random;

import lab.core.HeldOutbox;
import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.WireCheck;
import lab.core.client.Hedging;
import lab.core.client.TiedCopies;
import lab.core.client.TiedReads;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.quorum.codec.BooleanType;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.SyncAckDecoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import lab.quorum.codec.TiedCancelDecoder;
import lab.quorum.codec.WriteAckDecoder;
import lab.quorum.codec.WriteDecoder;
import org.agrona.DirectBuffer;

/**
 * A replica of the quorum store as a pure state machine. It keeps one version per key, the one with the highest
 * timestamp it has been sent (last writer wins), answers reads with it and acknowledges writes. In
 * replica-coordinator mode it also coordinates the operations clients send it ({@link Coordinator}).
 *
 * <p>Faults. With durable storage (the default, or on the node's disk with {@code quorum-storage=file}) a restarted
 * replica gets back its {@link QuorumDisk}: the versions it acknowledged and, as a coordinator, which ABD writes it
 * started, so that it never runs one twice. With volatile storage a restarted replica has lost every write it
 * acknowledged, which could break quorum intersection (a write acknowledged by w replicas, one of them this one, could
 * be missed by a later read quorum). So it first copies the state of enough peers ({@link QuorumStateTransfer}); until
 * then it stores and acknowledges writes but answers no read and coordinates nothing. A spare replica of a sloppy
 * quorum keeps writes it holds for a home replica apart, as hints, and hands them off ({@link HintedHandoff}).
 *
 * <p>{@link #onMessage} and {@link #onTick} are the decoder edge of hop depth: each decoded message's depth is handed
 * to {@link HopDepth#received} before it is handled, and a tick starts a new path; {@link QuorumMessages} stamps what
 * is sent.
 */
public final class QuorumReplica implements Replica, Coordinator.Local, Coordinator.Completion
{
    private final int nodeId;
    private final QuorumConfig config;
    private final QuorumDisk disk;
    private final KvStore store;
    private final HopDepth hops = new HopDepth();
    private final QuorumMessages messages = new QuorumMessages(hops);
    private final ClientMessages clientMessages = new ClientMessages();
    private final ClientMessages.RequestHandler requests = this::onClientRequest;
    private final WireCheck wire;
    private final Coordinator coordinator;
    /** Tied read copies this replica started, dropped and had cancelled. */
    private final TiedCopies tied;

    private final HintedHandoff handoff;
    private final QuorumStateTransfer stateTransfer;
    /**
     * With a journal on disk, the output of a burst of input, held until {@link #flush} has synced what it stored
     * (one fsync per burst, not per record); null when storage needs no sync.
     */
    private final HeldOutbox held;

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
        this.held = disk.syncsAtFlush() ? new HeldOutbox() : null;
        this.config = config;
        coordinator = config.replicaCoordinator ?
            new Coordinator(config, nodeId, this, messages, hops, this, 2 * config.client.retryNs(), Hedging.off(),
                TiedReads.of(config.tied)) : null;
        tied = new TiedCopies(nodeId);
        handoff = new HintedHandoff(config, messages);
        stateTransfer = new QuorumStateTransfer(nodeId, config, random, store, this, messages, wire,
            restarted && !config.durable && config.recoveryPeers() > 0);
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public java.util.Map<String, Long> counters()
    {
        final java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("malformed_messages", wire.count());
        if (config.tied)
        {
            tied.addCounters(counters);
            if (coordinator != null)
            {
                // A replica coordinator ties its own read phases: it counts what a client coordinator would.
                counters.put(TIED_COPIES_SENT, coordinator.tied().copiesSent());
                counters.put(TIED_READS, coordinator.tied().readsCompleted());
            }
        }
        return counters;
    }

    /** Counter names of a replica coordinator's tied read phases (a client coordinator reports its own). */
    public static final String TIED_COPIES_SENT = "tied_copies_sent";
    public static final String TIED_READS = "tied_reads";

    public lab.core.Role role()
    {
        return stateTransfer.recovering() ? RECOVERING : REPLICA;
    }

    private static final lab.core.Role RECOVERING = lab.core.Role.withoutState("recovering");
    private static final lab.core.Role REPLICA = lab.core.Role.serving("replica");

    public int nodeId()
    {
        return nodeId;
    }

    public boolean servesReads()
    {
        return !stateTransfer.recovering();
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
            disk.put(key, ts, value, offset, length);
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
        return handoff.count();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox driverOut)
    {
        final Outbox out = held != null ? held : driverOut;
        if (!clientMessages.openReplicaMessage(wire, fromNode, buffer, offset, length, QuorumMessages.SCHEMA_ID, nowNs,
            out, requests) ||
            !QuorumWire.check(wire, fromNode, nodeId, config.replicas, config.nodeCount, false))
        {
            return;
        }
        final int templateId = messages.templateId(buffer, offset);
        switch (templateId)
        {
            case ReadDecoder.TEMPLATE_ID:
            {
                final ReadDecoder m = messages.wrapRead(buffer, offset);
                hops.received(m.depth());
                onRead(fromNode, m, out);
                break;
            }
            case WriteDecoder.TEMPLATE_ID:
            {
                final WriteDecoder m = messages.wrapWrite(buffer, offset);
                hops.received(m.depth());
                onWrite(fromNode, m, out);
                break;
            }
            case ReadReplyDecoder.TEMPLATE_ID:
                if (coordinator != null)
                {
                    final ReadReplyDecoder m = messages.wrapReadReply(buffer, offset);
                    hops.received(m.depth());
                    coordinator.onReadReply(fromNode, m, nowNs, out);
                }
                break;
            case WriteAckDecoder.TEMPLATE_ID:
            {
                final WriteAckDecoder m = messages.wrapWriteAck(buffer, offset);
                hops.received(m.depth());
                onWriteAck(fromNode, m, nowNs, out);
                break;
            }
            // State transfer and cancels send nothing an operation's depth counts: no depth to take from them.
            case SyncRequestDecoder.TEMPLATE_ID:
                stateTransfer.onSyncRequest(fromNode, messages.wrapSyncRequest(buffer, offset), nowNs, out);
                break;
            case SyncChunkDecoder.TEMPLATE_ID:
                stateTransfer.onSyncChunk(fromNode, messages.wrapSyncChunk(buffer, offset), nowNs, out);
                break;
            case TiedCancelDecoder.TEMPLATE_ID:
            {
                final TiedCancelDecoder m = messages.wrapTiedCancel(buffer, offset);
                tied.onCancel(fromNode, m.origin(), m.clientId(), m.seq());
                break;
            }
            case SyncAckDecoder.TEMPLATE_ID:
                stateTransfer.onSyncAck(fromNode, messages.wrapSyncAck(buffer, offset), nowNs, out);
                break;
            default:
                break; // not ours: ignore rather than misread
        }
    }

    public void onTick(final long nowNs, final Outbox driverOut)
    {
        final Outbox out = held != null ? held : driverOut;
        hops.startPath();
        stateTransfer.onTick(nowNs, out);
        if (coordinator != null)
        {
            coordinator.onTick(nowNs, out); // resumes each phase's own path for its resends
        }
        if (config.sloppy)
        {
            hops.startPath(); // a handoff answers no operation: a path of its own, whatever the coordinator resumed
            handoff.onTick(nowNs, out);
        }
    }

    /**
     * The end of a burst of input: with a journal on disk, what the burst stored is written and synced once, and
     * then what it caused goes out (persist, then send: no acknowledged write is lost in a power cut).
     */
    public void flush(final long nowNs, final Outbox out)
    {
        hops.startPath();
        if (held != null)
        {
            disk.sync();
            held.releaseTo(out);
        }
    }

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs,
        final Outbox out)
    {
        hops.received(request.depth()); // the decoder edge of client requests (ClientMessages decodes them)
        if (coordinator == null || stateTransfer.recovering())
        {
            // A recovering replica's clock and copy may lag acknowledged writes: send the client on.
            final int hint = (nodeId + 1) % config.replicas;
            clientMessages.sendStatus(out, from, hops.stamp(), request.clientId(), request.seq(), Status.REDIRECT,
                hint);
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
            coordinator.report(op, out);
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
            request.buffer(), valueOffset, request.valueLength(), nowNs, out);
    }

    public void onComplete(final Coordinator.Operation op, final Status status, final long ts,
        final DirectBuffer value, final int offset, final int length, final Outbox out)
    {
        clientMessages.sendResponse(out, op.replyTo(), hops.stamp(), op.sessionId, op.seq(), status, -1, ts, value,
            offset, length);
    }

    private void onRead(final int from, final ReadDecoder read, final Outbox out)
    {
        final int tiedPeer = read.tiedPeer();
        if (tiedPeer >= 0 && !tied.admit(from, read.clientId(), read.seq()))
        {
            return; // a tied copy its peer cancelled: the peer started serving the read first
        }
        if (stateTransfer.recovering())
        {
            return; // our copy may miss acknowledged writes: let the coordinator count on others
        }
        if (tiedPeer >= 0 && tied.started(from, read.clientId(), read.seq()))
        {
            // Serving starts here, when the handler takes the read (any queueing before this point is what a tie
            // saves): the peer drops its copy unless it has started too.
            final int cancel = messages.encodeTiedCancel(read.clientId(), read.seq(), from);
            out.send(tiedPeer, messages.buffer(), 0, cancel);
        }
        final KvStore.Entry entry = store.get(read.key());
        final int length = entry == null ?
            messages.encodeReadReply(read.clientId(), read.seq(), read.key(), 0, emptyValue(), 0, 0) :
            messages.encodeReadReply(read.clientId(), read.seq(), read.key(), entry.version(), entry.value(), 0,
                entry.length());
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
        final long clientId = write.clientId();
        final long seq = write.seq();
        final boolean ackWanted = write.ackWanted() == BooleanType.TRUE;
        final int valueOffset = QuorumMessages.valueOffset(write);
        final int valueLength = write.valueLength();
        if (hintFor >= 0 && hintFor < config.replicas && hintFor != nodeId)
        {
            handoff.hold(hintFor, key, ts, write.buffer(), valueOffset, valueLength);
        }
        else
        {
            store(key, ts, write.buffer(), valueOffset, valueLength);
        }
        if (ackWanted)
        {
            final int length = messages.encodeWriteAck(clientId, seq, key, ts);
            out.send(from, messages.buffer(), 0, length);
        }
    }

    private void onWriteAck(final int from, final WriteAckDecoder ack, final long nowNs, final Outbox out)
    {
        if (ack.clientId() == 0)
        {
            handoff.onAck(from, ack.key(), ack.ts());
        }
        else if (coordinator != null)
        {
            coordinator.onWriteAck(from, ack, nowNs, out);
        }
    }
}
