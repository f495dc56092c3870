package lab.chain;

import java.util.Map;

import lab.control.ServiceLease;
import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read lease a chain node holds from the configuration manager: the shared {@link ServiceLease} (its own spec
 * tests are in impls/control), configured from the chain's options.
 */
class ChainLeaseTest
{
    private static final long MS = 1_000_000L;

    @Test
    void theConfiguredLeaseIsTheFailureTimeoutLessTheDrift()
    {
        final ChainConfig config = new ChainConfig(new ProtocolSettings(3, 1, 1,
            Map.of("chain-failure-timeout", "90ms", "chain-lease-drift", "20ms")));
        final ServiceLease lease = new ServiceLease(config.failureTimeoutNs, config.leaseDriftNs);
        lease.grant(0);
        assertEquals(config.leaseNs, lease.expiryNs());
        assertEquals(70 * MS, config.leaseNs);
    }
}
