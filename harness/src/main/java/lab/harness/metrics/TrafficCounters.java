package lab.harness.metrics;

/**
 * Messages and bytes one node sent inside the measurement window, split into client <-> replica and
 * replica <-> replica traffic (control-plane nodes count as replicas: their traffic is the protocol's cost).
 * Each node's outbox owns one, written only by the node's own thread; the run sums them after the nodes stopped.
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

    public TrafficCounters(final int replicas)
    {
        this.replicas = replicas;
    }

    public void window(final long startNs, final long endNs)
    {
        windowStartNs = startNs;
        windowEndNs = endNs;
    }

    public void onSend(final int from, final int to, final int length, final long nowNs)
    {
        final int outside = MeasurementWindow.outside(nowNs, windowStartNs, windowEndNs);
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

    public void add(final TrafficCounters other)
    {
        add(other.clientReplicaMessages(), other.replicaReplicaMessages(), other.clientReplicaBytes(),
            other.replicaReplicaBytes());
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
