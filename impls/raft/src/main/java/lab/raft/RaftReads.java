package lab.raft;

import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.codec.Status;
import lab.core.quorum.MajorityTracker;

/**
 * Linearizable reads at the leader, without writing to the log (Ongaro's thesis 6.4), once the leader has committed
 * an entry of its term (until then it may not know every committed write; the replica checks that).
 *
 * <ul>
 *   <li><b>Lease</b> ({@code raft-reads=lease}): a majority acknowledged a message the leader sent at s, and every
 *   replica promised not to vote for {@code electionMin} after hearing from a leader, so no other leader exists
 *   before {@code s + electionMin - drift}: the read is answered at once, in 2 hops.</li>
 *   <li><b>ReadIndex</b> (or when the lease lapsed): every entry committed before the read arrived is applied
 *   already; the leader only has to confirm it is still leader, by a heartbeat round started after the read arrived
 *   and acknowledged by a majority, in 4 hops. Reads arriving during a round share the next round; they wait in a
 *   preallocated ring of {@link #READ_QUEUE} (a read beyond it is answered unavailable).</li>
 * </ul>
 *
 * Rounds are numbered; each append and heartbeat carries the current round and each answer the highest round its
 * sender saw, so the majority's round ({@link MajorityTracker}) is the round confirmed.
 *
 * <p>Hop depth: a read waiting for a round keeps its request's depth ({@link HopDepth#input()} when it arrived). A
 * read confirmed is answered one hop after the acknowledgement that confirmed it (whose path went through the
 * round's heartbeats); a round started for reads already waiting joins their depths; a read failed when the leader
 * steps down resumes its own.
 */
final class RaftReads
{
    static final int READ_QUEUE = 1 << 14;

    private final LeaderReplication replication;
    private final RaftPublisher publisher;
    private final HopDepth hops;
    private final ReplicaState state;
    private final int nodeId;
    private final boolean single;
    private final boolean leaseReads;
    private final long electionMinNs;
    private final long driftNs;
    /** Per replica: the send time of the latest message it acknowledged (the leader's own: now). */
    private final MajorityTracker leaseAcks;
    /** Per replica: the latest read round it acknowledged (the leader's own: the current round). */
    private final MajorityTracker roundAcks;

    private final long[] readClientId = new long[READ_QUEUE];
    private final long[] readSeq = new long[READ_QUEUE];
    private final long[] readKey = new long[READ_QUEUE];
    private final int[] readFrom = new int[READ_QUEUE];
    private final int[] readDepth = new int[READ_QUEUE];
    private final long[] readRound = new long[READ_QUEUE];
    private long readHead;
    private long readTail;
    private long currentRound;
    private long confirmedRound;

    RaftReads(final int nodeId, final int replicas, final RaftConfig config, final ReplicaState state,
        final LeaderReplication replication, final RaftPublisher publisher, final HopDepth hops)
    {
        this.hops = hops;
        this.nodeId = nodeId;
        this.state = state;
        this.replication = replication;
        this.publisher = publisher;
        this.single = replicas == 1;
        this.leaseReads = config.reads == RaftConfig.Reads.LEASE;
        this.electionMinNs = config.electionMinNs;
        this.driftNs = config.electionMinNs - config.leaseNs;
        this.leaseAcks = new MajorityTracker(replicas, Long.MIN_VALUE / 2);
        this.roundAcks = new MajorityTracker(replicas, 0);
    }

    /**
     * @return the read round the leader's appends and heartbeats carry now.
     */
    long currentRound()
    {
        return currentRound;
    }

    /**
     * A new leader: no lease, no round, no read waiting.
     */
    void becomeLeader()
    {
        currentRound = 0;
        confirmedRound = 0;
        readHead = readTail;
        leaseAcks.reset(Long.MIN_VALUE / 2);
        roundAcks.reset(0);
    }

    /**
     * A follower acknowledged a message the leader sent at {@code sentNs} in read round {@code round}.
     */
    void onAcknowledged(final int from, final long sentNs, final long round)
    {
        leaseAcks.advance(from, sentNs);
        roundAcks.advance(from, round);
    }

    private boolean leaseHolds(final long nowNs)
    {
        leaseAcks.set(nodeId, nowNs);
        return leaseAcks.leaseHolds(electionMinNs, driftNs, nowNs);
    }

    /**
     * A read at the leader that has committed an entry of its term: answered now under the lease (a single
     * replica is its own majority), or queued for the next round (which, if it starts now, follows from this read).
     */
    void read(final int from, final long clientId, final long seq, final long key, final long nowNs,
        final Outbox out)
    {
        if (single || (leaseReads && leaseHolds(nowNs)))
        {
            answer(from, clientId, seq, key, out);
            return;
        }
        if (readTail - readHead >= READ_QUEUE)
        {
            publisher.clientStatus(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        // The read waits for a round started after it arrived. All entries committed before it arrived are at
        // or below commitIndex, already applied here: confirming leadership is all that is left.
        final int slot = (int)(readTail++ & (READ_QUEUE - 1));
        readClientId[slot] = clientId;
        readSeq[slot] = seq;
        readKey[slot] = key;
        readFrom[slot] = from;
        readDepth[slot] = hops.input();
        readRound[slot] = currentRound + 1;
        if (confirmedRound == currentRound)
        {
            startRound(nowNs, out);
        }
    }

    private void answer(final int to, final long clientId, final long seq, final long key, final Outbox out)
    {
        final KvStore.Entry entry = state.store().get(key);
        if (entry == null)
        {
            publisher.clientStatus(out, to, clientId, seq, Status.NOT_FOUND, nodeId);
        }
        else
        {
            publisher.clientResponse(out, to, clientId, seq, Status.OK, nodeId, entry.version(),
                entry.value(), 0, entry.length());
        }
    }

    private void startRound(final long nowNs, final Outbox out)
    {
        currentRound++;
        replication.heartbeatAll(nowNs, out);
    }

    /**
     * After an acknowledgement: answers the reads whose round a majority confirmed (one hop after it), and starts
     * the next round for those still waiting, as deep as the deepest of them.
     */
    void confirm(final long nowNs, final Outbox out)
    {
        roundAcks.set(nodeId, currentRound);
        final long confirmed = roundAcks.quorumValue();
        if (confirmed <= confirmedRound)
        {
            return;
        }
        confirmedRound = confirmed;
        while (readHead < readTail)
        {
            final int slot = (int)(readHead & (READ_QUEUE - 1));
            if (readRound[slot] > confirmedRound)
            {
                break;
            }
            answer(readFrom[slot], readClientId[slot], readSeq[slot], readKey[slot], out);
            readHead++;
        }
        if (readHead < readTail && confirmedRound == currentRound)
        {
            // The next round is for the reads still waiting, not for the acknowledgement: their paths, joined.
            final int input = hops.input();
            hops.startPath();
            for (long r = readHead; r < readTail; r++)
            {
                hops.join(readDepth[(int)(r & (READ_QUEUE - 1))]);
            }
            startRound(nowNs, out);
            hops.resume(input);
        }
    }

    /**
     * The leader stepped down: the reads waiting are redirected (to no leader known), each one hop after its
     * request; then the input that made the leader step down is handled on.
     */
    void failPending(final Outbox out)
    {
        final int input = hops.input();
        while (readHead < readTail)
        {
            final int slot = (int)(readHead & (READ_QUEUE - 1));
            hops.resume(readDepth[slot]);
            publisher.clientStatus(out, readFrom[slot], readClientId[slot], readSeq[slot], Status.REDIRECT, -1);
            readHead++;
        }
        hops.resume(input);
    }
}
