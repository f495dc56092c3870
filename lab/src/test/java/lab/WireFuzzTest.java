package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lab.core.ClientSessions;
import lab.core.WireCheck;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.ClientResponseDecoder;
import lab.harness.sim.WireFuzzer;
import lab.harness.sim.WireFuzzer.FieldRule;
import lab.harness.sim.WireFuzzer.Report;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: every node of every protocol treats the network as untrusted. {@link WireFuzzer} feeds each replica,
 * control node and client random bytes, truncated and header-corrupted frames, frames with one field out of range
 * (the rules below, one per field a decoder must not trust) and replays of real messages, interleaved with a normal
 * workload; then, in a run of its own, real messages with random bytes changed. No exception may escape, every
 * malformed input is counted once, and strong modes stay linearizable. {@code -Dwire.fuzz.inputs=N} sets the inputs
 * per protocol (default 1,000,000; mutation runs get a fifth of it).
 */
class WireFuzzTest
{
    private static final long INPUTS = Long.getLong("wire.fuzz.inputs", 1_000_000);
    private static final int PER_MS = 500;
    private static final int REPLICAS = 3;
    private static final long MIN = Long.MIN_VALUE;
    private static final long IMIN = Integer.MIN_VALUE;
    /** A session whose node is no client (and no node at all). */
    private static final long FOREIGN_SESSION = ClientSessions.sessionId(999, 0);

    /** Protocol configurations by name, with the seed each runs with (seeds of regressions found stay here). */
    private static final Map<String, Map<String, String>> CONFIGS = Map.of(
        "primary-backup", Map.of(),
        "chain", Map.of(),
        "chain-craq", Map.of("reads", "craq"),
        "raft", Map.of(),
        "quorum-dynamo", Map.of(),
        "quorum-abd", Map.of("quorum-mode", "abd", "coordinator", "replica"),
        "echo", Map.of(),
        "none", Map.of());

    @ParameterizedTest
    @ValueSource(strings = {"primary-backup", "chain", "chain-craq", "raft", "quorum-dynamo", "quorum-abd", "echo",
        "none"})
    void malformedInputIsDroppedAndCounted(final String config)
    {
        final Report report = fuzzer(config).run(15, INPUTS, PER_MS);
        System.out.println("[wire-fuzz] " + report.summary());
        assertTrue(report.problems().isEmpty(), () -> String.join("\n", report.problems()));
        assertEquals(report.mustReject(), report.rejected());
        assertEquals(report.rejected(), report.malformedCounted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"primary-backup", "chain", "chain-craq", "raft", "quorum-dynamo", "quorum-abd", "echo",
        "none"})
    void mutatedMessagesNeverThrow(final String config)
    {
        final Report report = fuzzer(config).mutations(true).run(16, INPUTS / 5, PER_MS);
        System.out.println("[wire-fuzz] " + report.summary());
        assertTrue(report.problems().isEmpty(), () -> String.join("\n", report.problems()));
        assertEquals(report.mutantsRejected() + report.derivedRejected(), report.malformedCounted());
    }

    private static WireFuzzer fuzzer(final String config)
    {
        final String protocol = config.startsWith("chain") ? "chain" : config.startsWith("quorum") ? "quorum" : config;
        final List<FieldRule> rules = new ArrayList<>(clientRules());
        switch (protocol)
        {
            case "primary-backup" -> rules.addAll(primaryBackupRules());
            case "chain" -> rules.addAll(chainRules());
            case "raft" -> rules.addAll(raftRules());
            case "quorum" -> rules.addAll(quorumRules());
            default ->
            {
            }
        }
        // "none" keeps no client sessions (it is the cost floor of a store): a replayed PUT is applied again, which
        // a reader sees as a stale value. The network model does not replay old messages, so neither does its fuzz.
        return new WireFuzzer(protocol, REPLICAS, CONFIGS.get(config), rules).replays(!"none".equals(config));
    }

    private static FieldRule f(final int schema, final int template, final String name, final int blockOffset,
        final int width, final long... bad)
    {
        return new FieldRule(schema, template, name, WireCheck.HEADER_LENGTH + blockOffset, width, bad);
    }

    /** The length of the var data field right after the block: any other value leaves the message's end. */
    private static FieldRule varLength(final int schema, final int template, final int blockLength)
    {
        return new FieldRule(schema, template, "var length", WireCheck.HEADER_LENGTH + blockLength, 4);
    }

