package lab.chain;

import lab.chain.codec.AckDecoder;
import lab.chain.codec.ConfigDecoder;
import lab.chain.codec.ForwardDecoder;
import lab.chain.codec.HeartbeatDecoder;
import lab.chain.codec.HelloDecoder;
import lab.chain.codec.LinkedDecoder;
import lab.chain.codec.SnapshotAckDecoder;
import lab.chain.codec.SnapshotChunkDecoder;
import lab.chain.codec.TiedCancelDecoder;
import lab.chain.codec.TiedReadDecoder;
import lab.chain.codec.VersionQueryDecoder;
import lab.chain.codec.VersionReplyDecoder;
import lab.core.WireCheck;

/**
 * The decode edge of the chain schema: whether a message opened with {@link WireCheck#open} is whole and in range
 * before a decoder reads it. Replicas are nodes 0 .. n-1, the configuration managers nodes n .. n + managers - 1,
 * clients follow.
 * A replica takes {@code Config} from a manager only and every other message from a peer replica; the manager
 * takes {@code Heartbeat} from replicas only. Epochs, sequence numbers and lengths are never negative; a
 * configuration names each member once, all of them replicas; a CRAQ version reply names a client's session.
 * A {@code TiedRead} comes from a client, names its own session and a tied peer that is another replica.
 */
final class ChainWire
{
    private static final int BOOLEAN_MAX = 1;

    private ChainWire()
    {
    }

