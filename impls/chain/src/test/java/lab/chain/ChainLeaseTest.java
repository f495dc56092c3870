package lab.chain;

import java.util.Map;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read lease a chain node holds from the configuration manager ({@link ChainLease}).
 */
class ChainLeaseTest
{
    private static final long MS = 1_000_000L;

    @Test
    void holdsUntilTheFailureTimeoutLessTheDriftAfterTheHeartbeatWasSentAndNotAtTheExpiry()
    {
        final ChainLease lease = new ChainLease(150 * MS, 30 * MS);
        lease.grant(1_000 * MS);
        assertEquals(1_120 * MS, lease.expiryNs());
        assertTrue(lease.holds(1_000 * MS));
        assertTrue(lease.holds(1_120 * MS - 1));
        assertFalse(lease.holds(1_120 * MS), "at the expiry instant the lease no longer holds");
    }

    @Test
    void noLeaseBeforeTheFirstGrantNorAfterARevoke()
    {
        final ChainLease lease = new ChainLease(150 * MS, 30 * MS);
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
        final ChainLease lease = new ChainLease(150 * MS, 30 * MS);
        lease.grant(200 * MS);
        lease.grant(100 * MS); // reordered: the answer to the heartbeat sent before
        assertEquals(320 * MS, lease.expiryNs());
        assertTrue(lease.holds(319 * MS));
    }

    @Test
    void theConfiguredLeaseIsTheFailureTimeoutLessTheDrift()
    {
        final ChainConfig config = new ChainConfig(new ProtocolSettings(3, 1, 1,
            Map.of("chain-failure-timeout", "90ms", "chain-lease-drift", "20ms")));
        final ChainLease lease = new ChainLease(config.failureTimeoutNs, config.leaseDriftNs);
        lease.grant(0);
        assertEquals(config.leaseNs, lease.expiryNs());
        assertEquals(70 * MS, config.leaseNs);
    }
}
