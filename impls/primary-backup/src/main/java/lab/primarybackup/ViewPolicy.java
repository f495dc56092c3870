package lab.primarybackup;

import lab.core.Outbox;

/**
 * How a primary-backup replica's views are decided, and what follows from who decides them: whether the primary may
 * serve a read, which backups a commit waits for, when a new view is established, and the timers that change views.
 * The replica keeps replication and client handling; it asks its policy these questions and nothing else differs
 * between the modes, so each mode's rules sit together instead of as branches through the replica.
 *
 * <p>{@link MajorityViews} ({@code pb-views=majority}, the default): the replicas vote ({@link ViewElection}), the
 * primary reads under its {@link ReadLease}, drops silent backups from the in-sync set down to a majority and steps
 * down when it cannot hear a majority. {@link ServiceViews} ({@code pb-views=config-service}): the configuration
 * service ({@link ViewService}) names each view; every backup of it is required, reads are under the service's
 * lease, and no vote or check-quorum runs.
 */
interface ViewPolicy
{
    /**
     * Time starts with the first event (see {@link PrimaryBackupReplica}): timers count from it.
     */
    void startClock(long nowNs);

    /**
     * The policy's own timers, each tick, before the primary's (heartbeats to the service; elections when the
     * primary is silent).
     */
    void onTick(long nowNs, Outbox out);

    /**
     * @return whether the primary may answer a read from its committed state now.
     */
    boolean mayRead(long nowNs);

    /**
     * @return whether enough backups are in sync for the primary to take and commit writes.
     */
    boolean enoughInSync();

    /**
     * @return whether a silent in-sync backup may be dropped from the in-sync set (so that writes go on without it).
     */
    boolean mayDropSilentBackup();

    /**
     * @return the highest index every backup that a commit waits for holds, at most {@code lastIndex}.
     */
    long commitThrough(long lastIndex);

    /**
     * @return whether a new primary's view is established: enough backups hold the state it started from.
     */
    boolean established(long viewStartIndex);

    /**
     * A backup acknowledged a message the primary sent at {@code sentNs} (the read lease's evidence).
     */
    void onAck(int backup, long sentNs);

    /**
     * @return whether a primary has lost the backups it needs and should step down (check-quorum).
     */
    boolean lostQuorum(long nowNs);

    /**
     * This replica is the primary of a new view (or the bootstrap primary of view 1).
     *
     * @return whether the view is established at once (no backup has to receive the state first).
     */
    boolean onBecomePrimary(long nowNs);

    /**
     * This replica stopped being primary: whatever let it serve reads ends.
     */
    void onStepDown();

    /**
     * A view the configuration service committed ({@link ViewService}); see {@link ServiceViews#onServiceView}.
     */
    void onServiceView(long newView, int newPrimary, long leaseSentNs, int[] members, long[] joined, int count,
        long nowNs, Outbox out);

    /**
     * @return whether a replica in {@code role} reports itself as holding no state the cluster relies on (see
     * {@link PrimaryBackupReplica#role()}).
     */
    boolean standby(Role role, long syncedView);
}