    static boolean replica(final WireCheck w, final int from, final int n, final int managers, final int self,
        final int nodeCount, final int chunkBytes)
    {
        final int template = w.templateId();
        if (template == ConfigDecoder.TEMPLATE_ID)
        {
            return w.sender(from >= n && from < n + managers) && config(w, n);
        }
        if (template == TiedReadDecoder.TEMPLATE_ID)
        {
            return w.sender(from >= n + managers && from < nodeCount) &&
                w.header(TiedReadDecoder.SCHEMA_VERSION, TiedReadDecoder.BLOCK_LENGTH) &&
                common(w, TiedReadDecoder.depthEncodingOffset(), TiedReadDecoder.epochEncodingOffset()) &&
                client(w, TiedReadDecoder.clientIdEncodingOffset(), n, nodeCount, managers) &&
                w.range(lab.core.ClientSessions.clientNode(w.int64(TiedReadDecoder.clientIdEncodingOffset())) == from,
                    "clientId (not the sender's)") &&
                w.nodeId(w.int32(TiedReadDecoder.tiedPeerEncodingOffset()), n, "tiedPeer") &&
                w.range(w.int32(TiedReadDecoder.tiedPeerEncodingOffset()) != self, "tiedPeer (the receiver)") &&
                w.end();
        }
        if (!w.sender(from >= 0 && from < n && from != self))
        {
            return false;
        }
        switch (template)
        {
            case ForwardDecoder.TEMPLATE_ID:
                return w.header(ForwardDecoder.SCHEMA_VERSION, ForwardDecoder.BLOCK_LENGTH) &&
                    common(w, ForwardDecoder.depthEncodingOffset(), ForwardDecoder.epochEncodingOffset()) &&
                    w.atLeast(w.int64(ForwardDecoder.chainSeqEncodingOffset()), 1, "chainSeq") &&
                    client(w, ForwardDecoder.clientIdEncodingOffset(), n, nodeCount, managers) &&
                    w.varData() && w.end();
            case AckDecoder.TEMPLATE_ID:
                return w.header(AckDecoder.SCHEMA_VERSION, AckDecoder.BLOCK_LENGTH) &&
                    common(w, AckDecoder.depthEncodingOffset(), AckDecoder.epochEncodingOffset()) &&
                    w.nonNegative(w.int64(AckDecoder.receivedSeqEncodingOffset()), "receivedSeq") &&
                    w.nonNegative(w.int64(AckDecoder.commitSeqEncodingOffset()), "commitSeq") &&
                    w.end();
            case HelloDecoder.TEMPLATE_ID:
                return w.header(HelloDecoder.SCHEMA_VERSION, HelloDecoder.BLOCK_LENGTH) &&
                    common(w, HelloDecoder.depthEncodingOffset(), HelloDecoder.epochEncodingOffset()) &&
                    w.nonNegative(w.int64(HelloDecoder.receivedSeqEncodingOffset()), "receivedSeq") &&
                    w.enumCode(HelloDecoder.needSnapshotEncodingOffset(), BOOLEAN_MAX, "needSnapshot") &&
                    w.end();
            case LinkedDecoder.TEMPLATE_ID:
                return w.header(LinkedDecoder.SCHEMA_VERSION, LinkedDecoder.BLOCK_LENGTH) &&
                    common(w, LinkedDecoder.depthEncodingOffset(), LinkedDecoder.epochEncodingOffset()) &&
                    w.nonNegative(w.int64(LinkedDecoder.lastSeqEncodingOffset()), "lastSeq") &&
                    w.end();
            case VersionQueryDecoder.TEMPLATE_ID:
                return w.header(VersionQueryDecoder.SCHEMA_VERSION, VersionQueryDecoder.BLOCK_LENGTH) &&
                    common(w, VersionQueryDecoder.depthEncodingOffset(), VersionQueryDecoder.epochEncodingOffset()) &&
                    client(w, VersionQueryDecoder.clientIdEncodingOffset(), n, nodeCount, managers) &&
                    w.end();
            case VersionReplyDecoder.TEMPLATE_ID:
                return w.header(VersionReplyDecoder.SCHEMA_VERSION, VersionReplyDecoder.BLOCK_LENGTH) &&
                    common(w, VersionReplyDecoder.depthEncodingOffset(), VersionReplyDecoder.epochEncodingOffset()) &&
                    client(w, VersionReplyDecoder.clientIdEncodingOffset(), n, nodeCount, managers) &&
                    w.nonNegative(w.int64(VersionReplyDecoder.versionEncodingOffset()), "version") &&
                    w.end();
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                if (!(w.header(SnapshotChunkDecoder.SCHEMA_VERSION, SnapshotChunkDecoder.BLOCK_LENGTH) &&
                    common(w, SnapshotChunkDecoder.depthEncodingOffset(), SnapshotChunkDecoder.epochEncodingOffset()) &&
                    w.nonNegative(w.int64(SnapshotChunkDecoder.snapshotSeqEncodingOffset()), "snapshotSeq") &&
                    w.varData()))
                {
                    return false;
                }
                final int chunkOffset = w.int32(SnapshotChunkDecoder.chunkOffsetEncodingOffset());
                // Chunks are placed by offset / chunkBytes: every chunk starts on a boundary and is at most one long.
                return w.chunk(chunkOffset, w.int32(SnapshotChunkDecoder.totalLengthEncodingOffset())) &&
                    w.range(chunkOffset % chunkBytes == 0 && w.lastVarLength() <= chunkBytes, "chunk alignment") &&
                    w.end();
            }
            case TiedCancelDecoder.TEMPLATE_ID:
                return w.header(TiedCancelDecoder.SCHEMA_VERSION, TiedCancelDecoder.BLOCK_LENGTH) &&
                    common(w, TiedCancelDecoder.depthEncodingOffset(), TiedCancelDecoder.epochEncodingOffset()) &&
                    client(w, TiedCancelDecoder.clientIdEncodingOffset(), n, nodeCount, managers) &&
                    w.end();
            case SnapshotAckDecoder.TEMPLATE_ID:
                return w.header(SnapshotAckDecoder.SCHEMA_VERSION, SnapshotAckDecoder.BLOCK_LENGTH) &&
                    common(w, SnapshotAckDecoder.depthEncodingOffset(), SnapshotAckDecoder.epochEncodingOffset()) &&
                    w.nonNegative(w.int32(SnapshotAckDecoder.receivedChunksEncodingOffset()), "receivedChunks") &&
                    w.end();
            default:
                return w.unexpected();
        }
    }

    static boolean manager(final WireCheck w, final int from, final int n)
    {
        if (w.templateId() != HeartbeatDecoder.TEMPLATE_ID)
        {
            return w.unexpected();
        }
        return w.sender(from >= 0 && from < n) &&
            w.header(HeartbeatDecoder.SCHEMA_VERSION, HeartbeatDecoder.BLOCK_LENGTH) &&
            common(w, HeartbeatDecoder.depthEncodingOffset(), HeartbeatDecoder.epochEncodingOffset()) &&
            w.nonNegative(w.int64(HeartbeatDecoder.lastSeqEncodingOffset()), "lastSeq") &&
            w.enumCode(HeartbeatDecoder.syncedEncodingOffset(), BOOLEAN_MAX, "synced") &&
            w.end();
    }

    private static boolean common(final WireCheck w, final int depthOffset, final int epochOffset)
    {
        return w.depth(depthOffset) && w.nonNegative(w.int64(epochOffset), "epoch");
    }

    private static boolean client(final WireCheck w, final int clientIdOffset, final int n, final int nodeCount,
        final int managers)
    {
        return w.session(w.int64(clientIdOffset), n + managers, nodeCount, false, "clientId");
    }

    private static boolean config(final WireCheck w, final int n)
    {
        if (!(w.header(ConfigDecoder.SCHEMA_VERSION, ConfigDecoder.BLOCK_LENGTH) &&
            common(w, ConfigDecoder.depthEncodingOffset(), ConfigDecoder.epochEncodingOffset()) &&
            w.nodeIdOrNone(w.int32(ConfigDecoder.joinerEncodingOffset()), n, "joiner")))
        {
            return false;
        }
        final int blockLength = ConfigDecoder.MembersDecoder.sbeBlockLength();
        final int count = w.group(blockLength, n);
        if (count < 0)
        {
            return false;
        }
        long seen = 0;
        for (int i = 0; i < count; i++)
        {
            if (!w.entry(blockLength))
            {
                return false;
            }
            final int id = w.entryInt32(ConfigDecoder.MembersDecoder.nodeIdEncodingOffset());
            if (!w.nodeId(id, n, "members"))
            {
                return false;
            }
            if (n <= 64)
            {
                if ((seen & (1L << id)) != 0)
                {
                    return w.nodeId(-1, n, "members (twice)");
                }
                seen |= 1L << id;
            }
        }
        return w.end();
    }
}
