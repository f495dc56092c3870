package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;

/**
 * Where the load lands: per node, messages handled and busy time per operation, on a read-heavy mix. The notes: the
 * primary "is the bottleneck" and serves everything; the chain puts writes on the head and reads on the tail; CRAQ
 * spreads clean reads over every node; a quorum store spreads everything.
 */
final class LoadExperiment implements Experiment
{
    private static final List<Variant> VARIANTS = List.of(Variant.PRIMARY_BACKUP, Variant.CHAIN, Variant.CRAQ,
        Variant.RAFT_LEASE, Variant.DYNAMO);
    private static final double READ_RATIO = 0.9;

    public String name()
    {
        return "load";
    }

    public String topic()
    {
        return "primary-backup; chain replication and CRAQ; quorums";
    }

    public String claim()
    {
        return "Primary-backup's primary is the bottleneck (it handles every operation); the chain's tail carries the " +
            "reads; CRAQ spreads clean reads over every node, and a quorum store spreads all work, so their busiest " +
            "node carries less above the mean.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "20 s" : "2 min";
    }

    /**
     * @param label      the variant.
     * @param bottleneck the busiest server's role by messages handled per operation.
     * @param imbalance  the busiest server's messages per operation over the servers' mean (1 = even).
     */
    record Balance(String label, String bottleneck, double imbalance)
    {
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final int[] replicas = bench.quick() ? new int[] {3} : new int[] {3, 5};
        final long durationMs = bench.quick() ? 1500 : 3000;
        final long warmupMs = bench.quick() ? 500 : 1000;
        final Table.Builder table = Table.titled("per node", "protocol", "N", "node", "role", "msgs in+out / op", "busy us / op",
            "utilization", "ops/s");
        final Table.Builder summary = Table.titled("the busiest server per protocol", "protocol", "N", "bottleneck (msgs)", "max / mean msgs per server",
            "bottleneck (busy, model)", "1 / max D (one core per node)");
        final List<Balance> balances = new ArrayList<>();
        for (final int n : replicas)
        {
            for (final Variant v : VARIANTS)
            {
                final List<RunResult> runs = bench.repeat(v.key(n), seed ->
                    v.config(n, READ_RATIO, 4, 8, durationMs, warmupMs, seed));
                // The median run by throughput stands for the point: its per-node rows are one run's, consistent.
                final List<RunResult> sorted = new ArrayList<>(runs);
                sorted.sort(java.util.Comparator.comparingDouble(RunResult::achievedRate));
                final RunResult run = sorted.get(sorted.size() / 2);
                final CapacityModel model = CapacityModel.of(run, null);
                final long ops = run.totalOps();
                final List<lab.harness.cluster.NodeDemand> nodes = model.nodeDemands();
                NodeLoad busiest = null;
                double sum = 0;
                int servers = 0;
                for (int i = 0; i < run.load().nodes().size(); i++)
                {
                    final NodeLoad node = run.load().nodes().get(i);
                    if (node.client())
                    {
                        continue;
                    }
                    final double perOp = (double)(node.messagesIn() + node.messagesOut()) / Math.max(1, ops);
                    table.row(v.label(), n, "node" + node.id(), node.role(), String.format(Locale.ROOT, "%.2f", perOp),
                        format(nodes.get(i).busyUsPerOp()), format(nodes.get(i).utilization()),
                        String.format(Locale.ROOT, "%.0f", run.achievedRate()));
                    if (isControl(node))
                    {
                        continue;
                    }
                    sum += perOp;
                    servers++;
                    if (busiest == null || node.messagesIn() + node.messagesOut() > busiest.messagesIn() + busiest.messagesOut())
                    {
                        busiest = node;
                    }
                }
                final double imbalance = busiest == null ? Double.NaN :
                    ((double)(busiest.messagesIn() + busiest.messagesOut()) / Math.max(1, ops)) / (sum / servers);
                final String role = busiest == null ? "-" : busiest.role();
                balances.add(new Balance(v.label() + "@" + n, role, imbalance));
                summary.row(v.label(), n, role, String.format(Locale.ROOT, "%.2f", imbalance), model.bottleneckLabel(),
                    model.oneCorePerNode() == null ? "-" : String.format(Locale.ROOT, "%.0f ops/s", model.oneCorePerNode()));
            }
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("transport", "Aeron IPC, one process, every node on one thread (busy time measured per agent)");
        setup.put("load", "4 clients x 8 operations in flight (closed loop)");
        setup.put("workload", "90% reads, 10,000 keys uniform, 64-byte values");
        setup.put("replicas", java.util.Arrays.toString(replicas));
        setup.put("runs", "measured " + durationMs + " ms after " + warmupMs + " ms warm-up, " + bench.repeats() +
            " repeat(s) per point (the table shows the median run by throughput)");
        final Finding finding = verdict(balances, replicas);
        return new ExperimentReport(name(), topic(), claim(), setup,
            "operational analysis: a node's service demand D_i per operation; the busiest node bounds throughput at " +
            "1 / max D_i with a core per node. PB: the primary receives and sends every operation's messages; " +
            "chain: the tail answers every read; CRAQ: a clean read is answered by any node; Dynamo: the client " +
            "spreads each operation over a quorum chosen per key.",
            List.of(summary.build(), table.build()), List.of(), finding, bench.commands(), List.of(
                "The imbalance counts messages handled (in + out) per operation, deterministic for a protocol; busy " +
                "time is shown beside it but is noisy when every node shares one thread on a loaded 2-core machine.",
                "The chain's configuration manager (role control) handles heartbeats only and is left out of the mean."),
            (System.nanoTime() - startNs) / 1e9);
    }

