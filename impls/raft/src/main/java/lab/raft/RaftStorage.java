package lab.raft;

import org.agrona.DirectBuffer;

/**
 * What a Raft replica keeps across a crash: current term, vote, log and the latest snapshot. The replica calls it
 * synchronously and calls {@link #sync()} before any message leaves that depends on what it wrote (persist, then
 * send: etcd's Ready order), so a vote or an acknowledgement is never given for something a crash could undo.
 */
public interface RaftStorage
{
    /**
     * @return the log, holding what was recovered (empty for a new node); the replica appends to it directly and
     * tells the storage with {@link #appended(long)} / {@link #truncated(long)}.
     */
    RaftLog log();

    long term();

    int votedFor();

    void saveHardState(long term, int votedFor);

    /**
     * The entry at {@code index} was appended to {@link #log()}.
     */
    void appended(long index);

    /**
     * Entries from {@code fromIndex} on were dropped from {@link #log()}.
     */
    void truncated(long fromIndex);

    /**
     * Stores a snapshot of the state machine at {@link RaftLog#snapshotIndex()} (the log was compacted or reset
     * to it already); durable on return.
     */
    void saveSnapshot(DirectBuffer state, int offset, int length);

    /**
     * @return the latest snapshot's bytes (the state at {@link RaftLog#snapshotIndex()}); valid until the next
     * {@link #saveSnapshot}.
     */
    DirectBuffer snapshot();

    int snapshotLength();

    /**
     * Makes everything written so far as durable as the fsync policy says; cheap when nothing changed.
     */
    void sync();

    /**
     * @return the write calls made to files so far (0 for a log kept in memory): with one per burst of input, what
     * batching saves shows here.
     */
    default long fileWrites()
    {
        return 0;
    }

    /**
     * @return records torn by a crash that recovery cut from the end of the log (0 for a log kept in memory).
     */
    default long tornTails()
    {
        return 0;
    }

    void close();
}
