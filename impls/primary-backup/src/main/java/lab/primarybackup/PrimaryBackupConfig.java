package lab.primarybackup;

import lab.core.ProtocolSettings;
import lab.core.client.ClientPolicy;
import lab.core.detect.DetectorSettings;

/**
 * Timing of primary-backup, read from protocol options (all printed with results). The read lease must end before
 * any backup may vote a new primary in: {@code leaseNs + leaseDriftNs <= primaryTimeoutNs}.
 */
public final class PrimaryBackupConfig
{
    /**
     * Who decides views ({@code pb-views}): a majority vote of the replicas ({@link ViewElection}), or a
     * configuration service replicated with Raft on control nodes ({@link ViewService}).
     */
    public enum Views
    {
        MAJORITY, CONFIG_SERVICE
    }

    /** The option naming the configuration service's node count (pb-views=config-service only). */
    static final String CONFIG_NODES = "pb-config-nodes";

    final long heartbeatIntervalNs;
    final long backupTimeoutNs;
    final long primaryTimeoutNs;
    final long leaseNs;
    /** How far clocks may drift apart over a lease: the lease ends this much before a backup may vote. */
    final long leaseDriftNs;
    final long retransmitNs;
    final long snapshotRetryNs;
    final int pendingCapacity;
    final ClientPolicy client;
    /**
     * How a backup suspects its primary and the primary its backups ({@code failure-detector}); a fixed timeout is
     * {@code pb-primary-timeout} and {@code pb-backup-timeout}. Voters still refuse a new primary until
     * {@code pb-primary-timeout} after hearing from theirs (the promise the read lease rests on), whatever the
     * detector: an earlier suspicion only stands a backup sooner.
     */
    final DetectorSettings detector;
    /**
     * {@code pb-reads=backup}: a weak mode kept to measure why clients should not read from a backup. A backup answers
     * reads from what it has applied, which lags the primary and may hold an entry the primary never committed.
     */
    final boolean backupReads;
    final Views views;
    /** The configuration service's control nodes (node ids from replicas); 0 with majority views. */
    final int configNodes;

    PrimaryBackupConfig(final ProtocolSettings s)
    {
        heartbeatIntervalNs = s.durationNsOption("pb-heartbeat", "5ms");
        backupTimeoutNs = s.durationNsOption("pb-backup-timeout", "100ms");
        primaryTimeoutNs = s.durationNsOption("pb-primary-timeout", "150ms");
        leaseDriftNs = s.durationNsOption("pb-lease-drift", "20ms");
        leaseNs = primaryTimeoutNs - leaseDriftNs;
        retransmitNs = s.durationNsOption("pb-retransmit", "20ms");
        snapshotRetryNs = s.durationNsOption("pb-snapshot-retry", "100ms");
        pendingCapacity = s.intOption("pb-pending-capacity", 8192);
        client = ClientPolicy.from(s);
        detector = DetectorSettings.from(s, null, heartbeatIntervalNs).usableBy("primary-backup");
        backupReads = "backup".equals(s.choice("pb-reads", "primary", "primary", "backup"));
        views = "config-service".equals(s.choice("pb-views", "majority", "majority", "config-service")) ?
            Views.CONFIG_SERVICE : Views.MAJORITY;
        if (views == Views.MAJORITY && s.hasOption(CONFIG_NODES))
        {
            throw new IllegalArgumentException(CONFIG_NODES + " needs pb-views=config-service (majority views have " +
                "no configuration service)");
        }
        configNodes = views == Views.CONFIG_SERVICE ? s.intOption(CONFIG_NODES, 3) : 0;
        if (views == Views.CONFIG_SERVICE && configNodes < 1)
        {
            throw new IllegalArgumentException(CONFIG_NODES + " must be >= 1, got " + configNodes);
        }
        if (configNodes > 9)
        {
            throw new IllegalArgumentException(CONFIG_NODES + " must be at most 9, got " + configNodes);
        }
        if (leaseNs <= 0)
        {
            throw new IllegalArgumentException("pb-lease-drift must be smaller than pb-primary-timeout");
        }
        if (heartbeatIntervalNs <= 0 || heartbeatIntervalNs * 2 > backupTimeoutNs)
        {
            throw new IllegalArgumentException("pb-heartbeat must be > 0 and at most half of pb-backup-timeout");
        }
        if (Integer.bitCount(pendingCapacity) != 1)
        {
            throw new IllegalArgumentException("pb-pending-capacity must be a power of two, got " + pendingCapacity);
        }
    }
}
