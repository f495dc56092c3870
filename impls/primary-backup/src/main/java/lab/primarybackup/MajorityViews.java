package lab.primarybackup;

import lab.core.Outbox;

/**
 * {@code pb-views=majority}: the replicas decide views themselves. A backup that hears nothing from its primary
 * stands for the next view ({@link ViewElection}); the primary keeps a majority of replicas (itself included) in the
 * in-sync set, so that every committed write is on a majority and any majority of voters holds it, and drops other
 * silent backups so that writes go on; it reads under its {@link ReadLease}; it steps down when it has not heard from
 * a majority for the primary timeout (check-quorum), so that clients look elsewhere.
 */
final class MajorityViews implements ViewPolicy
{
    private final int self;
    private final int replicas;
    private final int majority;
    private final long primaryTimeoutNs;
    private final PrimaryBackupReplica replica;
    private final ViewElection election;
    private final Backups backups;
    private final ReadLease lease;
    /** Check-quorum counts silence from here: the clock's start or the view's. */
    private long quorumCheckFromNs;

    MajorityViews(final int self, final int replicas, final PrimaryBackupConfig config,
        final PrimaryBackupReplica replica, final ViewElection election, final Backups backups)
    {
        this.self = self;
        this.replicas = replicas;
        this.majority = replicas / 2 + 1;
        this.primaryTimeoutNs = config.primaryTimeoutNs;
        this.replica = replica;
        this.election = election;
        this.backups = backups;
        this.lease = new ReadLease(self, replicas, config.primaryTimeoutNs, config.leaseDriftNs);
    }

    public void startClock(final long nowNs)
    {
        quorumCheckFromNs = nowNs;
    }

    /**
     * A backup whose primary timed out, or a candidate whose round ended undecided, starts a (pre-)vote round.
     */
    public void onTick(final long nowNs, final Outbox out)
    {
        switch (replica.roleState())
        {
            case BACKUP:
                if (election.primaryTimedOut(nowNs, replica.primaryWatch()))
                {
                    election.start(nowNs, out);
                }
                break;
            case PRE_CANDIDATE:
            case CANDIDATE:
                if (election.roundOver(nowNs))
                {
                    election.start(nowNs, out);
                }
                break;
            default:
                break;
        }
    }

    public boolean mayRead(final long nowNs)
    {
        return lease.valid(nowNs);
    }

    public boolean enoughInSync()
    {
        return backups.inSyncCount() + 1 >= majority;
    }

    public boolean mayDropSilentBackup()
    {
        return backups.inSyncCount() >= majority;
    }

    public long commitThrough(final long lastIndex)
    {
        return backups.inSyncMatch(lastIndex);
    }

    public boolean established(final long viewStartIndex)
    {
        return backups.reaching(viewStartIndex) >= majority;
    }

    public void onAck(final int backup, final long sentNs)
    {
        lease.onAck(backup, sentNs);
    }

    /**
     * Heard from: any message within the primary timeout, the primary itself included.
     */
    public boolean lostQuorum(final long nowNs)
    {
        int heard = 1;
        for (int b = 0; b < replicas; b++)
        {
            if (b != self && nowNs - backups.of(b).lastHeardNs < primaryTimeoutNs)
            {
                heard++;
            }
        }
        return heard < majority && nowNs - quorumCheckFromNs > primaryTimeoutNs;
    }

    /**
     * The view serves once a majority holds its state (at once when alone).
     */
    public boolean onBecomePrimary(final long nowNs)
    {
        quorumCheckFromNs = nowNs;
        lease.reset();
        return majority == 1;
    }

    public void onStepDown()
    {
        // the lease needs a majority's acks of this reign: a new reign starts from none (onBecomePrimary)
    }

    public void onServiceView(final long newView, final int newPrimary, final long leaseSentNs, final int[] members,
        final long[] joined, final int count, final long nowNs, final Outbox out)
    {
        // no service decides views in this mode: a View message (from no node this cluster has) is ignored
    }

    public boolean standby(final Role role, final long syncedView)
    {
        return false;
    }
}
