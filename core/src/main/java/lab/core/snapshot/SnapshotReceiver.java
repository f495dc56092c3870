package lab.core.snapshot;

import java.util.Arrays;
import java.util.zip.CRC32;

import lab.core.ReplicaState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The receiving half of a state transfer (format: {@link SnapshotSender}). Chunks may arrive in any order, twice, or
 * not at all until resent: each is placed by its index and counted once. A chunk of an older transfer (a lower
 * (term, transfer id)) is ignored; a chunk of a newer one abandons the partial transfer and starts over, as does a
 * chunk of the same (term, transfer id) that describes another snapshot (a sender that restarted without a new
 * term). Only a transfer with every chunk in and a matching CRC-32 completes, and the protocol installs only a
 * whole snapshot ({@link #installInto}: {@code StateSnapshot.isWhole} checks the layout).
 *
 * <p>A pure state machine: {@link #onChunk} says what happened, and after {@link #ACCEPTED}, {@link #DUPLICATE} or
 * {@link #COMPLETE} the protocol acknowledges {@link #receivedChunks()} to the sender in its own message type (a
 * duplicate means the sender resent: the previous acknowledgement may have been lost). Allocation: the bitmap of
 * received chunks and the buffer grow at the start of a bigger transfer than any before, never per chunk.
 */
public final class SnapshotReceiver
{
    /** A chunk of an older transfer: no acknowledgement. */
    public static final int OLD = 0;
    /** A chunk inconsistent with the format (index past the end, wrong length): dropped. */
    public static final int MALFORMED = 1;
    /** A chunk already held: acknowledge again. */
    public static final int DUPLICATE = 2;
    /** A new chunk, the transfer not complete yet: acknowledge. */
    public static final int ACCEPTED = 3;
    /** The last chunk: every byte is in and the checksum matches. Install, then acknowledge. */
    public static final int COMPLETE = 4;
    /** Every chunk is in but the checksum does not match: the bytes are dropped, and the sender's resends start over. */
    public static final int CORRUPT = 5;

    private final int chunkBytes;
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64 * 1024);
    private final CRC32 crc = new CRC32();
    private long[] received = new long[1];

    private boolean known;       // a transfer has been seen: (term, transferId) is the newest
    private boolean assembling;  // its chunks are being collected (false once complete, corrupt or cleared)
    private boolean complete;
    private long term;
    private long transferId;
    private long position;
    private int length;
    private int checksum;
    private int chunkCount;
    private int receivedCount;
    private int contiguous;

    public SnapshotReceiver(final int chunkBytes)
    {
        if (chunkBytes <= 0)
        {
            throw new IllegalArgumentException("chunkBytes must be positive");
        }
        this.chunkBytes = chunkBytes;
    }

    /**
     * @return the chunks of a snapshot of {@code length} bytes (at least one: an empty snapshot is one empty chunk).
     */
    public static int chunkCount(final int length, final int chunkBytes)
    {
        return Math.max(1, (int)(((long)length + chunkBytes - 1) / chunkBytes));
    }

    /**
     * @param src, srcOffset, chunkLength the chunk's bytes.
     * @return {@link #OLD}, {@link #MALFORMED}, {@link #DUPLICATE}, {@link #ACCEPTED}, {@link #COMPLETE} or
     * {@link #CORRUPT}.
     */
    public int onChunk(final long term, final long transferId, final long position, final int index,
        final int length, final int checksum, final DirectBuffer src, final int srcOffset, final int chunkLength)
    {
        if (length < 0 || index < 0)
        {
            return MALFORMED;
        }
        if (known && (term < this.term || (term == this.term && transferId < this.transferId)))
        {
            return OLD;
        }
        final boolean same = known && term == this.term && transferId == this.transferId &&
            position == this.position && length == this.length && checksum == this.checksum;
        if (same && complete)
        {
            return DUPLICATE; // its acknowledgement was lost
        }
        final int count = chunkCount(length, chunkBytes);
        if (index >= count || chunkLength != Math.min(chunkBytes, length - index * chunkBytes))
        {
            return MALFORMED;
        }
        if (!same || !assembling)
        {
            // A newer transfer, or this one again after a corrupt or cleared attempt: start collecting afresh.
            begin(term, transferId, position, length, checksum, count);
        }
        final long bit = 1L << (index & 63);
        if ((received[index >> 6] & bit) != 0)
        {
            return DUPLICATE;
        }
        received[index >> 6] |= bit;
        bytes.putBytes(index * chunkBytes, src, srcOffset, chunkLength);
        receivedCount++;
        while (contiguous < count && (received[contiguous >> 6] & (1L << (contiguous & 63))) != 0)
        {
            contiguous++;
        }
        if (receivedCount < count)
        {
            return ACCEPTED;
        }
        assembling = false;
        crc.reset();
        crc.update(bytes.byteArray(), 0, length);
        if ((int)crc.getValue() != checksum)
        {
            contiguous = 0;
            return CORRUPT;
        }
        complete = true;
        return COMPLETE;
    }

    private void begin(final long term, final long transferId, final long position, final int length,
        final int checksum, final int count)
    {
        known = true;
        assembling = true;
        complete = false;
        this.term = term;
        this.transferId = transferId;
        this.position = position;
        this.length = length;
        this.checksum = checksum;
        this.chunkCount = count;
        receivedCount = 0;
        contiguous = 0;
        final int words = (count + 63) >> 6;
        if (received.length < words)
        {
            received = new long[words];
        }
        else
        {
            Arrays.fill(received, 0, words, 0);
        }
        bytes.checkLimit(length);
    }

    /**
     * Replaces {@code state} with the completed snapshot.
     *
     * @return false, with {@code state} untouched, when no transfer is complete or the bytes are not one whole
     * snapshot (see {@link ReplicaState#installSnapshot}).
     */
    public boolean installInto(final ReplicaState state)
    {
        return complete && state.installSnapshot(bytes, length);
    }

    /**
     * Forgets a partial transfer (the protocol left the role that receives it); the newest (term, transfer id)
     * seen is kept, so chunks of older transfers stay ignored.
     */
    public void clear()
    {
        assembling = false;
        complete = false;
        contiguous = 0;
    }

    /**
     * @return chunks held without a gap from chunk 0: what to acknowledge.
     */
    public int receivedChunks()
    {
        return complete ? chunkCount : contiguous;
    }

    public boolean complete()
    {
        return complete;
    }

    public long term()
    {
        return term;
    }

    public long transferId()
    {
        return transferId;
    }

    /**
     * @return what the snapshot covers, as the sender gave it.
     */
    public long position()
    {
        return position;
    }

    public int length()
    {
        return length;
    }

    public DirectBuffer bytes()
    {
        return bytes;
    }
}
