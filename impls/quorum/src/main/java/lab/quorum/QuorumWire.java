package lab.quorum;

import lab.core.WireCheck;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.SyncAckDecoder;
import lab.quorum.codec.SyncChunkDecoder;
import lab.quorum.codec.SyncRequestDecoder;
import lab.quorum.codec.TiedCancelDecoder;
import lab.quorum.codec.WriteAckDecoder;
import lab.quorum.codec.WriteDecoder;

/**
 * The decode edge of the quorum schema: whether a message opened with {@link WireCheck#open} is whole and in range
 * before a decoder reads it. Replicas are nodes 0 .. replicas-1, clients follow. Reads and writes come from a
 * coordinator (a client, or a replica in replica-coordinator mode); replies, acknowledgements and state transfer
 * from replicas only. Timestamps name a node and a clock in range; lengths are never negative; a write's hint
 * names a replica or -1, and so does a read's tied peer (never the replica that receives it). A tied read's cancel
 * comes from a replica and names the coordinator of the read.
 */
final class QuorumWire
{
    private static final int BOOLEAN_MAX = 1;
    /** Lamport clocks stay below 2^46: a hybrid clock's microseconds are far below it, and counting on from it
     * stays clear of the sign bit of a timestamp. */
    static final long MAX_LAMPORT = 1L << 46;

    private QuorumWire()
    {
    }

    /**
     * @param self the node checking; a replica never sends itself a message ({@code -1} for a client).
     */
    static boolean check(final WireCheck w, final int from, final int self, final int replicas, final int nodeCount,
        final boolean client)
    {
        final boolean fromReplica = from >= 0 && from < replicas && from != self;
        final boolean fromAny = from >= 0 && from < nodeCount && from != self;
        switch (w.templateId())
        {
            case ReadDecoder.TEMPLATE_ID:
                return !client && w.sender(fromAny) &&
                    w.header(ReadDecoder.SCHEMA_VERSION, ReadDecoder.BLOCK_LENGTH) &&
                    w.depth(ReadDecoder.depthEncodingOffset()) &&
                    w.nodeIdOrNone(w.int32(ReadDecoder.tiedPeerEncodingOffset()), replicas, "tiedPeer") &&
                    w.range(w.int32(ReadDecoder.tiedPeerEncodingOffset()) != self, "tiedPeer (the receiver)") &&
                    w.end() || client && w.unexpected();
            case TiedCancelDecoder.TEMPLATE_ID:
                return !client && w.sender(fromReplica) &&
                    w.header(TiedCancelDecoder.SCHEMA_VERSION, TiedCancelDecoder.BLOCK_LENGTH) &&
                    w.depth(TiedCancelDecoder.depthEncodingOffset()) &&
                    w.nodeId(w.int32(TiedCancelDecoder.originEncodingOffset()), nodeCount, "origin") &&
                    w.end() || client && w.unexpected();
            case WriteDecoder.TEMPLATE_ID:
                return !client && w.sender(fromAny) &&
                    w.header(WriteDecoder.SCHEMA_VERSION, WriteDecoder.BLOCK_LENGTH) &&
                    w.depth(WriteDecoder.depthEncodingOffset()) &&
                    ts(w, w.int64(WriteDecoder.tsEncodingOffset()), nodeCount) &&
                    w.nodeIdOrNone(w.int32(WriteDecoder.hintForEncodingOffset()), replicas, "hintFor") &&
                    w.enumCode(WriteDecoder.ackWantedEncodingOffset(), BOOLEAN_MAX, "ackWanted") &&
                    w.varData() && w.end() || client && w.unexpected();
            case ReadReplyDecoder.TEMPLATE_ID:
                return w.sender(fromReplica) &&
                    w.header(ReadReplyDecoder.SCHEMA_VERSION, ReadReplyDecoder.BLOCK_LENGTH) &&
                    w.depth(ReadReplyDecoder.depthEncodingOffset()) &&
                    ts(w, w.int64(ReadReplyDecoder.tsEncodingOffset()), nodeCount) &&
                    w.varData() && w.end();
            case WriteAckDecoder.TEMPLATE_ID:
                return w.sender(fromReplica) &&
                    w.header(WriteAckDecoder.SCHEMA_VERSION, WriteAckDecoder.BLOCK_LENGTH) &&
                    w.depth(WriteAckDecoder.depthEncodingOffset()) &&
                    ts(w, w.int64(WriteAckDecoder.tsEncodingOffset()), nodeCount) &&
                    w.end();
            case SyncRequestDecoder.TEMPLATE_ID:
                return !client && w.sender(fromReplica) &&
                    w.header(SyncRequestDecoder.SCHEMA_VERSION, SyncRequestDecoder.BLOCK_LENGTH) &&
                    w.nonNegative(w.int64(SyncRequestDecoder.termEncodingOffset()), "term") &&
                    w.end() || client && w.unexpected();
            case SyncChunkDecoder.TEMPLATE_ID:
            {
                if (client)
                {
                    return w.unexpected();
                }
                if (!(w.sender(fromReplica) &&
                    w.header(SyncChunkDecoder.SCHEMA_VERSION, SyncChunkDecoder.BLOCK_LENGTH) &&
                    w.nonNegative(w.int64(SyncChunkDecoder.termEncodingOffset()), "term") &&
                    w.nonNegative(w.int64(SyncChunkDecoder.transferIdEncodingOffset()), "transferId") &&
                    w.varData()))
                {
                    return false;
                }
                final int chunkOffset = w.int32(SyncChunkDecoder.chunkOffsetEncodingOffset());
                // Chunks are placed by offset / chunk size: every chunk starts on a boundary and is at most one long.
                return w.chunk(chunkOffset, w.int32(SyncChunkDecoder.totalLengthEncodingOffset())) &&
                    w.range(chunkOffset % QuorumStateTransfer.CHUNK_BYTES == 0 &&
                        w.lastVarLength() <= QuorumStateTransfer.CHUNK_BYTES, "chunk alignment") &&
                    w.end();
            }
            case SyncAckDecoder.TEMPLATE_ID:
                return !client && w.sender(fromReplica) &&
                    w.header(SyncAckDecoder.SCHEMA_VERSION, SyncAckDecoder.BLOCK_LENGTH) &&
                    w.nonNegative(w.int64(SyncAckDecoder.termEncodingOffset()), "term") &&
                    w.nonNegative(w.int32(SyncAckDecoder.receivedChunksEncodingOffset()), "receivedChunks") &&
                    w.end() || client && w.unexpected();
            default:
                return w.unexpected();
        }
    }

    /**
     * A timestamp (Lamport clock, coordinator node; 0: none): its node a node of the run, its clock below
     * {@link #MAX_LAMPORT}, so that a coordinator that observes it and counts on never overflows into a negative
     * timestamp its own writes would then carry (a mutated but well-formed reply once did exactly that).
     */
    static boolean ts(final WireCheck w, final long ts, final int nodeCount)
    {
        return w.range(ts >= 0 && Timestamps.lamport(ts) < MAX_LAMPORT && Timestamps.node(ts) < nodeCount, "ts");
    }
}
