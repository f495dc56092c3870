package lab.harness.book;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.workload.Workload;

/**
 * A protocol in one of its modes, as an experiment compares it: "craq" is the chain with CRAQ reads.
 *
 * @param label    the name in tables and charts.
 * @param protocol the protocol's name ({@code lab list}).
 * @param options  its options.
 */
record Variant(String label, String protocol, Map<String, String> options)
{
    static final Variant PRIMARY_BACKUP = new Variant("primary-backup", "primary-backup", Map.of());
    static final Variant CHAIN = new Variant("chain", "chain", Map.of());
    static final Variant CRAQ = new Variant("craq", "chain", Map.of("reads", "craq"));
    static final Variant RAFT_LEASE = new Variant("raft lease", "raft", Map.of("raft-reads", "lease"));
    static final Variant RAFT_READ_INDEX = new Variant("raft read-index", "raft", Map.of("raft-reads", "read-index"));
    static final Variant DYNAMO = new Variant("dynamo", "quorum", Map.of("quorum-mode", "dynamo"));
    static final Variant ABD = new Variant("abd", "quorum", Map.of("quorum-mode", "abd"));

    Variant with(final String key, final String value)
    {
        final Map<String, String> o = new TreeMap<>(options);
        o.put(key, value);
        return new Variant(label, protocol, o);
    }

    /**
     * @return a closed-loop configuration of this variant over in-process Aeron IPC.
     */
    RunConfig config(final int replicas, final double readRatio, final int clients, final int outstanding,
        final long durationMs, final long warmupMs, final long seed)
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol(protocol);
        c.replicas(replicas);
        c.workload(new Workload(readRatio, 10_000, "uniform", 0.99, 64));
        c.clients(clients);
        c.outstanding(outstanding);
        c.durationNs(TimeUnit.MILLISECONDS.toNanos(durationMs));
        c.warmupNs(TimeUnit.MILLISECONDS.toNanos(warmupMs));
        c.seed(seed);
        c.options(new TreeMap<>(options));
        return c.build();
    }

    /**
     * @return an open-loop configuration of this variant over in-process Aeron IPC: one client issuing
     * {@code rate} operations per second whatever the latency, so a stalled replica shows as latency, not as fewer
     * operations.
     */
    RunConfig openLoop(final int replicas, final double readRatio, final double rate, final long durationMs,
        final long warmupMs, final long seed)
    {
        // 256 in flight, as bin/lab run's open loop: the cap only matters once 256 operations are stuck.
        return config(replicas, readRatio, 1, 256, durationMs, warmupMs, seed).toBuilder().rate(rate).build();
    }

    String key(final int replicas)
    {
        return label.replace(' ', '-') + "-r" + replicas;
    }
}
