package lab.raft;

/**
 * What the leader knows of one follower's log, and how it is sending to it (etcd's {@code tracker/progress.go}).
 * One instance per replica, created with the replica and reset when it becomes leader: fields, not maps, so the
 * leader's hot path allocates nothing.
 *
 * <ul>
 *   <li>{@link State#PROBE}: the leader does not know where the follower's log matches; one AppendEntries at a
 *   time, sent again after {@code raft-retransmit} without an answer.</li>
 *   <li>{@link State#REPLICATE}: the logs match up to {@link #match}; appends are pipelined, up to
 *   {@code raft-pipeline} in flight, each remembered by its last index until acknowledged.</li>
 *   <li>{@link State#SNAPSHOT}: the entries the follower needs are compacted; the snapshot is on its way.</li>
 * </ul>
 */
final class Progress
{
    enum State
    {
        PROBE, REPLICATE, SNAPSHOT
    }

    State state = State.PROBE;
    /** The next entry to send. */
    long next;
    /** The highest entry known to be in the follower's log (and to match the leader's). */
    long match;

    /** In PROBE: an append is out and not yet answered; sent at {@link #probeSentNs}. */
    boolean probeOutstanding;
    long probeSentNs;
    /** When the follower last made progress (or the pipeline last started): a stall past it is a loss. */
    long progressNs;
    /** When the leader last sent anything to it: a heartbeat is due {@code raft-heartbeat} later. */
    long lastSentNs;
    /** When the leader last heard from it in its term (check-quorum). */
    long lastHeardNs;

    /**
     * In SNAPSHOT: the snapshot's last index, and when to start another transfer if this one ends without the
     * follower catching up (the transfer resends its own chunks: {@link RaftStateTransfer}).
     */
    long snapshotSentIndex;
    long snapshotResendNs;

    private final long[] inflight;
    private int inflightHead;
    private int inflightCount;

    Progress(final int pipeline)
    {
        inflight = new long[pipeline];
    }

    /**
     * A new leader's view: nothing known to match, probing from the end of its own log.
     */
    void reset(final long lastIndex, final long nowNs)
    {
        next = lastIndex + 1;
        match = 0;
        state = State.PROBE;
        inflightCount = 0;
        probeOutstanding = false;
        progressNs = nowNs;
        lastSentNs = Long.MIN_VALUE / 2;
        lastHeardNs = nowNs;
    }

    int inflightCount()
    {
        return inflightCount;
    }

    boolean pipelineFull()
    {
        return inflightCount == inflight.length;
    }

    /**
     * An append whose last entry is {@code lastIndex} went out in REPLICATE.
     */
    void sent(final long lastIndex)
    {
        inflight[(inflightHead + inflightCount) % inflight.length] = lastIndex;
        inflightCount++;
        next = lastIndex + 1;
    }

    /**
     * The appends up to {@code matched} arrived: their room in the pipeline is free again.
     */
    void freeInflight(final long matched)
    {
        while (inflightCount > 0 && inflight[inflightHead] <= matched)
        {
            inflightHead = (inflightHead + 1) % inflight.length;
            inflightCount--;
        }
    }

    /**
     * Forgets what is in flight, and sends again from {@code fromIndex}.
     */
    void goBackTo(final long fromIndex, final long nowNs)
    {
        next = fromIndex;
        inflightCount = 0;
        progressNs = nowNs;
    }

    /**
     * The follower's log matches up to {@link #match}: pipeline from the next entry.
     */
    void becomeReplicate()
    {
        state = State.REPLICATE;
        probeOutstanding = false;
        inflightCount = 0;
        next = match + 1;
    }

    /**
     * The follower refused an append: probe from {@code fromIndex}, one append at a time.
     */
    void becomeProbe(final long fromIndex, final long nowNs)
    {
        state = State.PROBE;
        probeOutstanding = false;
        goBackTo(fromIndex, nowNs);
    }

    void becomeSnapshot(final long snapshotIndex, final long resendNs)
    {
        state = State.SNAPSHOT;
        snapshotSentIndex = snapshotIndex;
        snapshotResendNs = resendNs;
    }
}
