package lab.primarybackup;

import lab.core.Outbox;

/**
 * What the primary sends each backup to bring its log up to the primary's: new entries as they are ordered, a
 * burst of entries again when a backup stopped making progress, and the whole committed state (a snapshot) when the
 * entries it needs are no longer in the {@link EntryRing} or it has not got this view's state (sent by the
 * {@link PrimaryBackupStateTransfer}). A backup being sent a snapshot gets no entries until it has acknowledged the
 * snapshot (its match index is unknown until then).
 */
final class BackupFeed
{
    private static final int RETRANSMIT_BURST = 256;

    private final int self;
    private final Backups backups;
    private final EntryRing ring;
    private final PrimaryBackupStateTransfer transfer;

    BackupFeed(final int self, final Backups backups, final EntryRing ring, final PrimaryBackupStateTransfer transfer)
    {
        this.self = self;
        this.backups = backups;
        this.ring = ring;
        this.transfer = transfer;
    }

    /**
     * A new entry, encoded in its ring slot, goes to every backup not being sent a snapshot.
     */
    void append(final Outbox out, final long index)
    {
        for (int b = 0; b < backups.size(); b++)
        {
            if (b != self && !backups.of(b).snapshotting)
            {
                ring.send(out, b, index);
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
     * Sends the backup the committed state (with its committed sessions): until it acknowledges the snapshot's
     * index it is out of the in-sync set and gets no entries.
     */
    void startSnapshot(final Outbox out, final int b, final long view, final long commitIndex, final long nowNs)
    {
        backups.of(b).snapshotStarted(commitIndex);
        transfer.start(out, b, view, commitIndex, nowNs);
    }

    /**
     * A snapshot under way: chunks not acknowledged within the retry interval go out again.
     */
    void resendSnapshot(final Outbox out, final int b, final long nowNs)
    {
        transfer.onTick(out, b, nowNs);
    }

    void onSnapshotAck(final Outbox out, final int b, final long view, final long transferId,
        final int receivedChunks, final long nowNs)
    {
        transfer.onAck(out, b, view, transferId, receivedChunks, nowNs);
    }

    /**
     * The backup acknowledged an index at or past the snapshot's: it holds the state, entries follow.
     */
    void snapshotDone(final int b)
    {
        backups.of(b).snapshotting = false;
        transfer.done(b);
    }
}
