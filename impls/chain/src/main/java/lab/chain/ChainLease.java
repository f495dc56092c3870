package lab.chain;

import lab.core.quorum.MajorityTracker;

/**
 * A chain node's read lease, granted by the configuration manager with each answer to the node's heartbeat. The
 * manager removes a member only after hearing nothing from it for the failure timeout, and it heard a heartbeat no
 * earlier than the node sent it: so from the send time of a heartbeat the manager answered, the node stays a member
 * for at least the failure timeout on the manager's clock, and on its own clock, allowing for drift, until the
 * shared kit's {@link MajorityTracker#leaseExpiry} (the same arithmetic as a Raft leader's lease, with one voter:
 * the manager). A node cut off from the manager thus stops reading before a new chain can commit writes it has not
 * seen.
 */
final class ChainLease
{
    private final long failureTimeoutNs;
    private final long driftNs;
    private long expiryNs = Long.MIN_VALUE;

    /**
     * @param failureTimeoutNs the manager's silence before it removes a member: what it promises.
     * @param driftNs          how far the node's clock may run behind the manager's over that span.
     */
    ChainLease(final long failureTimeoutNs, final long driftNs)
    {
        this.failureTimeoutNs = failureTimeoutNs;
        this.driftNs = driftNs;
    }

    /**
     * The manager answered the heartbeat this node sent at {@code sentNs} (its own clock) and counts it a member. A
     * late answer to an older heartbeat never shortens the lease.
     */
    void grant(final long sentNs)
    {
        expiryNs = Math.max(expiryNs, MajorityTracker.leaseExpiry(sentNs, failureTimeoutNs, driftNs));
    }

    /**
     * @return whether reads may be served at {@code nowNs}: strictly before the expiry.
     */
    boolean holds(final long nowNs)
    {
        return nowNs < expiryNs;
    }

    /**
     * Out of the chain: no more reads until a new grant.
     */
    void revoke()
    {
        expiryNs = Long.MIN_VALUE;
    }

    long expiryNs()
    {
        return expiryNs;
    }
}
