package lab.quorum;

import lab.core.Outbox;

/**
 * The stand-ins of a sloppy quorum ({@code sloppy-quorum}, Dynamo mode): a write that still lacks a home replica's
 * acknowledgement {@code hint-after} into its phase also goes to a spare replica, the next on the ring after the
 * home replicas, with a hint naming the home replica it stands in for; the spare holds it apart and hands it to the
 * home replica later ({@link HintedHandoff}), and its acknowledgement counts towards w. Kept apart from the phase
 * machine because it only widens who may acknowledge a write: the phase still completes on w acknowledgements.
 *
 * <p>Which spare stands in for which home replica is kept in the operation ({@code hintFor}, {@code sparesUsed}), so
 * that a resend repeats each spare's hint; allocation-free.
 */
final class StandIns
{
    private final QuorumConfig config;
    private final int self;
    private final QuorumMessages messages;

    /**
     * @param self node id of the coordinator: a replica coordinator is no stand-in for itself.
     */
    StandIns(final QuorumConfig config, final int self, final QuorumMessages messages)
    {
        this.config = config;
        this.self = self;
        this.messages = messages;
    }

    /**
     * A write phase of a PUT on a tick: once it is {@code hint-after} old, each home replica that has not
     * acknowledged yet gets a stand-in, as long as spares are left.
     */
    void onTick(final Coordinator.Operation op, final long nowNs, final Outbox out)
    {
        if (config.sloppy && nowNs - op.phaseStartNs >= config.hintAfterNs)
        {
            askSpares(op, out);
        }
    }

    /**
     * @return the home replica {@code node} stands in for in this write, or -1 when it is a home replica of the key.
     */
    int hintFor(final Coordinator.Operation op, final int node)
    {
        return config.isHome(op.key, node) ? -1 : op.hintFor[node];
    }

    private void askSpares(final Coordinator.Operation op, final Outbox out)
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
            final int length = messages.encodeWrite(op.sessionId, op.seq, op.key, op.phaseTs, home, true,
                op.phaseValue, 0, op.phaseLength);
            out.send(spare, messages.buffer(), 0, length);
        }
    }

    private boolean hasStandIn(final Coordinator.Operation op, final int home)
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
