package lab.chain;

import lab.core.ClientSessions;
import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.ReplicaState;
import lab.core.Role;
import lab.core.WireCheck;
import lab.core.codec.Status;
import lab.core.session.ClientSessionTable;
import lab.chain.codec.ForwardDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A chain replication replica as a pure state machine (van Renesse and Schneider, OSDI 2004; CRAQ reads after
 * Terrace and Freedman, USENIX ATC 2009): the rules and the state. Messages are decoded by {@link ChainAdapter},
 * which calls the {@code onX(...)} handlers here with plain arguments, and encoded by {@link ChainPublisher}; reads
 * are {@link ChainReads}, the writes in flight {@link PendingWrites}, a joining node's state transfer is
 * {@link ChainStateTransfer} over the shared {@code lab.core.snapshot} mechanism, and duplicate detection the shared
 * {@link ClientSessionTable}.
 *
 * <p>Normal case: the head gives each PUT the next chain sequence number (also its version) and forwards it; every
 * node keeps it as pending and forwards it to its successor; the tail applies it (it is now committed), answers the
 * client when the tail acks ({@code chain-ack=tail}, N+1 hops), and sends an ack back up the chain: each node
 * applies what the ack commits and passes the ack on; with {@code chain-ack=head} the head answers the client when
 * the ack reaches it (2N hops).
 *
 * <p>Failures: the configuration manager ({@link ChainManager}) assigns chains by epoch. A replica takes chain
 * traffic of its own epoch only. On a new epoch every node tells its (possibly new) predecessor what it has
 * received ({@code Hello}); the predecessor resends the rest from its pending list, so nothing in flight is lost,
 * and sequence numbers make every resend idempotent. A node that becomes the tail commits everything it holds: each
 * of those writes may have been acknowledged by the old tail. A node without state (restarted, or removed and
 * wiped) joins at the tail: its predecessor streams it a snapshot, then resends its pending writes. Reads are only
 * served under a lease from the manager ({@link lab.control.ServiceLease}), which removes a node only after the node's lease has
 * run out, so a node cut off from the manager stops reading before a new chain can commit writes it has not seen.
 */
public final class ChainReplica implements Replica
{
    private static final Role HEAD = Role.serving("head");
    private static final Role MIDDLE = Role.serving("middle");
    private static final Role TAIL = Role.serving("tail");
    private static final Role SOLE = Role.serving("sole");
    /** Out of the chain with its state (removed, e.g. after a false suspicion): rejoins at the tail. */
    private static final Role STANDBY = Role.standing("standby");
    private static final Role EMPTY = Role.withoutState("empty");
    private static final Role JOINING = Role.withoutState("joining");

    private static final int RETRANSMIT_BURST = 1024;

    private final int nodeId;
    private final int managerNode;
    private final ChainConfig config;
    private final boolean tailAcks;

    // Configuration
    private long epoch;
    private final int[] members;
    private int memberCount;
    private int position = -1;
    private int pred = -1;
    private int succ = -1;
    private boolean synced;
    private final lab.control.ServiceLease lease;
    private long nextHeartbeatNs;

    // Replicated state
    private long lastSeq;
    private long commitSeq;
    private final ReplicaState state = new ReplicaState();
    /** Sessions recorded when a write is taken (head) or received (successor), committed with commitSeq. */
    private final ClientSessionTable sessions = new ClientSessionTable(state);
    private final PendingWrites pending;

    // Link to the successor
    private long succReceived;
    private boolean succNeedsSnapshot;
    private long lastProgressNs;
    private long nextRetransmitNs;

    // Link to the predecessor
    private boolean predLinked = true;
    private long nackedSeq = -1;
    private long nextHelloNs;

    private final WireCheck wire;
    private final HopDepth hops = new HopDepth();
    private final ChainPublisher publisher;
    private final ChainAdapter adapter;
    private final ChainReads reads;
    private final ChainStateTransfer transfer;

