package lab.primarybackup;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadLeaseTest
{
    private static final long LEASE = 100;
    /** The lease is the primary timeout less the drift margin. */
    private static final long DRIFT = 20;
    private static final long PRIMARY_TIMEOUT = LEASE + DRIFT;

    @Test
    void aNewReignHoldsNoLeaseUntilAMajorityAcknowledged()
    {
        final ReadLease lease = new ReadLease(0, 5, PRIMARY_TIMEOUT, DRIFT);
        lease.reset();
        assertFalse(lease.valid(1_000));
        lease.onAck(1, 990);
        assertFalse(lease.valid(1_000), "two of five");
        lease.onAck(4, 995);
        assertTrue(lease.valid(1_000), "three of five, the primary included");
    }

    @Test
    void theLeaseRunsOutALeaseAfterTheOldestMajorityMessageWasSent()
    {
        final ReadLease lease = new ReadLease(0, 3, PRIMARY_TIMEOUT, DRIFT);
        lease.reset();
        lease.onAck(2, 1_000);
        assertTrue(lease.valid(1_099));
        assertFalse(lease.valid(1_100), "measured from the primary's clock at sending, not at the ack");
    }

    @Test
    void aLateAckOfAnOlderMessageDoesNotShortenTheLease()
    {
        final ReadLease lease = new ReadLease(0, 3, PRIMARY_TIMEOUT, DRIFT);
        lease.reset();
        lease.onAck(1, 1_000);
        lease.onAck(1, 900);
        assertTrue(lease.valid(1_050));
    }

    @Test
    void aSingleReplicaHoldsItAlone()
    {
        final ReadLease lease = new ReadLease(0, 1, PRIMARY_TIMEOUT, DRIFT);
        lease.reset();
        assertTrue(lease.valid(Long.MAX_VALUE / 4));
    }
}
