package lab.quorum;

import lab.core.ProtocolSettings;
import lab.core.client.ClientPolicy;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;
import lab.core.detect.DetectorSettings;

/**
 * Settings of the quorum store, read from protocol options (all printed with results).
 *
 * <ul>
 *   <li>{@code quorum-mode}: {@code dynamo} (R/W/N, last writer wins, read repair) or {@code abd} (linearizable
 *   multi-writer register of Attiya, Bar-Noy and Dolev).</li>
 *   <li>{@code n}: replicas per key (Dynamo's N), default all replicas; a key's home replicas are the n consecutive
 *   replicas from {@code key mod replicas} on the ring, the rest are spares for a sloppy quorum.</li>
 *   <li>{@code r}, {@code w}: read and write quorums, default a majority of n.</li>
 *   <li>{@code coordinator}: {@code client} (the client fans out: 2 hops a phase) or {@code replica} (the key's first
 *   home replica does, the client talks to it).</li>
 *   <li>{@code read-repair}: {@code async} (push the newest version to stale replicas after answering), {@code sync}
 *   (wait for the repair before answering) or {@code off}.</li>
 *   <li>{@code sloppy-quorum}: when a home replica is slow, a spare holds the write with a hint and hands it off.</li>
 *   <li>{@code client-retry}: a replica-coordinator client resends an unanswered operation after this long;
 *   {@code client-suspect}: and starts new operations at another home replica for this long (the options and
 *   defaults every protocol's client shares: {@link ClientPolicy}).</li>
 *   <li>{@code quorum-storage}: {@code durable} (default: what a replica stored survives its crash, kept in memory as
 *   the model of its disk), {@code file} (journaled on the node's disk and synced before the replica answers, in
 *   {@code quorum-dir} or a temporary folder; under torture the simulator's disk, with its power cuts) or
 *   {@code volatile} (a restart is amnesia: the replica copies its peers' state before it serves).</li>
 *   <li>{@code hedge} ({@code off}, a delay, or {@code p<percentile>} of recent reads: {@link Hedging}): with the
 *   client as coordinator, a read phase (a Dynamo GET, ABD's query phase) asks only the first r home replicas, and
 *   after the hedge delay one more, instead of all n at once; it needs r < n. With a replica coordinator, the client
 *   sends a GET not answered by then to the key's next home replica too.</li>
 *   <li>{@code tied} ({@code false}; {@link TiedReads}): a read phase, run by a client or a replica coordinator, asks
 *   the first r home replicas and ties the last of them to a spare home (see {@link Coordinator}); it needs r < n,
 *   and no {@code hedge} with it.</li>
 *   <li>{@code clock}: how a Dynamo coordinator stamps a write. {@code lamport}: one past the highest Lamport clock
 *   it has seen; two coordinators that have not heard of each other's writes order them arbitrarily, so a write can
 *   lose to one acknowledged before it began (the lab shows this with several clients). {@code hybrid} (default): the
 *   same Lamport clock, but never behind the coordinator's clock in microseconds (a hybrid logical clock), so writes
 *   are ordered in real time when the nodes' {@code nowNs} agree: in the simulator and within one host.</li>
 * </ul>
 */
public final class QuorumConfig
{
    enum Mode
    {
        DYNAMO, ABD
    }

    enum ReadRepair
    {
        OFF, ASYNC, SYNC
    }

    /** Node ids travel in the low 16 bits of a timestamp. */
    static final int MAX_NODES = 1 << 16;
    /** Responders of a phase are a bit set in a long. */
    static final int MAX_REPLICAS = 64;

    final Mode mode;
    final int replicas;
    /** Replicas and clients: node ids are below this. */
    final int nodeCount;
    final int n;
    final int r;
    final int w;
    final boolean replicaCoordinator;
    final ReadRepair readRepair;
    final boolean sloppy;
    /** Acknowledged writes survive a restart (as on a disk written before the ack); volatile: a restart is amnesia. */
    final boolean durable;
    /** quorum-storage=file: the durable state is journaled on the node's {@code lab.core.storage.Disk}. */
    final boolean onDisk;
    /** quorum-dir: the folder of the journals, "" for a temporary one. */
    final String dir;
    final boolean hybridClock;
    final long retryNs;
    final long hintAfterNs;
    final long handoffIntervalNs;
    final long syncRetryNs;
    /** The shared client options ({@code client-retry}, {@code client-backoff}, {@code client-suspect}, ...). */
    final ClientPolicy client;
    /** {@code hedge}: parsed by each client into its own {@link Hedging} (which holds that client's recent reads). */
    final String hedge;
    /** {@code tied}: a read phase asks r home replicas, one of them tied to a spare home ({@link TiedReads}). */
    final boolean tied;

