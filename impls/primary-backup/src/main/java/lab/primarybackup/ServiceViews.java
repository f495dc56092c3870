package lab.primarybackup;

import lab.control.ServiceLease;
import lab.core.Outbox;

/**
 * {@code pb-views=config-service}: views come from a configuration service on control nodes ({@link ViewService})
 * instead of a vote. Every replica heartbeats to the service nodes and adopts each view they send; the primary
 * commits a write only once every backup of its view has it (none is dropped until the service commits a view
 * without it), re-establishes each new view by sending its state to every backup, and serves reads under the
 * service's lease ({@link ServiceLease}). No election, no check-quorum: a primary is replaced only by the service.
 *
 * <p>Keeps what the replica knows of the service's latest view: its backups (the set a commit requires when this
 * replica is its primary), the view that added this replica, and when the service last confirmed its place.
 */
final class ServiceViews implements ViewPolicy
{
    private final int self;
    private final long heartbeatIntervalNs;
    private final long backupTimeoutNs;
    private final PrimaryBackupReplica replica;
    private final Backups backups;
    private final PrimaryBackupPublisher publisher;
    private final ServiceLease lease;
    private long nextServiceHeartbeatNs;
    /** The backups of the latest view the service sent (the required set when this replica is its primary). */
    private final int[] viewBackups;
    private int viewBackupCount;
    /** The view that added this replica as a backup, per the latest view the service sent; -1: not a backup. */
    private long joinedView = -1;
    /** When the service last sent the view this replica is in, naming it primary or backup. */
    private long viewConfirmedNs;
    /** The service confirmed this replica's place within the backup timeout (as of the last tick). */
    private boolean placeConfirmed = true;

    ServiceViews(final int self, final int replicas, final PrimaryBackupConfig config,
        final PrimaryBackupReplica replica, final Backups backups, final PrimaryBackupPublisher publisher,
        final boolean restarted)
    {
        this.self = self;
        this.heartbeatIntervalNs = config.heartbeatIntervalNs;
        this.backupTimeoutNs = config.backupTimeoutNs;
        this.replica = replica;
        this.backups = backups;
        this.publisher = publisher;
        this.lease = new ServiceLease(config.primaryTimeoutNs, config.leaseDriftNs);
        viewBackups = new int[replicas];
        if (!restarted)
        {
            // the service's first view is the bootstrap's (ViewService#initialView): replica 0 primary, all others
            // its backups since view 1
            viewBackupCount = replicas - 1;
            for (int b = 1; b < replicas; b++)
            {
                viewBackups[b - 1] = b;
            }
            joinedView = self == 0 ? -1 : 1;
        }
    }

    public void startClock(final long nowNs)
    {
        viewConfirmedNs = nowNs; // every replica starts in the service's first view
    }

    /**
     * Heartbeats to every service node (the acting one answers with the view, and a lease for its primary); and
     * whether the service still confirms this replica's place.
     */
    public void onTick(final long nowNs, final Outbox out)
    {
        placeConfirmed = nowNs - viewConfirmedNs <= backupTimeoutNs;
        if (nowNs >= nextServiceHeartbeatNs)
        {
            nextServiceHeartbeatNs = nowNs + heartbeatIntervalNs;
            publisher.serviceHeartbeat(out, Math.max(replica.view(), replica.votedView()), replica.syncedView(),
                nowNs);
        }
    }

    public boolean mayRead(final long nowNs)
    {
        return lease.holds(nowNs);
    }

    /**
     * Always: every backup of the view is required whatever it does, so there is no in-sync set to shrink below.
     */
    public boolean enoughInSync()
    {
        return true;
    }

    public boolean mayDropSilentBackup()
    {
        return false; // only the service removes a backup, by committing a view without it
    }

    public long commitThrough(final long lastIndex)
    {
        return backups.requiredMatch(lastIndex);
    }

    public boolean established(final long viewStartIndex)
    {
        return backups.requiredMatch(viewStartIndex) >= viewStartIndex;
    }

    public void onAck(final int backup, final long sentNs)
    {
        // reads rest on the service's lease, not on the backups' acks
    }

    public boolean lostQuorum(final long nowNs)
    {
        return false; // the service replaces a primary that cannot reach its backups
    }

    /**
     * Every backup of the service's view is sent the state: the view serves once all hold it (at once with none).
     */
    public boolean onBecomePrimary(final long nowNs)
    {
        backups.require(viewBackups, viewBackupCount);
        return viewBackupCount == 0;
    }

    public void onStepDown()
    {
        lease.revoke();
    }

    /**
     * A view the service committed ({@code members[0 .. count)}, each added in {@code joined[i]}), with a lease when
     * it answers this replica's heartbeat as the view's primary. A newer view is adopted: its primary takes over
     * (unless it restarted without its state: the service then replaces it), anyone else follows it. An older view
     * is ignored: the service's views only go forward.
     */
    public void onServiceView(final long newView, final int newPrimary, final long leaseSentNs, final int[] members,
        final long[] joined, final int count, final long nowNs, final Outbox out)
    {
        if (newView < replica.view() || newView < replica.votedView())
        {
            return;
        }
        viewBackupCount = count;
        System.arraycopy(members, 0, viewBackups, 0, count);
        joinedView = -1;
        for (int i = 0; i < count; i++)
        {
            if (members[i] == self)
            {
                joinedView = joined[i];
            }
        }
        if (newPrimary == self)
        {
            if (!replica.leadServiceView(newView, nowNs, out))
            {
                return;
            }
            viewConfirmedNs = nowNs;
            if (leaseSentNs != Long.MIN_VALUE)
            {
                lease.grant(leaseSentNs);
            }
            return;
        }
        replica.followServiceView(newView, newPrimary, nowNs);
        if (joinedView >= 0)
        {
            viewConfirmedNs = nowNs;
        }
    }

    /**
     * A backup the service does not count on (outside the view, or not yet holding the state of the view that added
     * it), and a primary or backup whose place the service has not confirmed for the backup timeout (the service may
     * have replaced it).
     */
    public boolean standby(final Role role, final long syncedView)
    {
        return (role == Role.BACKUP || role == Role.PRIMARY) &&
            (!placeConfirmed || role == Role.BACKUP && (joinedView < 0 || syncedView < joinedView));
    }
}
