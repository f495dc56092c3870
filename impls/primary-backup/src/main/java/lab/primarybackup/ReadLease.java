package lab.primarybackup;

import lab.core.quorum.MajorityTracker;

/**
 * The primary's read lease: it serves a read from its own committed state, without asking the backups, while a
 * majority (itself included) acknowledged one of its messages sent less than the lease ago. Safe because a replica
 * that heard from the primary never votes a new one in before the primary timeout, and the lease ends a drift margin
 * before that ({@link MajorityTracker#leaseHolds}). Each ack echoes the primary's clock at sending ({@code leaseNs}),
 * so only the primary's clock is read: the tracker holds, per replica, the send time of the latest message it
 * acknowledged, and the primary's own value is the current time (it hears itself at once).
 */
final class ReadLease
{
    /** Acknowledged nothing of this reign: far enough in the past that no lease arithmetic overflows. */
    private static final long NEVER = Long.MIN_VALUE / 2;

    private final int self;
    private final long primaryTimeoutNs;
    private final long driftNs;
    private final MajorityTracker ackedSentNs;

    /**
     * @param primaryTimeoutNs how long a backup that heard from the primary refuses to vote: the lease's span.
     * @param driftNs          how far clocks may drift apart over it: the lease ends that much earlier.
     */
    ReadLease(final int self, final int replicas, final long primaryTimeoutNs, final long driftNs)
    {
        this.self = self;
        this.primaryTimeoutNs = primaryTimeoutNs;
        this.driftNs = driftNs;
        this.ackedSentNs = new MajorityTracker(replicas, NEVER);
    }

    /**
     * A new reign: no backup has acknowledged anything of it yet.
     */
    void reset()
    {
        ackedSentNs.reset(NEVER);
    }

    /**
     * A backup acknowledged a message the primary sent at {@code sentNs}; an older message acknowledged late does
     * not shorten the lease.
     */
    void onAck(final int backup, final long sentNs)
    {
        ackedSentNs.advance(backup, sentNs);
    }

    boolean valid(final long nowNs)
    {
        ackedSentNs.set(self, nowNs);
        return ackedSentNs.leaseHolds(primaryTimeoutNs, driftNs, nowNs);
    }
}
