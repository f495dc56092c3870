package lab.primarybackup;

import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.session.ClientSessionTable;
import lab.primarybackup.codec.ReplicateDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The writes a replica holds, in order, and the state they are applied to: how far it holds ({@code lastIndex}), how
 * far they are committed ({@code commitIndex}), its store and its client sessions. A primary keeps the entries it
 * ordered and has not committed in the {@link EntryRing} and applies each at its commit; a backup applies each entry
 * as it arrives (what it holds, it has applied), and a snapshot replaces the whole.
 *
 * <p>The replica decides when (its role, view and policy); this moves the two indexes and keeps the sessions in step
 * with them, so that the session table always knows which of its writes are committed. Nothing is allocated per write:
 * entries are encoded into the ring's reused slots.
 */
final class WriteLog
{
    private final ReplicaState state = new ReplicaState();
    private final ClientSessionTable sessions = new ClientSessionTable(state);
    private final EntryRing ring;
    private final PrimaryBackupPublisher publisher;
    private long lastIndex;
    private long commitIndex;

    WriteLog(final EntryRing ring, final PrimaryBackupPublisher publisher)
    {
        this.ring = ring;
        this.publisher = publisher;
    }

    long lastIndex()
    {
        return lastIndex;
    }

    long commitIndex()
    {
        return commitIndex;
    }

    KvStore store()
    {
        return state.store();
    }

    /** The state a snapshot installs into. */
    ReplicaState state()
    {
        return state;
    }

    ClientSessionTable sessions()
    {
        return sessions;
    }

    /**
     * @return whether the ring holds as many uncommitted entries as it can: a new write must wait.
     */
    boolean full()
    {
        return lastIndex - commitIndex >= ring.capacity();
    }

    /**
     * The bootstrap primary of view 1: its first entry is index 1.
     */
    void bootstrap()
    {
        ring.startAt(1);
    }

    /**
     * As primary: orders a write as the next index, encoded as its Replicate message in its ring slot (sent from
     * there, kept there until committed).
     *
     * @return its index.
     */
    long propose(final long clientId, final long seq, final long view, final long nowNs, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        final long index = ++lastIndex;
        sessions.propose(clientId, seq, index);
        final ExpandableArrayBuffer entry = ring.slot(index);
        final int length = publisher.encodeReplicate(
            entry, clientId, seq, view, index, commitIndex, nowNs, key, value, valueOffset, valueLength);
        ring.written(index, length);
        return index;
    }

    /**
     * As primary: commits every entry through {@code newCommit}, applies it and answers its client.
     */
    void commitThrough(final long newCommit, final Outbox out)
    {
        while (commitIndex < newCommit)
        {
            final long index = ++commitIndex;
            final ReplicateDecoder entry = ring.entry(index);
            final long clientId = entry.clientId();
            final long seq = entry.seq();
            final long key = entry.key();
            final int valueLength = entry.valueLength();
            final int valueOffset = entry.limit() + ReplicateDecoder.valueHeaderLength();
            state.store().put(key, entry.buffer(), valueOffset, valueLength, index);
            publisher.committed(out, clientId, seq, index);
        }
        sessions.commitThrough(commitIndex);
    }

    /**
     * A new view led by this replica: what it holds is committed now (sessions of writes it applied as a backup
     * included, with the state they belong to), and its new entries follow.
     */
    void startView()
    {
        setCommitIndex(lastIndex);
        ring.startAt(lastIndex + 1);
    }

    /**
     * A primary leaves its view (steps down, or goes on in a new one): its entries not yet committed were never
     * acknowledged to a client and are not applied; they are dropped, and their sessions forget them.
     */
    void abandonUncommitted()
    {
        lastIndex = commitIndex;
        sessions.abandonProposals();
    }

    /**
     * As backup: the entry at {@code index} is applied when it is the next one; anything else (a duplicate, or past a
     * gap the primary will fill) changes nothing.
     */
    void applyNext(final long index, final long clientId, final long seq, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength)
    {
        if (index == lastIndex + 1)
        {
            state.store().put(key, value, valueOffset, valueLength, index);
            sessions.recordApplied(clientId, seq, index);
            lastIndex = index;
        }
    }

    /**
     * A snapshot of the state at {@code index} was installed into {@link #state()}: everything through it is held and
     * committed.
     */
    void installed(final long index)
    {
        lastIndex = index;
        setCommitIndex(index);
    }

    /**
     * The commit point moves here only (and in {@link #commitThrough}), so the session table always knows which of
     * its writes are committed.
     */
    private void setCommitIndex(final long index)
    {
        commitIndex = index;
        sessions.commitThrough(index);
    }
}
