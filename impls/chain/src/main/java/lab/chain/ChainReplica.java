package lab.chain;

import java.util.Arrays;

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
import lab.chain.codec.AckDecoder;
import lab.chain.codec.AckEncoder;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ConfigDecoder;
import lab.chain.codec.ForwardDecoder;
import lab.chain.codec.ForwardEncoder;
import lab.chain.codec.HeartbeatEncoder;
import lab.chain.codec.HelloDecoder;
import lab.chain.codec.HelloEncoder;
import lab.chain.codec.LinkedDecoder;
import lab.chain.codec.LinkedEncoder;
import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.MessageHeaderEncoder;
import lab.chain.codec.SnapshotChunkDecoder;
import lab.chain.codec.SnapshotChunkEncoder;
import lab.chain.codec.VersionQueryDecoder;
import lab.chain.codec.VersionQueryEncoder;
import lab.chain.codec.VersionReplyDecoder;
import lab.chain.codec.VersionReplyEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * A chain replication replica as a pure state machine (van Renesse and Schneider, OSDI 2004; CRAQ reads after
 * Terrace and Freedman, USENIX ATC 2009).
 *
 * <p>Normal case: the head gives each PUT the next chain sequence number (also its version) and forwards it; every
 * node keeps it as pending and forwards it to its successor; the tail applies it (it is now committed), answers the
 * client when the tail acks ({@code chain-ack=tail}, N+1 hops), and sends an ack back up the chain: each node
 * applies what the ack commits and passes the ack on; with {@code chain-ack=head} the head answers the client when
 * the ack reaches it (2N hops). Reads go to the tail (2 hops), or with {@code reads=craq} to any node: a key with no
 * pending write is clean and served from the node's committed state (2 hops); a dirty key makes the node ask the
 * tail for the committed version, which it then serves from its committed state or its pending list (4 hops).
 *
 * <p>Failures: the configuration manager ({@link ChainManager}) assigns chains by epoch. A replica takes chain
 * traffic of its own epoch only. On a new epoch every node tells its (possibly new) predecessor what it has
 * received ({@code Hello}); the predecessor resends the rest from its pending list, so nothing in flight is lost,
 * and sequence numbers make every resend idempotent. A node that becomes the tail commits everything it holds: each
 * of those writes may have been acknowledged by the old tail. A node without state (restarted, or removed and
 * wiped) joins at the tail: its predecessor streams it a snapshot, then resends its pending writes. Reads are only
 * served under a lease from the manager, which removes a node only after the node's lease has run out, so a node cut
 * off from the manager stops reading before a new chain can commit writes it has not seen.
 */
public final class ChainReplica implements Replica
{
    private static final int CHUNK_BYTES = 32 * 1024;
    private static final int RETRANSMIT_BURST = 1024;
    private static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    private final int nodeId;
    private final int n;
    private final int managerNode;
    private final ChainConfig config;
    private final boolean tailAcks;
    private final boolean craq;

    // Configuration
    private long epoch;
    private final int[] members;
    private int memberCount;
    private int position = -1;
    private int pred = -1;
    private int succ = -1;
    private boolean synced;
    private long leaseUntilNs = Long.MIN_VALUE;
    private long nextHeartbeatNs;

    // Replicated state
    private long lastSeq;
    private long commitSeq;
    private final ReplicaState state = new ReplicaState();
    private final Long2LongHashMap pendingByKey = new Long2LongHashMap(0);
    private final ExpandableArrayBuffer[] ring;
    private final int[] ringLength;
    private final int ringMask;

    // Link to the successor
    private long succReceived;
    private boolean succNeedsSnapshot;
    private long lastProgressNs;
    private long nextRetransmitNs;
    private long snapshotSentNs = Long.MIN_VALUE / 2;
    private final ExpandableArrayBuffer snapshotOut = new ExpandableArrayBuffer(64 * 1024);

    // Link to the predecessor
    private boolean predLinked = true;
    private long nackedSeq = -1;
    private long nextHelloNs;
    private final ExpandableArrayBuffer snapshotIn = new ExpandableArrayBuffer(64 * 1024);
    private long snapshotInEpoch = -1;
    private long snapshotInSeq = -1;
    private int snapshotInBytes;
    private int snapshotInTotal;
    private long[] snapshotInChunks = new long[1];

