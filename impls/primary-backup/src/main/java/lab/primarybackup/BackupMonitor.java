package lab.primarybackup;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.detect.FailureDetector;

/**
 * A primary's upkeep of its backups, apart from the replica's rules: heartbeats out, acks in (each backup's
 * {@link BackupProgress}: how far it matches, a snapshot it now holds, readmission to the in-sync set), a silent backup
 * dropped from the in-sync set, a quiet one sent its missing entries again ({@link BackupFeed}).
 *
 * <p>The replica keeps its role, view and log and passes them in as plain arguments; this keeps only the detector on
 * the backups and the heartbeat timer, and tells the replica when its in-sync set shrank (a commit may follow that no
 * ack triggers). Nothing is allocated per message or tick: the calls take primitives and loop over the preallocated
 * {@link Backups}.
 */
final class BackupMonitor
{
    private final int self;
    private final long heartbeatIntervalNs;
    private final long retransmitNs;
    private final Backups backups;
    private final BackupFeed feed;
    private final ViewPolicy views;
    private final PrimaryBackupPublisher publisher;
    private final HopDepth hops;
    /** The primary's detector on its backups: acks to heartbeats sample it, other acks restart it. */
    private final FailureDetector backupWatch;
    private long nextHeartbeatNs;

    BackupMonitor(final int self, final PrimaryBackupConfig config, final Backups backups, final BackupFeed feed,
        final ViewPolicy views, final PrimaryBackupPublisher publisher, final HopDepth hops)
    {
        this.self = self;
        this.heartbeatIntervalNs = config.heartbeatIntervalNs;
        this.retransmitNs = config.retransmitNs;
        this.backups = backups;
        this.feed = feed;
        this.views = views;
        this.publisher = publisher;
        this.hops = hops;
        backupWatch = config.detector.newDetector(backups.size(), "primary-backup", config.backupTimeoutNs);
    }

    /**
     * The clock starts with the first event: every backup counts as heard from at that moment.
     */
    void startClock(final long nowNs)
    {
        backups.startClock(nowNs);
        for (int b = 0; b < backups.size(); b++)
        {
            backupWatch.reset(b, nowNs);
        }
    }

    /**
     * This replica became primary of {@code view}: nothing is known of its backups but that they were just heard of,
     * every one is sent the committed state, and the first heartbeat goes out at the next tick.
     */
    void startView(final long view, final long commitIndex, final long nowNs, final Outbox out)
    {
        nextHeartbeatNs = nowNs;
        for (int b = 0; b < backups.size(); b++)
        {
            backups.of(b).resetForView(nowNs);
            backupWatch.reset(b, nowNs);
            if (b != self)
            {
                feed.startSnapshot(out, b, view, commitIndex, nowNs);
            }
        }
    }

    /**
     * The primary's timers: a heartbeat when due; a silent backup leaves the in-sync set (when the policy allows);
     * a snapshot under way resends its unacknowledged chunks; a backup quiet past the retransmit interval gets its
     * missing entries again.
     *
     * @return whether the in-sync set shrank: entries may now commit that no ack commits.
     */
    boolean onTick(final long view, final long lastIndex, final long commitIndex, final long nowNs, final Outbox out)
    {
        if (nowNs >= nextHeartbeatNs)
        {
            nextHeartbeatNs = nowNs + heartbeatIntervalNs;
            publisher.heartbeat(out, view, lastIndex, commitIndex, nowNs);
        }

        boolean shrunk = false;
        for (int b = 0; b < backups.size(); b++)
        {
            if (b == self)
            {
                continue;
            }
            final BackupProgress backup = backups.of(b);
            final boolean alive = !backupWatch.suspected(b, nowNs);
            if (backup.inSync && !alive && views.mayDropSilentBackup())
            {
                backup.inSync = false; // drop the silent backup so writes go on; a majority stays in sync
                shrunk = true;
            }
            if (backup.snapshotting)
            {
                feed.resendSnapshot(out, b, nowNs);
            }
            else if (backup.behind(lastIndex, nowNs, retransmitNs))
            {
                backup.progressAtNs = nowNs;
                feed.retransmit(out, b, view, lastIndex, commitIndex);
            }
        }
        return shrunk;
    }

    /**
     * An ack from backup {@code from} in the primary's own view: it was heard from, and its progress moves to what it
     * holds ({@code acked}). A backup that says it needs the state is sent a snapshot instead.
     *
     * @return false when the ack asked for a snapshot: it tells nothing of the backup's log.
     */
    boolean onAck(final int from, final long acked, final long leaseNs, final boolean needSnapshot,
        final boolean answersHeartbeat, final long view, final long lastIndex, final long commitIndex,
        final long nowNs, final Outbox out)
    {
        final BackupProgress backup = backups.of(from);
        backup.lastHeardNs = nowNs;
        if (answersHeartbeat)
        {
            backupWatch.heartbeat(from, nowNs);
        }
        else
        {
            backupWatch.heard(from, nowNs);
        }
        if (needSnapshot)
        {
            if (!backup.snapshotting)
            {
                feed.startSnapshot(out, from, view, commitIndex, nowNs);
            }
            return false;
        }
        views.onAck(from, leaseNs);
        backup.lastAckDepth = hops.input(); // held for a commit that no ack triggers (the replica's primaryTick)
        if (acked > backup.matchIndex)
        {
            backup.matchIndex = acked;
            backup.progressAtNs = nowNs;
        }
        else if (acked < backup.matchIndex)
        {
            // The backup holds less than it once acknowledged: it restarted and lost its state (or this ack was
            // overtaken by a later one; the next ack corrects it). Believe it, so that commits do not count entries
            // it no longer has and retransmission starts from what it has, not from past a gap it can never fill.
            backup.matchIndex = acked;
        }
        if (backup.snapshotting && backup.matchIndex >= backup.snapshotIndex)
        {
            feed.snapshotDone(from);
            backup.progressAtNs = nowNs;
            feed.retransmit(out, from, view, lastIndex, commitIndex);
        }
        return true;
    }

    /**
     * After an ack: a backup out of the in-sync set that holds every committed entry (and no snapshot is under way
     * to it) is back in it. Apart from {@link #onAck} because the replica decides whether its view is established
     * between the two, and that order is kept.
     */
    void readmitIfCaughtUp(final int from, final long commitIndex)
    {
        final BackupProgress backup = backups.of(from);
        if (!backup.inSync && !backup.snapshotting && backup.matchIndex >= commitIndex)
        {
            backup.inSync = true;
        }
    }
}
