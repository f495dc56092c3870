package lab.quorum;

import java.util.ArrayList;

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
 * A phase resends to the replicas that have not answered every {@code quorum-retry}. With {@code sloppy-quorum}, a
 * Dynamo write that lacks a home replica's acknowledgement after {@code hint-after} also goes to a spare replica with
 * a hint naming the home replica; the spare's acknowledgement counts towards w.
 *
 * <p>With a {@link Hedging} that is on (the client as coordinator, {@code hedge}), READ asks only the first r home
 * replicas of the key; when it has not reached r replies by the hedge time it asks the next home replica too (one
 * more, once per phase), and a resend after {@code quorum-retry} asks every home replica that has not answered.
 * Any r replies are a quorum, so this changes which replicas answer, never what a quorum guarantees.
 *
 * <p>With {@link TiedReads} that are on ({@code tied}), READ asks the first r home replicas and one more, at once,
 * and ties two of them. "Two replicas, each told of the other" is read, for a quorum of r > 1, as: r - 1 replicas
 * asked plainly, and the r-th a pair, the last of the first r home replicas (the one a read would wait for last when
 * the homes are equally fast, and the one a hedge would stand in for) tied to the next home replica, the spare. The
 * pair's replicas each cancel the other's copy when they start serving, so the phase pays r + 1 requests, about r
 * replies and a cancel, where asking all n costs n requests and n replies; and a slow replica among the pair costs
 * nothing, because its peer starts first. A replica coordinator ties only replicas other than itself (its own share
 * needs no message); with no such pair it asks every home replica, untied. A resend after {@code quorum-retry} asks
 * every home replica not heard from, untied (a copy a cancel dropped is gone). Any r distinct replies are a quorum, a
 * pair that both served included: tying changes which replicas answer, never what a quorum guarantees.
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
         * @param depth depth of the message whose handling completed the operation (its critical path so far).
         * @param ts    version written, or read (0 for a key never written).
         */
        void onComplete(Operation op, Status status, int depth, long ts, DirectBuffer value, int offset, int length,
            Outbox out);
    }

    enum Phase
    {
        IDLE, READ, WRITE, REPAIR
    }

    static final class Operation
    {
        final long sessionId;
        final long[] replyTs;
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
        int sendDepth;
        long phaseStartNs;
        long retryAtNs;
        long expireAtNs;
        int sparesUsed;
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
    private final Long2ObjectHashMap<Operation> bySession = new Long2ObjectHashMap<>();
    private final ArrayList<Operation> all = new ArrayList<>();
    private final long expiryNs;
    private final Hedging hedging;
    private final TiedReads tied;
    private long lamport;

    /**
     * @param self       node id of the coordinator (a client, or the replica {@code local}).
     * @param local      the replica it runs on, or null on a client.
     * @param expiryNs   an operation nobody asks about for this long is dropped (its client moved on); 0 for never.
     */
    Coordinator(final QuorumConfig config, final int self, final Local local, final QuorumMessages messages,
        final Completion completion, final long expiryNs)
    {
        this(config, self, local, messages, completion, expiryNs, Hedging.off());
    }

    /**
     * @param hedging when a read phase asks one more replica; {@link Hedging#off()} to ask all home replicas at once.
     */
    Coordinator(final QuorumConfig config, final int self, final Local local, final QuorumMessages messages,
        final Completion completion, final long expiryNs, final Hedging hedging)
    {
        this(config, self, local, messages, completion, expiryNs, hedging, TiedReads.off());
    }

    /**
     * @param tied whether a read phase ties one of its first r home replicas to a spare home replica.
     */
    Coordinator(final QuorumConfig config, final int self, final Local local, final QuorumMessages messages,
        final Completion completion, final long expiryNs, final Hedging hedging, final TiedReads tied)
    {
        this.hedging = hedging;
        this.tied = tied;
        this.config = config;
        this.self = self;
        this.local = local;
        this.messages = messages;
        this.completion = completion;
        this.expiryNs = expiryNs;
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
     *
     * @param handlingDepth depth of the message that asked for it (0 on a client).
     */
    void start(
        final long sessionId, final long seq, final int replyTo, final OpType type, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength, final int handlingDepth,
        final long nowNs, final Outbox out)
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
            beginWrite(op, Phase.WRITE, op.writeTs, op.value, op.valueLength, homeMask(key), config.w,
                handlingDepth, nowNs, out);
        }
        else
        {
            beginRead(op, handlingDepth, nowNs, out);
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

    private long homeMask(final long key)
    {
        return firstHomes(key, config.n);
    }

    private void enter(final Operation op, final Phase phase, final int needed, final long asked,
        final int handlingDepth, final long nowNs)
    {
        op.phase = phase;
        op.needed = needed;
        op.asked = asked;
        op.responders = 0;
        op.sendDepth = handlingDepth + 1;
        op.phaseStartNs = nowNs;
        op.retryAtNs = nowNs + config.retryNs;
        op.sparesUsed = 0;
        op.hedgeAtNs = Hedging.NEVER;
    }

    Hedging hedging()
    {
        return hedging;
    }

    TiedReads tied()
    {
        return tied;
    }

    /**
     * @return the key's first {@code count} home replicas in ring order.
     */
    private long firstHomes(final long key, final int count)
    {
        long mask = 0;
        for (int i = 0; i < count; i++)
        {
            mask |= 1L << config.home(key, i);
        }
        return mask;
    }

    private void beginRead(final Operation op, final int handlingDepth, final long nowNs, final Outbox out)
    {
        if (tied.enabled() && beginTiedRead(op, handlingDepth, nowNs, out))
        {
            return;
        }
        final long targets = hedging.enabled() ? firstHomes(op.key, config.r) : homeMask(op.key);
        enter(op, Phase.READ, config.r, targets, handlingDepth, nowNs);
        if (hedging.enabled())
        {
            op.hedgeAtNs = hedging.hedgeAtNs(nowNs);
        }
        final int length = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key);
        sendToRemotes(targets, length, out);
        readLocal(op, targets, handlingDepth, nowNs, out);
    }

    /**
     * A tied read phase (see the class comment): the first r home replicas, the last of them other than this
     * coordinator tied to the next home replica after them other than this coordinator.
     *
     * @return false when there is no such pair: the caller then asks every home replica, untied.
     */
    private boolean beginTiedRead(final Operation op, final int handlingDepth, final long nowNs, final Outbox out)
    {
        int tiedFirst = -1;
        for (int i = config.r - 1; i >= 0 && tiedFirst < 0; i--)
        {
            final int node = config.home(op.key, i);
            tiedFirst = node != self ? node : -1;
        }
        int tiedSpare = -1;
        for (int i = config.r; i < config.n && tiedSpare < 0; i++)
        {
            final int node = config.home(op.key, i);
            tiedSpare = node != self ? node : -1;
        }
        if (tiedFirst < 0 || tiedSpare < 0)
        {
            return false;
        }
        final long targets = firstHomes(op.key, config.r) | (1L << tiedSpare);
        enter(op, Phase.READ, config.r, targets, handlingDepth, nowNs);
        tied.copySent();
        final int plain = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key);
        sendToRemotes(targets & ~(1L << tiedFirst) & ~(1L << tiedSpare), plain, out);
        int length = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key, tiedSpare);
        out.send(tiedFirst, messages.buffer(), 0, length);
        length = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key, tiedFirst);
        out.send(tiedSpare, messages.buffer(), 0, length);
        readLocal(op, targets, handlingDepth, nowNs, out);
        return true;
    }

    /**
     * A replica coordinator among a read phase's targets answers its share at once.
     */
    private void readLocal(final Operation op, final long targets, final int handlingDepth, final long nowNs,
        final Outbox out)
    {
        if (local != null && (targets & (1L << local.nodeId())) != 0 && local.servesReads())
        {
            final KvStore.Entry entry = local.entry(op.key);
            if (entry == null)
            {
                onRead(op, local.nodeId(), 0, op.readValue, 0, 0, handlingDepth, nowNs, out);
            }
            else
            {
                onRead(op, local.nodeId(), entry.version(), entry.value(), 0, entry.length(), handlingDepth, nowNs,
                    out);
            }
        }
    }

    private void beginWrite(
        final Operation op, final Phase phase, final long ts, final DirectBuffer value, final int length,
        final long targets, final int needed, final int handlingDepth, final long nowNs, final Outbox out)
    {
        enter(op, phase, needed, targets, handlingDepth, nowNs);
        op.phaseTs = ts;
        op.phaseValue = value;
        op.phaseLength = length;
        final int encoded = messages.encodeWrite(
            op.sendDepth, op.sessionId, op.seq, op.key, ts, -1, true, value, 0, length);
        sendToRemotes(targets, encoded, out);
        if (local != null && (targets & (1L << local.nodeId())) != 0)
        {
            local.store(op.key, ts, value, 0, length);
            onAck(op, local.nodeId(), ts, handlingDepth, nowNs, out);
        }
    }

    private void sendToRemotes(final long targets, final int length, final Outbox out)
    {
        for (int node = 0; node < config.replicas; node++)
        {
            if ((targets & (1L << node)) != 0 && node != self)
            {
                out.send(node, messages.buffer(), 0, length);
            }
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
        final int depth = reply.depth();
        final long ts = reply.ts();
        onRead(op, from, ts, reply.buffer(), QuorumMessages.valueOffset(reply), reply.valueLength(), depth, nowNs,
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
        onAck(op, from, ack.ts(), ack.depth(), nowNs, out);
        return true;
    }

    private void onRead(
        final Operation op, final int from, final long ts, final DirectBuffer value, final int offset,
        final int length, final int depth, final long nowNs, final Outbox out)
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
            onReadQuorum(op, depth, nowNs, out);
        }
    }

    private void onAck(final Operation op, final int from, final long ts, final int depth, final long nowNs,
        final Outbox out)
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
            complete(op, depth, out);
        }
    }

    private void onReadQuorum(final Operation op, final int depth, final long nowNs, final Outbox out)
    {
        if (hedging.enabled())
        {
            hedging.readCompleted(nowNs - op.phaseStartNs);
        }
        if (tied.enabled())
        {
            tied.readCompleted();
        }
        if (config.abd())
        {
            if (op.type == OpType.PUT)
            {
                // Multi-writer ABD: a timestamp above every one a majority holds orders this write after every
                // write completed before it began.
                lamport = Math.max(lamport, Timestamps.lamport(op.readTs)) + 1;
                op.writeTs = Timestamps.of(lamport, self);
                beginWrite(op, Phase.WRITE, op.writeTs, op.value, op.valueLength, homeMask(op.key), config.w, depth,
                    nowNs, out);
            }
            else
            {
                // Write back before answering: once this read returns, a majority holds its version, so no later
                // read can return an older one (no new-old inversion). Written back even when nothing was read, to
                // keep every ABD read at the same 4 hops.
                beginWrite(op, Phase.WRITE, op.readTs, op.readValue, op.readLength, homeMask(op.key), config.w,
                    depth, nowNs, out);
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
            beginWrite(op, Phase.REPAIR, op.readTs, op.readValue, op.readLength, stale, Long.bitCount(stale), depth,
                nowNs, out);
            return;
        }
        if (stale != 0)
        {
            // Off the critical path: sent, never waited for, and not acknowledged.
            final int length = messages.encodeWrite(
                depth + 1, op.sessionId, op.seq, op.key, op.readTs, -1, false, op.readValue, 0, op.readLength);
            sendToRemotes(stale, length, out);
            if (local != null && (stale & (1L << local.nodeId())) != 0)
            {
                local.store(op.key, op.readTs, op.readValue, 0, op.readLength);
            }
        }
        complete(op, depth, out);
    }

    private void complete(final Operation op, final int depth, final Outbox out)
    {
        op.phase = Phase.IDLE;
        op.completed = true;
        report(op, depth, out);
    }

    /**
     * Tells the outcome of a completed operation (again, e.g. to a client whose answer was lost).
     */
    void report(final Operation op, final int depth, final Outbox out)
    {
        if (op.type == OpType.PUT)
        {
            completion.onComplete(op, Status.OK, depth, op.writeTs, op.value, 0, 0, out);
        }
        else
        {
            final Status status = op.readTs == 0 ? Status.NOT_FOUND : Status.OK;
            completion.onComplete(op, status, depth, op.readTs, op.readValue, 0, op.readLength, out);
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
            if (config.sloppy && op.phase == Phase.WRITE && op.type == OpType.PUT &&
                nowNs - op.phaseStartNs >= config.hintAfterNs)
            {
                askSpares(op, out);
            }
            if (op.phase == Phase.READ && nowNs >= op.hedgeAtNs)
            {
                hedge(op, out);
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
        final long missing = op.asked & ~op.responders;
        if (op.phase == Phase.READ)
        {
            if (hedging.enabled() || tied.enabled())
            {
                // A hedged or tied read asked r replicas (and maybe one more); one of them is down, or a cancel came
                // from a replica that could not answer after all: now ask every one, untied.
                op.asked = homeMask(op.key);
                op.hedgeAtNs = Hedging.NEVER;
            }
            final int length = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key);
            sendToRemotes(op.asked & ~op.responders & homeMask(op.key), length, out);
            return;
        }
        for (int node = 0; node < config.replicas; node++)
        {
            if ((missing & (1L << node)) != 0 && node != self)
            {
                final int hint = config.isHome(op.key, node) ? -1 : op.hintFor[node];
                final int length = messages.encodeWrite(op.sendDepth, op.sessionId, op.seq, op.key, op.phaseTs, hint,
                    true, op.phaseValue, 0, op.phaseLength);
                out.send(node, messages.buffer(), 0, length);
            }
        }
    }

    /**
     * The read phase reached its hedge time short of r replies: ask the next home replica not asked yet, once.
     */
    private void hedge(final Operation op, final Outbox out)
    {
        op.hedgeAtNs = Hedging.NEVER;
        for (int i = 0; i < config.n; i++)
        {
            final int node = config.home(op.key, i);
            final long bit = 1L << node;
            if ((op.asked & bit) == 0 && node != self)
            {
                op.asked |= bit;
                hedging.copySent();
                final int length = messages.encodeRead(op.sendDepth, op.sessionId, op.seq, op.key);
                out.send(node, messages.buffer(), 0, length);
                return;
            }
        }
    }

    /**
     * Sloppy quorum: each home replica that has not acknowledged yet gets a stand-in, the next spare on the ring,
     * which holds the write with a hint and hands it to the home replica later (hinted handoff).
     */
    private void askSpares(final Operation op, final Outbox out)
    {
        final int spares = config.replicas - config.n;
        for (int i = 0; i < config.n && op.sparesUsed < spares; i++)
        {
            final int home = config.home(op.key, i);
            final long homeBit = 1L << home;
            if ((op.responders & homeBit) != 0 || hasStandIn(op, home))
            {
                continue;
            }
            final int spare = config.home(op.key, config.n + op.sparesUsed++);
            if (spare == self)
            {
                continue; // a replica coordinator is no stand-in for itself
            }
            op.hintFor[spare] = home;
            op.asked |= 1L << spare;
            final int length = messages.encodeWrite(op.sendDepth, op.sessionId, op.seq, op.key, op.phaseTs, home, true,
                op.phaseValue, 0, op.phaseLength);
            out.send(spare, messages.buffer(), 0, length);
        }
    }

    private boolean hasStandIn(final Operation op, final int home)
    {
        for (int s = 0; s < op.sparesUsed; s++)
        {
            if (op.hintFor[config.home(op.key, config.n + s)] == home)
            {
                return true;
            }
        }
        return false;
    }
}