    static List<FieldRule> clientRules()
    {
        final int s = ClientRequestDecoder.SCHEMA_ID;
        final int req = ClientRequestDecoder.TEMPLATE_ID;
        final int resp = ClientResponseDecoder.TEMPLATE_ID;
        return List.of(
            f(s, req, "depth", ClientRequestDecoder.depthEncodingOffset(), 4, -1, IMIN,
                WireCheck.MAX_REQUEST_DEPTH + 1L),
            f(s, req, "clientId", ClientRequestDecoder.clientIdEncodingOffset(), 8, 0, -1, FOREIGN_SESSION),
            f(s, req, "opType", ClientRequestDecoder.opTypeEncodingOffset(), 1, 2, 7, 255),
            varLength(s, req, ClientRequestDecoder.BLOCK_LENGTH),
            f(s, resp, "depth", ClientResponseDecoder.depthEncodingOffset(), 4, -1, IMIN),
            f(s, resp, "status", ClientResponseDecoder.statusEncodingOffset(), 1, 4, 9, 255),
            f(s, resp, "leaderHint", ClientResponseDecoder.leaderHintEncodingOffset(), 4, -2, IMIN),
            varLength(s, resp, ClientResponseDecoder.BLOCK_LENGTH));
    }

    static List<FieldRule> primaryBackupRules()
    {
        final int s = lab.primarybackup.codec.MessageHeaderDecoder.SCHEMA_ID;
        final int replicate = lab.primarybackup.codec.ReplicateDecoder.TEMPLATE_ID;
        final int ack = lab.primarybackup.codec.AckDecoder.TEMPLATE_ID;
        final int heartbeat = lab.primarybackup.codec.HeartbeatDecoder.TEMPLATE_ID;
        final int voteRequest = lab.primarybackup.codec.VoteRequestDecoder.TEMPLATE_ID;
        final int vote = lab.primarybackup.codec.VoteDecoder.TEMPLATE_ID;
        final int chunk = lab.primarybackup.codec.SnapshotChunkDecoder.TEMPLATE_ID;
        final int snapshotAck = lab.primarybackup.codec.SnapshotAckDecoder.TEMPLATE_ID;
        return List.of(
            f(s, replicate, "depth", lab.primarybackup.codec.ReplicateDecoder.depthEncodingOffset(), 4, -1),
            f(s, replicate, "view", lab.primarybackup.codec.ReplicateDecoder.viewEncodingOffset(), 8, -1, IMIN),
            f(s, replicate, "index", lab.primarybackup.codec.ReplicateDecoder.indexEncodingOffset(), 8, 0, -1, IMIN),
            f(s, replicate, "commitIndex", lab.primarybackup.codec.ReplicateDecoder.commitIndexEncodingOffset(), 8,
                -1),
            varLength(s, replicate, lab.primarybackup.codec.ReplicateDecoder.BLOCK_LENGTH),
            f(s, ack, "view", lab.primarybackup.codec.AckDecoder.viewEncodingOffset(), 8, -1),
            f(s, ack, "lastIndex", lab.primarybackup.codec.AckDecoder.lastIndexEncodingOffset(), 8, -1, IMIN),
            f(s, ack, "needSnapshot", lab.primarybackup.codec.AckDecoder.needSnapshotEncodingOffset(), 1, 2, 255),
            f(s, heartbeat, "view", lab.primarybackup.codec.HeartbeatDecoder.viewEncodingOffset(), 8, -1),
            f(s, heartbeat, "commitIndex", lab.primarybackup.codec.HeartbeatDecoder.commitIndexEncodingOffset(), 8,
                -1),
            f(s, voteRequest, "candidate", lab.primarybackup.codec.VoteRequestDecoder.candidateEncodingOffset(), 4,
                -1, REPLICAS, 1000, IMIN),
            f(s, voteRequest, "lastIndex", lab.primarybackup.codec.VoteRequestDecoder.lastIndexEncodingOffset(), 8,
                -1),
            f(s, voteRequest, "preVote", lab.primarybackup.codec.VoteRequestDecoder.preVoteEncodingOffset(), 1, 2),
            f(s, vote, "granted", lab.primarybackup.codec.VoteDecoder.grantedEncodingOffset(), 1, 2, 255),
            f(s, vote, "view", lab.primarybackup.codec.VoteDecoder.viewEncodingOffset(), 8, -1),
            f(s, chunk, "chunkOffset", lab.primarybackup.codec.SnapshotChunkDecoder.chunkOffsetEncodingOffset(), 4,
                -1, 1, IMIN),
            f(s, chunk, "totalLength", lab.primarybackup.codec.SnapshotChunkDecoder.totalLengthEncodingOffset(), 4,
                -1, WireCheck.MAX_STATE_BYTES + 1L),
            varLength(s, chunk, lab.primarybackup.codec.SnapshotChunkDecoder.BLOCK_LENGTH),
            f(s, snapshotAck, "view", lab.primarybackup.codec.SnapshotAckDecoder.viewEncodingOffset(), 8, -1),
            f(s, snapshotAck, "receivedChunks",
                lab.primarybackup.codec.SnapshotAckDecoder.receivedChunksEncodingOffset(), 4, -1, IMIN));
    }

