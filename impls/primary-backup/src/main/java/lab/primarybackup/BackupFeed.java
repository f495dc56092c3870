package lab.primarybackup;

import lab.core.Outbox;
import lab.core.session.ClientSessionTable;
import org.agrona.ExpandableArrayBuffer;

/**
 * What the primary sends each backup to bring its log up to the primary's: new entries as they are ordered, a
 * burst of entries again when a backup stopped making progress, and the whole committed state (a snapshot) when the
 * entries it needs are no longer in the {@link EntryRing} or it has not got this view's state. A backup being sent
 * a snapshot gets no entries until it has acknowledged the snapshot (its match index is unknown until then).
 */
final class BackupFeed
{
    private static final int RETRANSMIT_BURST = 256;

    private final int self;
    private final Backups backups;
    private final EntryRing ring;
    private final ClientSessionTable sessions;
    private final PrimaryBackupPublisher publisher;
    private final long snapshotRetryNs;

    BackupFeed(final int self, final Backups backups, final EntryRing ring, final ClientSessionTable sessions,
        final PrimaryBackupPublisher publisher, final long snapshotRetryNs)
    {
        this.self = self;
        this.backups = backups;
        this.ring = ring;
        this.sessions = sessions;
        this.publisher = publisher;
        this.snapshotRetryNs = snapshotRetryNs;
    }

    /**
     * A new entry, encoded in its ring slot, goes to every backup not being sent a snapshot.
     */
    void append(final Outbox out, final ExpandableArrayBuffer entry, final int length)
    {
        for (int b = 0; b < backups.size(); b++)
        {
            if (b != self && !backups.of(b).snapshotting)
            {
                out.send(b, entry, 0, length);
            }
        }
    }

    /**
     * Resends up to a burst of entries from the backup's match index on, or starts a snapshot when they are gone.
     */
    void retransmit(final Outbox out, final int b, final long view, final long lastIndex, final long commitIndex)
    {
        final BackupProgress backup = backups.of(b);
        final long from = backup.matchIndex + 1;
        if (!ring.holdsFrom(from, lastIndex))
        {
            startSnapshot(out, b, view, commitIndex, backup.lastHeardNs);
            return;
        }
        final long to = Math.min(lastIndex, from + RETRANSMIT_BURST - 1);
        for (long i = from; i <= to; i++)
        {
            ring.send(out, b, i);
        }
    }

    /**
     * Serializes the committed state (with its committed sessions) for the backup and sends it.
     */
    void startSnapshot(final Outbox out, final int b, final long view, final long commitIndex, final long nowNs)
    {
        final BackupProgress backup = backups.of(b);
        backup.snapshotStarted(sessions.writeSnapshot(backup.snapshotBuffer()), commitIndex);
        sendSnapshot(out, b, view, nowNs);
    }

    /**
     * Sends the backup's snapshot (again: no ack came within the retry interval, a chunk may have been lost).
     */
    void sendSnapshot(final Outbox out, final int b, final long view, final long nowNs)
    {
        final BackupProgress backup = backups.of(b);
        backup.snapshotResendAtNs = nowNs + snapshotRetryNs;
        publisher.snapshot(out, b, view, backup.snapshotIndex, backup.snapshot, backup.snapshotLength);
    }
}
