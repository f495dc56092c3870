package lab.chain;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;

/**
 * Builds chain clusters on the simulated network for tests: one stale-read detector shared by all clients.
 */
final class ChainSim
{
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    final StaleReadDetector detector = new StaleReadDetector();
    final SimCluster cluster;
    final long seed;

    ChainSim(final long seed, final int replicas, final String ack, final String reads, final SimConfig sim,
        final double readRatio)
    {
        this(seed, replicas, ack, reads, sim, readRatio, java.util.Map.of());
    }

    /**
     * @param extra further protocol options (e.g. {@code hedge}).
     */
    ChainSim(final long seed, final int replicas, final String ack, final String reads, final SimConfig sim,
        final double readRatio, final java.util.Map<String, String> extra)
    {
        this.seed = seed;
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("chain");
        config.replicas(replicas);
        config.transport("sim");
        config.seed(seed);
        config.clients(2);
        config.outstanding(4);
        config.workload(new Workload(readRatio, 20, "uniform", 0.99, 32));
        config.opTimeoutNs(TimeUnit.SECONDS.toNanos(1));
        config.options().put("chain-ack", ack);
        config.options().put("reads", reads);
        config.options().put("chain-retransmit", "2ms");
        config.options().put("client-retry", "20ms");
        config.options().putAll(extra);
        config.sim(sim);
        config.observers(i -> detector);
        cluster = new SimCluster(config.build());
    }

    static SimConfig faulty()
    {
        return new SimConfig().loss(0.02).duplication(0.02).reordering(0.05, 2 * MS);
    }

    ChainReplica replica(final int node)
    {
        return (ChainReplica)cluster.replica(node);
    }

    /**
     * @return the manager that acts (with chain-manager=raft, the configuration service's leader), else node
     * {@code replicas}.
     */
    ChainManager manager()
    {
        for (int c = cluster.replicas(); c < cluster.replicas() + cluster.controlNodes(); c++)
        {
            if (cluster.network().isUp(c) && ((ChainManager)cluster.network().endpoint(c)).acting())
            {
                return (ChainManager)cluster.network().endpoint(c);
            }
        }
        return (ChainManager)cluster.network().endpoint(cluster.replicas());
    }

    long completed()
    {
        long sum = 0;
        for (final var c : cluster.clients())
        {
            sum += c.completed();
        }
        return sum;
    }

    String describe()
    {
        final StringBuilder sb = new StringBuilder("seed=" + seed + " epoch=" + manager().epoch() + " chain=" +
            java.util.Arrays.toString(manager().chain()) + " joiner=" + manager().joiner() + " completed=" +
            completed() + " stale=" + detector.staleReads() + " " + detector.violations());
        for (int i = 0; i < cluster.replicas(); i++)
        {
            if (cluster.network().isUp(i))
            {
                final ChainReplica r = replica(i);
                sb.append(" | ").append(i).append(':').append(r.role()).append(" e").append(r.epoch())
                    .append(" last=").append(r.lastSeq()).append(" commit=").append(r.commitSeq());
            }
            else
            {
                sb.append(" | ").append(i).append(":down");
            }
        }
        return sb.toString();
    }
}