    static List<FieldRule> raftRules()
    {
        final int s = lab.raft.codec.MessageHeaderDecoder.SCHEMA_ID;
        final int append = lab.raft.codec.AppendEntriesDecoder.TEMPLATE_ID;
        final int response = lab.raft.codec.AppendResponseDecoder.TEMPLATE_ID;
        final int requestVote = lab.raft.codec.RequestVoteDecoder.TEMPLATE_ID;
        final int vote = lab.raft.codec.VoteDecoder.TEMPLATE_ID;
        final int snapshot = lab.raft.codec.InstallSnapshotDecoder.TEMPLATE_ID;
        final int snapshotResponse = lab.raft.codec.InstallSnapshotResponseDecoder.TEMPLATE_ID;
        final int block = lab.raft.codec.AppendEntriesDecoder.BLOCK_LENGTH;
        final int entry = block + WireCheck.GROUP_HEADER_LENGTH;
        return List.of(
            f(s, append, "term", lab.raft.codec.AppendEntriesDecoder.termEncodingOffset(), 8, -1, IMIN),
            f(s, append, "prevLogIndex", lab.raft.codec.AppendEntriesDecoder.prevLogIndexEncodingOffset(), 8, -1),
            f(s, append, "prevLogTerm", lab.raft.codec.AppendEntriesDecoder.prevLogTermEncodingOffset(), 8, -2, IMIN),
            f(s, append, "leaderCommit", lab.raft.codec.AppendEntriesDecoder.leaderCommitEncodingOffset(), 8, -1),
            new FieldRule(s, append, "entries block length", WireCheck.HEADER_LENGTH + block, 2),
            new FieldRule(s, append, "entries count", WireCheck.HEADER_LENGTH + block + 2, 2),
            f(s, append, "entryTerm", entry +
                lab.raft.codec.AppendEntriesDecoder.EntriesDecoder.entryTermEncodingOffset(), 8, -1, Long.MAX_VALUE),
            f(s, append, "entryClientId", entry +
                lab.raft.codec.AppendEntriesDecoder.EntriesDecoder.entryClientIdEncodingOffset(), 8, -1, 1,
                FOREIGN_SESSION),
            f(s, response, "term", lab.raft.codec.AppendResponseDecoder.termEncodingOffset(), 8, -1),
            f(s, response, "success", lab.raft.codec.AppendResponseDecoder.successEncodingOffset(), 1, 2, 255),
            f(s, response, "matchIndex", lab.raft.codec.AppendResponseDecoder.matchIndexEncodingOffset(), 8, -1),
            f(s, response, "conflictTerm", lab.raft.codec.AppendResponseDecoder.conflictTermEncodingOffset(), 8, -2),
            f(s, requestVote, "term", lab.raft.codec.RequestVoteDecoder.termEncodingOffset(), 8, -1),
            f(s, requestVote, "lastLogTerm", lab.raft.codec.RequestVoteDecoder.lastLogTermEncodingOffset(), 8, -1),
            f(s, requestVote, "preVote", lab.raft.codec.RequestVoteDecoder.preVoteEncodingOffset(), 1, 2),
            f(s, vote, "granted", lab.raft.codec.VoteDecoder.grantedEncodingOffset(), 1, 2),
            f(s, vote, "term", lab.raft.codec.VoteDecoder.termEncodingOffset(), 8, -1),
            f(s, snapshot, "chunkOffset", lab.raft.codec.InstallSnapshotDecoder.chunkOffsetEncodingOffset(), 4, -1, 1,
                IMIN),
            f(s, snapshot, "totalLength", lab.raft.codec.InstallSnapshotDecoder.totalLengthEncodingOffset(), 4, -1),
            f(s, snapshot, "lastIncludedIndex",
                lab.raft.codec.InstallSnapshotDecoder.lastIncludedIndexEncodingOffset(), 8, -1),
            f(s, snapshot, "transferId", lab.raft.codec.InstallSnapshotDecoder.transferIdEncodingOffset(), 8, -1),
            varLength(s, snapshot, lab.raft.codec.InstallSnapshotDecoder.BLOCK_LENGTH),
            f(s, snapshotResponse, "term", lab.raft.codec.InstallSnapshotResponseDecoder.termEncodingOffset(), 8, -1),
            f(s, snapshotResponse, "transferId",
                lab.raft.codec.InstallSnapshotResponseDecoder.transferIdEncodingOffset(), 8, -1),
            f(s, snapshotResponse, "receivedChunks",
                lab.raft.codec.InstallSnapshotResponseDecoder.receivedChunksEncodingOffset(), 4, -1, IMIN));
    }

