package lab.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease a node holds from a configuration service ({@link ServiceLease}): the chain's members, primary-backup's
 * primary under pb-views=config-service.
 */
class ServiceLeaseTest
{
    private static final long MS = 1_000_000L;

    @Test
    void holdsUntilTheFailureTimeoutLessTheDriftAfterTheHeartbeatWasSentAndNotAtTheExpiry()
    {
        final ServiceLease lease = new ServiceLease(150 * MS, 30 * MS);
        lease.grant(1_000 * MS);
        assertEquals(1_120 * MS, lease.expiryNs());
        assertTrue(lease.holds(1_000 * MS));
        assertTrue(lease.holds(1_120 * MS - 1));
        assertFalse(lease.holds(1_120 * MS), "at the expiry instant the lease no longer holds");
    }

    @Test
    void noLeaseBeforeTheFirstGrantNorAfterARevoke()
    {
        final ServiceLease lease = new ServiceLease(150 * MS, 30 * MS);
        assertFalse(lease.holds(0));
        assertFalse(lease.holds(Long.MIN_VALUE + 1));
        lease.grant(10 * MS);
        assertTrue(lease.holds(10 * MS));
        lease.revoke();
        assertFalse(lease.holds(10 * MS));
    }

    @Test
    void aLateAnswerToAnOlderHeartbeatNeverShortensTheLease()
    {
        final ServiceLease lease = new ServiceLease(150 * MS, 30 * MS);
        lease.grant(200 * MS);
        lease.grant(100 * MS); // reordered: the answer to the heartbeat sent before
        assertEquals(320 * MS, lease.expiryNs());
        assertTrue(lease.holds(319 * MS));
    }
}
