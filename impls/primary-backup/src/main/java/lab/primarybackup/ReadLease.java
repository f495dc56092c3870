package lab.primarybackup;

/**
 * The primary's read lease: it serves a read from its own committed state, without asking the backups, while a
 * majority (itself included) acknowledged one of its messages sent less than the lease ago. Safe because a replica
 * that heard from the primary never votes a new one in before the primary timeout, which is longer than the lease.
 * Each ack echoes the primary's clock at sending ({@code leaseNs}), so only the primary's clock is read.
 */
final class ReadLease
{
    private final int self;
    private final int majority;
    private final long leaseNs;
    private final long[] ackedSentNs;

    ReadLease(final int self, final int replicas, final int majority, final long leaseNs)
    {
        this.self = self;
        this.majority = majority;
        this.leaseNs = leaseNs;
        this.ackedSentNs = new long[replicas];
    }

    /**
     * A new reign: no backup has acknowledged anything of it yet.
     */
    void reset()
    {
        for (int b = 0; b < ackedSentNs.length; b++)
        {
            ackedSentNs[b] = Long.MIN_VALUE / 2;
        }
    }

    /**
     * A backup acknowledged a message the primary sent at {@code sentNs}.
     */
    void onAck(final int backup, final long sentNs)
    {
        ackedSentNs[backup] = Math.max(ackedSentNs[backup], sentNs);
    }

    boolean valid(final long nowNs)
    {
        int holders = 1;
        for (int b = 0; b < ackedSentNs.length; b++)
        {
            if (b != self && nowNs - ackedSentNs[b] < leaseNs)
            {
                holders++;
            }
        }
        return holders >= majority;
    }
}
