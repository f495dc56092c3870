package lab.harness.aeron;

import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import lab.core.MessageTypes;
import lab.core.Outbox;
import lab.harness.metrics.TrafficCounters;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A node's {@link Outbox} over Aeron publications, one per destination node. Each frame is the sender's node id
 * (4 bytes) followed by the message, and carries the run's id (a random 64-bit number chosen per run) in the
 * Aeron data header's reserved value: 8 bytes every Aeron frame has anyway, so the run id costs no byte on the wire
 * and no allocation (a receiver drops a frame of another run, see {@link NodeAgent#foreignFrames()}).
 *
 * <p>Back-pressure is retried a bounded number of times, then the message waits in a per-destination queue that
 * {@link #flush()} drains before the node reads new input: nothing is dropped, and a node never spins forever
 * inside {@code send} (on a shared thread that would starve the very receiver it waits for). Every retry and
 * every queued message is counted. A destination that is not connected (its node has crashed) loses the message,
 * as a network would, and that is counted too.
 */
public final class AeronOutbox implements Outbox
{
    static final int FRAME_HEADER_LENGTH = 4;
    private static final int SEND_ATTEMPTS = 3;

    private final int nodeId;
    private final long runId;
    private final Publication[] publications;
    private final ReservedValueSupplier runIdSupplier;
    private final TrafficCounters traffic;
    private final BufferClaim bufferClaim = new BufferClaim();
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[FRAME_HEADER_LENGTH]);
    private final ExpandableArrayBuffer[] pending;
    private final int[] pendingHead;
    private final int[] pendingTail;
    private long nowNs;

    private final MessageTypes types = MessageTypes.lab();
    private long backPressureRetries;
    private long queuedMessages;
    private long notConnectedDrops;

    /**
     * @param runId        this run's id, in every frame; receivers drop frames with another.
     * @param publications one per member of the run (replicas, then clients), indexed by node id; the members of the
     *                     run are node ids {@code 0 .. publications.length - 1}.
     */
    public AeronOutbox(final int nodeId, final long runId, final Publication[] publications,
        final TrafficCounters traffic)
    {
        this.nodeId = nodeId;
        this.runId = runId;
        this.runIdSupplier = (termBuffer, termOffset, frameLength) -> runId;
        this.publications = publications;
        this.traffic = traffic;
        this.pending = new ExpandableArrayBuffer[publications.length];
        this.pendingHead = new int[publications.length];
        this.pendingTail = new int[publications.length];
        header.putInt(0, nodeId);
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
    {
        traffic.onSend(nodeId, toNode, types.of(buffer, offset, length), length, nowNs);
        if (pendingHead[toNode] != pendingTail[toNode] || !offer(toNode, buffer, offset, length))
        {
            enqueue(toNode, buffer, offset, length);
        }
    }

    /**
     * @return how many queued messages went out.
     */
    int flush()
    {
        int sent = 0;
        for (int to = 0; to < pending.length; to++)
        {
            final ExpandableArrayBuffer queue = pending[to];
            while (pendingHead[to] != pendingTail[to])
            {
                final int length = queue.getInt(pendingHead[to]);
                if (!offer(to, queue, pendingHead[to] + 4, length))
                {
                    break;
                }
                pendingHead[to] += 4 + length;
                sent++;
            }
            if (queue != null && pendingHead[to] == pendingTail[to])
            {
                pendingHead[to] = 0;
                pendingTail[to] = 0;
            }
        }
        return sent;
    }

    /**
     * A crashed node loses what it had not yet sent.
     */
    void discardPending()
    {
        for (int to = 0; to < pending.length; to++)
        {
            pendingHead[to] = 0;
            pendingTail[to] = 0;
        }
    }

    private void enqueue(final int toNode, final DirectBuffer buffer, final int offset, final int length)
    {
        ExpandableArrayBuffer queue = pending[toNode];
        if (queue == null)
        {
            queue = new ExpandableArrayBuffer(64 * 1024);
            pending[toNode] = queue;
        }
        final int tail = pendingTail[toNode];
        queue.putInt(tail, length);
        queue.putBytes(tail + 4, buffer, offset, length);
        pendingTail[toNode] = tail + 4 + length;
        queuedMessages++;
    }

    private boolean offer(final int toNode, final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = publications[toNode];
        final int frameLength = FRAME_HEADER_LENGTH + length;
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++)
        {
            final long result;
            if (frameLength <= publication.maxPayloadLength())
            {
                result = publication.tryClaim(frameLength, bufferClaim);
                if (result > 0)
                {
                    bufferClaim.reservedValue(runId);
                    final int claimOffset = bufferClaim.offset();
                    bufferClaim.buffer().putInt(claimOffset, nodeId);
                    bufferClaim.buffer().putBytes(claimOffset + FRAME_HEADER_LENGTH, buffer, offset, length);
                    bufferClaim.commit();
                    return true;
                }
            }
            else
            {
                result = publication.offer(header, 0, FRAME_HEADER_LENGTH, buffer, offset, length, runIdSupplier);
                if (result > 0)
                {
                    return true;
                }
            }

            if (result == Publication.NOT_CONNECTED)
            {
                notConnectedDrops++;
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("publication to node " + toNode + " failed: " +
                    Publication.errorString(result));
            }
            backPressureRetries++;
        }
        return false;
    }

    public long runId()
    {
        return runId;
    }

    /**
     * @return the node's counters (sends, and what its agent adds: receives and busy time).
     */
    public TrafficCounters traffic()
    {
        return traffic;
    }

    /**
     * @return how many members the run has (node ids 0 .. members - 1).
     */
    public int members()
    {
        return publications.length;
    }

    public long backPressureRetries()
    {
        return backPressureRetries;
    }

    public long queuedMessages()
    {
        return queuedMessages;
    }

    public long notConnectedDrops()
    {
        return notConnectedDrops;
    }
}