    public ChainReplica(final int nodeId, final int replicas, final ChainConfig config, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.wire = new WireCheck("node " + nodeId + " (chain replica)");
        this.managerNode = replicas;
        this.config = config;
        this.tailAcks = config.ack == ChainConfig.Ack.TAIL;
        members = new int[replicas];
        pending = new PendingWrites(config.pendingCapacity);
        lease = new lab.control.ServiceLease(config.failureTimeoutNs, config.leaseDriftNs);
        publisher = new ChainPublisher(nodeId, hops);
        adapter = new ChainAdapter(this, hops, wire, nodeId, replicas, config.managers, config.nodeCount,
            ChainStateTransfer.CHUNK_BYTES);
        transfer = new ChainStateTransfer(publisher, wire, config.snapshotRetryNs);
        reads = new ChainReads(this, publisher, pending, config.reads == ChainConfig.Reads.CRAQ, nodeId);
        if (!restarted)
        {
            // Bootstrap: every replica starts in epoch 1 with the empty state, chained in node id order, the way
            // the manager starts too.
            epoch = 1;
            memberCount = replicas;
            for (int i = 0; i < replicas; i++)
            {
                members[i] = i;
            }
            synced = true;
            link(nodeId);
        }
    }

    public Role role()
    {
        if (position < 0)
        {
            return synced ? STANDBY : EMPTY;
        }
        if (!synced)
        {
            return JOINING;
        }
        if (memberCount == 1)
        {
            return SOLE;
        }
        return position == 0 ? HEAD : position == memberCount - 1 ? TAIL : MIDDLE;
    }

