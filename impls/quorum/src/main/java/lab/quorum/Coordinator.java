package lab.quorum;

import java.util.ArrayList;

import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.WriteAckDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Runs GET and PUT operations against the quorum of a key's home replicas, one operation per client session at a
 * time. The client runs it in client-coordinator mode; a replica in replica-coordinator mode, with itself as one of
 * the replicas ({@link Local}). It is a pure state machine: time comes in as {@code nowNs}.
 *
 * <p>Phases: READ asks the home replicas for their version of the key and waits for r replies; WRITE sends a version
 * and waits for w acknowledgements; REPAIR writes the newest version read to the replicas that replied with an older
 * one and waits for all of them.
 * <ul>
 *   <li>Dynamo PUT: WRITE with a new Lamport timestamp (2 hops from a client). Dynamo GET: READ, then the newest
 *   version, pushed to stale repliers after answering (read repair off the critical path), or before answering in
 *   REPAIR with {@code read-repair=sync}.</li>
 *   <li>ABD PUT: READ the highest timestamp of a majority, then WRITE with a higher one. ABD GET: READ, then WRITE
 *   the newest version back to a majority before answering, so that no later read can return an older one
 *   (4 hops each from a client).</li>
 * </ul>
 * A phase resends to the replicas that have not answered every {@code quorum-retry}. Which home replicas a read
 * phase asks, and when it asks more, is the {@link ReadFanOut}'s choice (all at once, hedged or tied); a sloppy
 * quorum's writes get {@link StandIns} for home replicas slow to acknowledge. Neither changes what a quorum is.
 *
 * <p>Hop depth: what the coordinator sends is stamped at the encoder edge ({@link QuorumMessages}) with the depth of
 * the message being handled. The one place it speaks is a phase's later sends (a resend, a hedge, a stand-in): they
 * continue the path of the message that began the phase, not the tick that sends them, so each phase remembers
 * {@link HopDepth#input()} and {@link HopDepth#resume resumes} it.
 */
final class Coordinator
{
    /**
     * The replica a replica-coordinator runs on: answers its share of a phase without a message.
     */
    interface Local
    {
        int nodeId();

        /**
         * @return false while the replica is recovering and its copy may miss acknowledged writes.
         */
        boolean servesReads();

        KvStore.Entry entry(long key);

        void store(long key, long ts, DirectBuffer value, int offset, int length);
    }

    /**
     * Told when an operation completes.
     */
    interface Completion
    {
        /**
         * Called while handling the message that completed the operation: its hop depth is the operation's critical
         * path so far.
         *
         * @param ts version written, or read (0 for a key never written).
         */
        void onComplete(Operation op, Status status, long ts, DirectBuffer value, int offset, int length, Outbox out);
    }

    enum Phase
    {
        IDLE, READ, WRITE, REPAIR
    }

    static final class Operation
    {
        final long sessionId;
        final long[] replyTs;
        /** The home replica each spare stands in for ({@link StandIns}). */
        final int[] hintFor;
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer readValue = new ExpandableArrayBuffer(64);
        long seq;
        OpType type;
        long key;
        int replyTo;
        int valueLength;
        int readLength;
        long writeTs;
        long readTs;

        Phase phase = Phase.IDLE;
        boolean completed;
        long phaseTs;
        DirectBuffer phaseValue;
        int phaseLength;
        int needed;
        long asked;
        long responders;
        /** {@link HopDepth#input()} when the phase began: its later sends continue that path. */
        int phaseInputDepth;
        long phaseStartNs;
        long retryAtNs;
        long expireAtNs;
        /** Spares asked to stand in during this phase ({@link StandIns}). */
        int sparesUsed;
        /** When the read phase asks one more replica ({@link ReadFanOut}). */
        long hedgeAtNs = Hedging.NEVER;

        Operation(final long sessionId, final int replicas)
        {
            this.sessionId = sessionId;
            replyTs = new long[replicas];
            hintFor = new int[replicas];
        }

        long seq()
        {
            return seq;
        }

        int replyTo()
        {
            return replyTo;
        }

        boolean active()
        {
            return phase != Phase.IDLE;
        }

        /**
         * @return true once the operation has completed (not merely been abandoned or expired).
         */
        boolean completed()
        {
            return completed;
        }
    }

    private final QuorumConfig config;
    private final int self;
    private final Local local;
    private final Completion completion;
    private final QuorumMessages messages;
    private final HopDepth hops;
    private final ReadFanOut fanOut;
    private final StandIns standIns;
    private final Long2ObjectHashMap<Operation> bySession = new Long2ObjectHashMap<>();
    private final ArrayList<Operation> all = new ArrayList<>();
    private final long expiryNs;
    private long lamport;

    /**
     * @param self     node id of the coordinator (a client, or the replica {@code local}).
     * @param local    the replica it runs on, or null on a client.
     * @param messages the node's encoders, which stamp what they encode with {@code hops}.
     * @param hops     the node's hop depth, set by its adapter for each input.
     * @param expiryNs an operation nobody asks about for this long is dropped (its client moved on); 0 for never.
     * @param hedging  when a read phase asks one more replica; {@link Hedging#off()} to ask all home replicas at once.
     * @param tied     whether a read phase ties one of its first r home replicas to a spare home replica.
     */
    Coordinator(final QuorumConfig config, final int self, final Local local, final QuorumMessages messages,
        final HopDepth hops, final Completion completion, final long expiryNs, final Hedging hedging,
        final TiedReads tied)
    {
        this.config = config;
        this.self = self;
        this.local = local;
        this.messages = messages;
        this.hops = hops;
        this.completion = completion;
        this.expiryNs = expiryNs;
        this.fanOut = new ReadFanOut(config, self, messages, hedging, tied);
        this.standIns = new StandIns(config, self, messages);
    }

    /**
     * Lamport's rule: the clock runs ahead of every timestamp seen.
     */
    void observe(final long ts)
    {
        final long l = Timestamps.lamport(ts);
        if (l > lamport)
        {
            lamport = l;
        }
    }

    Operation operation(final long sessionId)
    {
        return bySession.get(sessionId);
    }

    /**
     * Starts an operation, replacing any earlier one of the session.
     */
    void start(
        final long sessionId, final long seq, final int replyTo, final OpType type, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        Operation op = bySession.get(sessionId);
        if (op == null)
        {
            op = new Operation(sessionId, config.replicas);
            bySession.put(sessionId, op);
            all.add(op);
        }
        op.seq = seq;
        op.completed = false;
        op.type = type;
        op.key = key;
        op.replyTo = replyTo;
        op.value.putBytes(0, value, valueOffset, valueLength);
        op.valueLength = valueLength;
        op.readTs = 0;
        op.readLength = 0;
        op.writeTs = 0;
        op.expireAtNs = expiryNs > 0 ? nowNs + expiryNs : Long.MAX_VALUE;

        if (type == OpType.PUT && !config.abd())
        {
            if (local != null)
            {
                final KvStore.Entry entry = local.entry(key);
                if (entry != null)
                {
                    observe(entry.version());
                }
            }
            // A hybrid clock never runs behind real time, so a write begun after another was acknowledged wins.
            lamport = Math.max(lamport + 1, config.hybridClock ? nowNs / 1000 : 0);
            op.writeTs = Timestamps.of(lamport, self);
            beginWrite(op, Phase.WRITE, op.writeTs, op.value, op.valueLength, config.homeMask(key), config.w, nowNs,
                out);
        }
        else
        {
            beginRead(op, nowNs, out);
        }
    }

    void abandon(final long sessionId)
    {
        final Operation op = bySession.get(sessionId);
        if (op != null)
        {
            op.phase = Phase.IDLE;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Phases

    private void enter(final Operation op, final Phase phase, final int needed, final long asked, final long nowNs)
    {
        op.phase = phase;
        op.needed = needed;
        op.asked = asked;
        op.responders = 0;
        op.phaseInputDepth = hops.input();
        op.phaseStartNs = nowNs;
        op.retryAtNs = nowNs + config.retryNs;
        op.sparesUsed = 0;
        op.hedgeAtNs = Hedging.NEVER;
    }

    Hedging hedging()
    {
        return fanOut.hedging();
    }

    TiedReads tied()
    {
        return fanOut.tied();
    }

    private void beginRead(final Operation op, final long nowNs, final Outbox out)
    {
        enter(op, Phase.READ, config.r, 0, nowNs);
        op.asked = fanOut.begin(op, nowNs, out);
        readLocal(op, op.asked, nowNs, out);
    }

    /**
     * A replica coordinator among a read phase's targets answers its share at once.
     */
    private void readLocal(final Operation op, final long targets, final long nowNs, final Outbox out)
    {
        if (local != null && (targets & (1L << local.nodeId())) != 0 && local.servesReads())
        {
            final KvStore.Entry entry = local.entry(op.key);
            if (entry == null)
            {
                onRead(op, local.nodeId(), 0, op.readValue, 0, 0, nowNs, out);
            }
            else
            {
                onRead(op, local.nodeId(), entry.version(), entry.value(), 0, entry.length(), nowNs, out);
            }
        }
    }

    private void beginWrite(
        final Operation op, final Phase phase, final long ts, final DirectBuffer value, final int length,
        final long targets, final int needed, final long nowNs, final Outbox out)
    {
        enter(op, phase, needed, targets, nowNs);
        op.phaseTs = ts;
        op.phaseValue = value;
        op.phaseLength = length;
        final int encoded = messages.encodeWrite(op.sessionId, op.seq, op.key, ts, -1, true, value, 0, length);
        messages.sendTo(targets, self, encoded, out);
        if (local != null && (targets & (1L << local.nodeId())) != 0)
        {
            local.store(op.key, ts, value, 0, length);
            onAck(op, local.nodeId(), ts, out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Replies

    /**
     * @return true if the reply was for an operation of this coordinator.
     */
    boolean onReadReply(final int from, final ReadReplyDecoder reply, final long nowNs, final Outbox out)
    {
        final Operation op = bySession.get(reply.clientId());
        observe(reply.ts());
        if (op == null || op.seq != reply.seq() || op.phase != Phase.READ || from < 0 || from >= config.replicas)
        {
            return false;
        }
        onRead(op, from, reply.ts(), reply.buffer(), QuorumMessages.valueOffset(reply), reply.valueLength(), nowNs,
            out);
        return true;
    }

    boolean onWriteAck(final int from, final WriteAckDecoder ack, final long nowNs, final Outbox out)
    {
        final Operation op = bySession.get(ack.clientId());
        if (op == null || op.seq != ack.seq() || from < 0 || from >= config.replicas)
        {
            return false;
        }
        onAck(op, from, ack.ts(), out);
        return true;
    }

    private void onRead(
        final Operation op, final int from, final long ts, final DirectBuffer value, final int offset,
        final int length, final long nowNs, final Outbox out)
    {
        final long bit = 1L << from;
        if ((op.responders & bit) != 0)
        {
            return; // a duplicate or a retry's second answer
        }
        op.responders |= bit;
        op.replyTs[from] = ts;
        if (ts > op.readTs)
        {
            op.readTs = ts;
            op.readValue.putBytes(0, value, offset, length);
            op.readLength = length;
        }
        if (Long.bitCount(op.responders) >= op.needed)
        {
            onReadQuorum(op, nowNs, out);
        }
    }

    private void onAck(final Operation op, final int from, final long ts, final Outbox out)
    {
        final long bit = 1L << from;
        if ((op.phase != Phase.WRITE && op.phase != Phase.REPAIR) || ts != op.phaseTs || (op.asked & bit) == 0 ||
            (op.responders & bit) != 0)
        {
            return;
        }
        op.responders |= bit;
        if (Long.bitCount(op.responders) >= op.needed)
        {
            complete(op, out);
        }
    }

    private void onReadQuorum(final Operation op, final long nowNs, final Outbox out)
    {
        fanOut.readCompleted(op, nowNs);
        if (config.abd())
        {
            if (op.type == OpType.PUT)
            {
                // Multi-writer ABD: a timestamp above every one a majority holds orders this write after every
                // write completed before it began.
                lamport = Math.max(lamport, Timestamps.lamport(op.readTs)) + 1;
                op.writeTs = Timestamps.of(lamport, self);
                beginWrite(op, Phase.WRITE, op.writeTs, op.value, op.valueLength, config.homeMask(op.key), config.w,
                    nowNs, out);
            }
            else
            {
                // Write back before answering: once this read returns, a majority holds its version, so no later
                // read can return an older one (no new-old inversion). Written back even when nothing was read, to
                // keep every ABD read at the same 4 hops.
                beginWrite(op, Phase.WRITE, op.readTs, op.readValue, op.readLength, config.homeMask(op.key),
                    config.w, nowNs, out);
            }
            return;
        }

        long stale = 0;
        if (op.readTs != 0 && config.readRepair != QuorumConfig.ReadRepair.OFF)
        {
            for (int node = 0; node < config.replicas; node++)
            {
                if ((op.responders & (1L << node)) != 0 && op.replyTs[node] < op.readTs)
                {
                    stale |= 1L << node;
                }
            }
        }
        if (stale != 0 && config.readRepair == QuorumConfig.ReadRepair.SYNC)
        {
            beginWrite(op, Phase.REPAIR, op.readTs, op.readValue, op.readLength, stale, Long.bitCount(stale), nowNs,
                out);
            return;
        }
        if (stale != 0)
        {
            // Off the critical path: sent, never waited for, and not acknowledged.
            final int length = messages.encodeWrite(
                op.sessionId, op.seq, op.key, op.readTs, -1, false, op.readValue, 0, op.readLength);
            messages.sendTo(stale, self, length, out);
            if (local != null && (stale & (1L << local.nodeId())) != 0)
            {
                local.store(op.key, op.readTs, op.readValue, 0, op.readLength);
            }
        }
        complete(op, out);
    }

    private void complete(final Operation op, final Outbox out)
    {
        op.phase = Phase.IDLE;
        op.completed = true;
        report(op, out);
    }

    /**
     * Tells the outcome of a completed operation (again, e.g. to a client whose answer was lost).
     */
    void report(final Operation op, final Outbox out)
    {
        if (op.type == OpType.PUT)
        {
            completion.onComplete(op, Status.OK, op.writeTs, op.value, 0, 0, out);
        }
        else
        {
            final Status status = op.readTs == 0 ? Status.NOT_FOUND : Status.OK;
            completion.onComplete(op, status, op.readTs, op.readValue, 0, op.readLength, out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Time

    void onTick(final long nowNs, final Outbox out)
    {
        for (int i = 0, size = all.size(); i < size; i++)
        {
            final Operation op = all.get(i);
            if (op.phase == Phase.IDLE)
            {
                continue;
            }
            if (nowNs >= op.expireAtNs)
            {
                op.phase = Phase.IDLE;
                continue;
            }
            // What the phase sends now continues the path of the message that began it.
            hops.resume(op.phaseInputDepth);
            if (op.phase == Phase.WRITE && op.type == OpType.PUT)
            {
                standIns.onTick(op, nowNs, out);
            }
            if (op.phase == Phase.READ && nowNs >= op.hedgeAtNs)
            {
                fanOut.hedge(op, out);
            }
            if (nowNs >= op.retryAtNs)
            {
                op.retryAtNs = nowNs + config.retryNs;
                resend(op, out);
            }
        }
    }

    private void resend(final Operation op, final Outbox out)
    {
        if (op.phase == Phase.READ)
        {
            fanOut.resend(op, out);
            return;
        }
        final long missing = op.asked & ~op.responders;
        for (int node = 0; node < config.replicas; node++)
        {
            if ((missing & (1L << node)) != 0 && node != self)
            {
                final int length = messages.encodeWrite(op.sessionId, op.seq, op.key, op.phaseTs,
                    standIns.hintFor(op, node), true, op.phaseValue, 0, op.phaseLength);
                out.send(node, messages.buffer(), 0, length);
            }
        }
    }
}
