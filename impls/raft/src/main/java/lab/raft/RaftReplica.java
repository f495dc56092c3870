package lab.raft;

import java.util.Random;

import lab.core.ClientSessions;
import lab.core.HeldOutbox;
import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.ReplicaState;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.core.election.ElectionRules;
import lab.core.quorum.MajorityTracker;
import lab.core.session.ClientSessionTable;
import lab.raft.codec.AppendEntriesDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A Raft replica as a pure state machine (Ongaro and Ousterhout 2014; pre-vote, check-quorum, ReadIndex and leases
 * from Ongaro's thesis). This class holds the replica's state (role, term, vote, log, commit and apply) and the
 * rules of a follower, of client writes and of commit; the rest is in one class per concern:
 * {@link RaftElection} (timers, pre-vote and votes, on the shared {@link ElectionRules}), {@link FollowerAck}
 * (one acknowledgement per burst), {@link RaftStateTransfer} (snapshots sent and received, on the shared
 * {@code lab.core.snapshot}),
 * {@link LeaderReplication} (one {@link Progress} per follower: batching, pipelining, retransmission, snapshots
 * sent), {@link RaftReads} (lease reads and ReadIndex rounds), {@link RaftAdapter} (decoding, with the wire checks)
 * and {@link RaftPublisher} (encoding).
 *
 * <p>Replication: client writes are appended to the leader's log, persisted, and sent to each follower in
 * AppendEntries carrying up to {@code batch} entries, with up to {@code raft-pipeline} of them in flight per
 * follower. The writes of one burst of input go in one append; while an append is in flight, new writes wait until
 * {@code batch} of them are pending or the pipeline drains, so load builds batches and an idle cluster sends at
 * once. Everything a burst causes is held until {@link #flush}, which persists once and then sends (etcd's Ready):
 * one log write per burst, and one acknowledgement per burst of appends. A follower checks (prevLogIndex, prevLogTerm)
 * and on a mismatch returns the conflicting term and its first index so the leader skips a whole term per round
 * trip. An entry of the leader's term stored on a majority is committed; entries are applied in order, a
 * (session, seq) already applied is skipped, so a retried write is applied once. The log is compacted into a
 * snapshot every {@code raft-snapshot-entries} applied entries; a follower that needs compacted entries gets the
 * snapshot (InstallSnapshot). A leader that has not heard from a majority for {@code electionMin} steps down.
 *
 * <p>Hop depth: every message carries the depth of the operation's path so far, kept by one {@link HopDepth} at the
 * edges (the adapter records what it decodes, the publisher stamps what it encodes, a tick and {@link #flush} start
 * paths). The rules speak only where a message does not follow from the input being handled: an entry keeps its
 * request's depth for the appends that carry it ({@link LeaderReplication}), a read held for a round keeps its own
 * ({@link RaftReads}), a follower's held acknowledgement keeps the deepest of the appends it answers
 * ({@link FollowerAck}), and an election's outcome starts paths ({@link RaftElection#onVote}). No rule reads it.
 */
public final class RaftReplica implements Replica
{
    enum Role
    {
        FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER
    }

    private final int nodeId;
    private final int n;
    private final int majority;
    private final RaftConfig config;
    private final RaftStorage storage;
    private final RaftLog log;
    private final boolean restarted;

    // The replica's state: the election and replication classes read and change it (same package), nothing else.
    Role role = Role.FOLLOWER;
    long term;
    int votedFor;
    int leaderId = -1;
    long commitIndex;
    private long appliedIndex;
    private final ReplicaState state = new ReplicaState();
    /** Duplicate detection: records of applied (so committed) writes, the leader's proposals apart. */
    private final ClientSessionTable sessions = new ClientSessionTable(state);

    // leader
    private final MajorityTracker matched;
    private long termStartIndex;
    private boolean committedInTerm;

    // snapshots
    private final RaftStateTransfer transfer;
    private final ExpandableArrayBuffer snapshotOut = new ExpandableArrayBuffer(64 * 1024);

    // output of the current burst of input: held until flush() has persisted what it depends on
    private final HeldOutbox held = new HeldOutbox();
    private boolean replicate;
    private final FollowerAck ack;

    /** The depth of what this replica sends (one per replica, on its thread). */
    private final HopDepth hops = new HopDepth();
    private final RaftPublisher publisher = new RaftPublisher(hops);
    private final RaftAdapter adapter;
    private final RaftElection election;
    private final LeaderReplication replication;
    private final RaftReads reads;

    public RaftReplica(final int nodeId, final int replicas, final RaftConfig config, final Random random,
        final RaftStorage storage, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.n = replicas;
        this.majority = MajorityTracker.majority(replicas);
        this.config = config;
        this.storage = storage;
        this.log = storage.log();
        this.restarted = restarted;
        this.matched = new MajorityTracker(replicas, 0);
        this.ack = new FollowerAck(publisher, hops, log);
        this.adapter = new RaftAdapter(this, hops, nodeId, replicas, config.nodeCount);
        this.transfer = new RaftStateTransfer(nodeId, replicas, publisher, adapter.wire(), config.retransmitNs * 5);
        this.election = new RaftElection(this, nodeId, replicas, config, random, storage, publisher, hops);
        this.replication = new LeaderReplication(this, nodeId, replicas, config, storage, publisher, hops, transfer);
        this.reads = new RaftReads(nodeId, replicas, config, state, replication, publisher, hops);

        // Recovery: term, vote and log come from storage; the state machine from the snapshot. Entries after it
        // are applied again once a leader says they are committed.
        term = storage.term();
        votedFor = storage.votedFor();
        if (log.snapshotIndex() > 0)
        {
            state.installSnapshot(storage.snapshot(), storage.snapshotLength());
        }
        commitIndex = log.snapshotIndex();
        appliedIndex = log.snapshotIndex();
        sessions.commitThrough(Long.MAX_VALUE);
    }

    public lab.core.Role role()
    {
        switch (role)
        {
            case LEADER: return LEADER_ROLE;
            case CANDIDATE: return CANDIDATE_ROLE;
            case PRE_CANDIDATE: return PRE_CANDIDATE_ROLE;
            default: return FOLLOWER_ROLE;
        }
    }

    private static final lab.core.Role LEADER_ROLE = lab.core.Role.serving("leader");
    private static final lab.core.Role CANDIDATE_ROLE = lab.core.Role.standing("candidate");
    private static final lab.core.Role PRE_CANDIDATE_ROLE = lab.core.Role.standing("pre-candidate");
    private static final lab.core.Role FOLLOWER_ROLE = lab.core.Role.standing("follower");

    /**
     * @return over the replica's life (warm-up included): AppendEntries sent with entries and the entries they
     * carried (the leader's batching), acknowledgements sent (one per burst of appends), write calls to the log and
     * torn records cut from its end when it was recovered.
     */
    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("raft_appends_sent", replication.appendsSent(), "raft_entries_sent",
            replication.entriesSent(), "raft_acks_sent", ack.sent(), "raft_log_writes", storage.fileWrites(),
            "raft_log_torn_tails", storage.tornTails(), "malformed_messages", adapter.wire().count());
    }

    public long malformedMessages()
    {
        return adapter.wire().count();
    }

    Role roleState()
    {
        return role;
    }

    long term()
    {
        return term;
    }

    long commitIndex()
    {
        return commitIndex;
    }

    long appliedIndex()
    {
        return appliedIndex;
    }

    RaftLog log()
    {
        return log;
    }

    KvStore store()
    {
        return state.store();
    }

    int leaderId()
    {
        return leaderId;
    }

    RaftElection election()
    {
        return election;
    }

    RaftReads reads()
    {
        return reads;
    }

    LeaderReplication replication()
    {
        return replication;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox driverOut)
    {
        election.start(nowNs, restarted);
        adapter.onMessage(fromNode, buffer, offset, length, nowNs, held);
    }

    public void onTick(final long nowNs, final Outbox driverOut)
    {
        final Outbox out = held;
        election.start(nowNs, restarted);
        hops.startPath(); // timers: retransmissions, heartbeats, elections
        switch (role)
        {
            case LEADER:
                replication.tick(nowNs, out);
                break;
            case FOLLOWER:
            case PRE_CANDIDATE:
            case CANDIDATE:
                election.tick(nowNs, out);
                break;
            default:
                break;
        }
    }

    /**
     * The end of a burst of input. The leader sends the writes of the whole burst in one AppendEntries per follower
     * (batching without waiting), a follower sends one acknowledgement for all the appends it took, and then, once
     * the storage has persisted everything the burst staged (one write, not one per message), everything held goes.
     */
    public void flush(final long nowNs, final Outbox out)
    {
        hops.startPath(); // the burst's appends carry their entries' depths (LeaderReplication), its ack its own
        if (replicate)
        {
            replicate = false;
            if (role == Role.LEADER)
            {
                replication.sendAppendsToAll(nowNs, false, held);
            }
        }
        ack.release(held);
        if (!held.isEmpty())
        {
            storage.sync(); // persist, then send
            held.releaseTo(out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Clients

    void onClientRequest(final int from, final long clientId, final long seq, final OpType opType, final long key,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength, final long nowNs,
        final Outbox out)
    {
        if (role != Role.LEADER)
        {
            final int hint = leaderId != nodeId ? leaderId : -1;
            publisher.clientStatus(out, from, clientId, seq, Status.REDIRECT, hint);
            return;
        }
        if (opType == OpType.GET)
        {
            if (!committedInTerm)
            {
                // Until an entry of its term commits, the leader may not know every committed write.
                publisher.clientStatus(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
                return;
            }
            reads.read(from, clientId, seq, key, nowNs, out);
            return;
        }

        switch (sessions.checkWithProposals(clientId, seq))
        {
            case COMMITTED:
                publisher.clientResponse(out, from, clientId, seq, Status.OK, nodeId,
                    sessions.committedVersion(), publisher.emptyValue(), 0, 0);
                return;
            case PROPOSED: // a retry of a write in the log already: its commit answers
            case STALE:    // its client has moved on
                return;
            default:
                break;
        }
        if (log.isFull())
        {
            publisher.clientStatus(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        // The entry keeps its request's depth: the appends that carry it join it (LeaderReplication).
        final long index = log.append(term, clientId, seq, key, valueBuffer, valueOffset, valueLength, hops.input());
        storage.appended(index);
        sessions.proposeApart(clientId, seq);
        if (majority == 1)
        {
            advanceCommit(out);
            return;
        }
        replicate = true; // at the end of the burst, with the writes that arrive with it
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Leader

    void becomeLeader(final long nowNs, final Outbox out)
    {
        role = Role.LEADER;
        leaderId = nodeId;
        sessions.abandonProposals(); // a write of an earlier reign still in the log is skipped at apply
        reads.becomeLeader();
        replication.becomeLeader(nowNs);
        // A no-op of the new term: committing it commits everything before it and tells the leader which
        // entries are committed (needed before it serves reads). It is the leader's own request, as deep as a
        // message sent now: a leader elected starts paths (RaftElection), so its appends are one hop deeper.
        termStartIndex = log.append(term, 0, 0, 0, publisher.emptyValue(), 0, 0, hops.stamp());
        storage.appended(termStartIndex);
        committedInTerm = false;
        if (majority == 1)
        {
            advanceCommit(out);
            return;
        }
        replication.sendAppendsToAll(nowNs, true, out);
    }

    void onAppendResponse(final int from, final long responseTerm, final boolean success,
        final long matchIndex, final long prevIndex, final long conflictIndex, final long conflictTerm,
        final long sentNs, final long round, final long nowNs, final Outbox out)
    {
        if (responseTerm > term)
        {
            becomeFollower(responseTerm, -1, nowNs, out);
            return;
        }
        if (role != Role.LEADER || responseTerm != term)
        {
            return;
        }
        reads.onAcknowledged(from, sentNs, round);
        // What the answer commits and the reads it confirms are answered one hop after it: its path already went
        // through the entries' appends (and the rounds' heartbeats).
        replication.onAppendResponse(from, success, matchIndex, prevIndex, conflictIndex, conflictTerm, nowNs,
            out);
        if (role == Role.LEADER)
        {
            replicate = true; // the pipeline has room again: the end of the burst fills it
            reads.confirm(nowNs, out);
        }
    }

    /**
     * Commits up to the index a majority stores (the leader's own log counts), if that entry is of the leader's
     * term: only such an entry is committed by counting replicas (Raft 5.4.2).
     */
    void advanceCommit(final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            matched.set(f, f == nodeId ? log.lastIndex() : replication.progress(f).match);
        }
        final long quorum = matched.quorumValue();
        if (quorum > commitIndex && log.termAt(quorum) == term)
        {
            commitIndex = quorum;
            if (commitIndex >= termStartIndex)
            {
                committedInTerm = true;
            }
            apply(out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State machine

    private void apply(final Outbox out)
    {
        final boolean leader = role == Role.LEADER;
        while (appliedIndex < commitIndex)
        {
            final long index = ++appliedIndex;
            final long clientId = log.clientId(index);
            if (clientId == 0)
            {
                continue; // a leader's no-op
            }
            final long seq = log.seq(index);
            long version = index;
            switch (sessions.applyIfNew(clientId, seq, index)) // one session lookup per entry: the hot path
            {
                case STALE:
                    continue; // an old duplicate; its client has moved on
                case COMMITTED:
                    version = sessions.committedVersion(); // a retried write: applied once, answered again
                    break;
                default: // NEW, recorded as applied
                    state.store().put(log.key(index), log.value(index), 0, log.valueLength(index), index);
                    break;
            }
            if (leader)
            {
                publisher.clientResponse(out, ClientSessions.clientNode(clientId), clientId, seq,
                    Status.OK, nodeId, version, publisher.emptyValue(), 0, 0);
            }
        }
        maybeCompact();
    }

    private void maybeCompact()
    {
        if (appliedIndex - log.snapshotIndex() < config.snapshotEntries)
        {
            return;
        }
        final long snapshotTerm = log.termAt(appliedIndex);
        final int length = sessions.writeSnapshot(snapshotOut); // sessions hold applied writes only
        log.compactTo(appliedIndex, snapshotTerm);
        storage.saveSnapshot(snapshotOut, 0, length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Follower

    /**
     * Steps down to follower (adopting a higher term). The election timer keeps running: only a granted vote or a
     * message from the current leader resets it (thesis 3.4), and those callers do so. Learning a higher term, e.g.
     * from a RequestVote that is refused, must not: a candidate whose log is behind (it cannot win) would otherwise
     * restart every up-to-date replica's timer with each of its elections, so without pre-vote it times out first
     * again and again and no replica that could win ever stands. A leader had no timer running: it starts one.
     */
    void becomeFollower(final long newTerm, final int leader, final long nowNs, final Outbox out)
    {
        if (role == Role.LEADER)
        {
            reads.failPending(out);
            election.restartTimer(nowNs);
        }
        if (newTerm > term)
        {
            term = newTerm;
            votedFor = ElectionRules.NO_VOTE;
            storage.saveHardState(term, votedFor);
        }
        role = Role.FOLLOWER;
        leaderId = leader;
    }

    /**
     * Common to AppendEntries and InstallSnapshot.
     *
     * @return false when the sender is the leader of an older term, to be told the current one.
     */
    private boolean followLeader(final int from, final long msgTerm, final long nowNs, final Outbox out)
    {
        if (msgTerm < term)
        {
            return false;
        }
        if (msgTerm > term || role != Role.FOLLOWER)
        {
            becomeFollower(msgTerm, from, nowNs, out);
        }
        leaderId = from;
        election.heardFromLeader(nowNs);
        return true;
    }

    /**
     * Each entry appended keeps the append's hop depth (should this follower lead, its appends carry it on).
     *
     * @param entries the append's entries, read in place (values at {@link RaftAdapter#entryValueOffset}).
     */
    void onAppendEntries(final int from, final long leaderTerm, final long prev,
        final long prevTerm, final long leaderCommit, final long sentNs, final long round,
        final AppendEntriesDecoder.EntriesDecoder entries, final long nowNs, final Outbox out)
    {
        if (!followLeader(from, leaderTerm, nowNs, out))
        {
            reject(from, prev, 0, -1, sentNs, round);
            return;
        }
        final int count = entries.count();
        if (prevTerm == -1 && count == 0)
        {
            // Heartbeat at the leader's match index for us: our log matches up to there.
            election.leaderHeartbeat(nowNs);
            final long matched = Math.min(prev, log.lastIndex());
            commitTo(Math.min(leaderCommit, matched), out);
            ack.hold(from, term, matched, prev, sentNs, round, held);
            return;
        }
        if (prev > log.lastIndex())
        {
            reject(from, prev, log.lastIndex() + 1, -1, sentNs, round);
            return;
        }
        if (prev > log.snapshotIndex() && log.termAt(prev) != prevTerm)
        {
            final long conflictTerm = log.termAt(prev);
            reject(from, prev, log.firstIndexOfTerm(prev, conflictTerm), conflictTerm, sentNs, round);
            return;
        }
        // Entries at or below our snapshot are committed, so they match the leader's: skip them.
        final DirectBuffer buffer = adapter.entryBuffer();
        long index = prev;
        while (entries.hasNext())
        {
            entries.next();
            index++;
            final long entryTerm = entries.entryTerm();
            final int valueLength = entries.valueLength();
            final int valueOffset = adapter.entryValueOffset();
            if (index > log.snapshotIndex())
            {
                final long existing = log.termAt(index);
                if (existing != entryTerm)
                {
                    if (existing != -1)
                    {
                        log.truncateFrom(index); // a conflicting suffix from an old term, never committed
                        storage.truncated(index);
                    }
                    if (log.isFull())
                    {
                        index--;
                        break;
                    }
                    log.append(entryTerm, entries.entryClientId(), entries.entrySeq(), entries.key(), buffer,
                        valueOffset, valueLength, hops.input());
                    storage.appended(index);
                }
            }
            entries.skipValue();
        }
        commitTo(Math.min(leaderCommit, index), out);
        ack.hold(from, term, index, prev, sentNs, round, held);
    }

    private void commitTo(final long index, final Outbox out)
    {
        if (index > commitIndex)
        {
            commitIndex = index;
            apply(out);
        }
    }

    /**
     * Refuses an append (or snapshot): the acknowledgements held before it go first.
     */
    private void reject(final int to, final long prev, final long conflictIndex,
        final long conflictTerm, final long sentNs, final long round)
    {
        ack.release(held);
        publisher.appendResponse(held, to, term, false, 0, prev, conflictIndex, conflictTerm, log.lastIndex(),
            sentNs, round);
    }

    void onInstallSnapshot(final int from, final long leaderTerm, final long index,
        final long snapshotTerm, final int chunkOffset, final int total, final long transferId, final int checksum,
        final DirectBuffer chunk, final int chunkStart, final int chunkLength, final long nowNs, final Outbox out)
    {
        if (!followLeader(from, leaderTerm, nowNs, out))
        {
            reject(from, index, 0, -1, 0, 0);
            return;
        }
        if (index <= commitIndex)
        {
            // We have all of it, and committed entries match the leader's.
            ack.hold(from, term, index, index, 0, 0, held);
            return;
        }
        if (!transfer.onChunk(from, term, index, transferId, chunkOffset, total, checksum, chunk, chunkStart,
            chunkLength, state, out))
        {
            return;
        }
        if (log.termAt(index) == snapshotTerm)
        {
            log.compactTo(index, snapshotTerm); // keep the entries after it: they match the leader's
        }
        else
        {
            log.resetTo(index, snapshotTerm);
        }
        storage.saveSnapshot(transfer.bytes(), 0, transfer.length());
        commitIndex = index;
        appliedIndex = index;
        ack.hold(from, term, index, index, 0, 0, held);
    }
}
