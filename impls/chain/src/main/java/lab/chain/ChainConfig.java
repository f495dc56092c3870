package lab.chain;

import lab.core.ProtocolSettings;
import lab.core.client.ClientPolicy;
import lab.core.detect.DetectorSettings;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;

/**
 * Options of chain replication, read from protocol options (all printed with results). A replica serves reads only
 * under a lease the configuration manager grants with its heartbeat answers; the manager removes a silent replica
 * only after its lease has run out: the lease is the failure timeout less the drift allowed ({@link lab.control.ServiceLease}).
 */
public final class ChainConfig
{
    /** Who answers a write: the tail (N+1 hops) or the head, once the ack has come back up (2N hops). */
    public enum Ack
    {
        TAIL, HEAD
    }

    /** Who manages the chain: one unreplicated manager, or managers on a Raft-replicated configuration service. */
    public enum Manager
    {
        SINGLE, RAFT
    }

    /** Where reads go: the tail only, or any node with CRAQ's clean/dirty versions. */
    public enum Reads
    {
        TAIL, CRAQ
    }

    final Ack ack;
    final Reads reads;
    final long heartbeatIntervalNs;
    final long failureTimeoutNs;
    /** The lease's length on the replica's clock: {@code failureTimeoutNs - leaseDriftNs}. */
    final long leaseNs;
    final long leaseDriftNs;
    final long retransmitNs;
    /**
     * How the manager suspects a member. Its removal also waits out {@code failureTimeoutNs}, the floor the read
     * lease rests on: a detector may suspect later than the failure timeout (phi under jitter), never remove earlier.
     */
    final DetectorSettings detector;
    final long snapshotRetryNs;
    final int pendingCapacity;
    final ClientPolicy client;
    /** {@code hedge}: CRAQ reads not answered by then go to one more node ({@link Hedging}); tail reads cannot. */
    final String hedge;
    /** {@code tied}: CRAQ reads go to two nodes at once, each told of the other ({@link TiedReads}). */
    final boolean tied;
    final Manager manager;
    /** Control nodes: the single manager, or {@code chain-managers} replicated ones (node ids from replicas). */
    final int managers;
    /** Replicas, the managers and the clients: node ids are below this. */
    final int nodeCount;

    ChainConfig(final ProtocolSettings s)
    {
        ack = "head".equals(s.choice("chain-ack", "tail", "tail", "head")) ? Ack.HEAD : Ack.TAIL;
        reads = "craq".equals(s.choice("reads", "tail", "tail", "craq")) ? Reads.CRAQ : Reads.TAIL;
        heartbeatIntervalNs = s.durationNsOption("chain-heartbeat", "10ms");
        failureTimeoutNs = s.durationNsOption("chain-failure-timeout", "150ms");
        leaseDriftNs = s.durationNsOption("chain-lease-drift", "30ms");
        leaseNs = failureTimeoutNs - leaseDriftNs;
        detector = DetectorSettings.from(s, s.option("chain-failure-timeout", "150ms"), heartbeatIntervalNs)
            .usableBy("chain");
        retransmitNs = s.durationNsOption("chain-retransmit", "5ms");
        snapshotRetryNs = s.durationNsOption("chain-snapshot-retry", "100ms");
        pendingCapacity = s.intOption("chain-pending-capacity", 8192);
        client = ClientPolicy.from(s);
        hedge = s.option(ClientPolicy.HEDGE, "off");
        if (Hedging.parse(hedge).enabled() && reads != Reads.CRAQ)
        {
            throw new IllegalArgumentException("hedge needs --reads craq: with tail reads only the tail can answer " +
                "a read, so there is no other node to hedge to");
        }
        tied = TiedReads.from(s).enabled();
        if (tied && reads != Reads.CRAQ)
        {
            throw new IllegalArgumentException("tied needs --reads craq: with tail reads only the tail can answer " +
                "a read, so there is no other node to tie a read to");
        }
        manager =
            "raft".equals(s.choice("chain-manager", "raft", "single", "raft")) ? Manager.RAFT : Manager.SINGLE;
        if (manager == Manager.SINGLE && s.hasOption("chain-managers"))
        {
            throw new IllegalArgumentException("chain-managers needs chain-manager=raft (a single manager is one node)");
        }
        managers = manager == Manager.RAFT ? s.intOption("chain-managers", 3) : 1;
        if (managers < 1)
        {
            throw new IllegalArgumentException("chain-managers must be >= 1, got " + managers);
        }
        if (managers > 9)
        {
            throw new IllegalArgumentException("chain-managers must be at most 9, got " + managers);
        }
        nodeCount = s.replicas() + managers + s.clients();
        if (leaseNs <= 0)
        {
            throw new IllegalArgumentException("chain-lease-drift must be smaller than chain-failure-timeout");
        }
        if (heartbeatIntervalNs <= 0 || heartbeatIntervalNs * 3 > leaseNs)
        {
            throw new IllegalArgumentException(
                "chain-heartbeat must be > 0 and at most a third of the lease (failure timeout - lease drift)");
        }
        if (Integer.bitCount(pendingCapacity) != 1)
        {
            throw new IllegalArgumentException(
                "chain-pending-capacity must be a power of two, got " + pendingCapacity);
        }
        if (s.replicas() > 64)
        {
            throw new IllegalArgumentException("chain supports at most 64 replicas, got " + s.replicas());
        }
    }

    public Ack ack()
    {
        return ack;
    }

    public Reads reads()
    {
        return reads;
    }

    public Manager manager()
    {
        return manager;
    }

    /**
     * @return the control nodes' count: they are nodes {@code replicas .. replicas + managers - 1}.
     */
    public int managers()
    {
        return managers;
    }
}
