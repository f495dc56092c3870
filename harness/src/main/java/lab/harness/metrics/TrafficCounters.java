package lab.harness.metrics;

import java.util.Map;

import lab.core.MessageTypes;

/**
 * Messages and bytes one node sent inside the measurement window, split into client <-> replica and
 * replica <-> replica traffic (control-plane nodes count as replicas: their traffic is the protocol's cost).
 * Each node's outbox owns one, written only by the node's own thread; the run sums them after the nodes stopped.
 * Messages are also counted by type ({@link MessageTypes}: the caller reads the type from the message's SBE header),
 * in and out, in arrays sized once here: counting is two array increments, no clock read, no allocation.
 */
public final class TrafficCounters
{
    private static final int INSIDE = 0;

    /** Node ids below this are replicas or control nodes; clients start here. */
    private final int replicas;
    private long windowStartNs = MeasurementWindow.OPEN_START_NS;
    private long windowEndNs = MeasurementWindow.OPEN_END_NS;
    /**
     * Index {@link #INSIDE}: inside the window, plus counts added from elsewhere; index 1: outside (warm-up, drain),
     * counted by the same code as inside and then ignored.
     */
    private final long[] clientReplica = new long[2];
    private final long[] replicaReplica = new long[2];
    private final long[] clientReplicaSent = new long[2];
    private final long[] replicaReplicaSent = new long[2];
    /** Messages this node received (handed to its endpoint), same indexing. */
    private final long[] received = new long[2];
    /** Bytes of those messages (the protocol's message, without the transport's frame), same indexing. */
    private final long[] receivedBytes = new long[2];
    /**
     * Wall time of this node's duty cycles that sent or received a message ({@link BusyClock}), by the cycle's start;
     * same indexing.
     */
    private final long[] busy = new long[2];
    /** The same for cycles that did work without a message in or out (timer checks only): load-independent. */
    private final long[] background = new long[2];
    /** Duty cycles that moved messages ({@code busy}'s cycles), same indexing: how many inputs share a cycle. */
    private final long[] busyCycles = new long[2];
    /** Messages received by type ({@link MessageTypes} index), [inside/outside][type]. */
    private final long[][] receivedByType;
    /** Messages sent by type, same indexing. */
    private final long[][] sentByType;
    /** Messages sent or received so far, window or not: tells a cycle with messages from one without. */
    private long events;

    public TrafficCounters(final int replicas)
    {
        this.replicas = replicas;
        final int types = MessageTypes.lab().count();
        receivedByType = new long[2][types];
        sentByType = new long[2][types];
    }

    public void window(final long startNs, final long endNs)
    {
        windowStartNs = startNs;
        windowEndNs = endNs;
    }

    /**
     * A message of {@code type} ({@link MessageTypes#of}) and {@code length} bytes went from {@code from} to
     * {@code to} at {@code nowNs}.
     */
    public void onSend(final int from, final int to, final int type, final int length, final long nowNs)
    {
        final int outside = MeasurementWindow.outside(nowNs, windowStartNs, windowEndNs);
        events++;
        sentByType[outside][type]++;
        if (from < replicas && to < replicas)
        {
            replicaReplica[outside]++;
            replicaReplicaSent[outside] += length;
        }
        else
        {
            clientReplica[outside]++;
            clientReplicaSent[outside] += length;
        }
    }

    /**
     * A message of {@code type} ({@link MessageTypes#of}) and {@code length} bytes reached this node (at
     * {@code nowNs}).
     */
    public void onReceive(final long nowNs, final int type, final int length)
    {
        final int outside = MeasurementWindow.outside(nowNs, windowStartNs, windowEndNs);
        receivedByType[outside][type]++;
        received[outside]++;
        receivedBytes[outside] += length;
        events++;
    }

    /**
     * @return messages sent or received so far (inside the window or not).
     */
    public long events()
    {
        return events;
    }

    /**
     * This node's handlers (and the transport calls around them) ran for {@code durationNs} from {@code startNs};
     * {@code timerOnly} when no message went in or out in that time.
     */
    public void onBusy(final long startNs, final long durationNs, final boolean timerOnly)
    {
        onBusy(startNs, durationNs, timerOnly, true);
    }

