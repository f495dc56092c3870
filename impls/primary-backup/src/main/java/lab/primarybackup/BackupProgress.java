package lab.primarybackup;

import org.agrona.ExpandableArrayBuffer;

/**
 * What a primary knows of one backup (as etcd's tracker.Progress): how far its log matches, whether it is in the
 * in-sync set that every commit waits for, when it was last heard from and last made progress, the depth of its last
 * ack, and the state transfer under way to it. One per replica, allocated with the replica and reset at each new
 * view; the snapshot buffer is allocated at the backup's first state transfer and reused.
 */
final class BackupProgress
{
    /** The highest index known to be in the backup's log; -1 when unknown (it is being sent a snapshot). */
    long matchIndex;
    /** In the set a commit waits for (Kafka's ISR): dropped when silent, readmitted when caught up. */
    boolean inSync;
    long lastHeardNs;
    /** When its match index last moved (or a retransmission was sent): retransmit after a quiet spell. */
    long progressAtNs;
    /** Hop depth of its last ack: a commit that a timeout (not an ack) triggers answers one hop after it. */
    int lastAckDepth;

    /** A state transfer to this backup is under way: log entries are not sent to it until it has the state. */
    boolean snapshotting;
    ExpandableArrayBuffer snapshot;
    int snapshotLength;
    long snapshotIndex;
    long snapshotResendAtNs;

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
     * Serializes a state transfer into this backup's buffer (allocated once).
     */
    ExpandableArrayBuffer snapshotBuffer()
    {
        if (snapshot == null)
        {
            snapshot = new ExpandableArrayBuffer(64 * 1024);
        }
        return snapshot;
    }

    /**
     * A state transfer of {@code length} bytes (in {@link #snapshotBuffer}) at {@code index} starts: the backup is out
     * of the in-sync set, and what it had is no longer known: its ack of the installed snapshot says.
     */
    void snapshotStarted(final int length, final long index)
    {
        snapshotLength = length;
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
