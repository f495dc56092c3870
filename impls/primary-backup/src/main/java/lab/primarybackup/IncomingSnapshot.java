package lab.primarybackup;

import lab.core.ReplicaState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A state transfer arriving at a backup in chunks: assembled in order into one buffer, for one (view, snapshot
 * index) at a time. A chunk out of order (one was lost or reordered) is ignored; the primary resends the whole
 * snapshot, whose first chunk starts over.
 */
final class IncomingSnapshot
{
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64 * 1024);
    private int length;
    private long view = -1;
    private long index = -1;

    /**
     * @return true when this chunk completed the snapshot: {@link #installInto} may install it.
     */
    boolean onChunk(final long chunkView, final long snapshotIndex, final int chunkOffset, final int totalLength,
        final DirectBuffer buffer, final int offset, final int chunkLength)
    {
        if (chunkOffset == 0)
        {
            view = chunkView;
            index = snapshotIndex;
            length = 0;
        }
        if (view != chunkView || index != snapshotIndex || chunkOffset != length)
        {
            return false;
        }
        bytes.putBytes(length, buffer, offset, chunkLength);
        length += chunkLength;
        return length >= totalLength;
    }

    /**
     * Installs the assembled state by swapping in a complete copy (the old state stays whole until then), and starts
     * over.
     *
     * @return false, with the state untouched, when the bytes are not one whole snapshot.
     */
    boolean installInto(final ReplicaState state)
    {
        final boolean installed = state.installSnapshot(bytes, length);
        view = -1;
        return installed;
    }
}