    static boolean isControl(final NodeLoad node)
    {
        return "control".equals(node.role()) || "manager".equals(node.role());
    }

    private static String format(final Object value)
    {
        return value instanceof Number ? String.format(Locale.ROOT, "%.2f", ((Number)value).doubleValue()) : "-";
    }

    /**
     * The rule, at every N: PB's busiest server is its primary; the chain's is its tail; CRAQ's max/mean is below the
     * chain's; Dynamo's max/mean is below PB's.
     */
    static Finding verdict(final List<Balance> balances, final int[] replicas)
    {
        final Map<String, Balance> by = new LinkedHashMap<>();
        balances.forEach(b -> by.put(b.label(), b));
        final List<String> failed = new ArrayList<>();
        final StringBuilder seen = new StringBuilder();
        for (final int n : replicas)
        {
            final Balance pb = by.get("primary-backup@" + n);
            final Balance chain = by.get("chain@" + n);
            final Balance craq = by.get("craq@" + n);
            final Balance dynamo = by.get("dynamo@" + n);
            seen.append(String.format(Locale.ROOT, "%sN=%d: PB busiest %s (max/mean %.2f), chain %s (%.2f), CRAQ %.2f, " +
                "Dynamo %.2f", seen.length() == 0 ? "" : "; ", n, pb.bottleneck(), pb.imbalance(), chain.bottleneck(),
                chain.imbalance(), craq.imbalance(), dynamo.imbalance()));
            if (!"primary".equals(pb.bottleneck()))
            {
                failed.add("PB's busiest node at N=" + n + " is the " + pb.bottleneck() + ", not the primary");
            }
            if (!"tail".equals(chain.bottleneck()))
            {
                failed.add("the chain's busiest node at N=" + n + " is the " + chain.bottleneck() + ", not the tail");
            }
            if (!(craq.imbalance() < chain.imbalance()))
            {
                failed.add("CRAQ is not more even than the chain at N=" + n);
            }
            if (!(dynamo.imbalance() < pb.imbalance()))
            {
                failed.add("Dynamo is not more even than PB at N=" + n);
            }
        }
        return failed.isEmpty() ? Finding.holds(seen + ".") :
            Finding.doesNotHold(String.join("; ", failed) + " (" + seen + ")");
    }
}
