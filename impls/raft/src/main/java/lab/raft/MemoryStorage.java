package lab.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Storage in memory. The factory hands the same instance to a replica the simulator restarts, so in the simulator
 * it models a disk that kept every write the crashed replica made before sending anything (the replica syncs
 * before it sends): the replica object, with its commit index, leader state and key-value store, is lost; term,
 * vote, log and snapshot are not.
 */
public final class MemoryStorage implements RaftStorage
{
    private final RaftLog log;
    private final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1024);
    private int snapshotLength;
    private long term;
    private int votedFor = -1;

    public MemoryStorage(final int logCapacity)
    {
        log = new RaftLog(logCapacity);
    }

    public RaftLog log()
    {
        return log;
    }

    public long term()
    {
        return term;
    }

    public int votedFor()
    {
        return votedFor;
    }

    public void saveHardState(final long term, final int votedFor)
    {
        this.term = term;
        this.votedFor = votedFor;
    }

    public void appended(final long index)
    {
    }

    public void truncated(final long fromIndex)
    {
    }

    public void saveSnapshot(final DirectBuffer state, final int offset, final int length)
    {
        snapshot.putBytes(0, state, offset, length);
        snapshotLength = length;
    }

    public DirectBuffer snapshot()
    {
        return snapshot;
    }

    public int snapshotLength()
    {
        return snapshotLength;
    }

    public void sync()
    {
    }

    public void close()
    {
    }
}
