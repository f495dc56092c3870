package lab.primarybackup;

import lab.core.ClientSessions;
import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.codec.ClientMessages;
import lab.core.codec.Status;
import lab.primarybackup.codec.AckEncoder;
import lab.primarybackup.codec.BooleanType;
import lab.primarybackup.codec.HeartbeatEncoder;
import lab.primarybackup.codec.MessageHeaderEncoder;
import lab.primarybackup.codec.ReplicateEncoder;
import lab.primarybackup.codec.ServiceHeartbeatEncoder;
import lab.primarybackup.codec.SnapshotAckEncoder;
import lab.primarybackup.codec.SnapshotChunkEncoder;
import lab.primarybackup.codec.VoteEncoder;
import lab.primarybackup.codec.VoteRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The encoder side of a primary-backup replica (as Aeron cluster's ConsensusPublisher): every message it sends, to
 * peers and to clients, encoded into buffers reused from message to message (a log entry into its ring slot, so a
 * retransmission resends the same bytes).
 *
 * <p>Hop depth is stamped here, not by the rules: a message on a client operation's path is one hop after the input
 * being handled ({@link HopDepth#stamp()}); the messages no operation waits on (a state transfer's chunks and their
 * acks, an ack that only reports this replica's state, a vote request) start a path of their own, depth
 * {@link HopDepth#PATH_START}, whatever input led to them.
 */
final class PrimaryBackupPublisher
{
    private final int nodeId;
    private final int replicas;
    /** pb-views=config-service: the service's nodes (ids from replicas); 0 otherwise. */
    private final int configNodes;
    private final HopDepth hops;
    private final ClientMessages clientMessages = new ClientMessages();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReplicateEncoder replicateEncoder = new ReplicateEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final VoteRequestEncoder voteRequestEncoder = new VoteRequestEncoder();
    private final VoteEncoder voteEncoder = new VoteEncoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private final SnapshotAckEncoder snapshotAckEncoder = new SnapshotAckEncoder();
    private final ServiceHeartbeatEncoder serviceHeartbeatEncoder = new ServiceHeartbeatEncoder();

    /**
     * A publisher of its own, as if every message started a path (tests, and a sender with no replica around it).
     */
    PrimaryBackupPublisher(final int nodeId, final int replicas)
    {
        this(nodeId, replicas, 0, new HopDepth());
    }

    /**
     * @param hops the replica's hop depth: what its adapter received, or a new path.
     */
    PrimaryBackupPublisher(final int nodeId, final int replicas, final int configNodes, final HopDepth hops)
    {
        this.nodeId = nodeId;
        this.replicas = replicas;
        this.configNodes = configNodes;
        this.hops = hops;
    }

    /**
     * pb-views=config-service: to every node of the service (only the acting one answers, with the view). Sent by a
     * timer, so it starts a path.
     */
    void serviceHeartbeat(final Outbox out, final long view, final long syncedView, final long sentNs)
    {
        serviceHeartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).view(view).syncedView(syncedView).sentNs(sentNs);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + serviceHeartbeatEncoder.encodedLength();
        for (int c = 0; c < configNodes; c++)
        {
            out.send(replicas + c, sendBuffer, 0, length);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Clients

    /**
     * An answer without a value: a redirect, UNAVAILABLE, NOT_FOUND.
     */
    void reply(final Outbox out, final int to, final long clientId, final long seq, final Status status,
        final int hint)
    {
        clientMessages.sendStatus(out, to, hops.stamp(), clientId, seq, status, hint);
    }

    /**
     * A read's answer from the primary's committed state: the entry, or NOT_FOUND when there is none.
     */
    void readResponse(final Outbox out, final int to, final long clientId, final long seq, final KvStore.Entry entry)
    {
        clientMessages.sendEntry(out, to, hops.stamp(), clientId, seq, nodeId, entry);
    }

    /**
     * A write done (or a retry of one done) at {@code version}.
     */
    void writeDone(final Outbox out, final int to, final long clientId, final long seq, final long version)
    {
        clientMessages.sendWritten(out, to, hops.stamp(), clientId, seq, nodeId, version);
    }

    /**
     * A write committed: answered to the client node its session names.
     */
    void committed(final Outbox out, final long clientId, final long seq, final long version)
    {
        writeDone(out, ClientSessions.clientNode(clientId), clientId, seq, version);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Peers

    /**
     * Encodes log entry {@code index} into {@code entry} (its ring slot), to be sent and resent from there.
     *
     * @return its length.
     */
    int encodeReplicate(final MutableDirectBuffer entry, final long clientId, final long seq, final long view,
        final long index, final long commitIndex, final long leaseNs, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength)
    {
        replicateEncoder.wrapAndApplyHeader(entry, 0, headerEncoder)
            .depth(hops.stamp())
            .clientId(clientId)
            .seq(seq)
            .view(view)
            .index(index)
            .commitIndex(commitIndex)
            .leaseNs(leaseNs)
            .key(key);
        replicateEncoder.putValue(value, valueOffset, valueLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + replicateEncoder.encodedLength();
    }

    /**
     * An answer to the primary's entry or heartbeat being handled.
     */
    void ack(final Outbox out, final int to, final long clientId, final long seq, final long view, final long acked,
        final long leaseNs, final boolean needSnapshot)
    {
        encodeAck(hops.stamp(), clientId, seq, view, acked, leaseNs, needSnapshot);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
    }

    /**
     * An ack that only reports this replica's state (the view it knows, what it holds) to a primary: an installed
     * snapshot, or a refusal that fences an old primary. No operation waits on it: it starts a path.
     */
    void stateAck(final Outbox out, final int to, final long view, final long acked)
    {
        encodeAck(HopDepth.PATH_START, 0, 0, view, acked, 0, false);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
    }

    private void encodeAck(final int depth, final long clientId, final long seq, final long view, final long acked,
        final long leaseNs, final boolean needSnapshot)
    {
        ackEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(clientId).seq(seq).view(view).lastIndex(acked)
            .leaseNs(leaseNs).needSnapshot(needSnapshot ? BooleanType.TRUE : BooleanType.FALSE);
    }

    /**
     * Sent by the primary's timer: it starts a path.
     */
    void heartbeat(final Outbox out, final long view, final long lastIndex, final long commitIndex, final long leaseNs)
    {
        heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0).view(view).lastIndex(lastIndex).commitIndex(commitIndex)
            .leaseNs(leaseNs);
        sendToOthers(out, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength());
    }

    /**
     * A round of an election starts a path, whether a timer or a won pre-vote started it.
     */
    void voteRequest(final Outbox out, final long view, final long lastEntryView, final long lastIndex,
        final boolean preVote)
    {
        voteRequestEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).view(view).candidate(nodeId)
            .lastEntryView(lastEntryView).lastIndex(lastIndex)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        sendToOthers(out, MessageHeaderEncoder.ENCODED_LENGTH + voteRequestEncoder.encodedLength());
    }

    /**
     * The answer to the vote request being handled.
     */
    void vote(final Outbox out, final int to, final long view, final boolean granted, final boolean preVote)
    {
        voteEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(hops.stamp()).clientId(0).seq(0)
            .view(view)
            .granted(granted ? BooleanType.TRUE : BooleanType.FALSE)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + voteEncoder.encodedLength());
    }

    /**
     * One chunk of a state transfer ({@link PrimaryBackupStateTransfer} says which), its bytes at
     * {@code chunkOffset} of {@code state}. A transfer starts a path, whatever started it.
     */
    void snapshotChunk(final Outbox out, final int to, final long view, final long snapshotIndex,
        final int chunkOffset, final int totalLength, final long transferId, final int checksum,
        final DirectBuffer state, final int chunkLength)
    {
        chunkEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).view(view).snapshotIndex(snapshotIndex)
            .chunkOffset(chunkOffset).totalLength(totalLength).transferId(transferId).checksum(checksum)
            .putBytes(state, chunkOffset, chunkLength);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + chunkEncoder.encodedLength());
    }

    /**
     * Which chunks of a transfer this backup holds: like the chunks, it starts a path.
     */
    void snapshotAck(final Outbox out, final int to, final long view, final long transferId,
        final int receivedChunks)
    {
        snapshotAckEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(HopDepth.PATH_START).clientId(0).seq(0).view(view).transferId(transferId)
            .receivedChunks(receivedChunks);
        out.send(to, sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + snapshotAckEncoder.encodedLength());
    }

    private void sendToOthers(final Outbox out, final int length)
    {
        for (int b = 0; b < replicas; b++)
        {
            if (b != nodeId)
            {
                out.send(b, sendBuffer, 0, length);
            }
        }
    }
}