    /**
     * @return CRAQ reads served from the node's own committed state (every read at the tail counts as clean).
     */
    public java.util.Map<String, Long> counters()
    {
        final java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("craq_clean_reads", reads.cleanReads());
        counters.put("craq_dirty_reads", reads.dirtyReads());
        counters.put("malformed_messages", wire.count());
        if (config.tied)
        {
            reads.tied().addCounters(counters);
        }
        return counters;
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public long cleanReads()
    {
        return reads.cleanReads();
    }

    /**
     * @return CRAQ reads of a key with a pending write, answered after asking the tail for the committed version.
     */
    public long dirtyReads()
    {
        return reads.dirtyReads();
    }

    public long epoch()
    {
        return epoch;
    }

    public long lastSeq()
    {
        return lastSeq;
    }

    public long commitSeq()
    {
        return commitSeq;
    }

    public boolean synced()
    {
        return synced;
    }

    KvStore store()
    {
        return state.store();
    }

    ChainReads reads()
    {
        return reads;
    }

    boolean inChain()
    {
        return position >= 0;
    }

    boolean leased(final long nowNs)
    {
        return lease.holds(nowNs);
    }

    private boolean isHead()
    {
        return position == 0;
    }

    boolean isTail()
    {
        return position >= 0 && position == memberCount - 1;
    }

    int head()
    {
        return memberCount > 0 ? members[0] : -1;
    }

    int tail()
    {
        return memberCount > 0 ? members[memberCount - 1] : -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        adapter.onMessage(fromNode, buffer, offset, length, nowNs, out);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        hops.startPath();
        if (nowNs >= nextHeartbeatNs)
        {
            nextHeartbeatNs = nowNs + config.heartbeatIntervalNs;
            for (int m = 0; m < config.managers; m++)
            {
                publisher.heartbeat(out, managerNode + m, epoch, nowNs, lastSeq, synced); // only the acting one answers
            }
        }
        if (position < 0)
        {
            return;
        }
        if (!predLinked && nowNs >= nextHelloNs)
        {
            sendHello(out, nowNs);
        }
        transfer.onTick(succ, nowNs, out); // a snapshot's own timer: resends what the joiner has not acknowledged
        if (commitSeq == lastSeq)
        {
            lastProgressNs = nowNs;
        }
        else if (succ >= 0 && synced && !succNeedsSnapshot && nowNs - lastProgressNs > config.retransmitNs &&
            nowNs >= nextRetransmitNs)
        {
            // Commits stalled: a forward or an ack was lost (or overtaken). Resend what the successor may lack;
            // it drops what it has and answers with an ack, which also repairs a lost ack.
            nextRetransmitNs = nowNs + config.retransmitNs;
            resend(Math.max(commitSeq + 1, Math.min(succReceived + 1, lastSeq)), out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writes: a PUT at the head, down the chain, acks up

    void onWrite(final int from, final long clientId, final long seq, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength, final Outbox out)
    {
        if (!isHead() || !synced)
        {
            publisher.redirect(out, from, clientId, seq, head(), epoch, head(), tail());
            return;
        }
        final ClientSessionTable.Outcome outcome = sessions.check(clientId, seq);
        if (outcome != ClientSessionTable.Outcome.NEW)
        {
            if (outcome == ClientSessionTable.Outcome.COMMITTED)
            {
                publisher.written(out, from, clientId, seq, sessions.committedVersion());
            }
            else if (outcome == ClientSessionTable.Outcome.PROPOSED)
            {
                sessions.answerAtCommit(clientId); // still in the chain: answered when the ack comes back
            }
            return; // or STALE: a late duplicate of a write the client has moved on from
        }
        if (lastSeq - commitSeq >= pending.capacity() - 1)
        {
            publisher.reply(out, from, clientId, seq, Status.UNAVAILABLE);
            return;
        }

        final long chainSeq = lastSeq + 1;
        final ExpandableArrayBuffer entry = pending.slot(chainSeq);
        final int length = publisher.encodeForward(
            entry, clientId, seq, epoch, chainSeq, key, value, valueOffset, valueLength);
        pending.length(chainSeq, length);
        accepted(chainSeq, clientId, seq, key);
        if (isTail())
        {
            commitTo(lastSeq, false, out);
        }
        else
        {
            out.send(succ, entry, 0, length);
        }
    }

    private void accepted(final long chainSeq, final long clientId, final long seq, final long key)
    {
        lastSeq = chainSeq;
        pending.accepted(chainSeq, key, hops.input()); // the path a new tail's answer continues (commitTo)
        sessions.propose(clientId, seq, chainSeq); // committed when commitSeq reaches chainSeq
    }

    /**
     * @param buffer, offset, length the whole {@code Forward} as received: kept as it is (one hop deeper) and passed
     *                               on from there.
     */
    void onForward(final int from, final long forwardEpoch, final long chainSeq,
        final long clientId, final long seq, final long key, final DirectBuffer buffer, final int offset,
        final int length, final long nowNs, final Outbox out)
    {
        if (forwardEpoch != epoch || from != pred || !synced)
        {
            return; // another epoch, or not our predecessor: the link is re-established by Hello
        }
        predLinked = true;
        if (chainSeq != lastSeq + 1)
        {
            if (chainSeq <= lastSeq)
            {
                sendAck(out, 0, 0); // a resend of what we have: tell the predecessor where we are
            }
            else if (nackedSeq != lastSeq)
            {
                // A gap (loss or reordering): ask for the rest at once, once per gap; the predecessor's
                // retransmit timer covers a lost request.
                nackedSeq = lastSeq;
                sendHello(out, nowNs);
            }
            return;
        }
        if (lastSeq - commitSeq >= pending.capacity() - 1)
        {
            return; // cannot happen while the predecessor's pending list is no longer than ours; be safe
        }
        final ExpandableArrayBuffer entry = pending.slot(chainSeq);
        entry.putBytes(0, buffer, offset, length);
        pending.length(chainSeq, length);
        publisher.stampForward(entry);
        accepted(chainSeq, clientId, seq, key);
        if (isTail())
        {
            commitTo(chainSeq, false, out);
            sendAck(out, clientId, seq);
        }
        else
        {
            out.send(succ, entry, 0, length);
        }
    }

    void onAck(final int from, final long clientId, final long seq, final long ackEpoch,
        final long receivedSeq, final long ackCommitSeq, final long nowNs, final Outbox out)
    {
        if (ackEpoch != epoch || from != succ || !synced)
        {
            return;
        }
        succReceived = Math.max(succReceived, receivedSeq);
        succNeedsSnapshot = false;
        final long target = Math.min(ackCommitSeq, lastSeq);
        if (target > commitSeq)
        {
            commitTo(target, false, out);
            lastProgressNs = nowNs;
            if (pred >= 0)
            {
                sendAck(out, clientId, seq);
            }
        }
    }

    private void sendAck(final Outbox out, final long clientId, final long seq)
    {
        if (pred >= 0)
        {
            publisher.ack(out, pred, clientId, seq, epoch, lastSeq, commitSeq);
        }
    }

    /**
     * Applies every pending write up to {@code target} and answers its client where this node is the one that
     * answers, one hop past the input that committed it.
     *
     * @param ownPaths answer each write on its own path instead, one hop past the input it was accepted with (a new
     *                 tail committing what its old tail may already have answered, at that depth).
     */
    private void commitTo(final long target, final boolean ownPaths, final Outbox out)
    {
        final boolean answers = tailAcks ? isTail() : isHead();
        while (commitSeq < target)
        {
            final long chainSeq = ++commitSeq;
            final ForwardDecoder w = pending.decode(chainSeq);
            final long clientId = w.clientId();
            final long seq = w.seq();
            final long key = w.key();
            final int valueLength = w.valueLength();
            final int valueOffset = w.limit() + ForwardDecoder.valueHeaderLength();
            state.store().put(key, pending.buffer(chainSeq), valueOffset, valueLength, chainSeq);
            pending.committed(key);
            // At the head, a retry that arrived while the write was in flight is answered now too.
            final boolean reply = isHead() ? sessions.takeAnswerAtCommit(clientId, seq) || answers : answers;
            if (reply)
            {
                if (ownPaths)
                {
                    hops.resume(pending.inputDepth(chainSeq));
                }
                publisher.written(out, ClientSessions.clientNode(clientId), clientId, seq, chainSeq);
            }
        }
        sessions.commitThrough(commitSeq);
    }

    private void resend(final long from, final Outbox out)
    {
        if (lastSeq - from >= pending.capacity() - 1)
        {
            return; // the successor lacks writes we no longer hold: cannot happen when the chain is intact
        }
        final long to = Math.min(lastSeq, from + RETRANSMIT_BURST - 1);
        for (long i = from; i <= to; i++)
        {
            final ExpandableArrayBuffer entry = pending.buffer(i);
            publisher.restampEpoch(entry, epoch);
            out.send(succ, entry, 0, pending.length(i));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reconfiguration

    /**
     * @param newMembers the chain of {@code newEpoch}, head first, in {@code [0, count)}.
     */
    void onConfig(final long newEpoch, final long leaseSentNs, final int joiner, final int[] newMembers,
        final int count, final long nowNs, final Outbox out)
    {
        if (newEpoch > epoch)
        {
            epoch = newEpoch;
            memberCount = 0;
            int newPosition = -1;
            for (int i = 0; i < count && memberCount < members.length; i++)
            {
                final int id = newMembers[i];
                if (id == nodeId)
                {
                    newPosition = memberCount;
                }
                members[memberCount++] = id;
            }
            if (newPosition < 0 || (!synced && joiner != nodeId))
            {
                becomeOutsider();
            }
            else
            {
                link(newPosition);
                if (isTail() && synced && commitSeq < lastSeq)
                {
                    // The old tail may have applied (and answered) any of these: commit them all, ack them up
                    // (the ack on a path of its own: it follows from the configuration, no operation).
                    commitTo(lastSeq, true, out);
                    hops.startPath();
                    sendAck(out, 0, 0);
                }
                if (!predLinked)
                {
                    sendHello(out, nowNs);
                }
            }
        }
        if (newEpoch == epoch && position >= 0 && leaseSentNs != Long.MIN_VALUE)
        {
            lease.grant(leaseSentNs);
        }
    }

    private void link(final int newPosition)
    {
        position = newPosition;
        pred = newPosition > 0 ? members[newPosition - 1] : -1;
        final int newSucc = newPosition < memberCount - 1 ? members[newPosition + 1] : -1;
        if (newSucc != succ)
        {
            // Everything a successor may lack is still pending here: it holds all we have committed.
            succReceived = commitSeq;
            succNeedsSnapshot = false;
        }
        succ = newSucc;
        predLinked = pred < 0;
        nextRetransmitNs = 0;
        nackedSeq = -1;
        transfer.cancel(); // its chunks carry the old epoch, which the successor no longer takes
    }

    /**
     * Not in the chain (removed, or holding no state and not the joiner): stop serving and forget the state, which
     * a later join replaces with a snapshot.
     */
    private void becomeOutsider()
    {
        position = -1;
        pred = -1;
        succ = -1;
        predLinked = true;
        lease.revoke();
        transfer.cancel();
        if (synced || lastSeq != 0)
        {
            synced = false;
            state.clear();
            pending.clearKeys();
            lastSeq = 0;
            commitSeq = 0;
            sessions.commitThrough(0);
        }
    }

    private void sendHello(final Outbox out, final long nowNs)
    {
        nextHelloNs = nowNs + config.retransmitNs;
        publisher.hello(out, pred, epoch, lastSeq, !synced);
    }

    void onHello(final int from, final long helloEpoch, final long received, final boolean needSnapshot,
        final long nowNs, final Outbox out)
    {
        if (helloEpoch != epoch || from != succ || !synced)
        {
            return; // not our successor in our epoch (yet): it says hello again
        }
        if (needSnapshot || received < lastSeq - (pending.capacity() - 2))
        {
            succNeedsSnapshot = true;
            transfer.offer(succ, epoch, commitSeq, state, nowNs, out);
            return;
        }
        succNeedsSnapshot = false;
        transfer.cancel(); // the successor holds a state: whatever it still lacks is resent from here
        succReceived = received;
        if (received < lastSeq)
        {
            resend(received + 1, out);
        }
        publisher.linked(out, succ, epoch, lastSeq);
    }

    void onLinked(final int from, final long linkedEpoch)
    {
        if (linkedEpoch == epoch && from == pred)
        {
            predLinked = true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State transfer to a joining tail (ChainStateTransfer over lab.core.snapshot)

    void onSnapshotAck(final int from, final long ackEpoch, final long transferId, final int receivedChunks,
        final long nowNs, final Outbox out)
    {
        if (ackEpoch == epoch && from == succ && synced)
        {
            transfer.onAck(succ, ackEpoch, transferId, receivedChunks, nowNs, out);
        }
    }

    void onSnapshotChunk(final int from, final long chunkEpoch, final long snapshotSeq, final long transferId,
        final int index, final int totalLength, final int checksum, final DirectBuffer buffer, final int bytesOffset,
        final int bytesLength, final long nowNs, final Outbox out)
    {
        if (chunkEpoch != epoch || from != pred || synced || position < 0)
        {
            return;
        }
        if (transfer.onChunk(from, chunkEpoch, snapshotSeq, transferId, index, totalLength, checksum, buffer,
            bytesOffset, bytesLength, state, out))
        {
            final long installedSeq = transfer.installedSeq();
            pending.clearKeys();
            lastSeq = installedSeq;
            commitSeq = installedSeq;
            sessions.commitThrough(installedSeq);
            synced = true;
            // Now ask for the writes after the snapshot.
            predLinked = false;
            sendHello(out, nowNs);
        }
    }
}
