package lab.control;

import lab.core.quorum.MajorityTracker;

/**
 * A lease a configuration service grants a node with its answer to the node's heartbeat. The service removes (or
 * replaces) a node only after hearing nothing from it for the failure timeout, and it heard a heartbeat no earlier
 * than the node sent it: so from the send time of a heartbeat the service answered, the node keeps its place for at
 * least the failure timeout on the service's clock, and on its own clock, allowing for drift, until the shared kit's
 * {@link MajorityTracker#leaseExpiry} (the same arithmetic as a Raft leader's lease, with one voter: the service). A
 * node cut off from the service thus stops serving reads before the service can put another in its place. Used by
 * the chain's members and by primary-backup's primary under {@code pb-views=config-service}.
 */
public final class ServiceLease
{
    private final long failureTimeoutNs;
    private final long driftNs;
    private long expiryNs = Long.MIN_VALUE;

    /**
     * @param failureTimeoutNs the service's silence before it removes the node: what it promises.
     * @param driftNs          how far the node's clock may run behind the service's over that span.
     */
    public ServiceLease(final long failureTimeoutNs, final long driftNs)
    {
        this.failureTimeoutNs = failureTimeoutNs;
        this.driftNs = driftNs;
    }

    /**
     * The service answered the heartbeat this node sent at {@code sentNs} (its own clock) and keeps it in its place.
     * A late answer to an older heartbeat never shortens the lease.
     */
    public void grant(final long sentNs)
    {
        expiryNs = Math.max(expiryNs, MajorityTracker.leaseExpiry(sentNs, failureTimeoutNs, driftNs));
    }

    /**
     * @return whether reads may be served at {@code nowNs}: strictly before the expiry.
     */
    public boolean holds(final long nowNs)
    {
        return nowNs < expiryNs;
    }

    /**
     * Out of its place: no more reads until a new grant.
     */
    public void revoke()
    {
        expiryNs = Long.MIN_VALUE;
    }

    public long expiryNs()
    {
        return expiryNs;
    }
}
