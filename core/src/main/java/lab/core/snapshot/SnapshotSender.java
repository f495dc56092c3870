package lab.core.snapshot;

import java.util.zip.CRC32;

import lab.core.ReplicaState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The sending half of a state transfer: one serialized snapshot cut into fixed-size chunks, sent to one peer and
 * resent until the peer reports it whole. A pure state machine: the protocol gives it {@code nowNs}, asks
 * {@link #nextChunk} which chunk to send (if any), encodes that chunk in its own message type with
 * {@link #term()}, {@link #transferId()}, {@link #position()}, {@link #chunkOffset}, {@link #length()} and
 * {@link #checksum()}, and hands it the peer's acknowledgements ({@link #onAck}).
 *
 * <p>The format, shared with {@link SnapshotReceiver}: chunk {@code i} holds bytes {@code [i * chunkBytes,
 * min((i + 1) * chunkBytes, length))} of the snapshot; every chunk names its transfer by (term, transfer id) and
 * carries the position (what the snapshot covers: a commit index, a log index), the total length and a CRC-32 of the
 * whole. The receiver acknowledges the number of chunks it holds without a gap from chunk 0.
 *
 * <p>Sending is go-back-N: up to {@code window} chunks past the receiver's last acknowledgement go out at once; when
 * nothing has been acknowledged for {@code resendNs} the sender goes back to the first chunk the receiver lacks.
 * So a lost chunk or a lost ack costs one timeout, a duplicated or reordered chunk costs nothing, and a receiver
 * that restarts (and acknowledges less than before) is sent the rest again. The transfer ends when the receiver
 * acknowledges every chunk ({@link #active()} turns false), or when the protocol cancels it.
 *
 * <p>Allocation: serializing a snapshot allocates (a state transfer, not a message); sending and acknowledging do
 * not.
 */
public final class SnapshotSender
{
    private final int chunkBytes;
    private final long resendNs;
    private final int window;
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64 * 1024);
    private final CRC32 crc = new CRC32();

    private boolean active;
    private long transfers;
    private long term;
    private long transferId;
    private long position;
    private int length;
    private int checksum;
    private int chunkCount;
    private int acked;
    private int next;
    private long resendAtNs;
    private long startedNs = Long.MIN_VALUE / 2;

    /**
     * @param chunkBytes the chunk size, the same at the receiver (it is part of the format).
     * @param resendNs   how long without an acknowledgement before the unacknowledged chunks go out again.
     * @param window     chunks sent past the receiver's last acknowledgement before waiting for one.
     */
    public SnapshotSender(final int chunkBytes, final long resendNs, final int window)
    {
        if (chunkBytes <= 0 || resendNs <= 0 || window <= 0)
        {
            throw new IllegalArgumentException("chunkBytes, resendNs and window must be positive");
        }
        this.chunkBytes = chunkBytes;
        this.resendNs = resendNs;
        this.window = window;
    }

    /**
     * Serializes {@code state} and starts sending it (a transfer in progress is abandoned).
     *
     * @param term              grows whenever the sender may have restarted (an epoch, a view, a Raft term): the
     *                          receiver ignores chunks of an older (term, transfer id).
     * @param position          what the snapshot covers, carried to the receiver unchanged.
     * @param maxSessionVersion see {@link ReplicaState#writeSnapshot}.
     */
    public void start(final long term, final long position, final ReplicaState state, final long maxSessionVersion,
        final long nowNs)
    {
        start(term, position, state.writeSnapshot(maxSessionVersion, bytes), nowNs);
    }

    /**
     * Starts sending the first {@code length} bytes the protocol wrote into {@link #buffer()}.
     */
    public void start(final long term, final long position, final int length, final long nowNs)
    {
        this.term = term;
        this.transferId = ++transfers;
        this.position = position;
        this.length = length;
        this.chunkCount = SnapshotReceiver.chunkCount(length, chunkBytes);
        crc.reset();
        crc.update(bytes.byteArray(), 0, length);
        this.checksum = (int)crc.getValue();
        this.acked = 0;
        this.next = 0;
        this.resendAtNs = nowNs;
        this.startedNs = nowNs;
        this.active = true;
    }

    /**
     * @return the index of the chunk to send now, or -1 when none is due: call until -1 (the protocol encodes each
     * chunk it gets).
     */
    public int nextChunk(final long nowNs)
    {
        if (!active)
        {
            return -1;
        }
        if (next >= chunkCount || next - acked >= window)
        {
            if (nowNs < resendAtNs)
            {
                return -1;
            }
            next = acked; // nothing acknowledged for a while: the receiver lacks chunk 'acked' (lost, or restarted)
        }
        resendAtNs = nowNs + resendNs;
        return next++;
    }

    /**
     * The receiver holds chunks {@code [0, receivedChunks)} of transfer (term, transferId).
     */
    public void onAck(final long term, final long transferId, final int receivedChunks, final long nowNs)
    {
        if (!active || term != this.term || transferId != this.transferId)
        {
            return; // an ack of an older transfer
        }
        if (receivedChunks >= chunkCount)
        {
            active = false;
            return;
        }
        if (receivedChunks > acked)
        {
            resendAtNs = nowNs + resendNs; // progress: the window moves, the timeout restarts
        }
        // The latest report, even a lower one: a receiver that restarted holds less than it said before (a reordered
        // older ack costs at most a few chunks sent twice).
        acked = Math.max(0, receivedChunks);
        if (next < acked)
        {
            next = acked;
        }
    }

    public void cancel()
    {
        active = false;
    }

    public boolean active()
    {
        return active;
    }

    /**
     * @return where the protocol may write a snapshot of its own layout before {@link #start(long, long, int, long)}.
     */
    public ExpandableArrayBuffer buffer()
    {
        return bytes;
    }

    public DirectBuffer bytes()
    {
        return bytes;
    }

    public long term()
    {
        return term;
    }

    public long transferId()
    {
        return transferId;
    }

    public long position()
    {
        return position;
    }

    public int length()
    {
        return length;
    }

    public int checksum()
    {
        return checksum;
    }

    public int chunkCount()
    {
        return chunkCount;
    }

    public int chunkBytes()
    {
        return chunkBytes;
    }

    public int chunkOffset(final int index)
    {
        return index * chunkBytes;
    }

    public int chunkLength(final int index)
    {
        return Math.min(chunkBytes, length - index * chunkBytes);
    }

    /**
     * @return when the last transfer started (a protocol that rate-limits new transfers reads it).
     */
    public long startedNs()
    {
        return startedNs;
    }
}
