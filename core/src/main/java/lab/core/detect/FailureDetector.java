package lab.core.detect;

/**
 * Decides whether a peer is suspected of having crashed from when it was heard from: the one question every
 * protocol asks when it watches a peer (primary-backup's primary and backups, the chain manager's members, a Raft
 * follower's leader). Pure: the caller passes the clock in, so a protocol stays deterministic on the simulator.
 * Peers are numbered {@code 0 .. peers-1}; nothing is allocated after construction.
 *
 * <p>An implementation is a heartbeat detector: it learns from {@link #heartbeat} (the peer's periodic heartbeat),
 * {@link #heard} (any other message that proves it alive) and {@link #reset} (the caller starts watching afresh: first sight of the clock, a new view, a
 * vote granted). A detector that needs messages of its own (SWIM's probes) is not one of these: see
 * {@link SwimDetector}.
 */
public interface FailureDetector
{
    /**
     * A message proving {@code peer} alive arrived at {@code nowNs}: its inter-arrival time is a sample.
     */
    void heartbeat(int peer, long nowNs);

    /**
     * A message that is not one of the peer's periodic heartbeats (a replicated write, an ack to one) proves it
     * alive at {@code nowNs}: the silence restarts, but the gap is not an inter-arrival sample. Traffic under load
     * comes microseconds apart, and a detector that learnt those gaps would suspect the first idle heartbeat
     * interval.
     */
    void heard(int peer, long nowNs);

    /**
     * Start watching {@code peer} afresh at {@code nowNs}: counts as hearing from it (the silence starts now) but is
     * not an inter-arrival sample, so a restart or a view change does not teach the detector a false interval.
     */
    void reset(int peer, long nowNs);

    /**
     * @return whether {@code peer} is suspected at {@code nowNs}. Before any heartbeat or reset a peer is not
     * suspected (as in Akka: an unwatched peer is healthy).
     */
    boolean suspected(int peer, long nowNs);

    /**
     * @return the suspicion level at {@code nowNs} on the phi scale: -log10 of the probability that a heartbeat
     * still arrives later than this. A fixed timeout has no distribution: 0 below it, infinity past it.
     */
    double phi(int peer, long nowNs);

    /**
     * @return when {@code peer} was last heard from (heartbeat, other message or reset), or {@link Long#MIN_VALUE} if never.
     */
    long lastHeardNs(int peer);
}
