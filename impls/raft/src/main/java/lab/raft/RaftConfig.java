package lab.raft;

import java.util.Locale;

import lab.core.ProtocolSettings;
import lab.core.client.ClientPolicy;
import lab.core.detect.DetectorSettings;

/**
 * Raft's options, read from protocol settings (every one is printed with results, defaults included).
 *
 * <p>The read lease rests on a promise every replica keeps: having heard from a leader at time t, it neither votes
 * nor pre-votes for anyone else before {@code t + electionMin}. A leader that a majority acknowledged at its own
 * time s may therefore serve reads until {@code s + electionMin - leaseDrift}, where {@code raft-lease-drift} bounds
 * how far clocks may drift apart over one election timeout.
 */
public final class RaftConfig
{
    enum Reads
    {
        LEASE, READ_INDEX
    }

    enum LogKind
    {
        MEMORY, FILE
    }

    final Reads reads;
    final int batch;
    final int pipeline;
    final long heartbeatNs;
    final long electionMinNs;
    final long leaseNs;
    final long retransmitNs;
    final int snapshotEntries;
    final int logCapacity;
    final boolean preVote;
    final boolean checkQuorum;
    final LogKind logKind;
    final FileStorage.Fsync fsync;
    final String dir;
    final ClientPolicy client;
    /**
     * {@code failure-detector=timeout} (the default) is Raft's randomized election timer; {@code phi} lets a follower
     * stand once it has suspected its leader for a random jitter in {@code [0, electionMin)}. Voters keep the
     * promise of {@code raft-election-timeout} after hearing a leader either way (ElectionRules.leaderLive).
     */
    final DetectorSettings detector;

    /** Replicas and clients: node ids are below this. */
    final int nodeCount;

    RaftConfig(final ProtocolSettings s)
    {
        nodeCount = s.replicas() + s.clients();
        reads = "lease".equals(s.choice("raft-reads", "lease", "lease", "read-index")) ? Reads.LEASE : Reads.READ_INDEX;
        batch = s.intOption("batch", 64);
        pipeline = s.intOption("raft-pipeline", 8);
        heartbeatNs = s.durationNsOption("raft-heartbeat", "5ms");
        electionMinNs = s.durationNsOption("raft-election-timeout", "150ms");
        final long driftNs = s.durationNsOption("raft-lease-drift", "20ms");
        leaseNs = electionMinNs - driftNs;
        retransmitNs = s.durationNsOption("raft-retransmit", "20ms");
        snapshotEntries = s.intOption("raft-snapshot-entries", 32768);
        preVote = Boolean.parseBoolean(s.choice("raft-pre-vote", "true", "true", "false"));
        checkQuorum = Boolean.parseBoolean(s.choice("raft-check-quorum", "true", "true", "false"));
        // --fsync only means something for a file: asking for it turns the durable log on.
        final String defaultLog = s.hasOption("fsync") ? "file" : "memory";
        logKind = "file".equals(s.choice("raft-log", defaultLog, "memory", "file")) ? LogKind.FILE : LogKind.MEMORY;
        fsync = FileStorage.Fsync.valueOf(
            s.choice("fsync", "none", "none", "batch", "always").toUpperCase(Locale.ROOT));
        dir = s.option("raft-dir", "");
        client = ClientPolicy.from(s);
        detector = DetectorSettings.from(s, null, heartbeatNs).usableBy("raft");

        if (batch < 1 || batch > 4096)
        {
            throw new IllegalArgumentException("--batch must be in [1, 4096], got " + batch);
        }
        if (pipeline < 1 || pipeline > 1024)
        {
            throw new IllegalArgumentException("raft-pipeline must be in [1, 1024], got " + pipeline);
        }
        if (heartbeatNs <= 0 || heartbeatNs * 3 > electionMinNs)
        {
            throw new IllegalArgumentException("raft-heartbeat must be > 0 and at most a third of raft-election-timeout");
        }
        if (leaseNs <= 0)
        {
            throw new IllegalArgumentException("raft-lease-drift must be smaller than raft-election-timeout");
        }
        if (snapshotEntries < 16)
        {
            throw new IllegalArgumentException("raft-snapshot-entries must be >= 16, got " + snapshotEntries);
        }
        if (logKind == LogKind.MEMORY && fsync != FileStorage.Fsync.NONE)
        {
            throw new IllegalArgumentException("--fsync " + fsync.name().toLowerCase(Locale.ROOT) +
                " needs the durable log (raft-log=file)");
        }
        // Room for a full snapshot interval of applied entries plus as many not yet committed.
        logCapacity = Integer.highestOneBit(snapshotEntries) << 2;
    }
}
