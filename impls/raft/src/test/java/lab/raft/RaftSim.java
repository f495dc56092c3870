package lab.raft;

import java.util.concurrent.TimeUnit;

import lab.core.KvStore;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.core.codec.OpType;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.metrics.OperationObserver;
import lab.harness.workload.Workload;
import org.agrona.collections.Long2LongHashMap;

/**
 * A simulated Raft cluster for tests: one seed, a shared {@link StaleReadDetector}, the {@link RaftInvariants}
 * checked every millisecond of simulated time, and the highest version acknowledged per key (to check at the end
 * that no acknowledged write was lost).
 */
final class RaftSim implements OperationObserver
{
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    final long seed;
    final StaleReadDetector detector = new StaleReadDetector();
    final SimCluster cluster;
    final RaftInvariants invariants;
    private final Long2LongHashMap ackedVersion = new Long2LongHashMap(-1);

    RaftSim(final long seed, final int replicas, final String... options)
    {
        this(seed, replicas, new Workload(0.5, 16, "uniform", 0.99, 32), options);
    }

    RaftSim(final long seed, final int replicas, final Workload workload, final String... options)
    {
        this.seed = seed;
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("raft");
        c.replicas(replicas);
        c.transport("sim");
        c.clients(2);
        c.outstanding(3);
        c.seed(seed);
        c.workload(workload);
        c.opTimeoutNs(800 * MS);
        c.observers(i -> this);
        c.options().put("raft-snapshot-entries", "64");
        c.options().put("raft-election-timeout", "30ms");
        c.options().put("raft-heartbeat", "3ms");
        c.options().put("raft-lease-drift", "5ms");
        c.options().put("raft-retransmit", "5ms");
        c.options().put("client-retry", "40ms");
        for (int i = 0; i + 1 < options.length; i += 2)
        {
            c.options().put(options[i], options[i + 1]);
        }
        cluster = new SimCluster(c.build());
        invariants = new RaftInvariants(cluster);
    }

    RaftSim faults(final double loss, final double duplication, final double reordering)
    {
        cluster.network().config().loss(loss).duplication(duplication).reordering(reordering, 2 * MS);
        return this;
    }

    void run(final long durationNs)
    {
        final long end = cluster.nowNs() + durationNs;
        while (cluster.nowNs() < end)
        {
            cluster.runFor(Math.min(MS, end - cluster.nowNs()));
            invariants.check();
        }
    }

    long completed()
    {
        long total = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            total += c.completed();
        }
        return total;
    }

    int leader()
    {
        return cluster.findRole("leader");
    }

    /**
     * @return a description of the first acknowledged write whose version the leader's state lacks, or null.
     */
    String lostWrite()
    {
        final int leader = leader();
        if (leader < 0)
        {
            return "no leader to check against";
        }
        final KvStore store = ((RaftReplica)cluster.replica(leader)).store();
        final Long2LongHashMap.KeyIterator keys = ackedVersion.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            final KvStore.Entry entry = store.get(key);
            final long acked = ackedVersion.get(key);
            if (entry == null || entry.version() < acked)
            {
                return "key " + key + ": acknowledged version " + acked + ", leader " + leader + " has " +
                    (entry == null ? "nothing" : "version " + entry.version());
            }
        }
        return null;
    }

    String describe()
    {
        return "seed " + seed + ": " + detector.staleReads() + " stale of " + detector.reads() + " reads, " +
            detector.writesAcked() + " writes acked, " + invariants.leaderTerms() + " leader terms; " +
            "raft violations " + invariants.violations() + "; stale " + detector.violations();
    }

    public void onInvoke(final long sessionId, final long seq, final OpType type, final long key, final long value,
        final long nowNs)
    {
        detector.onInvoke(sessionId, seq, type, key, value, nowNs);
    }

    public void onOk(final long sessionId, final long seq, final OpType type, final long key, final long value,
        final long version, final int hops, final long nowNs)
    {
        detector.onOk(sessionId, seq, type, key, value, version, hops, nowNs);
        if (type == OpType.PUT && version > ackedVersion.get(key))
        {
            ackedVersion.put(key, version);
        }
    }

    public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
    {
        detector.onTimeout(sessionId, seq, type, key, nowNs);
    }
}