    static List<FieldRule> chainRules()
    {
        final int s = lab.chain.codec.MessageHeaderDecoder.SCHEMA_ID;
        final int forward = lab.chain.codec.ForwardDecoder.TEMPLATE_ID;
        final int ack = lab.chain.codec.AckDecoder.TEMPLATE_ID;
        final int hello = lab.chain.codec.HelloDecoder.TEMPLATE_ID;
        final int linked = lab.chain.codec.LinkedDecoder.TEMPLATE_ID;
        final int query = lab.chain.codec.VersionQueryDecoder.TEMPLATE_ID;
        final int reply = lab.chain.codec.VersionReplyDecoder.TEMPLATE_ID;
        final int chunk = lab.chain.codec.SnapshotChunkDecoder.TEMPLATE_ID;
        final int snapshotAck = lab.chain.codec.SnapshotAckDecoder.TEMPLATE_ID;
        final int heartbeat = lab.chain.codec.HeartbeatDecoder.TEMPLATE_ID;
        final int config = lab.chain.codec.ConfigDecoder.TEMPLATE_ID;
        final int configBlock = lab.chain.codec.ConfigDecoder.BLOCK_LENGTH;
        return List.of(
            f(s, forward, "epoch", lab.chain.codec.ForwardDecoder.epochEncodingOffset(), 8, -1),
            f(s, forward, "chainSeq", lab.chain.codec.ForwardDecoder.chainSeqEncodingOffset(), 8, 0, -1),
            f(s, forward, "clientId", lab.chain.codec.ForwardDecoder.clientIdEncodingOffset(), 8, 0, -1,
                FOREIGN_SESSION),
            varLength(s, forward, lab.chain.codec.ForwardDecoder.BLOCK_LENGTH),
            f(s, ack, "commitSeq", lab.chain.codec.AckDecoder.commitSeqEncodingOffset(), 8, -1),
            f(s, ack, "receivedSeq", lab.chain.codec.AckDecoder.receivedSeqEncodingOffset(), 8, -1),
            f(s, hello, "needSnapshot", lab.chain.codec.HelloDecoder.needSnapshotEncodingOffset(), 1, 2, 255),
            f(s, hello, "receivedSeq", lab.chain.codec.HelloDecoder.receivedSeqEncodingOffset(), 8, -1),
            f(s, linked, "lastSeq", lab.chain.codec.LinkedDecoder.lastSeqEncodingOffset(), 8, -1),
            f(s, query, "clientId", lab.chain.codec.VersionQueryDecoder.clientIdEncodingOffset(), 8, 0,
                FOREIGN_SESSION),
            f(s, reply, "clientId", lab.chain.codec.VersionReplyDecoder.clientIdEncodingOffset(), 8, 0, -1,
                FOREIGN_SESSION),
            f(s, reply, "version", lab.chain.codec.VersionReplyDecoder.versionEncodingOffset(), 8, -1),
            f(s, chunk, "chunkOffset", lab.chain.codec.SnapshotChunkDecoder.chunkOffsetEncodingOffset(), 4, -1, 1,
                IMIN),
            f(s, chunk, "totalLength", lab.chain.codec.SnapshotChunkDecoder.totalLengthEncodingOffset(), 4, -1,
                WireCheck.MAX_STATE_BYTES + 1L),
            varLength(s, chunk, lab.chain.codec.SnapshotChunkDecoder.BLOCK_LENGTH),
            f(s, snapshotAck, "receivedChunks", lab.chain.codec.SnapshotAckDecoder.receivedChunksEncodingOffset(), 4,
                -1, IMIN),
            f(s, heartbeat, "synced", lab.chain.codec.HeartbeatDecoder.syncedEncodingOffset(), 1, 2, 255),
            f(s, heartbeat, "lastSeq", lab.chain.codec.HeartbeatDecoder.lastSeqEncodingOffset(), 8, -1),
            f(s, heartbeat, "epoch", lab.chain.codec.HeartbeatDecoder.epochEncodingOffset(), 8, -1),
            f(s, config, "joiner", lab.chain.codec.ConfigDecoder.joinerEncodingOffset(), 4, -2, REPLICAS, 1000),
            f(s, config, "epoch", lab.chain.codec.ConfigDecoder.epochEncodingOffset(), 8, -1),
            new FieldRule(s, config, "members count", WireCheck.HEADER_LENGTH + configBlock + 2, 2),
            f(s, config, "members nodeId", configBlock + WireCheck.GROUP_HEADER_LENGTH, 4, -1, REPLICAS, 1000,
                IMIN));
    }

