package lab.primarybackup;

import java.util.Random;

import lab.core.ClientSessions;
import lab.core.ClientSession;
import lab.core.KvStore;
import lab.core.ReplicaState;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.AckEncoder;
import lab.primarybackup.codec.BooleanType;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.HeartbeatEncoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.MessageHeaderEncoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.ReplicateEncoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import lab.primarybackup.codec.SnapshotChunkEncoder;
import lab.primarybackup.codec.VoteDecoder;
import lab.primarybackup.codec.VoteEncoder;
import lab.primarybackup.codec.VoteRequestDecoder;
import lab.primarybackup.codec.VoteRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A primary-backup replica as a pure state machine.
 *
 * <p>Normal case (the seed notes' protocol): the primary orders each PUT as log index {@code i}, sends it to every
 * backup in parallel, and commits it once every in-sync backup has acknowledged it; then it applies the write and
 * answers the client (4 hops). Reads are served by the primary from committed state (2 hops) while it holds a read
 * lease: a majority acknowledged one of its messages within the lease, and a replica that heard from the primary
 * never votes a new one in before that lease has run out.
 *
 * <p>Failures: a backup that stops acknowledging is dropped from the in-sync set (as Kafka's ISR) so writes
 * continue, but never below a majority of all replicas, so that every committed write is on a majority. When the
 * primary is silent for the primary timeout, a backup asks for votes for a new view; a replica votes once per view,
 * only for a candidate at least as up to date as itself ((lastEntryView, lastIndex), as in Raft), so the most
 * up-to-date backup takes over. The new primary streams its state to every backup as a snapshot and serves nothing
 * until a majority has it. Any message carries its view: a replica that has seen a higher view refuses the old
 * primary, which steps down (fencing). A restarted replica lost its state: it neither votes nor stands until it
 * has installed a snapshot from the primary (as Viewstamped Replication's recovery). Requests carry (session, seq):
 * a retried write is applied once.
 */
public final class PrimaryBackupReplica implements Replica
{
    enum Role
    {
        BACKUP, PRE_CANDIDATE, CANDIDATE, PRIMARY, RECOVERING
    }

    private static final int CHUNK_BYTES = 32 * 1024;
    private static final int RETRANSMIT_BURST = 256;

    private final int nodeId;
    private final int n;
    private final int majority;
    private final PrimaryBackupConfig config;
    private final Random random;

    private Role role;
    private long view;
    private int primary;
    private long votedView;
    private long syncedView;
    private long lastEntryView;
    private long lastIndex;
    private long commitIndex;
    private final ReplicaState state = new ReplicaState();

    private long lastHeardFromPrimaryNs;
    private boolean clockStarted;
    private long electionJitterNs;
    private long proposedView;
    /**
     * The highest view another replica has told this one it voted in or follows (a refused vote carries it). Only
     * raises the next proposal: a candidate whose proposal is at or below a voter's votedView is refused by that
     * voter for good otherwise.
     */
    private long refusedAtView;
    private int votes;
    private long electionEndNs;

    // primary
    private boolean established;
    private long viewStartIndex;
    private final long[] matchIndex;
    private final long[] lastHeardNs;
    private final long[] leaseAckNs;
    private final long[] progressAtNs;
    private final int[] lastAckDepth;
    private final boolean[] inSync;
    private long nextHeartbeatNs;
    private long quorumCheckFromNs;
    private final ExpandableArrayBuffer[] ring;
    private final int[] ringLength;
    private final int ringMask;
    private long firstRingIndex;

    // snapshots out (per backup) and in
    private final ExpandableArrayBuffer[] snapshotOut;
    private final int[] snapshotOutLength;
    private final long[] snapshotOutIndex;
    private final long[] snapshotResendAtNs;
    private final boolean[] snapshotting;
    private final ExpandableArrayBuffer snapshotIn = new ExpandableArrayBuffer(64 * 1024);
    private int snapshotInLength;
    private long snapshotInView = -1;
    private long snapshotInIndex = -1;

    private final ClientMessages clientMessages = new ClientMessages();
    private final WireCheck wire;
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer empty = new ExpandableArrayBuffer(16);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplicateEncoder replicateEncoder = new ReplicateEncoder();
    private final ReplicateDecoder replicateDecoder = new ReplicateDecoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final VoteRequestEncoder voteRequestEncoder = new VoteRequestEncoder();
    private final VoteRequestDecoder voteRequestDecoder = new VoteRequestDecoder();
    private final VoteEncoder voteEncoder = new VoteEncoder();
    private final VoteDecoder voteDecoder = new VoteDecoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();

    public PrimaryBackupReplica(final int nodeId, final int replicas, final PrimaryBackupConfig config,
        final Random random, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.n = replicas;
        this.wire = new WireCheck("node " + nodeId + " (primary-backup replica)");
        this.majority = replicas / 2 + 1;
        this.config = config;
        this.random = random;
        matchIndex = new long[n];
        lastHeardNs = new long[n];
        leaseAckNs = new long[n];
        progressAtNs = new long[n];
        lastAckDepth = new int[n];
        inSync = new boolean[n];
        snapshotOut = new ExpandableArrayBuffer[n];
        snapshotOutLength = new int[n];
        snapshotOutIndex = new long[n];
        snapshotResendAtNs = new long[n];
        snapshotting = new boolean[n];
        ring = new ExpandableArrayBuffer[config.pendingCapacity];
        ringLength = new int[config.pendingCapacity];
        ringMask = config.pendingCapacity - 1;
        electionJitterNs = nextJitter();

        if (restarted)
        {
            role = Role.RECOVERING;
            primary = -1;
        }
        else
        {
            // Bootstrap: every replica starts in view 1 with the empty state, replica 0 its primary.
            view = 1;
            votedView = 1;
            syncedView = 1;
            lastEntryView = 1;
            primary = 0;
            role = nodeId == 0 ? Role.PRIMARY : Role.BACKUP;
            if (role == Role.PRIMARY)
            {
                established = true;
                firstRingIndex = 1;
                for (int b = 0; b < n; b++)
                {
                    inSync[b] = b != nodeId;
                    leaseAckNs[b] = Long.MIN_VALUE / 2;
                }
            }
        }
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("malformed_messages", wire.count());
    }

    public String role()
    {
        return role.name().toLowerCase();
    }

    Role roleState()
    {
        return role;
    }

    long view()
    {
        return view;
    }

    long commitIndex()
    {
        return commitIndex;
    }

    long lastIndex()
    {
        return lastIndex;
    }

    KvStore store()
    {
        return state.store();
    }

    private long nextJitter()
    {
        return (long)(random.nextDouble() * config.primaryTimeoutNs);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        startClock(nowNs);
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
        if (!PrimaryBackupWire.check(wire, fromNode, n, nodeId))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case ReplicateDecoder.TEMPLATE_ID:
                onReplicate(fromNode, replicateDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case AckDecoder.TEMPLATE_ID:
                onAck(fromNode, ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                onHeartbeat(fromNode, heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case VoteRequestDecoder.TEMPLATE_ID:
                onVoteRequest(fromNode, voteRequestDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder),
                    nowNs, out);
                break;
            case VoteDecoder.TEMPLATE_ID:
                onVote(fromNode, voteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case SnapshotChunkDecoder.TEMPLATE_ID:
                onSnapshotChunk(fromNode, chunkDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            default:
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        startClock(nowNs);
        switch (role)
        {
            case PRIMARY:
                primaryTick(nowNs, out);
                break;
            case BACKUP:
                if (nowNs - lastHeardFromPrimaryNs > config.primaryTimeoutNs + electionJitterNs)
                {
                    startElection(nowNs, out);
                }
                break;
            case PRE_CANDIDATE:
            case CANDIDATE:
                if (nowNs > electionEndNs)
                {
                    startElection(nowNs, out);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Time only arrives with the first event: every timeout starts counting from it, not from 0 of an arbitrary
     * clock (System.nanoTime() is not 0 at start, the simulator's clock is).
     */
    private void startClock(final long nowNs)
    {
        if (!clockStarted)
        {
            clockStarted = true;
            lastHeardFromPrimaryNs = nowNs;
            quorumCheckFromNs = nowNs;
            for (int b = 0; b < n; b++)
            {
                lastHeardNs[b] = nowNs;
                progressAtNs[b] = nowNs;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Clients

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs, final Outbox out)
    {
        final int depth = request.depth() + 1;
        final long clientId = request.clientId();
        final long seq = request.seq();
        if (role != Role.PRIMARY)
        {
            final int hint = primary >= 0 && primary != nodeId ? primary : -1;
            reply(out, from, depth, clientId, seq, Status.REDIRECT, hint);
            return;
        }
        if (!established)
        {
            reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        final long key = request.key();
        if (request.opType() == OpType.GET)
        {
            if (!leaseValid(nowNs))
            {
                reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
                return;
            }
            final KvStore.Entry entry = state.store().get(key);
            final int length = entry == null ?
                clientMessages.encodeEmptyResponse(depth, clientId, seq, Status.NOT_FOUND, nodeId) :
                clientMessages.encodeResponse(depth, clientId, seq, Status.OK, nodeId, entry.version(),
                    entry.value(), 0, entry.length());
            out.send(from, clientMessages.buffer(), 0, length);
            return;
        }

        final ClientSession session = state.session(clientId);
        if (session != null && seq <= session.seq)
        {
            if (seq == session.seq && session.version <= commitIndex)
            {
                final int length = clientMessages.encodeResponse(
                    depth, clientId, seq, Status.OK, nodeId, session.version, empty, 0, 0);
                out.send(from, clientMessages.buffer(), 0, length);
            }
            return; // older, or still being replicated: the commit will answer
        }
        if (inSyncCount() + 1 < majority || lastIndex - commitIndex >= ring.length)
        {
            reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }

        final long index = ++lastIndex;
        state.recordWrite(clientId, seq, index);
        final int slot = (int)(index & ringMask);
        ExpandableArrayBuffer entry = ring[slot];
        if (entry == null)
        {
            entry = new ExpandableArrayBuffer(256);
            ring[slot] = entry;
        }
        replicateEncoder.wrapAndApplyHeader(entry, 0, headerEncoder)
            .depth(depth)
            .clientId(clientId)
            .seq(seq)
            .view(view)
            .index(index)
            .commitIndex(commitIndex)
            .leaseNs(nowNs)
            .key(key);
        final int valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
        replicateEncoder.putValue(request.buffer(), valueOffset, request.valueLength());
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + replicateEncoder.encodedLength();
        ringLength[slot] = length;
        for (int b = 0; b < n; b++)
        {
            if (b != nodeId && !snapshotting[b])
            {
                out.send(b, entry, 0, length);
            }
        }
        advanceCommit(depth, out);
    }

    private void reply(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final Status status, final int hint)
    {
        final int length = clientMessages.encodeEmptyResponse(depth, clientId, seq, status, hint);
        out.send(to, clientMessages.buffer(), 0, length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Primary

    private void primaryTick(final long nowNs, final Outbox out)
    {
        if (nowNs >= nextHeartbeatNs)
        {
            nextHeartbeatNs = nowNs + config.heartbeatIntervalNs;
            heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .depth(1).clientId(0).seq(0).view(view).lastIndex(lastIndex).commitIndex(commitIndex).leaseNs(nowNs);
            sendToBackups(out, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength());
        }

        int heard = 1;
        boolean shrunk = false;
        for (int b = 0; b < n; b++)
        {
            if (b == nodeId)
            {
                continue;
            }
            final boolean alive = nowNs - lastHeardNs[b] <= config.backupTimeoutNs;
            if (nowNs - lastHeardNs[b] < config.primaryTimeoutNs)
            {
                heard++;
            }
            if (inSync[b] && !alive && inSyncCount() >= majority)
            {
                inSync[b] = false; // drop the silent backup so writes go on; a majority stays in sync
                shrunk = true;
            }
            if (snapshotting[b])
            {
                if (nowNs >= snapshotResendAtNs[b])
                {
                    sendSnapshot(b, nowNs, out);
                }
            }
            else if (matchIndex[b] >= 0 && matchIndex[b] < lastIndex && nowNs - progressAtNs[b] > config.retransmitNs)
            {
                progressAtNs[b] = nowNs;
                retransmit(b, out);
            }
        }
        if (shrunk)
        {
            advanceCommit(replyDepthFromAcks(), out);
        }
        // Check quorum: a primary that cannot hear a majority gives up, so that clients look elsewhere.
        if (heard < majority && nowNs - quorumCheckFromNs > config.primaryTimeoutNs)
        {
            stepDown(view, -1, nowNs);
        }
    }

    private void sendToBackups(final Outbox out, final int length)
    {
        for (int b = 0; b < n; b++)
        {
            if (b != nodeId)
            {
                out.send(b, sendBuffer, 0, length);
            }
        }
    }

    private void retransmit(final int b, final Outbox out)
    {
        final long from = matchIndex[b] + 1;
        if (from < firstRingIndex || from <= lastIndex - ring.length)
        {
            startSnapshot(b, lastHeardNs[b], out);
            return;
        }
        final long to = Math.min(lastIndex, from + RETRANSMIT_BURST - 1);
        for (long i = from; i <= to; i++)
        {
            final int slot = (int)(i & ringMask);
            out.send(b, ring[slot], 0, ringLength[slot]);
        }
    }

    private void onAck(final int from, final AckDecoder ack, final long nowNs, final Outbox out)
    {
        if (ack.view() > view)
        {
            if (role == Role.PRIMARY)
            {
                stepDown(ack.view(), -1, nowNs);
            }
            return;
        }
        if (role != Role.PRIMARY || ack.view() < view)
        {
            return;
        }
        lastHeardNs[from] = nowNs;
        if (ack.needSnapshot() == BooleanType.TRUE)
        {
            if (!snapshotting[from])
            {
                startSnapshot(from, nowNs, out);
            }
            return;
        }
        leaseAckNs[from] = Math.max(leaseAckNs[from], ack.leaseNs());
        lastAckDepth[from] = ack.depth();
        final long acked = ack.lastIndex();
        if (acked > matchIndex[from])
        {
            matchIndex[from] = acked;
            progressAtNs[from] = nowNs;
        }
        else if (acked < matchIndex[from])
        {
            // The backup holds less than it once acknowledged: it restarted and lost its state (or this ack was
            // overtaken by a later one; the next ack corrects it). Believe it, so that commits do not count entries
            // it no longer has and retransmission starts from what it has, not from past a gap it can never fill.
            matchIndex[from] = acked;
        }
        if (snapshotting[from] && matchIndex[from] >= snapshotOutIndex[from])
        {
            snapshotting[from] = false;
            progressAtNs[from] = nowNs;
            retransmit(from, out);
        }
        if (!established)
        {
            int synced = 1;
            for (int b = 0; b < n; b++)
            {
                if (b != nodeId && matchIndex[b] >= viewStartIndex)
                {
                    synced++;
                }
            }
            established = synced >= majority;
        }
        if (!inSync[from] && !snapshotting[from] && matchIndex[from] >= commitIndex)
        {
            inSync[from] = true;
        }
        advanceCommit(ack.depth() + 1, out);
    }

    private int replyDepthFromAcks()
    {
        int depth = 0;
        for (int b = 0; b < n; b++)
        {
            if (inSync[b])
            {
                depth = Math.max(depth, lastAckDepth[b] + 1);
            }
        }
        return depth == 0 ? 2 : depth;
    }

    private int inSyncCount()
    {
        int count = 0;
        for (int b = 0; b < n; b++)
        {
            if (inSync[b])
            {
                count++;
            }
        }
        return count;
    }

    private boolean leaseValid(final long nowNs)
    {
        int holders = 1;
        for (int b = 0; b < n; b++)
        {
            if (b != nodeId && nowNs - leaseAckNs[b] < config.leaseNs)
            {
                holders++;
            }
        }
        return holders >= majority;
    }

    /**
     * Commits every entry all in-sync backups have, applies it and answers its client.
     */
    private void advanceCommit(final int replyDepth, final Outbox out)
    {
        if (!established || inSyncCount() + 1 < majority)
        {
            return;
        }
        long newCommit = lastIndex;
        for (int b = 0; b < n; b++)
        {
            if (inSync[b])
            {
                newCommit = Math.min(newCommit, matchIndex[b]);
            }
        }
        while (commitIndex < newCommit)
        {
            final long index = ++commitIndex;
            final int slot = (int)(index & ringMask);
            final ReplicateDecoder entry = replicateDecoder.wrapAndApplyHeader(
                ring[slot], 0, headerDecoder.wrap(ring[slot], 0));
            final long clientId = entry.clientId();
            final long seq = entry.seq();
            final long key = entry.key();
            final int valueLength = entry.valueLength();
            final int valueOffset = entry.limit() + ReplicateDecoder.valueHeaderLength();
            state.store().put(key, ring[slot], valueOffset, valueLength, index);
            final int length = clientMessages.encodeResponse(
                replyDepth, clientId, seq, Status.OK, nodeId, index, empty, 0, 0);
            out.send(ClientSessions.clientNode(clientId), clientMessages.buffer(), 0, length);
        }
    }

    private void becomePrimary(final long newView, final long nowNs, final Outbox out)
    {
        role = Role.PRIMARY;
        view = newView;
        primary = nodeId;
        lastEntryView = newView;
        syncedView = newView;
        viewStartIndex = lastIndex;
        commitIndex = lastIndex;
        firstRingIndex = lastIndex + 1;
        established = majority == 1;
        nextHeartbeatNs = nowNs;
        quorumCheckFromNs = nowNs;
        // Sessions of writes a backup applied are committed now, with the state they belong to.
        for (int b = 0; b < n; b++)
        {
            matchIndex[b] = -1;
            inSync[b] = false;
            lastHeardNs[b] = nowNs;
            leaseAckNs[b] = Long.MIN_VALUE / 2;
            progressAtNs[b] = nowNs;
            snapshotting[b] = false;
            if (b != nodeId)
            {
                startSnapshot(b, nowNs, out);
            }
        }
    }

    private void stepDown(final long newView, final int newPrimary, final long nowNs)
    {
        if (role == Role.PRIMARY)
        {
            lastIndex = commitIndex; // uncommitted entries die with this primary's reign; they were never acked
            forgetUncommittedSessions();
        }
        role = Role.BACKUP;
        view = Math.max(view, newView);
        primary = newPrimary;
        lastHeardFromPrimaryNs = nowNs;
        electionJitterNs = nextJitter();
        established = false;
    }

    /**
     * A session whose latest write was appended but not committed must not later answer a retry of that write as
     * done. Its previous operation completed (a session runs one at a time), so it stays marked as applied without
     * a known version, which still stops a late duplicate of it from being applied again.
     */
    private void forgetUncommittedSessions()
    {
        for (final ClientSession session : state.sessions().values())
        {
            if (session.version > commitIndex)
            {
                session.seq--;
                session.version = 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Snapshots

    private void startSnapshot(final int b, final long nowNs, final Outbox out)
    {
        ExpandableArrayBuffer buffer = snapshotOut[b];
        if (buffer == null)
        {
            buffer = new ExpandableArrayBuffer(64 * 1024);
            snapshotOut[b] = buffer;
        }
        snapshotOutLength[b] = state.writeSnapshot(commitIndex, buffer);
        snapshotOutIndex[b] = commitIndex;
        snapshotting[b] = true;
        inSync[b] = false;
        matchIndex[b] = -1; // what it had is no longer known: its ack of the installed snapshot says
        sendSnapshot(b, nowNs, out);
    }

    private void sendSnapshot(final int b, final long nowNs, final Outbox out)
    {
        snapshotResendAtNs[b] = nowNs + config.snapshotRetryNs;
        final int total = snapshotOutLength[b];
        int offset = 0;
        do
        {
            final int chunk = Math.min(CHUNK_BYTES, total - offset);
            chunkEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .depth(1).clientId(0).seq(0).view(view).snapshotIndex(snapshotOutIndex[b])
                .chunkOffset(offset).totalLength(total)
                .putBytes(snapshotOut[b], offset, chunk);
            out.send(b, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + chunkEncoder.encodedLength());
            offset += chunk;
        }
        while (offset < total);
    }

    private void onSnapshotChunk(final int from, final SnapshotChunkDecoder chunk, final long nowNs, final Outbox out)
    {
        final long chunkView = chunk.view();
        if (!followPrimary(from, chunkView, nowNs, out))
        {
            return;
        }
        final long index = chunk.snapshotIndex();
        if (syncedView == chunkView && lastIndex >= index)
        {
            ack(out, from, 1, 0, 0, lastIndex, 0, false);
            return;
        }
        if (chunk.chunkOffset() == 0)
        {
            snapshotInView = chunkView;
            snapshotInIndex = index;
            snapshotInLength = 0;
        }
        if (snapshotInView != chunkView || snapshotInIndex != index || chunk.chunkOffset() != snapshotInLength)
        {
            return; // a chunk was lost or reordered: the primary resends the snapshot
        }
        final int total = chunk.totalLength();
        final int length = chunk.bytesLength();
        chunk.getBytes(snapshotIn, snapshotInLength, length);
        snapshotInLength += length;
        if (snapshotInLength < total)
        {
            return;
        }
        // Install by swapping in a complete copy: until the last chunk the old state stays whole, so this replica
        // never votes or stands with half a state.
        if (!state.installSnapshot(snapshotIn, snapshotInLength))
        {
            wire.rejectState(from, "snapshot");
            snapshotInView = -1;
            return;
        }
        lastIndex = index;
        commitIndex = index;
        lastEntryView = chunkView;
        syncedView = chunkView;
        role = Role.BACKUP;
        snapshotInView = -1;
        ack(out, from, 1, 0, 0, lastIndex, 0, false);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backup

    /**
     * Decides whether a message from the primary of {@code msgView} is to be followed. Fences primaries of old
     * views; adopts a newer view (asking for a snapshot when this replica does not hold that view's state).
     *
     * @return true when the sender is the primary this replica follows (snapshot chunks also pass when the state
     * is not yet synced).
     */
    private boolean followPrimary(final int from, final long msgView, final long nowNs, final Outbox out)
    {
        if (msgView < view || msgView < votedView || (msgView == view && role == Role.PRIMARY))
        {
            ack(out, from, 1, 0, 0, lastIndex, 0, false); // carries our higher view: the old primary steps down
            return false;
        }
        if (role == Role.PRIMARY || role == Role.CANDIDATE || role == Role.PRE_CANDIDATE)
        {
            stepDown(msgView, from, nowNs);
        }
        view = msgView;
        votedView = Math.max(votedView, msgView);
        primary = from;
        lastHeardFromPrimaryNs = nowNs;
        return true;
    }

    private void onReplicate(final int from, final ReplicateDecoder m, final long nowNs, final Outbox out)
    {
        final long msgView = m.view();
        if (!followPrimary(from, msgView, nowNs, out))
        {
            return;
        }
        if (syncedView != msgView)
        {
            ack(out, from, m.depth() + 1, m.clientId(), m.seq(), lastIndex, m.leaseNs(), true);
            return;
        }
        final long index = m.index();
        if (index == lastIndex + 1)
        {
            final long clientId = m.clientId();
            final long seq = m.seq();
            final long key = m.key();
            final int valueLength = m.valueLength();
            final int valueOffset = m.limit() + ReplicateDecoder.valueHeaderLength();
            state.store().put(key, m.buffer(), valueOffset, valueLength, index);
            state.recordWrite(clientId, seq, index);
            lastIndex = index;
        }
        ack(out, from, m.depth() + 1, m.clientId(), m.seq(), lastIndex, m.leaseNs(), false);
    }

    private void onHeartbeat(final int from, final HeartbeatDecoder m, final long nowNs, final Outbox out)
    {
        if (!followPrimary(from, m.view(), nowNs, out))
        {
            return;
        }
        ack(out, from, m.depth() + 1, 0, 0, lastIndex, m.leaseNs(), syncedView != m.view());
    }

    private void ack(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final long acked, final long leaseNs, final boolean needSnapshot)
    {
        ackEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(clientId).seq(seq).view(Math.max(view, votedView)).lastIndex(acked)
            .leaseNs(leaseNs).needSnapshot(needSnapshot ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // View change

    /**
     * Pre-vote first (as Raft's thesis, 9.6): ask whether a majority would vote without changing any state, so a
     * replica cut off from the others cannot disrupt a working primary with ever higher views when it returns.
     */
    private void startElection(final long nowNs, final Outbox out)
    {
        role = Role.PRE_CANDIDATE;
        proposedView = Math.max(Math.max(view, votedView), refusedAtView) + 1;
        votes = 1 << nodeId;
        electionJitterNs = nextJitter();
        electionEndNs = nowNs + config.primaryTimeoutNs + electionJitterNs;
        if (Integer.bitCount(votes) >= majority)
        {
            startCandidacy(nowNs, out);
            return;
        }
        sendVoteRequest(out, true);
    }

    private void startCandidacy(final long nowNs, final Outbox out)
    {
        role = Role.CANDIDATE;
        votedView = proposedView;
        votes = 1 << nodeId;
        electionEndNs = nowNs + config.primaryTimeoutNs + electionJitterNs;
        if (Integer.bitCount(votes) >= majority)
        {
            becomePrimary(proposedView, nowNs, out);
            return;
        }
        sendVoteRequest(out, false);
    }

    private void sendVoteRequest(final Outbox out, final boolean preVote)
    {
        voteRequestEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(1).clientId(0).seq(0).view(proposedView).candidate(nodeId)
            .lastEntryView(lastEntryView).lastIndex(lastIndex)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        sendToBackups(out, MessageHeaderEncoder.ENCODED_LENGTH + voteRequestEncoder.encodedLength());
    }

    private void onVoteRequest(final int from, final VoteRequestDecoder m, final long nowNs, final Outbox out)
    {
        if (role == Role.RECOVERING)
        {
            return; // lost its state: its vote could elect a replica missing committed writes
        }
        final long requested = m.view();
        final boolean primaryAlive = role == Role.PRIMARY ||
            (role == Role.BACKUP && primary >= 0 && nowNs - lastHeardFromPrimaryNs < config.primaryTimeoutNs);
        final boolean upToDate = m.lastEntryView() > lastEntryView ||
            (m.lastEntryView() == lastEntryView && m.lastIndex() >= lastIndex);
        final boolean preVote = m.preVote() == BooleanType.TRUE;
        final boolean grant = requested > votedView && upToDate && !primaryAlive;
        if (grant && !preVote)
        {
            votedView = requested;
            if (role == Role.CANDIDATE || role == Role.PRE_CANDIDATE)
            {
                role = Role.BACKUP;
            }
            lastHeardFromPrimaryNs = nowNs;
            electionJitterNs = nextJitter();
        }
        // A grant names the view granted; a refusal names the highest view this replica has voted in or follows
        // (at least the one requested), so that a candidate behind it proposes above it next time.
        voteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(m.depth() + 1).clientId(0).seq(0)
            .view(grant ? requested : Math.max(requested, Math.max(view, votedView)))
            .granted(grant ? BooleanType.TRUE : BooleanType.FALSE)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(from, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + voteEncoder.encodedLength());
    }

    private void onVote(final int from, final VoteDecoder m, final long nowNs, final Outbox out)
    {
        final boolean preVote = m.preVote() == BooleanType.TRUE;
        final Role expected = preVote ? Role.PRE_CANDIDATE : Role.CANDIDATE;
        if (m.granted() != BooleanType.TRUE)
        {
            // The voter is at a higher view than proposed: the next round proposes above it. Changes nothing else
            // (not this replica's view or vote), so a refusal from a far-ahead replica cannot fence a live primary.
            refusedAtView = Math.max(refusedAtView, m.view());
            return;
        }
        if (role != expected || m.view() != proposedView)
        {
            return;
        }
        votes |= 1 << from;
        if (Integer.bitCount(votes) >= majority)
        {
            if (preVote)
            {
                startCandidacy(nowNs, out);
            }
            else
            {
                becomePrimary(proposedView, nowNs, out);
            }
        }
    }
}
