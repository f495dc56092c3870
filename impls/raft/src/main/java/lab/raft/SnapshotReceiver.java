package lab.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A follower's copy of the snapshot the leader is sending, reassembled from InstallSnapshot chunks into a buffer
 * reused for every snapshot. Chunks must come in order: a chunk that does not continue the copy (lost, reordered,
 * or of another snapshot) is ignored, and the leader sends the whole snapshot again.
 */
final class SnapshotReceiver
{
    private final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(64 * 1024);
    private int length;
    private long index = -1;
    private long term = -1;

    /**
     * @return true when this chunk completed the snapshot ({@link #buffer()}, {@link #length()}); false while it is
     * incomplete or when the chunk was ignored.
     */
    boolean onChunk(final long snapshotIndex, final long snapshotTerm, final int chunkOffset, final int total,
        final DirectBuffer chunk, final int chunkStart, final int chunkLength)
    {
        if (chunkOffset == 0)
        {
            index = snapshotIndex;
            term = snapshotTerm;
            length = 0;
        }
        if (index != snapshotIndex || term != snapshotTerm || chunkOffset != length)
        {
            return false; // a chunk was lost or reordered: the leader sends the snapshot again
        }
        copy.putBytes(length, chunk, chunkStart, chunkLength);
        length += chunkLength;
        return length >= total;
    }

    DirectBuffer buffer()
    {
        return copy;
    }

    int length()
    {
        return length;
    }

    /**
     * Done with the copy (installed or refused): the next snapshot starts from its first chunk.
     */
    void clear()
    {
        index = -1;
    }
}