    static List<FieldRule> quorumRules()
    {
        final int s = lab.quorum.codec.MessageHeaderDecoder.SCHEMA_ID;
        final int read = lab.quorum.codec.ReadDecoder.TEMPLATE_ID;
        final int readReply = lab.quorum.codec.ReadReplyDecoder.TEMPLATE_ID;
        final int write = lab.quorum.codec.WriteDecoder.TEMPLATE_ID;
        final int writeAck = lab.quorum.codec.WriteAckDecoder.TEMPLATE_ID;
        final int syncRequest = lab.quorum.codec.SyncRequestDecoder.TEMPLATE_ID;
        final int syncChunk = lab.quorum.codec.SyncChunkDecoder.TEMPLATE_ID;
        final int syncAck = lab.quorum.codec.SyncAckDecoder.TEMPLATE_ID;
        return List.of(
            f(s, read, "depth", lab.quorum.codec.ReadDecoder.depthEncodingOffset(), 4, -1),
            f(s, readReply, "ts", lab.quorum.codec.ReadReplyDecoder.tsEncodingOffset(), 8, -1, IMIN),
            varLength(s, readReply, lab.quorum.codec.ReadReplyDecoder.BLOCK_LENGTH),
            f(s, write, "ts", lab.quorum.codec.WriteDecoder.tsEncodingOffset(), 8, -1),
            f(s, write, "hintFor", lab.quorum.codec.WriteDecoder.hintForEncodingOffset(), 4, -2, REPLICAS, 1000,
                IMIN),
            f(s, write, "ackWanted", lab.quorum.codec.WriteDecoder.ackWantedEncodingOffset(), 1, 2, 255),
            varLength(s, write, lab.quorum.codec.WriteDecoder.BLOCK_LENGTH),
            f(s, writeAck, "ts", lab.quorum.codec.WriteAckDecoder.tsEncodingOffset(), 8, -1),
            f(s, syncRequest, "term", lab.quorum.codec.SyncRequestDecoder.termEncodingOffset(), 8, -1),
            f(s, syncChunk, "term", lab.quorum.codec.SyncChunkDecoder.termEncodingOffset(), 8, -1),
            f(s, syncChunk, "chunkOffset", lab.quorum.codec.SyncChunkDecoder.chunkOffsetEncodingOffset(), 4, -1, 1),
            f(s, syncChunk, "totalLength", lab.quorum.codec.SyncChunkDecoder.totalLengthEncodingOffset(), 4, -1),
            f(s, syncAck, "receivedChunks", lab.quorum.codec.SyncAckDecoder.receivedChunksEncodingOffset(), 4, -1),
            varLength(s, syncChunk, lab.quorum.codec.SyncChunkDecoder.BLOCK_LENGTH));
    }
}
