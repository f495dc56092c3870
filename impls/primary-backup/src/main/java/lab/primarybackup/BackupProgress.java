package lab.primarybackup;

/**
 * What a primary knows of one backup (as etcd's tracker.Progress): how far its log matches, whether it is in the
 * in-sync set that every commit waits for, when it was last heard from and last made progress, the depth of its last
 * ack, and whether a state transfer is under way to it (its chunks are the {@link PrimaryBackupStateTransfer}'s). One
 * per replica, allocated with the replica and reset at each new view.
 */
final class BackupProgress
{
    /** The highest index known to be in the backup's log; -1 when unknown (it is being sent a snapshot). */
    long matchIndex;
    /** In the set a commit waits for (Kafka's ISR): dropped when silent, readmitted when caught up. */
    boolean inSync;
    long lastHeardNs;
    /**
     * A backup of the configuration service's view (pb-views=config-service): every commit waits for it, whatever
     * it does, until the service commits a view without it.
     */
    boolean required;
    /** When its match index last moved (or a retransmission was sent): retransmit after a quiet spell. */
    long progressAtNs;
    /** Hop depth of its last ack: a commit that a timeout (not an ack) triggers continues its path. */
    int lastAckDepth;

    /** A state transfer to this backup is under way: log entries are not sent to it until it has the state. */
    boolean snapshotting;
    /** The index the snapshot under way covers: an ack at or past it means the backup holds it. */
    long snapshotIndex;

    /**
     * A new view: nothing is known of the backup but that it was just heard of.
     */
    void resetForView(final long nowNs)
    {
        matchIndex = -1;
        inSync = false;
        lastHeardNs = nowNs;
        progressAtNs = nowNs;
        snapshotting = false;
    }

    /**
     * A state transfer at {@code index} starts: the backup is out of the in-sync set, and what it had is no longer
     * known: its ack of the installed snapshot says.
     */
    void snapshotStarted(final long index)
    {
        snapshotIndex = index;
        snapshotting = true;
        inSync = false;
        matchIndex = -1;
    }

    /**
     * @return whether the backup needs entries it has not acknowledged and has been quiet long enough to resend.
     */
    boolean behind(final long lastIndex, final long nowNs, final long retransmitNs)
    {
        return matchIndex >= 0 && matchIndex < lastIndex && nowNs - progressAtNs > retransmitNs;
    }
}