    public QuorumConfig(final ProtocolSettings s)
    {
        replicas = s.replicas();
        nodeCount = s.replicas() + s.clients();
        mode = Mode.valueOf(s.choice("quorum-mode", "dynamo", "dynamo", "abd").toUpperCase());
        n = s.intOption("n", replicas);
        final int majority = n / 2 + 1;
        r = s.intOption("r", majority);
        w = s.intOption("w", majority);
        replicaCoordinator = "replica".equals(s.choice("coordinator", "client", "client", "replica"));
        readRepair = mode == Mode.ABD ? ReadRepair.OFF :
            ReadRepair.valueOf(s.choice("read-repair", "async", "async", "sync", "off").toUpperCase());
        sloppy = Boolean.parseBoolean(s.choice("sloppy-quorum", "false", "true", "false"));
        final String storage = s.choice("quorum-storage", "durable", "durable", "file", "volatile");
        durable = !"volatile".equals(storage);
        onDisk = "file".equals(storage);
        dir = onDisk ? s.option("quorum-dir", "") : "";
        hybridClock = mode == Mode.DYNAMO && "hybrid".equals(s.choice("clock", "hybrid", "hybrid", "lamport"));
        retryNs = s.durationNsOption("quorum-retry", "50ms");
        hintAfterNs = s.durationNsOption("hint-after", "10ms");
        handoffIntervalNs = s.durationNsOption("handoff-interval", "20ms");
        syncRetryNs = s.durationNsOption("sync-retry", "100ms");
        client = ClientPolicy.from(s);
        DetectorSettings.checkClientDetector(s, "quorum"); // its clients' Suspicion is its only detector
        hedge = s.option(ClientPolicy.HEDGE, "off");
        final boolean hedged = Hedging.parse(hedge).enabled();
        tied = TiedReads.from(s).enabled();

        if (replicas > MAX_REPLICAS || s.nodeCount() > MAX_NODES)
        {
            throw new IllegalArgumentException("quorum supports at most " + MAX_REPLICAS + " replicas");
        }
        if (n < 1 || n > replicas)
        {
            throw new IllegalArgumentException("n must be in [1, replicas=" + replicas + "], got " + n);
        }
        if (r < 1 || r > n || w < 1 || w > n)
        {
            throw new IllegalArgumentException("--r and --w must be in [1, N=" + n + "], got r=" + r + " w=" + w);
        }
        if (mode == Mode.ABD && (2 * r <= n || 2 * w <= n))
        {
            throw new IllegalArgumentException(
                "abd needs majority quorums: --r and --w must be > N/2 (N=" + n + "), got r=" + r + " w=" + w);
        }
        if (sloppy && mode == Mode.ABD)
        {
            throw new IllegalArgumentException("sloppy-quorum is a dynamo option: it breaks abd's quorum intersection");
        }
        if (sloppy && n == replicas)
        {
            throw new IllegalArgumentException(
                "sloppy-quorum needs spare replicas: set --opt n=<N> below --replicas=" + replicas);
        }
        if (mode == Mode.ABD && replicaCoordinator && !durable)
        {
            // A coordinator that forgot, in a restart, which writes it had started would run a resent one again with a
            // second timestamp while the first run may still be landing: one write, two versions.
            throw new IllegalArgumentException("abd with coordinator=replica needs quorum-storage=durable or file: a " +
                "restarted coordinator must remember which writes it started so that it never runs one twice");
        }
        if (hedged && !replicaCoordinator && r >= n)
        {
            throw new IllegalArgumentException("hedge needs r < n: a read asks r of the key's n home replicas first " +
                "and hedges to one more, and with r=" + r + " n=" + n + " there is none left");
        }
        if (hedged && replicaCoordinator && n < 2)
        {
            throw new IllegalArgumentException("hedge needs n >= 2: a GET is hedged to the key's next home replica");
        }
        if (tied && r >= n)
        {
            throw new IllegalArgumentException("tied needs r < n: a read asks r of the key's n home replicas and ties " +
                "one of them to one more, and with r=" + r + " n=" + n + " there is none left");
        }
        if (retryNs <= 0 || syncRetryNs <= 0 || handoffIntervalNs <= 0 ||
            hintAfterNs <= 0)
        {
            throw new IllegalArgumentException("quorum timeouts must be > 0");
        }
    }

    boolean abd()
    {
        return mode == Mode.ABD;
    }

    /**
     * @return how many peers a restarted replica must copy the state of before it answers reads again: enough that
     * at least one of them holds each acknowledged write (written to w of the replicas, the restarted one perhaps
     * among them), but never more than there are.
     */
    int recoveryPeers()
    {
        return Math.max(0, Math.min(replicas - 1, replicas - w + 1));
    }

    /**
     * @return the i-th home replica of a key (i in 0 .. n-1), or with i >= n the spares after them on the ring.
     */
    int home(final long key, final int i)
    {
        return (int)Math.floorMod(key + i, (long)replicas);
    }

    /**
     * @return the key's first {@code count} home replicas in ring order, as a bit per node.
     */
    long firstHomes(final long key, final int count)
    {
        long mask = 0;
        for (int i = 0; i < count; i++)
        {
            mask |= 1L << home(key, i);
        }
        return mask;
    }

    /**
     * @return all n home replicas of the key, as a bit per node.
     */
    long homeMask(final long key)
    {
        return firstHomes(key, n);
    }

    boolean isHome(final long key, final int node)
    {
        return Math.floorMod(node - key, (long)replicas) < n;
    }

    String warnings()
    {
        if (mode == Mode.DYNAMO && r + w <= n)
        {
            return "R + W <= N (r=" + r + " w=" + w + " n=" + n + "): read and write quorums need not overlap, " +
                "stale reads are possible";
        }
        if (sloppy)
        {
            return "sloppy quorum: writes acknowledged by spares are not seen by reads until handed off, " +
                "stale reads are possible";
        }
        return "";
    }
}
