package lab.raft;

import java.util.Random;

import lab.core.ClientSession;
import lab.core.ClientSessions;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.ReplicaState;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.raft.codec.AppendEntriesDecoder;
import lab.raft.codec.AppendEntriesEncoder;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.AppendResponseEncoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.InstallSnapshotDecoder;
import lab.raft.codec.InstallSnapshotEncoder;
import lab.raft.codec.MessageHeaderDecoder;
import lab.raft.codec.MessageHeaderEncoder;
import lab.raft.codec.RequestVoteDecoder;
import lab.raft.codec.RequestVoteEncoder;
import lab.raft.codec.VoteDecoder;
import lab.raft.codec.VoteEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * A Raft replica as a pure state machine (Ongaro and Ousterhout 2014; pre-vote, check-quorum, ReadIndex and leases
 * from Ongaro's thesis).
 *
 * <p>Elections: a follower that hears nothing from a leader for a randomized timeout in
 * {@code [electionMin, 2 electionMin)} first asks for pre-votes for {@code term + 1} without changing its term, and
 * only with a majority of them stands for real, so a node cut off and rejoining cannot force the term up. A replica
 * votes once per term (term and vote are persisted before the vote leaves), only for a candidate whose log is at
 * least as up to date as its own, and never within {@code electionMin} of hearing from a leader (the promise the
 * read lease rests on). A leader that has not heard from a majority for {@code electionMin} steps down.
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
 * snapshot (InstallSnapshot).
 *
 * <p>Reads at the leader, once it has committed an entry of its term: with a lease (majority acknowledged a
 * message sent at s, serve until {@code s + electionMin - drift}) in 2 hops; otherwise (read-index mode, or lease
 * lapsed) after a heartbeat round started after the read arrived is acknowledged by a majority, in 4 hops.
 * Reads arriving during a round share the next round.
 */
public final class RaftReplica implements Replica
{
    enum Role
    {
        FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER
    }

    enum Progress
    {
        PROBE, REPLICATE, SNAPSHOT
    }

    private static final int CHUNK_BYTES = 32 * 1024;
    private static final int MAX_APPEND_BYTES = 64 * 1024;
    private static final int READ_QUEUE = 1 << 14;

    private final int nodeId;
    private final int n;
    private final int majority;
    private final RaftConfig config;
    private final Random random;
    private final RaftStorage storage;
    private final RaftLog log;
    private final boolean restarted;

    private Role role = Role.FOLLOWER;
    private long term;
    private int votedFor;
    private int leaderId = -1;
    private long commitIndex;
    private long appliedIndex;
    private final ReplicaState state = new ReplicaState();

    private boolean started;
    private long electionDeadlineNs;
    private long lastLeaderContactNs = Long.MIN_VALUE / 2;
    private int votes;

    // leader
    private final long[] nextIndex;
    private final long[] matchIndex;
    private final Progress[] progress;
    private final long[][] inflight;
    private final int[] inflightHead;
    private final int[] inflightCount;
    private final boolean[] probeOutstanding;
    private final long[] probeSentNs;
    private final long[] progressNs;
    private final long[] lastSentNs;
    private final long[] lastHeardNs;
    private final long[] ackedSentNs;
    private final long[] ackedRound;
    private final long[] snapshotSentIndex;
    private final long[] snapshotResendNs;
    private final long[] scratch;
    private long termStartIndex;
    private boolean committedInTerm;
    private long checkQuorumNs;
    private final Long2LongHashMap proposedSeq = new Long2LongHashMap(-1);

    // reads waiting for a ReadIndex round
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

    // snapshots
    private final ExpandableArrayBuffer snapshotIn = new ExpandableArrayBuffer(64 * 1024);
    private int snapshotInLength;
    private long snapshotInIndex = -1;
    private long snapshotInTerm = -1;
    private final ExpandableArrayBuffer snapshotOut = new ExpandableArrayBuffer(64 * 1024);

    // output of the current burst of input: held until flush() has persisted what it depends on
    private final HeldOutbox held = new HeldOutbox();
    private boolean replicate;
    private int ackTo = -1;
    private long ackTerm;
    private int ackDepth;
    private long ackMatch;
    private long ackPrev;
    private long ackSentNs;
    private long ackRound;
    private long appendsSent;
    private long entriesSent;
    private long acksSent;

    private final WireCheck wire;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(MAX_APPEND_BYTES + 4096);
    private final ExpandableArrayBuffer empty = new ExpandableArrayBuffer(16);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AppendEntriesEncoder appendEncoder = new AppendEntriesEncoder();
    private final AppendEntriesDecoder appendDecoder = new AppendEntriesDecoder();
    private final AppendResponseEncoder responseEncoder = new AppendResponseEncoder();
    private final AppendResponseDecoder responseDecoder = new AppendResponseDecoder();
    private final RequestVoteEncoder requestVoteEncoder = new RequestVoteEncoder();
    private final RequestVoteDecoder requestVoteDecoder = new RequestVoteDecoder();
    private final VoteEncoder voteEncoder = new VoteEncoder();
    private final VoteDecoder voteDecoder = new VoteDecoder();
    private final InstallSnapshotEncoder snapshotEncoder = new InstallSnapshotEncoder();
    private final InstallSnapshotDecoder snapshotDecoder = new InstallSnapshotDecoder();

    public RaftReplica(final int nodeId, final int replicas, final RaftConfig config, final Random random,
        final RaftStorage storage, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.n = replicas;
        this.wire = new WireCheck("node " + nodeId + " (raft replica)");
        this.majority = replicas / 2 + 1;
        this.config = config;
        this.random = random;
        this.storage = storage;
        this.log = storage.log();
        this.restarted = restarted;
        nextIndex = new long[n];
        matchIndex = new long[n];
        progress = new Progress[n];
        inflight = new long[n][config.pipeline];
        inflightHead = new int[n];
        inflightCount = new int[n];
        probeOutstanding = new boolean[n];
        probeSentNs = new long[n];
        progressNs = new long[n];
        lastSentNs = new long[n];
        lastHeardNs = new long[n];
        ackedSentNs = new long[n];
        ackedRound = new long[n];
        snapshotSentIndex = new long[n];
        snapshotResendNs = new long[n];
        scratch = new long[n];

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
    }

    public String role()
    {
        switch (role)
        {
            case LEADER: return "leader";
            case CANDIDATE: return "candidate";
            case PRE_CANDIDATE: return "pre-candidate";
            default: return "follower";
        }
    }

    /**
     * @return over the replica's life (warm-up included): AppendEntries sent with entries and the entries they
     * carried (the leader's batching), acknowledgements sent (one per burst of appends) and write calls to the log.
     */
    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("raft_appends_sent", appendsSent, "raft_entries_sent", entriesSent,
            "raft_acks_sent", acksSent, "raft_log_writes", storage.fileWrites(), "malformed_messages", wire.count());
    }

    public long malformedMessages()
    {
        return wire.count();
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

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox driverOut)
    {
        final Outbox out = held;
        start(nowNs);
        final int schemaId = wire.open(fromNode, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, ClientMessages.SCHEMA_ID);
        if (schemaId == ClientMessages.SCHEMA_ID)
        {
            final ClientRequestDecoder request = clientMessages.request(wire, fromNode);
            if (request != null)
            {
                onClientRequest(fromNode, request, nowNs, out);
            }
            return;
        }
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (!RaftWire.check(wire, fromNode, n, nodeId, config.nodeCount))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case AppendEntriesDecoder.TEMPLATE_ID:
                onAppendEntries(fromNode, appendDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case AppendResponseDecoder.TEMPLATE_ID:
                onAppendResponse(fromNode, responseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder),
                    nowNs, out);
                break;
            case RequestVoteDecoder.TEMPLATE_ID:
                onRequestVote(fromNode, requestVoteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder),
                    nowNs, out);
                break;
            case VoteDecoder.TEMPLATE_ID:
                onVote(fromNode, voteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case InstallSnapshotDecoder.TEMPLATE_ID:
                onInstallSnapshot(fromNode, snapshotDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder),
                    nowNs, out);
                break;
            default:
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox driverOut)
    {
        final Outbox out = held;
        start(nowNs);
        switch (role)
        {
            case LEADER:
                leaderTick(nowNs, out);
                break;
            case FOLLOWER:
            case PRE_CANDIDATE:
            case CANDIDATE:
                if (nowNs >= electionDeadlineNs)
                {
                    campaign(nowNs, out);
                }
                break;
            default:
                break;
        }
    }

    /**
     * First sight of the clock. A restarted replica treats its restart as contact with a leader: it may have
     * acknowledged a leader just before crashing and has forgotten when, so it keeps the lease promise from now.
     * A new cluster has had no leader and so no lease: node 0 stands at once, so runs start quickly.
     */
    private void start(final long nowNs)
    {
        if (started)
        {
            return;
        }
        started = true;
        if (restarted)
        {
            lastLeaderContactNs = nowNs;
            electionDeadlineNs = nowNs + randomElectionTimeout();
        }
        else
        {
            electionDeadlineNs = nodeId == 0 ? nowNs : nowNs + randomElectionTimeout();
        }
    }

    private long randomElectionTimeout()
    {
        return config.electionMinNs + (long)(random.nextDouble() * config.electionMinNs);
    }

    /**
     * The end of a burst of input. The leader sends the writes of the whole burst in one AppendEntries per follower
     * (batching without waiting), a follower sends one acknowledgement for all the appends it took, and then, once
     * the storage has persisted everything the burst staged (one write, not one per message), everything held goes.
     */
    public void flush(final long nowNs, final Outbox out)
    {
        if (replicate)
        {
            replicate = false;
            if (role == Role.LEADER)
            {
                for (int f = 0; f < n; f++)
                {
                    if (f != nodeId)
                    {
                        maybeSendAppends(f, nowNs, false, held);
                    }
                }
            }
        }
        releaseAck();
        if (!held.isEmpty())
        {
            storage.sync(); // persist, then send
            held.releaseTo(out);
        }
    }

    private void send(final Outbox out, final int to, final int length)
    {
        out.send(to, sendBuffer, 0, length);
    }

    private void reply(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final Status status, final int hint)
    {
        final int length = clientMessages.encodeEmptyResponse(depth, clientId, seq, status, hint);
        out.send(to, clientMessages.buffer(), 0, length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Clients

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs, final Outbox out)
    {
        final int depth = request.depth() + 1;
        final long clientId = request.clientId();
        final long seq = request.seq();
        if (role != Role.LEADER)
        {
            reply(out, from, depth, clientId, seq, Status.REDIRECT, leaderId != nodeId ? leaderId : -1);
            return;
        }
        if (request.opType() == OpType.GET)
        {
            onRead(from, request.depth(), clientId, seq, request.key(), nowNs, out);
            return;
        }

        final ClientSession session = state.session(clientId);
        if (session != null && seq <= session.seq)
        {
            if (seq == session.seq)
            {
                final int length = clientMessages.encodeResponse(
                    depth, clientId, seq, Status.OK, nodeId, session.version, empty, 0, 0);
                out.send(from, clientMessages.buffer(), 0, length);
            }
            return;
        }
        if (seq <= proposedSeq.get(clientId))
        {
            return; // a retry of a write in the log already: its commit answers
        }
        if (log.isFull())
        {
            reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        final int valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
        final long index = log.append(
            term, clientId, seq, request.key(), request.buffer(), valueOffset, request.valueLength(), request.depth());
        storage.appended(index);
        proposedSeq.put(clientId, seq);
        if (majority == 1)
        {
            advanceCommit(depth, out);
            return;
        }
        replicate = true; // at the end of the burst, with the writes that arrive with it
    }

    private void onRead(final int from, final int requestDepth, final long clientId, final long seq, final long key,
        final long nowNs, final Outbox out)
    {
        if (!committedInTerm)
        {
            // Until an entry of its term commits, the leader may not know every committed write.
            reply(out, from, requestDepth + 1, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        if (majority == 1 || (config.reads == RaftConfig.Reads.LEASE && leaseValid(nowNs)))
        {
            answerRead(from, requestDepth + 1, clientId, seq, key, out);
            return;
        }
        if (readTail - readHead >= READ_QUEUE)
        {
            reply(out, from, requestDepth + 1, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        // The read waits for a round started after it arrived. All entries committed before it arrived are at
        // or below commitIndex, already applied here: confirming leadership is all that is left.
        final int slot = (int)(readTail++ & (READ_QUEUE - 1));
        readClientId[slot] = clientId;
        readSeq[slot] = seq;
        readKey[slot] = key;
        readFrom[slot] = from;
        readDepth[slot] = requestDepth;
        readRound[slot] = currentRound + 1;
        if (confirmedRound == currentRound)
        {
            startReadRound(requestDepth + 1, nowNs, out);
        }
    }

    private void answerRead(final int to, final int depth, final long clientId, final long seq, final long key,
        final Outbox out)
    {
        final KvStore.Entry entry = state.store().get(key);
        final int length = entry == null ?
            clientMessages.encodeEmptyResponse(depth, clientId, seq, Status.NOT_FOUND, nodeId) :
            clientMessages.encodeResponse(depth, clientId, seq, Status.OK, nodeId, entry.version(),
                entry.value(), 0, entry.length());
        out.send(to, clientMessages.buffer(), 0, length);
    }

    private boolean leaseValid(final long nowNs)
    {
        for (int f = 0; f < n; f++)
        {
            scratch[f] = f == nodeId ? nowNs : ackedSentNs[f];
        }
        return nowNs < quorumValue() + config.leaseNs;
    }

    /**
     * @return the value a majority has reached: the majority-th largest of {@link #scratch}.
     */
    private long quorumValue()
    {
        for (int i = 1; i < n; i++)
        {
            final long v = scratch[i];
            int j = i - 1;
            while (j >= 0 && scratch[j] < v)
            {
                scratch[j + 1] = scratch[j];
                j--;
            }
            scratch[j + 1] = v;
        }
        return scratch[majority - 1];
    }

    private void startReadRound(final int depth, final long nowNs, final Outbox out)
    {
        currentRound++;
        for (int f = 0; f < n; f++)
        {
            if (f != nodeId)
            {
                sendHeartbeat(f, depth, nowNs, out);
            }
        }
    }

    private void confirmReads(final int depth, final long nowNs, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            scratch[f] = f == nodeId ? currentRound : ackedRound[f];
        }
        final long confirmed = quorumValue();
        if (confirmed <= confirmedRound)
        {
            return;
        }
        confirmedRound = confirmed;
        int nextDepth = 0;
        while (readHead < readTail)
        {
            final int slot = (int)(readHead & (READ_QUEUE - 1));
            if (readRound[slot] > confirmedRound)
            {
                nextDepth = Math.max(nextDepth, readDepth[slot] + 1);
                break;
            }
            answerRead(readFrom[slot], depth, readClientId[slot], readSeq[slot], readKey[slot], out);
            readHead++;
        }
        if (readHead < readTail && confirmedRound == currentRound)
        {
            for (long r = readHead; r < readTail; r++)
            {
                nextDepth = Math.max(nextDepth, readDepth[(int)(r & (READ_QUEUE - 1))] + 1);
            }
            startReadRound(nextDepth, nowNs, out);
        }
    }

    private void failPendingReads(final Outbox out)
    {
        while (readHead < readTail)
        {
            final int slot = (int)(readHead & (READ_QUEUE - 1));
            reply(out, readFrom[slot], readDepth[slot] + 1, readClientId[slot], readSeq[slot], Status.REDIRECT, -1);
            readHead++;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Leader

    private void becomeLeader(final long nowNs, final Outbox out)
    {
        role = Role.LEADER;
        leaderId = nodeId;
        proposedSeq.clear();
        currentRound = 0;
        confirmedRound = 0;
        readHead = readTail;
        checkQuorumNs = nowNs + config.electionMinNs;
        for (int f = 0; f < n; f++)
        {
            nextIndex[f] = log.lastIndex() + 1;
            matchIndex[f] = 0;
            progress[f] = Progress.PROBE;
            inflightCount[f] = 0;
            probeOutstanding[f] = false;
            progressNs[f] = nowNs;
            lastSentNs[f] = Long.MIN_VALUE / 2;
            lastHeardNs[f] = nowNs;
            ackedSentNs[f] = Long.MIN_VALUE / 2;
            ackedRound[f] = 0;
        }
        // A no-op of the new term: committing it commits everything before it and tells the leader which
        // entries are committed (needed before it serves reads).
        termStartIndex = log.append(term, 0, 0, 0, empty, 0, 0, 1);
        storage.appended(termStartIndex);
        committedInTerm = false;
        if (majority == 1)
        {
            advanceCommit(1, out);
            return;
        }
        for (int f = 0; f < n; f++)
        {
            if (f != nodeId)
            {
                maybeSendAppends(f, nowNs, true, out);
            }
        }
    }

    private void leaderTick(final long nowNs, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            if (f == nodeId)
            {
                continue;
            }
            switch (progress[f])
            {
                case PROBE:
                    if (probeOutstanding[f] && nowNs - probeSentNs[f] >= config.retransmitNs)
                    {
                        probeOutstanding[f] = false;
                    }
                    break;
                case REPLICATE:
                    if (matchIndex[f] < nextIndex[f] - 1 && nowNs - progressNs[f] >= config.retransmitNs)
                    {
                        // Go back: something in flight was lost.
                        nextIndex[f] = matchIndex[f] + 1;
                        inflightCount[f] = 0;
                        progressNs[f] = nowNs;
                    }
                    break;
                case SNAPSHOT:
                    if (nowNs >= snapshotResendNs[f])
                    {
                        sendSnapshot(f, nowNs, out);
                    }
                    break;
                default:
                    break;
            }
            maybeSendAppends(f, nowNs, true, out);
            if (nowNs - lastSentNs[f] >= config.heartbeatNs)
            {
                sendHeartbeat(f, 1, nowNs, out);
            }
        }
        if (config.checkQuorum && nowNs >= checkQuorumNs)
        {
            checkQuorumNs = nowNs + config.electionMinNs;
            int heard = 1;
            for (int f = 0; f < n; f++)
            {
                if (f != nodeId && nowNs - lastHeardNs[f] < config.electionMinNs)
                {
                    heard++;
                }
            }
            if (heard < majority)
            {
                // Cannot hear a majority: another leader may be elected; stop serving so clients look elsewhere.
                becomeFollower(term, -1, nowNs, out);
            }
        }
    }

    private void maybeSendAppends(final int f, final long nowNs, final boolean flush, final Outbox out)
    {
        switch (progress[f])
        {
            case PROBE:
                if (!probeOutstanding[f])
                {
                    probeOutstanding[f] = true;
                    probeSentNs[f] = nowNs;
                    sendAppend(f, nowNs, out);
                }
                break;
            case REPLICATE:
                while (inflightCount[f] < config.pipeline && nextIndex[f] <= log.lastIndex())
                {
                    final long pending = log.lastIndex() - nextIndex[f] + 1;
                    if (!flush && inflightCount[f] > 0 && pending < config.batch)
                    {
                        break; // let a batch build up behind the append in flight
                    }
                    if (inflightCount[f] == 0)
                    {
                        progressNs[f] = nowNs;
                    }
                    final long last = sendAppend(f, nowNs, out);
                    if (last < 0)
                    {
                        break;
                    }
                    inflight[f][(inflightHead[f] + inflightCount[f]) % config.pipeline] = last;
                    inflightCount[f]++;
                    nextIndex[f] = last + 1;
                }
                break;
            default:
                break;
        }
    }

    /**
     * Sends the entries from {@code nextIndex[f]} on, at most a batch (or the snapshot when they are compacted).
     *
     * @return the index of the last entry sent, or -1 when the snapshot went instead.
     */
    private long sendAppend(final int f, final long nowNs, final Outbox out)
    {
        final long prev = nextIndex[f] - 1;
        if (prev < log.snapshotIndex())
        {
            sendSnapshot(f, nowNs, out);
            return -1;
        }
        final long last = Math.min(log.lastIndex(), prev + config.batch);
        int count = 0;
        int bytes = 0;
        int depth = 1;
        for (long i = prev + 1; i <= last && (count == 0 || bytes + log.valueLength(i) <= MAX_APPEND_BYTES); i++)
        {
            count++;
            bytes += log.valueLength(i) + 40;
            depth = Math.max(depth, log.depth(i) + 1);
        }
        final AppendEntriesEncoder.EntriesEncoder entries = appendEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(0).seq(0).term(term).prevLogIndex(prev).prevLogTerm(log.termAt(prev))
            .leaderCommit(commitIndex).sentNs(nowNs).readRound(currentRound)
            .entriesCount(count);
        for (long i = prev + 1; i <= prev + count; i++)
        {
            entries.next().entryTerm(log.termAt(i)).entryClientId(log.clientId(i)).entrySeq(log.seq(i))
                .key(log.key(i)).putValue(log.value(i), 0, log.valueLength(i));
        }
        lastSentNs[f] = nowNs;
        appendsSent++;
        entriesSent += count;
        send(out, f, MessageHeaderEncoder.ENCODED_LENGTH + appendEncoder.encodedLength());
        return prev + count;
    }

    /**
     * An empty AppendEntries at the follower's match index, known to match: no consistency check is needed, it
     * carries the commit index, renews the lease and answers a ReadIndex round.
     */
    private void sendHeartbeat(final int f, final int depth, final long nowNs, final Outbox out)
    {
        appendEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(0).seq(0).term(term).prevLogIndex(matchIndex[f]).prevLogTerm(-1)
            .leaderCommit(commitIndex).sentNs(nowNs).readRound(currentRound)
            .entriesCount(0);
        lastSentNs[f] = nowNs;
        send(out, f, MessageHeaderEncoder.ENCODED_LENGTH + appendEncoder.encodedLength());
    }

    private void sendSnapshot(final int f, final long nowNs, final Outbox out)
    {
        progress[f] = Progress.SNAPSHOT;
        snapshotSentIndex[f] = log.snapshotIndex();
        snapshotResendNs[f] = nowNs + config.retransmitNs * 5;
        final DirectBuffer state = storage.snapshot();
        final int total = storage.snapshotLength();
        int offset = 0;
        do
        {
            final int chunk = Math.min(CHUNK_BYTES, total - offset);
            snapshotEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .depth(1).clientId(0).seq(0).term(term).lastIncludedIndex(log.snapshotIndex())
                .lastIncludedTerm(log.snapshotTerm()).chunkOffset(offset).totalLength(total)
                .putBytes(state, offset, chunk);
            send(out, f, MessageHeaderEncoder.ENCODED_LENGTH + snapshotEncoder.encodedLength());
            offset += chunk;
        }
        while (offset < total);
        lastSentNs[f] = nowNs;
    }

    private void onAppendResponse(final int from, final AppendResponseDecoder m, final long nowNs, final Outbox out)
    {
        if (m.term() > term)
        {
            becomeFollower(m.term(), -1, nowNs, out);
            return;
        }
        if (role != Role.LEADER || m.term() != term)
        {
            return;
        }
        final int depth = m.depth() + 1;
        lastHeardNs[from] = nowNs;
        ackedSentNs[from] = Math.max(ackedSentNs[from], m.sentNs());
        ackedRound[from] = Math.max(ackedRound[from], m.readRound());
        if (m.success() == BooleanType.TRUE)
        {
            final long match = m.matchIndex();
            freeInflight(from, match);
            if (match > matchIndex[from])
            {
                matchIndex[from] = match;
                progressNs[from] = nowNs;
                advanceCommit(depth, out);
            }
            if (nextIndex[from] <= matchIndex[from])
            {
                nextIndex[from] = matchIndex[from] + 1;
            }
            if (progress[from] == Progress.PROBE ||
                (progress[from] == Progress.SNAPSHOT && matchIndex[from] >= snapshotSentIndex[from]))
            {
                progress[from] = Progress.REPLICATE;
                probeOutstanding[from] = false;
                inflightCount[from] = 0;
                nextIndex[from] = matchIndex[from] + 1;
            }
        }
        else
        {
            onRejected(from, m, nowNs);
        }
        if (role == Role.LEADER)
        {
            replicate = true; // the pipeline has room again: the end of the burst fills it
            confirmReads(depth, nowNs, out);
        }
    }

    private void onRejected(final int from, final AppendResponseDecoder m, final long nowNs)
    {
        final long rejected = m.prevLogIndex();
        if (rejected <= matchIndex[from] ||
            (progress[from] == Progress.PROBE && rejected != nextIndex[from] - 1) ||
            progress[from] == Progress.SNAPSHOT)
        {
            return; // stale: overtaken by a later answer
        }
        long next = m.conflictIndex();
        if (m.conflictTerm() >= 0)
        {
            final long lastOfTerm = log.lastIndexOfTerm(m.conflictTerm());
            if (lastOfTerm >= 0)
            {
                next = lastOfTerm + 1;
            }
        }
        next = Math.max(matchIndex[from] + 1, Math.min(next, rejected));
        nextIndex[from] = next;
        progress[from] = Progress.PROBE;
        probeOutstanding[from] = false;
        inflightCount[from] = 0;
        progressNs[from] = nowNs;
    }

    private void freeInflight(final int f, final long match)
    {
        while (inflightCount[f] > 0 && inflight[f][inflightHead[f]] <= match)
        {
            inflightHead[f] = (inflightHead[f] + 1) % config.pipeline;
            inflightCount[f]--;
        }
    }

    private void advanceCommit(final int depth, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            scratch[f] = f == nodeId ? log.lastIndex() : matchIndex[f];
        }
        final long quorum = quorumValue();
        // Only an entry of the leader's own term is committed by counting replicas (Raft 5.4.2).
        if (quorum > commitIndex && log.termAt(quorum) == term)
        {
            commitIndex = quorum;
            if (commitIndex >= termStartIndex)
            {
                committedInTerm = true;
            }
            apply(depth, out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State machine

    private void apply(final int replyDepth, final Outbox out)
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
            ClientSession session = state.session(clientId);
            long version = index;
            if (session != null && seq <= session.seq)
            {
                if (seq != session.seq)
                {
                    continue; // an old duplicate; its client has moved on
                }
                version = session.version; // a retried write: applied once, answered again
            }
            else
            {
                state.store().put(log.key(index), log.value(index), 0, log.valueLength(index), index);
                if (session == null)
                {
                    state.recordWrite(clientId, seq, index);
                }
                else
                {
                    session.seq = seq; // the session at hand: no second lookup on the hot path
                    session.version = index;
                }
            }
            if (leader)
            {
                final int length = clientMessages.encodeResponse(
                    replyDepth, clientId, seq, Status.OK, nodeId, version, empty, 0, 0);
                out.send(ClientSessions.clientNode(clientId), clientMessages.buffer(), 0, length);
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
        final int length = state.writeSnapshot(Long.MAX_VALUE, snapshotOut); // sessions hold applied writes only
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
    private void becomeFollower(final long newTerm, final int leader, final long nowNs, final Outbox out)
    {
        if (role == Role.LEADER)
        {
            failPendingReads(out);
            electionDeadlineNs = nowNs + randomElectionTimeout();
        }
        if (newTerm > term)
        {
            term = newTerm;
            votedFor = -1;
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
        lastLeaderContactNs = nowNs;
        electionDeadlineNs = nowNs + randomElectionTimeout();
        return true;
    }

    private void onAppendEntries(final int from, final AppendEntriesDecoder m, final long nowNs, final Outbox out)
    {
        final int depth = m.depth() + 1;
        if (!followLeader(from, m.term(), nowNs, out))
        {
            respond(from, depth, false, 0, m.prevLogIndex(), 0, -1, m.sentNs(), m.readRound());
            return;
        }
        final long prev = m.prevLogIndex();
        final AppendEntriesDecoder.EntriesDecoder entries = m.entries();
        final int count = entries.count();
        if (m.prevLogTerm() == -1 && count == 0)
        {
            // Heartbeat at the leader's match index for us: our log matches up to there.
            final long matched = Math.min(prev, log.lastIndex());
            commitTo(Math.min(m.leaderCommit(), matched), out);
            respond(from, depth, true, matched, prev, 0, -1, m.sentNs(), m.readRound());
            return;
        }
        if (prev > log.lastIndex())
        {
            respond(from, depth, false, 0, prev, log.lastIndex() + 1, -1, m.sentNs(), m.readRound());
            return;
        }
        if (prev > log.snapshotIndex() && log.termAt(prev) != m.prevLogTerm())
        {
            final long conflictTerm = log.termAt(prev);
            respond(from, depth, false, 0, prev, log.firstIndexOfTerm(prev, conflictTerm), conflictTerm,
                m.sentNs(), m.readRound());
            return;
        }
        // Entries at or below our snapshot are committed, so they match the leader's: skip them.
        long index = prev;
        while (entries.hasNext())
        {
            entries.next();
            index++;
            final long entryTerm = entries.entryTerm();
            final int valueLength = entries.valueLength();
            final int valueOffset = m.limit() + AppendEntriesDecoder.EntriesDecoder.valueHeaderLength();
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
                    log.append(entryTerm, entries.entryClientId(), entries.entrySeq(), entries.key(), m.buffer(),
                        valueOffset, valueLength, m.depth());
                    storage.appended(index);
                }
            }
            entries.skipValue();
        }
        commitTo(Math.min(m.leaderCommit(), index), out);
        respond(from, depth, true, index, prev, 0, -1, m.sentNs(), m.readRound());
    }

    private void commitTo(final long index, final Outbox out)
    {
        if (index > commitIndex)
        {
            commitIndex = index;
            apply(0, out);
        }
    }

    private void respond(final int to, final int depth, final boolean success, final long match,
        final long prev, final long conflictIndex, final long conflictTerm, final long sentNs, final long round)
    {
        if (success)
        {
            holdAck(to, depth, match, prev, sentNs, round);
            return;
        }
        releaseAck(); // a rejection goes after the acknowledgements before it
        encodeResponse(to, depth, term, false, match, prev, conflictIndex, conflictTerm, sentNs, round);
    }

    /**
     * Holds a successful answer to an append until the end of the burst: one answer with the highest match
     * acknowledges every append of the burst from the same leader in the same term (within a term, a follower never
     * drops what that term's leader sent it, so the highest match is true of all of them).
     */
    private void holdAck(final int to, final int depth, final long match, final long prev, final long sentNs,
        final long round)
    {
        if (ackTo >= 0 && (ackTo != to || ackTerm != term))
        {
            releaseAck();
        }
        if (ackTo < 0)
        {
            ackTo = to;
            ackTerm = term;
            ackDepth = depth;
            ackMatch = match;
            ackPrev = prev;
            ackSentNs = sentNs;
            ackRound = round;
            return;
        }
        ackDepth = Math.max(ackDepth, depth);
        if (match >= ackMatch)
        {
            ackMatch = match;
            ackPrev = prev;
        }
        ackSentNs = Math.max(ackSentNs, sentNs);
        ackRound = Math.max(ackRound, round);
    }

    private void releaseAck()
    {
        if (ackTo >= 0)
        {
            final int to = ackTo;
            ackTo = -1;
            acksSent++;
            encodeResponse(to, ackDepth, ackTerm, true, ackMatch, ackPrev, 0, -1, ackSentNs, ackRound);
        }
    }

    private void encodeResponse(final int to, final int depth, final long responseTerm, final boolean success,
        final long match, final long prev, final long conflictIndex, final long conflictTerm, final long sentNs,
        final long round)
    {
        responseEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(0).seq(0).term(responseTerm)
            .success(success ? BooleanType.TRUE : BooleanType.FALSE)
            .matchIndex(match).prevLogIndex(prev).conflictIndex(conflictIndex).conflictTerm(conflictTerm)
            .lastIndex(log.lastIndex()).sentNs(sentNs).readRound(round);
        send(held, to, MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength());
    }

    private void onInstallSnapshot(final int from, final InstallSnapshotDecoder m, final long nowNs, final Outbox out)
    {
        final int depth = m.depth() + 1;
        if (!followLeader(from, m.term(), nowNs, out))
        {
            respond(from, depth, false, 0, m.lastIncludedIndex(), 0, -1, 0, 0);
            return;
        }
        final long index = m.lastIncludedIndex();
        final long snapshotTerm = m.lastIncludedTerm();
        if (index <= commitIndex)
        {
            // We have all of it, and committed entries match the leader's.
            respond(from, depth, true, index, index, 0, -1, 0, 0);
            return;
        }
        if (m.chunkOffset() == 0)
        {
            snapshotInIndex = index;
            snapshotInTerm = snapshotTerm;
            snapshotInLength = 0;
        }
        if (snapshotInIndex != index || snapshotInTerm != snapshotTerm || m.chunkOffset() != snapshotInLength)
        {
            return; // a chunk was lost or reordered: the leader sends the snapshot again
        }
        final int total = m.totalLength();
        final int length = m.bytesLength();
        m.getBytes(snapshotIn, snapshotInLength, length);
        snapshotInLength += length;
        if (snapshotInLength < total)
        {
            return;
        }
        // Install by swapping in a complete copy: until the last chunk the old state stays whole.
        if (!state.installSnapshot(snapshotIn, snapshotInLength))
        {
            wire.rejectState(from, "snapshot");
            snapshotInIndex = -1;
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
        storage.saveSnapshot(snapshotIn, 0, snapshotInLength);
        commitIndex = index;
        appliedIndex = index;
        snapshotInIndex = -1;
        respond(from, depth, true, index, index, 0, -1, 0, 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Elections

    private void campaign(final long nowNs, final Outbox out)
    {
        electionDeadlineNs = nowNs + randomElectionTimeout();
        leaderId = -1;
        votes = 1 << nodeId;
        if (config.preVote && majority > 1)
        {
            role = Role.PRE_CANDIDATE;
            requestVotes(term + 1, true, out);
        }
        else
        {
            becomeCandidate(nowNs, out);
        }
    }

    private void becomeCandidate(final long nowNs, final Outbox out)
    {
        role = Role.CANDIDATE;
        term++;
        votedFor = nodeId;
        storage.saveHardState(term, votedFor);
        votes = 1 << nodeId;
        electionDeadlineNs = nowNs + randomElectionTimeout();
        if (majority == 1)
        {
            becomeLeader(nowNs, out);
            return;
        }
        requestVotes(term, false, out);
    }

    private void requestVotes(final long voteTerm, final boolean preVote, final Outbox out)
    {
        requestVoteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(1).clientId(0).seq(0).term(voteTerm).lastLogIndex(log.lastIndex()).lastLogTerm(log.lastTerm())
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + requestVoteEncoder.encodedLength();
        for (int f = 0; f < n; f++)
        {
            if (f != nodeId)
            {
                send(out, f, length);
            }
        }
    }

    private void onRequestVote(final int from, final RequestVoteDecoder m, final long nowNs, final Outbox out)
    {
        final boolean preVote = m.preVote() == BooleanType.TRUE;
        final long requested = m.term();
        // The lease promise: no vote within electionMin of hearing from a leader (a leader hears itself).
        final boolean inLease = role == Role.LEADER || nowNs - lastLeaderContactNs < config.electionMinNs;
        final boolean upToDate = m.lastLogTerm() > log.lastTerm() ||
            (m.lastLogTerm() == log.lastTerm() && m.lastLogIndex() >= log.lastIndex());
        boolean grant = false;
        if (preVote)
        {
            grant = requested > term && upToDate && !inLease;
        }
        else if (requested >= term && !inLease)
        {
            if (requested > term)
            {
                becomeFollower(requested, -1, nowNs, out);
            }
            if ((votedFor == -1 || votedFor == from) && upToDate)
            {
                grant = true;
                votedFor = from;
                storage.saveHardState(term, votedFor);
                electionDeadlineNs = nowNs + randomElectionTimeout();
            }
        }
        voteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(m.depth() + 1).clientId(0).seq(0).term(grant && preVote ? requested : term)
            .granted(grant ? BooleanType.TRUE : BooleanType.FALSE)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        send(out, from, MessageHeaderEncoder.ENCODED_LENGTH + voteEncoder.encodedLength());
    }

    private void onVote(final int from, final VoteDecoder m, final long nowNs, final Outbox out)
    {
        final boolean granted = m.granted() == BooleanType.TRUE;
        if (m.preVote() == BooleanType.TRUE)
        {
            if (!granted && m.term() > term)
            {
                becomeFollower(m.term(), -1, nowNs, out);
                return;
            }
            if (role == Role.PRE_CANDIDATE && granted && m.term() == term + 1)
            {
                votes |= 1 << from;
                if (Integer.bitCount(votes) >= majority)
                {
                    becomeCandidate(nowNs, out);
                }
            }
            return;
        }
        if (m.term() > term)
        {
            becomeFollower(m.term(), -1, nowNs, out);
            return;
        }
        if (role == Role.CANDIDATE && granted && m.term() == term)
        {
            votes |= 1 << from;
            if (Integer.bitCount(votes) >= majority)
            {
                becomeLeader(nowNs, out);
            }
        }
    }
}