    // CRAQ accounting
    private long cleanReads;
    private long dirtyReads;

    private final WireCheck wire;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer empty = new ExpandableArrayBuffer(16);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ForwardEncoder forwardEncoder = new ForwardEncoder();
    private final ForwardDecoder forwardDecoder = new ForwardDecoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final LinkedEncoder linkedEncoder = new LinkedEncoder();
    private final LinkedDecoder linkedDecoder = new LinkedDecoder();
    private final VersionQueryEncoder queryEncoder = new VersionQueryEncoder();
    private final VersionQueryDecoder queryDecoder = new VersionQueryDecoder();
    private final VersionReplyEncoder versionEncoder = new VersionReplyEncoder();
    private final VersionReplyDecoder versionDecoder = new VersionReplyDecoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final ConfigDecoder configDecoder = new ConfigDecoder();

    public ChainReplica(final int nodeId, final int replicas, final ChainConfig config, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.wire = new WireCheck("node " + nodeId + " (chain replica)");
        this.n = replicas;
        this.managerNode = replicas;
        this.config = config;
        this.tailAcks = config.ack == ChainConfig.Ack.TAIL;
        this.craq = config.reads == ChainConfig.Reads.CRAQ;
        members = new int[replicas];
        ring = new ExpandableArrayBuffer[config.pendingCapacity];
        ringLength = new int[config.pendingCapacity];
        ringMask = config.pendingCapacity - 1;
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

    public String role()
    {
        if (position < 0)
        {
            return synced ? "standby" : "empty";
        }
        if (!synced)
        {
            return "joining";
        }
        if (memberCount == 1)
        {
            return "sole";
        }
        return position == 0 ? "head" : position == memberCount - 1 ? "tail" : "middle";
    }

    /**
     * @return CRAQ reads served from the node's own committed state (every read at the tail counts as clean).
     */
    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("craq_clean_reads", cleanReads, "craq_dirty_reads", dirtyReads,
            "malformed_messages", wire.count());
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public long cleanReads()
    {
        return cleanReads;
    }

    /**
     * @return CRAQ reads of a key with a pending write, answered after asking the tail for the committed version.
     */
    public long dirtyReads()
    {
        return dirtyReads;
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

    private boolean isHead()
    {
        return position == 0;
    }

    private boolean isTail()
    {
        return position >= 0 && position == memberCount - 1;
    }

    private int head()
    {
        return memberCount > 0 ? members[0] : -1;
    }

    private int tail()
    {
        return memberCount > 0 ? members[memberCount - 1] : -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
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
        if (!ChainWire.replica(wire, fromNode, n, nodeId, config.nodeCount, CHUNK_BYTES))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        switch (headerDecoder.templateId())
        {
            case ForwardDecoder.TEMPLATE_ID:
                onForward(fromNode, forwardDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), buffer,
                    offset, length, nowNs, out);
                break;
            case AckDecoder.TEMPLATE_ID:
                onAck(fromNode, ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case HelloDecoder.TEMPLATE_ID:
                onHello(fromNode, helloDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case LinkedDecoder.TEMPLATE_ID:
                onLinked(fromNode, linkedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder));
                break;
            case VersionQueryDecoder.TEMPLATE_ID:
                onVersionQuery(fromNode, queryDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), out);
                break;
            case VersionReplyDecoder.TEMPLATE_ID:
                onVersionReply(fromNode, versionDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs,
                    out);
                break;
            case SnapshotChunkDecoder.TEMPLATE_ID:
                onSnapshotChunk(fromNode, chunkDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                break;
            case ConfigDecoder.TEMPLATE_ID:
                if (fromNode == managerNode)
                {
                    onConfig(configDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
                }
                break;
            default:
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (nowNs >= nextHeartbeatNs)
        {
            nextHeartbeatNs = nowNs + config.heartbeatIntervalNs;
            heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .depth(1).clientId(0).seq(0).epoch(epoch).sentNs(nowNs).lastSeq(lastSeq)
                .synced(synced ? BooleanType.TRUE : BooleanType.FALSE);
            out.send(managerNode, sendBuffer, 0, HEADER_LENGTH + heartbeatEncoder.encodedLength());
        }
        if (position < 0)
        {
            return;
        }
        if (!predLinked && nowNs >= nextHelloNs)
        {
            sendHello(out, nowNs);
        }
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
    // Clients

    private void onClientRequest(final int from, final ClientRequestDecoder request, final long nowNs, final Outbox out)
    {
        final int depth = request.depth() + 1;
        if (request.opType() == OpType.GET)
        {
            onRead(from, request, depth, nowNs, out);
        }
        else
        {
            onWrite(from, request, depth, nowNs, out);
        }
    }

    private void onWrite(final int from, final ClientRequestDecoder request, final int depth, final long nowNs,
        final Outbox out)
    {
        final long clientId = request.clientId();
        final long seq = request.seq();
        if (!isHead() || !synced)
        {
            redirect(out, from, depth, clientId, seq, head());
            return;
        }
        final ClientSession session = state.session(clientId);
        if (session != null && seq <= session.seq)
        {
            if (seq == session.seq)
            {
                if (session.version <= commitSeq)
                {
                    final int length = clientMessages.encodeResponse(
                        depth, clientId, seq, Status.OK, nodeId, session.version, empty, 0, 0);
                    out.send(from, clientMessages.buffer(), 0, length);
                }
                else
                {
                    session.replyOnCommit = true; // still in the chain: answered when the ack comes back
                }
            }
            return;
        }
        if (lastSeq - commitSeq >= ring.length - 1)
        {
            reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }

        final long chainSeq = lastSeq + 1;
        final int slot = (int)(chainSeq & ringMask);
        ExpandableArrayBuffer entry = ring[slot];
        if (entry == null)
        {
            entry = new ExpandableArrayBuffer(256);
            ring[slot] = entry;
        }
        final long key = request.key();
        forwardEncoder.wrapAndApplyHeader(entry, 0, headerEncoder)
            .depth(depth)
            .clientId(clientId)
            .seq(seq)
            .epoch(epoch)
            .chainSeq(chainSeq)
            .key(key);
        final int valueOffset = request.limit() + ClientRequestDecoder.valueHeaderLength();
        forwardEncoder.putValue(request.buffer(), valueOffset, request.valueLength());
        ringLength[slot] = HEADER_LENGTH + forwardEncoder.encodedLength();
        accepted(chainSeq, clientId, seq, key);
        if (isTail())
        {
            commitTo(lastSeq, depth, out);
        }
        else
        {
            out.send(succ, entry, 0, ringLength[slot]);
        }
    }

    private void onRead(final int from, final ClientRequestDecoder request, final int depth, final long nowNs,
        final Outbox out)
    {
        final long clientId = request.clientId();
        final long seq = request.seq();
        if (position < 0 || !synced || (!craq && !isTail()))
        {
            redirect(out, from, depth, clientId, seq, tail());
            return;
        }
        if (nowNs >= leaseUntilNs)
        {
            reply(out, from, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        final long key = request.key();
        if (isTail() || pendingByKey.get(key) == 0)
        {
            cleanReads++;
            final KvStore.Entry entry = state.store().get(key);
            replyValue(out, from, depth, clientId, seq, entry);
            return;
        }
        dirtyReads++;
        queryEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(clientId).seq(seq).epoch(epoch).key(key);
        out.send(tail(), sendBuffer, 0, HEADER_LENGTH + queryEncoder.encodedLength());
    }

    private void onVersionQuery(final int from, final VersionQueryDecoder query, final Outbox out)
    {
        if (query.epoch() != epoch || !isTail() || !synced)
        {
            return; // the asking node is behind or ahead of us: its client retries
        }
        final KvStore.Entry entry = state.store().get(query.key());
        versionEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(query.depth() + 1).clientId(query.clientId()).seq(query.seq()).epoch(epoch).key(query.key())
            .version(entry == null ? 0 : entry.version());
        out.send(from, sendBuffer, 0, HEADER_LENGTH + versionEncoder.encodedLength());
    }

    private void onVersionReply(final int from, final VersionReplyDecoder reply, final long nowNs, final Outbox out)
    {
        final int depth = reply.depth() + 1;
        final long clientId = reply.clientId();
        final long seq = reply.seq();
        final int client = ClientSessions.clientNode(clientId);
        if (reply.epoch() != epoch || position < 0 || !synced || nowNs >= leaseUntilNs)
        {
            reply(out, client, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        final long key = reply.key();
        final long version = reply.version();
        final KvStore.Entry entry = state.store().get(key);
        if (version == 0 || (entry != null && entry.version() >= version))
        {
            // Committed here already (or a newer write committed since the tail answered: also fine to return).
            replyValue(out, client, depth, clientId, seq, entry);
            return;
        }
        if (version > commitSeq && version <= lastSeq)
        {
            final ExpandableArrayBuffer pending = ring[(int)(version & ringMask)];
            final ForwardDecoder w = forwardDecoder.wrapAndApplyHeader(pending, 0, headerDecoder.wrap(pending, 0));
            if (w.chainSeq() == version && w.key() == key)
            {
                final int valueLength = w.valueLength();
                final int valueOffset = w.limit() + ForwardDecoder.valueHeaderLength();
                final int length = clientMessages.encodeResponse(
                    depth, clientId, seq, Status.OK, nodeId, version, pending, valueOffset, valueLength);
                out.send(client, clientMessages.buffer(), 0, length);
                return;
            }
        }
        reply(out, client, depth, clientId, seq, Status.UNAVAILABLE, nodeId);
    }

    private void replyValue(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final KvStore.Entry entry)
    {
        final int length = entry == null ?
            clientMessages.encodeEmptyResponse(depth, clientId, seq, Status.NOT_FOUND, nodeId) :
            clientMessages.encodeResponse(depth, clientId, seq, Status.OK, nodeId, entry.version(),
                entry.value(), 0, entry.length());
        out.send(to, clientMessages.buffer(), 0, length);
    }

    private void reply(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final Status status, final int hint)
    {
        final int length = clientMessages.encodeEmptyResponse(depth, clientId, seq, status, hint);
        out.send(to, clientMessages.buffer(), 0, length);
    }

    /**
     * REDIRECT to the node named, with the whole chain hint packed in the version (see {@link ChainHint}).
     */
    private void redirect(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final int hint)
    {
        final Status status = hint >= 0 && hint != nodeId ? Status.REDIRECT : Status.UNAVAILABLE;
        final int length = clientMessages.encodeResponse(depth, clientId, seq, status, hint,
            ChainHint.pack(epoch, head(), tail()), empty, 0, 0);
        out.send(to, clientMessages.buffer(), 0, length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Writes down the chain, acks up

    private void accepted(final long chainSeq, final long clientId, final long seq, final long key)
    {
        lastSeq = chainSeq;
        pendingByKey.put(key, pendingByKey.get(key) + 1);
        state.recordWrite(clientId, seq, chainSeq);
    }

    private void onForward(final int from, final ForwardDecoder m, final DirectBuffer buffer, final int offset,
        final int length, final long nowNs, final Outbox out)
    {
        if (m.epoch() != epoch || from != pred || !synced)
        {
            return; // another epoch, or not our predecessor: the link is re-established by Hello
        }
        predLinked = true;
        final long chainSeq = m.chainSeq();
        final int depth = m.depth() + 1;
        if (chainSeq != lastSeq + 1)
        {
            if (chainSeq <= lastSeq)
            {
                sendAck(out, depth, 0, 0); // a resend of what we have: tell the predecessor where we are
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
        if (lastSeq - commitSeq >= ring.length - 1)
        {
            return; // cannot happen while the predecessor's pending list is no longer than ours; be safe
        }
        final int slot = (int)(chainSeq & ringMask);
        ExpandableArrayBuffer entry = ring[slot];
        if (entry == null)
        {
            entry = new ExpandableArrayBuffer(256);
            ring[slot] = entry;
        }
        entry.putBytes(0, buffer, offset, length);
        ringLength[slot] = length;
        forwardEncoder.wrap(entry, HEADER_LENGTH).depth(depth);
        final long clientId = m.clientId();
        final long seq = m.seq();
        accepted(chainSeq, clientId, seq, m.key());
        if (isTail())
        {
            commitTo(chainSeq, depth, out);
            sendAck(out, depth, clientId, seq);
        }
        else
        {
            out.send(succ, entry, 0, length);
        }
    }

    private void onAck(final int from, final AckDecoder ack, final long nowNs, final Outbox out)
    {
        if (ack.epoch() != epoch || from != succ || !synced)
        {
            return;
        }
        succReceived = Math.max(succReceived, ack.receivedSeq());
        succNeedsSnapshot = false;
        final long target = Math.min(ack.commitSeq(), lastSeq);
        if (target > commitSeq)
        {
            final int depth = ack.depth() + 1;
            commitTo(target, depth, out);
            lastProgressNs = nowNs;
            if (pred >= 0)
            {
                sendAck(out, depth, ack.clientId(), ack.seq());
            }
        }
    }

    private void sendAck(final Outbox out, final int depth, final long clientId, final long seq)
    {
        if (pred < 0)
        {
            return;
        }
        ackEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(clientId).seq(seq).epoch(epoch).receivedSeq(lastSeq).commitSeq(commitSeq);
        out.send(pred, sendBuffer, 0, HEADER_LENGTH + ackEncoder.encodedLength());
    }

    /**
     * Applies every pending write up to {@code target} and answers its client where this node is the one that
     * answers.
     *
     * @param replyDepth depth of the answers, or -1 to use each write's own depth (a new tail committing what its
     *                   old tail may already have answered).
     */
    private void commitTo(final long target, final int replyDepth, final Outbox out)
    {
        final boolean answers = tailAcks ? isTail() : isHead();
        while (commitSeq < target)
        {
            final long chainSeq = ++commitSeq;
            final ExpandableArrayBuffer entry = ring[(int)(chainSeq & ringMask)];
            final ForwardDecoder w = forwardDecoder.wrapAndApplyHeader(entry, 0, headerDecoder.wrap(entry, 0));
            final long clientId = w.clientId();
            final long seq = w.seq();
            final long key = w.key();
            final int depth = replyDepth < 0 ? w.depth() : replyDepth;
            final int valueLength = w.valueLength();
            final int valueOffset = w.limit() + ForwardDecoder.valueHeaderLength();
            state.store().put(key, entry, valueOffset, valueLength, chainSeq);
            final long pending = pendingByKey.get(key) - 1;
            if (pending <= 0)
            {
                pendingByKey.remove(key);
            }
            else
            {
                pendingByKey.put(key, pending);
            }
            boolean reply = answers;
            if (isHead())
            {
                final ClientSession session = state.session(clientId);
                if (session != null && session.seq == seq && session.replyOnCommit)
                {
                    session.replyOnCommit = false;
                    reply = true;
                }
            }
            if (reply)
            {
                final int length = clientMessages.encodeResponse(
                    depth, clientId, seq, Status.OK, nodeId, chainSeq, empty, 0, 0);
                out.send(ClientSessions.clientNode(clientId), clientMessages.buffer(), 0, length);
            }
        }
    }

    private void resend(final long from, final Outbox out)
    {
        if (lastSeq - from >= ring.length - 1)
        {
            return; // the successor lacks writes we no longer hold: cannot happen when the chain is intact
        }
        final long to = Math.min(lastSeq, from + RETRANSMIT_BURST - 1);
        for (long i = from; i <= to; i++)
        {
            final int slot = (int)(i & ringMask);
            forwardEncoder.wrap(ring[slot], HEADER_LENGTH).epoch(epoch);
            out.send(succ, ring[slot], 0, ringLength[slot]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reconfiguration

    private void onConfig(final ConfigDecoder m, final long nowNs, final Outbox out)
    {
        final long newEpoch = m.epoch();
        final long leaseSentNs = m.leaseSentNs();
        final int joiner = m.joiner();
        if (newEpoch > epoch)
        {
            epoch = newEpoch;
            memberCount = 0;
            int newPosition = -1;
            for (final ConfigDecoder.MembersDecoder member : m.members())
            {
                if (memberCount < members.length)
                {
                    final int id = member.nodeId();
                    if (id == nodeId)
                    {
                        newPosition = memberCount;
                    }
                    members[memberCount++] = id;
                }
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
                    // The old tail may have applied (and answered) any of these: commit them all, ack them up.
                    commitTo(lastSeq, -1, out);
                    sendAck(out, 1, 0, 0);
                }
                if (!predLinked)
                {
                    sendHello(out, nowNs);
                }
            }
        }
        if (newEpoch == epoch && position >= 0 && leaseSentNs != Long.MIN_VALUE)
        {
            leaseUntilNs = Math.max(leaseUntilNs, leaseSentNs + config.leaseNs);
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
        leaseUntilNs = Long.MIN_VALUE;
        if (synced || lastSeq != 0)
        {
            synced = false;
            state.clear();
            pendingByKey.clear();
            lastSeq = 0;
            commitSeq = 0;
        }
    }

    private void sendHello(final Outbox out, final long nowNs)
    {
        nextHelloNs = nowNs + config.retransmitNs;
        helloEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(1).clientId(0).seq(0).epoch(epoch).receivedSeq(lastSeq)
            .needSnapshot(synced ? BooleanType.FALSE : BooleanType.TRUE);
        out.send(pred, sendBuffer, 0, HEADER_LENGTH + helloEncoder.encodedLength());
    }

    private void onHello(final int from, final HelloDecoder hello, final long nowNs, final Outbox out)
    {
        if (hello.epoch() != epoch || from != succ || !synced)
        {
            return; // not our successor in our epoch (yet): it says hello again
        }
        final long received = hello.receivedSeq();
        if (hello.needSnapshot() == BooleanType.TRUE || received < lastSeq - (ring.length - 2))
        {
            succNeedsSnapshot = true;
            if (nowNs - snapshotSentNs >= config.snapshotRetryNs)
            {
                sendSnapshot(nowNs, out);
            }
            return;
        }
        succNeedsSnapshot = false;
        succReceived = received;
        if (received < lastSeq)
        {
            resend(received + 1, out);
        }
        linkedEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(1).clientId(0).seq(0).epoch(epoch).lastSeq(lastSeq);
        out.send(succ, sendBuffer, 0, HEADER_LENGTH + linkedEncoder.encodedLength());
    }

    private void onLinked(final int from, final LinkedDecoder linked)
    {
        if (linked.epoch() == epoch && from == pred)
        {
            predLinked = true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State transfer to a joining tail

    private void sendSnapshot(final long nowNs, final Outbox out)
    {
        snapshotSentNs = nowNs;
        final int total = state.writeSnapshot(Long.MAX_VALUE, snapshotOut);
        int offset = 0;
        do
        {
            final int chunk = Math.min(CHUNK_BYTES, total - offset);
            chunkEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .depth(1).clientId(0).seq(0).epoch(epoch).snapshotSeq(commitSeq)
                .chunkOffset(offset).totalLength(total)
                .putBytes(snapshotOut, offset, chunk);
            out.send(succ, sendBuffer, 0, HEADER_LENGTH + chunkEncoder.encodedLength());
            offset += chunk;
        }
        while (offset < total);
    }

    private void onSnapshotChunk(final int from, final SnapshotChunkDecoder chunk, final long nowNs, final Outbox out)
    {
        if (chunk.epoch() != epoch || from != pred || synced || position < 0)
        {
            return;
        }
        final long snapshotSeq = chunk.snapshotSeq();
        final int total = chunk.totalLength();
        if (snapshotInEpoch != epoch || snapshotInSeq != snapshotSeq || snapshotInTotal != total)
        {
            snapshotInEpoch = epoch;
            snapshotInSeq = snapshotSeq;
            snapshotInTotal = total;
            snapshotInBytes = 0;
            final int chunks = (total + CHUNK_BYTES - 1) / CHUNK_BYTES + 1;
            if (snapshotInChunks.length * 64 < chunks)
            {
                snapshotInChunks = new long[(chunks + 63) / 64];
            }
            Arrays.fill(snapshotInChunks, 0);
        }
        // Chunks may arrive in any order (reordering) or twice (duplication): place each by offset, count it once.
        final int index = chunk.chunkOffset() / CHUNK_BYTES;
        final long bit = 1L << (index & 63);
        if ((snapshotInChunks[index >> 6] & bit) != 0)
        {
            return;
        }
        snapshotInChunks[index >> 6] |= bit;
        final int length = chunk.bytesLength();
        chunk.getBytes(snapshotIn, chunk.chunkOffset(), length);
        snapshotInBytes += length;
        if (snapshotInBytes < total)
        {
            return;
        }
        if (!state.installSnapshot(snapshotIn, total))
        {
            wire.rejectState(from, "snapshot");
            snapshotInEpoch = -1;
            return;
        }
        pendingByKey.clear();
        lastSeq = snapshotSeq;
        commitSeq = snapshotSeq;
        synced = true;
        snapshotInEpoch = -1;
        // Now ask for the writes after the snapshot.
        predLinked = false;
        sendHello(out, nowNs);
    }
}
