package lab.quorum;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimConfig;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.Workload;

/**
 * Builds simulated quorum clusters for tests: options, clients, a small hot key space (so reads and writes meet) and
 * one stale-read detector watching every client.
 */
final class QuorumScenario
{
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    final Map<String, String> options = new TreeMap<>();
    final SimConfig sim = new SimConfig();
    final StaleReadDetector detector = new StaleReadDetector();
    final StaleReadDetector observer = detector;
    int replicas = 3;
    int clients = 2;
    int outstanding = 2;
    int keys = 8;
    long opTimeoutNs = 300 * MS;

    static QuorumScenario of(final String... keyValues)
    {
        final QuorumScenario scenario = new QuorumScenario();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            scenario.options.put(keyValues[i], keyValues[i + 1]);
        }
        return scenario;
    }

    QuorumScenario replicas(final int replicas)
    {
        this.replicas = replicas;
        return this;
    }

    QuorumScenario clients(final int clients, final int outstanding)
    {
        this.clients = clients;
        this.outstanding = outstanding;
        return this;
    }

    RunConfig config(final long seed)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("quorum");
        config.transport("sim");
        config.replicas(replicas);
        config.clients(clients);
        config.outstanding(outstanding);
        config.workload(new Workload(0.5, keys, "uniform", 0.99, 32));
        config.opTimeoutNs(opTimeoutNs);
        config.seed(seed);
        config.options().putAll(options);
        config.sim(sim);
        config.observers(i -> observer);
        return config.build();
    }

    SimCluster cluster(final long seed)
    {
        return new SimCluster(config(seed));
    }

    /**
     * Replica {@code lagging} lags behind client 0: client 0's messages reach it {@code lagNs} late, so it applies
     * that client's writes late, while the other clients talk to it at full speed and may read from it meanwhile.
     */
    static void lag(final SimCluster cluster, final int lagging, final long lagNs)
    {
        cluster.network().linkLatency(cluster.replicas(), lagging, lagNs);
    }

    static long completed(final SimCluster cluster)
    {
        long completed = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            completed += c.completed();
        }
        return completed;
    }

    static long reads(final SimCluster cluster)
    {
        long reads = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            reads += c.reads().count();
        }
        return reads;
    }

    /**
     * Stops the clients and lets operations in flight finish, so that every read has been judged.
     */
    static void drain(final SimCluster cluster)
    {
        cluster.stopClientsAt(cluster.nowNs());
        cluster.runFor(400 * MS);
    }

    String failure(final long seed, final String what)
    {
        return what + " (seed " + seed + ", options " + options + ", sim " + sim + "): stale " + detector.staleReads() +
            " of " + detector.reads() + " reads, e.g. " + detector.violations();
    }
}
