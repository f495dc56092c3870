package lab.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The in-memory Raft log: entries {@code snapshotIndex+1 .. lastIndex} in a ring of fixed capacity, plus the index
 * and term of the last entry folded into the snapshot. Each slot keeps its value buffer once allocated, so once the
 * ring has wrapped appends allocate nothing. The log outlives a replica object inside {@link MemoryStorage} (the
 * simulator's model of a disk) and is rebuilt from the file by {@link FileStorage}.
 *
 * <p>An entry with client id 0 is a leader's no-op. {@code depth} is the hop depth of the message that brought the
 * entry (the client request's at the leader, the AppendEntries' at a follower; a no-op is as deep as a message its
 * new leader sends): volatile, only joined into the depth of the AppendEntries that carry it.
 */
public final class RaftLog
{
    private final int capacity;
    private final int mask;
    private final long[] terms;
    private final long[] clientIds;
    private final long[] seqs;
    private final long[] keys;
    private final int[] depths;
    private final int[] valueLengths;
    private final ExpandableArrayBuffer[] values;
    private long snapshotIndex;
    private long snapshotTerm;
    private long lastIndex;

    public RaftLog(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("log capacity must be a power of two, got " + capacity);
        }
        this.capacity = capacity;
        mask = capacity - 1;
        terms = new long[capacity];
        clientIds = new long[capacity];
        seqs = new long[capacity];
        keys = new long[capacity];
        depths = new int[capacity];
        valueLengths = new int[capacity];
        values = new ExpandableArrayBuffer[capacity];
    }

    public int capacity()
    {
        return capacity;
    }

    public long snapshotIndex()
    {
        return snapshotIndex;
    }

    public long snapshotTerm()
    {
        return snapshotTerm;
    }

    public long lastIndex()
    {
        return lastIndex;
    }

    public long lastTerm()
    {
        return lastIndex == snapshotIndex ? snapshotTerm : terms[slot(lastIndex)];
    }

    /**
     * @return true when there is no room for another entry until the log is compacted.
     */
    public boolean isFull()
    {
        return lastIndex - snapshotIndex >= capacity;
    }

    /**
     * @return term of the entry at {@code index}, the snapshot's term at the snapshot index, 0 at index 0, or -1
     * when the entry is compacted away or beyond the end.
     */
    public long termAt(final long index)
    {
        if (index == snapshotIndex)
        {
            return snapshotTerm;
        }
        if (index < snapshotIndex || index > lastIndex)
        {
            return -1;
        }
        return terms[slot(index)];
    }

    public long clientId(final long index)
    {
        return clientIds[slot(index)];
    }

    public long seq(final long index)
    {
        return seqs[slot(index)];
    }

    public long key(final long index)
    {
        return keys[slot(index)];
    }

    public int depth(final long index)
    {
        return depths[slot(index)];
    }

    public DirectBuffer value(final long index)
    {
        return values[slot(index)];
    }

    public int valueLength(final long index)
    {
        return valueLengths[slot(index)];
    }

    /**
     * Appends at {@code lastIndex + 1}; the caller checked {@link #isFull()}.
     *
     * @return the new entry's index.
     */
    public long append(final long term, final long clientId, final long seq, final long key, final DirectBuffer src,
        final int offset, final int length, final int depth)
    {
        final long index = lastIndex + 1;
        final int slot = slot(index);
        ExpandableArrayBuffer value = values[slot];
        if (value == null)
        {
            value = new ExpandableArrayBuffer(Math.max(64, length));
            values[slot] = value;
        }
        if (length > 0)
        {
            value.putBytes(0, src, offset, length);
        }
        terms[slot] = term;
        clientIds[slot] = clientId;
        seqs[slot] = seq;
        keys[slot] = key;
        depths[slot] = depth;
        valueLengths[slot] = length;
        lastIndex = index;
        return index;
    }

    /**
     * Drops every entry from {@code index} on (a conflicting suffix).
     */
    public void truncateFrom(final long index)
    {
        if (index <= snapshotIndex)
        {
            throw new IllegalStateException("cannot truncate at " + index + ": snapshot covers " + snapshotIndex);
        }
        if (index <= lastIndex)
        {
            lastIndex = index - 1;
        }
    }

    /**
     * Drops entries up to {@code index}: they are in the snapshot now.
     */
    public void compactTo(final long index, final long term)
    {
        if (index <= snapshotIndex)
        {
            return;
        }
        snapshotIndex = index;
        snapshotTerm = term;
        if (lastIndex < index)
        {
            lastIndex = index;
        }
    }

    /**
     * Throws the whole log away in favour of a snapshot taken at {@code index}.
     */
    public void resetTo(final long index, final long term)
    {
        snapshotIndex = index;
        snapshotTerm = term;
        lastIndex = index;
    }

    /**
     * @return the first index of the run of entries of {@code term} that holds {@code index} (fast back-off).
     */
    public long firstIndexOfTerm(final long index, final long term)
    {
        long i = index;
        while (i - 1 > snapshotIndex && terms[slot(i - 1)] == term)
        {
            i--;
        }
        return i;
    }

    /**
     * @return the last index holding an entry of {@code term}, or -1 if this log has none (fast back-off).
     */
    public long lastIndexOfTerm(final long term)
    {
        for (long i = lastIndex; i > snapshotIndex; i--)
        {
            final long t = terms[slot(i)];
            if (t == term)
            {
                return i;
            }
            if (t < term)
            {
                return -1;
            }
        }
        return snapshotTerm == term ? snapshotIndex : -1;
    }

    private int slot(final long index)
    {
        return (int)(index & mask);
    }
}
