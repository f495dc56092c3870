package lab.quorum;

import lab.core.Outbox;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;

/**
 * The read fan-out policy of a {@link Coordinator}: which of a key's home replicas a read phase asks, and when it
 * asks more. Kept apart from the phase machine because it changes only who is asked, never what a quorum is: any r
 * distinct replies complete the phase, whichever replicas sent them.
 * <ul>
 *   <li>Ask all (the default): every home replica at once.</li>
 *   <li>Hedged ({@link Hedging} on, the client as coordinator, {@code hedge}): the first r home replicas; when the
 *   phase has not reached r replies by the hedge time, the next home replica too (one more, once per phase).</li>
 *   <li>Tied ({@link TiedReads} on, {@code tied}): the first r home replicas and one more, at once, two of them tied.
 *   "Two replicas, each told of the other" is read, for a quorum of r > 1, as: r - 1 replicas asked plainly, and the
 *   r-th a pair, the last of the first r home replicas (the one a read would wait for last when the homes are equally
 *   fast, and the one a hedge would stand in for) tied to the next home replica, the spare. The pair's replicas each
 *   cancel the other's copy when they start serving, so the phase pays r + 1 requests, about r replies and a cancel,
 *   where asking all n costs n requests and n replies; and a slow replica among the pair costs nothing, because its
 *   peer starts first. A replica coordinator ties only replicas other than itself (its own share needs no message);
 *   with no such pair it asks every home replica, untied.</li>
 * </ul>
 * A resend after {@code quorum-retry} asks every home replica not heard from, untied (a copy a cancel dropped is
 * gone).
 */
final class ReadFanOut
{
    private final QuorumConfig config;
    private final int self;
    private final QuorumMessages messages;
    private final Hedging hedging;
    private final TiedReads tied;

    /**
     * @param self    node id of the coordinator: never sent a message of its own.
     * @param hedging when a read phase asks one more replica; {@link Hedging#off()} to ask every home replica at once.
     * @param tied    whether a read phase ties one of its first r home replicas to a spare home replica.
     */
    ReadFanOut(final QuorumConfig config, final int self, final QuorumMessages messages, final Hedging hedging,
        final TiedReads tied)
    {
        this.config = config;
        this.self = self;
        this.messages = messages;
        this.hedging = hedging;
        this.tied = tied;
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
     * Sends a new read phase's requests (a coordinator among the targets answers its own share without one).
     *
     * @return the replicas asked.
     */
    long begin(final Coordinator.Operation op, final long nowNs, final Outbox out)
    {
        if (tied.enabled())
        {
            final long targets = beginTied(op, out);
            if (targets != 0)
            {
                return targets;
            }
        }
        final long targets = hedging.enabled() ? config.firstHomes(op.key, config.r) : config.homeMask(op.key);
        if (hedging.enabled())
        {
            op.hedgeAtNs = hedging.hedgeAtNs(nowNs);
        }
        final int length = messages.encodeRead(op.sessionId, op.seq, op.key);
        messages.sendTo(targets, self, length, out);
        return targets;
    }

    /**
     * A tied read phase: the first r home replicas, the last of them other than this coordinator tied to the next home
     * replica after them other than this coordinator.
     *
     * @return the replicas asked, or 0 when there is no such pair (nothing sent): the caller then asks every home
     * replica, untied.
     */
    private long beginTied(final Coordinator.Operation op, final Outbox out)
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
            return 0;
        }
        final long targets = config.firstHomes(op.key, config.r) | (1L << tiedSpare);
        tied.copySent();
        final int plain = messages.encodeRead(op.sessionId, op.seq, op.key);
        messages.sendTo(targets & ~(1L << tiedFirst) & ~(1L << tiedSpare), self, plain, out);
        int length = messages.encodeRead(op.sessionId, op.seq, op.key, tiedSpare);
        out.send(tiedFirst, messages.buffer(), 0, length);
        length = messages.encodeRead(op.sessionId, op.seq, op.key, tiedFirst);
        out.send(tiedSpare, messages.buffer(), 0, length);
        return targets;
    }

    /**
     * The read phase reached its hedge time short of r replies: ask the next home replica not asked yet, once.
     */
    void hedge(final Coordinator.Operation op, final Outbox out)
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
                final int length = messages.encodeRead(op.sessionId, op.seq, op.key);
                out.send(node, messages.buffer(), 0, length);
                return;
            }
        }
    }

    /**
     * The read phase's {@code quorum-retry} passed short of r replies: ask again every home replica not heard from.
     */
    void resend(final Coordinator.Operation op, final Outbox out)
    {
        final long homes = config.homeMask(op.key);
        if (hedging.enabled() || tied.enabled())
        {
            // A hedged or tied read asked r replicas (and maybe one more); one of them is down, or a cancel came from
            // a replica that could not answer after all: now ask every one, untied.
            op.asked = homes;
            op.hedgeAtNs = Hedging.NEVER;
        }
        final int length = messages.encodeRead(op.sessionId, op.seq, op.key);
        messages.sendTo(op.asked & ~op.responders & homes, self, length, out);
    }

    /**
     * The read phase has its r replies: the policy's counters (and a hedge's percentile of read times) learn of it.
     */
    void readCompleted(final Coordinator.Operation op, final long nowNs)
    {
        if (hedging.enabled())
        {
            hedging.readCompleted(nowNs - op.phaseStartNs);
        }
        if (tied.enabled())
        {
            tied.readCompleted();
        }
    }
}