    /**
     * As {@link #onBusy(long, long, boolean)}; {@code newCycle} false where the time joins a cycle already counted
     * (the simulator charges per message, and a message that found its node's CPU busy shares that node's cycle).
     */
    public void onBusy(final long startNs, final long durationNs, final boolean timerOnly, final boolean newCycle)
    {
        final int outside = MeasurementWindow.outside(startNs, windowStartNs, windowEndNs);
        if (timerOnly)
        {
            background[outside] += durationNs;
        }
        else
        {
            busy[outside] += durationNs;
            if (newCycle)
            {
                busyCycles[outside]++;
            }
        }
    }

    public void add(final TrafficCounters other)
    {
        add(other.clientReplicaMessages(), other.replicaReplicaMessages(), other.clientReplicaBytes(),
            other.replicaReplicaBytes());
        addLoad(other.messagesReceived(), other.bytesReceived(), other.busyNs(), other.busyCycles(),
            other.backgroundNs());
        for (int t = 0; t < sentByType[INSIDE].length; t++)
        {
            sentByType[INSIDE][t] += other.sentByType[INSIDE][t];
            receivedByType[INSIDE][t] += other.receivedByType[INSIDE][t];
        }
    }

    /**
     * Adds per-type counts another process measured, by type name (a name this process does not know counts as
     * {@link MessageTypes#OTHER}).
     */
    public void addByType(final Map<String, Long> receivedByName, final Map<String, Long> sentByName)
    {
        final MessageTypes types = MessageTypes.lab();
        receivedByName.forEach((name, n) -> receivedByType[INSIDE][Math.max(MessageTypes.OTHER,
            types.indexOf(name))] += n);
        sentByName.forEach((name, n) -> sentByType[INSIDE][Math.max(MessageTypes.OTHER, types.indexOf(name))] += n);
    }

    /**
     * @return messages received inside the window by type name, the types seen only.
     */
    public Map<String, Long> receivedByType()
    {
        return MessageTypes.lab().named(receivedByType[INSIDE]);
    }

    /**
     * @return messages sent inside the window by type name, the types seen only.
     */
    public Map<String, Long> sentByType()
    {
        return MessageTypes.lab().named(sentByType[INSIDE]);
    }

    /**
     * Adds received messages and busy time another process measured.
     */
    public void addLoad(final long messagesReceived, final long bytesReceived, final long busyNs,
        final long busyCycles, final long backgroundNs)
    {
        this.busyCycles[INSIDE] += busyCycles;
        received[INSIDE] += messagesReceived;
        receivedBytes[INSIDE] += bytesReceived;
        busy[INSIDE] += busyNs;
        background[INSIDE] += backgroundNs;
    }

    /**
     * @return busy time inside the window of cycles without a message in or out (timer checks).
     */
    public long backgroundNs()
    {
        return background[INSIDE];
    }

    /**
     * @return messages this node received inside the window.
     */
    public long messagesReceived()
    {
        return received[INSIDE];
    }

    /**
     * @return bytes of the messages this node received inside the window.
     */
    public long bytesReceived()
    {
        return receivedBytes[INSIDE];
    }

    /**
     * @return duty cycles inside the window that moved messages (what {@link #busyNs} sums over).
     */
    public long busyCycles()
    {
        return busyCycles[INSIDE];
    }

    /**
     * @return busy time of this node inside the window (0 where nothing measures it, e.g. the simulator).
     */
    public long busyNs()
    {
        return busy[INSIDE];
    }

    /**
     * Adds counts another process measured (a replica in its own process reports its sends at the end).
     */
    public void add(final long clientReplicaMessages, final long replicaReplicaMessages,
        final long clientReplicaBytes, final long replicaReplicaBytes)
    {
        clientReplica[INSIDE] += clientReplicaMessages;
        replicaReplica[INSIDE] += replicaReplicaMessages;
        clientReplicaSent[INSIDE] += clientReplicaBytes;
        replicaReplicaSent[INSIDE] += replicaReplicaBytes;
    }

    public long clientReplicaMessages()
    {
        return clientReplica[INSIDE];
    }

    public long replicaReplicaMessages()
    {
        return replicaReplica[INSIDE];
    }

    public long clientReplicaBytes()
    {
        return clientReplicaSent[INSIDE];
    }

    public long replicaReplicaBytes()
    {
        return replicaReplicaSent[INSIDE];
    }

    public long totalMessages()
    {
        return clientReplicaMessages() + replicaReplicaMessages();
    }

    public long totalBytes()
    {
        return clientReplicaBytes() + replicaReplicaBytes();
    }
}
