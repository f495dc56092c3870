package lab.primarybackup;

import lab.core.WireCheck;
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.HeartbeatDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.SnapshotAckDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import lab.primarybackup.codec.ServiceHeartbeatDecoder;
import lab.primarybackup.codec.ViewDecoder;
import lab.primarybackup.codec.VoteDecoder;
import lab.primarybackup.codec.VoteRequestDecoder;

/**
 * The decode edge of the primary-backup schema: whether a message opened with {@link WireCheck#open} is whole and
 * in range before a decoder reads it. Every message comes from a peer replica; views, indices and lengths are never
 * negative; a vote request's candidate is its sender; booleans are 0 or 1; a snapshot chunk starts on a chunk
 * boundary and is at most one chunk long. With pb-views=config-service a replica also takes {@code View} from a
 * service node only (its primary and backups replicas, each named once), and a service node takes
 * {@code ServiceHeartbeat} from replicas only.
 */
final class PrimaryBackupWire
{
    private static final int BOOLEAN_MAX = 1;

    private PrimaryBackupWire()
    {
    }

    static boolean check(final WireCheck w, final int from, final int replicas, final int configNodes,
        final int self, final int chunkBytes)
    {
        if (w.templateId() == ViewDecoder.TEMPLATE_ID)
        {
            return w.sender(from >= replicas && from < replicas + configNodes) && view(w, replicas);
        }
        if (!w.sender(from >= 0 && from < replicas && from != self))
        {
            return false;
        }
        switch (w.templateId())
        {
            case ReplicateDecoder.TEMPLATE_ID:
                return w.header(ReplicateDecoder.SCHEMA_VERSION, ReplicateDecoder.BLOCK_LENGTH) &&
                    w.depth(ReplicateDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(ReplicateDecoder.viewEncodingOffset()), "view") &&
                    w.atLeast(w.int64(ReplicateDecoder.indexEncodingOffset()), 1, "index") &&
                    w.nonNegative(w.int64(ReplicateDecoder.commitIndexEncodingOffset()), "commitIndex") &&
                    w.varData() && w.end();
            case AckDecoder.TEMPLATE_ID:
                return w.header(AckDecoder.SCHEMA_VERSION, AckDecoder.BLOCK_LENGTH) &&
                    w.depth(AckDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(AckDecoder.viewEncodingOffset()), "view") &&
                    w.nonNegative(w.int64(AckDecoder.lastIndexEncodingOffset()), "lastIndex") &&
                    w.enumCode(AckDecoder.needSnapshotEncodingOffset(), BOOLEAN_MAX, "needSnapshot") &&
                    w.end();
            case HeartbeatDecoder.TEMPLATE_ID:
                return w.header(HeartbeatDecoder.SCHEMA_VERSION, HeartbeatDecoder.BLOCK_LENGTH) &&
                    w.depth(HeartbeatDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(HeartbeatDecoder.viewEncodingOffset()), "view") &&
                    w.nonNegative(w.int64(HeartbeatDecoder.lastIndexEncodingOffset()), "lastIndex") &&
                    w.nonNegative(w.int64(HeartbeatDecoder.commitIndexEncodingOffset()), "commitIndex") &&
                    w.end();
            case VoteRequestDecoder.TEMPLATE_ID:
                return w.header(VoteRequestDecoder.SCHEMA_VERSION, VoteRequestDecoder.BLOCK_LENGTH) &&
                    w.depth(VoteRequestDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(VoteRequestDecoder.viewEncodingOffset()), "view") &&
                    w.nodeId(w.int32(VoteRequestDecoder.candidateEncodingOffset()), replicas, "candidate") &&
                    w.sender(w.int32(VoteRequestDecoder.candidateEncodingOffset()) == from) &&
                    w.nonNegative(w.int64(VoteRequestDecoder.lastEntryViewEncodingOffset()), "lastEntryView") &&
                    w.nonNegative(w.int64(VoteRequestDecoder.lastIndexEncodingOffset()), "lastIndex") &&
                    w.enumCode(VoteRequestDecoder.preVoteEncodingOffset(), BOOLEAN_MAX, "preVote") &&
                    w.end();
            case VoteDecoder.TEMPLATE_ID:
                return w.header(VoteDecoder.SCHEMA_VERSION, VoteDecoder.BLOCK_LENGTH) &&
                    w.depth(VoteDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(VoteDecoder.viewEncodingOffset()), "view") &&
                    w.enumCode(VoteDecoder.grantedEncodingOffset(), BOOLEAN_MAX, "granted") &&
                    w.enumCode(VoteDecoder.preVoteEncodingOffset(), BOOLEAN_MAX, "preVote") &&
                    w.end();
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                if (!(w.header(SnapshotChunkDecoder.SCHEMA_VERSION, SnapshotChunkDecoder.BLOCK_LENGTH) &&
                    w.depth(SnapshotChunkDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(SnapshotChunkDecoder.viewEncodingOffset()), "view") &&
                    w.nonNegative(w.int64(SnapshotChunkDecoder.snapshotIndexEncodingOffset()), "snapshotIndex") &&
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
            case SnapshotAckDecoder.TEMPLATE_ID:
                return w.header(SnapshotAckDecoder.SCHEMA_VERSION, SnapshotAckDecoder.BLOCK_LENGTH) &&
                    w.depth(SnapshotAckDecoder.depthEncodingOffset()) &&
                    w.nonNegative(w.int64(SnapshotAckDecoder.viewEncodingOffset()), "view") &&
                    w.nonNegative(w.int32(SnapshotAckDecoder.receivedChunksEncodingOffset()), "receivedChunks") &&
                    w.end();
            default:
                return w.unexpected();
        }
    }

    /**
     * A service node's input: a replica's heartbeat (anything else of this schema is unexpected).
     */
    static boolean serviceHeartbeat(final WireCheck w, final int from, final int replicas)
    {
        if (w.templateId() != ServiceHeartbeatDecoder.TEMPLATE_ID)
        {
            return w.unexpected();
        }
        return w.sender(from >= 0 && from < replicas) &&
            w.header(ServiceHeartbeatDecoder.SCHEMA_VERSION, ServiceHeartbeatDecoder.BLOCK_LENGTH) &&
            w.depth(ServiceHeartbeatDecoder.depthEncodingOffset()) &&
            w.nonNegative(w.int64(ServiceHeartbeatDecoder.viewEncodingOffset()), "view") &&
            w.nonNegative(w.int64(ServiceHeartbeatDecoder.syncedViewEncodingOffset()), "syncedView") &&
            w.end();
    }

    private static boolean view(final WireCheck w, final int replicas)
    {
        if (!(w.header(ViewDecoder.SCHEMA_VERSION, ViewDecoder.BLOCK_LENGTH) &&
            w.depth(ViewDecoder.depthEncodingOffset()) &&
            w.atLeast(w.int64(ViewDecoder.viewEncodingOffset()), 1, "view") &&
            w.nodeId(w.int32(ViewDecoder.primaryEncodingOffset()), replicas, "primary")))
        {
            return false;
        }
        final int primary = w.int32(ViewDecoder.primaryEncodingOffset());
        final int blockLength = ViewDecoder.BackupsDecoder.sbeBlockLength();
        final int count = w.group(blockLength, replicas - 1);
        if (count < 0)
        {
            return false;
        }
        long seen = 0; // ids below 64 checked for repeats (as the chain's configuration), without allocating
        for (int i = 0; i < count; i++)
        {
            if (!w.entry(blockLength))
            {
                return false;
            }
            final int id = w.entryInt32(ViewDecoder.BackupsDecoder.nodeIdEncodingOffset());
            if (!w.nodeId(id, replicas, "backups"))
            {
                return false;
            }
            if (id == primary || id < 64 && (seen & (1L << id)) != 0)
            {
                return w.nodeId(-1, replicas, "backups (twice, or the primary)");
            }
            seen |= id < 64 ? 1L << id : 0;
            if (!w.atLeast(w.entryInt64(ViewDecoder.BackupsDecoder.joinedViewEncodingOffset()), 1, "joinedView"))
            {
                return false;
            }
        }
        return w.end();
    }
}
