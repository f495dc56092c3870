package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.cluster.RunResult;

/**
 * Raft batching: one AppendEntries carries up to {@code batch} client writes, so the replication messages per write
 * fall as 2 (N - 1) / b and the leader's per-message costs are shared by the batch.
 */
final class RaftBatchingExperiment implements Experiment
{
    private static final int N = 3;

    public String name()
    {
        return "raft-batching";
    }

    public String topic()
    {
        return "Raft";
    }

    public String claim()
    {
        return "Batching client writes into one append cuts the messages per write towards 2 (the client's request " +
            "and reply) and raises throughput, at the same replication factor.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "15 s" : "1.5 min";
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final int[] batches = bench.quick() ? new int[] {1, 8, 64} : new int[] {1, 4, 16, 64, 256};
        final long durationMs = bench.quick() ? 1500 : 3000;
        final long warmupMs = bench.quick() ? 500 : 1000;
        final Table.Builder table = Table.titled("Raft, N = " + N + ", writes only", "batch", "ops/s", "msgs / op",
            "theory msgs / op if every append were full", "write p50 (us)", "write p99 (us)");
        final List<double[]> messages = new ArrayList<>();
        final List<double[]> throughput = new ArrayList<>();
        for (final int b : batches)
        {
            final Variant v = Variant.RAFT_LEASE.with("batch", String.valueOf(b));
            final List<RunResult> runs = bench.repeat("raft-batch-" + b, seed ->
                v.config(N, 0, 4, 32, durationMs, warmupMs, seed));
            final Spread ops = Bench.spread(runs, RunResult::achievedRate);
            final Spread msgs = Bench.spread(runs, RunResult::messagesPerOp);
            table.row(b, ops.format("%.0f"), msgs.format("%.2f"),
                String.format(Locale.ROOT, "%.2f", 2 + 2.0 * (N - 1) / b),
                Bench.spread(runs, r -> HopsExperiment.p50Us(r.writes())).format("%.0f"),
                Bench.spread(runs, r -> r.writes().count() == 0 ? Double.NaN :
                    r.writes().latencyNs().getValueAtPercentile(99) / 1e3).format("%.0f"));
            messages.add(new double[] {b, msgs.median()});
            throughput.add(new double[] {b, ops.median()});
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("protocol", "raft, lease reads, N = " + N + ", memory log");
        setup.put("transport", "Aeron IPC, one process, every node on one thread");
        setup.put("load", "4 clients x 32 writes in flight (closed loop): enough to fill batches");
        setup.put("runs", "measured " + durationMs + " ms after " + warmupMs + " ms warm-up, " + bench.repeats() +
            " repeat(s) per point");
        return new ExperimentReport(name(), topic(), claim(), setup,
            "per write: 2 client messages + 2 (N - 1) / b replication messages (append and ack per follower, shared " +
            "by a batch of b), plus heartbeats; a batch is only as full as the writes waiting when it is sent.",
            List.of(table.build()), List.of(
                new Chart("messages per write against batch size", "batch (max writes per append)", "messages / op",
                    List.of(new Chart.Series("measured", messages, false))),
                new Chart("throughput against batch size", "batch (max writes per append)", "ops/s",
                    List.of(new Chart.Series("measured", throughput, false)))),
            verdict(batches, messages, throughput), bench.commands(), List.of(
                "Throughput here is every node's work on one shared thread: the ratio between batch sizes is the " +
                "figure to read, not the absolute rate."),
            (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * The rule: messages per write fall towards 2 (at the largest batch below batch 1's and within 2.5), and
     * throughput at the largest batch is above batch 1's.
     */
    static Finding verdict(final int[] batches, final List<double[]> messages, final List<double[]> throughput)
    {
        final int last = batches.length - 1;
        final double m1 = messages.get(0)[1];
        final double mN = messages.get(last)[1];
        final double t1 = throughput.get(0)[1];
        final double tN = throughput.get(last)[1];
        final String figures = String.format(Locale.ROOT, "batch 1: %.2f msgs/op, %.0f ops/s; batch %d: %.2f msgs/op, " +
            "%.0f ops/s (x%.2f)", m1, t1, batches[last], mN, tN, tN / t1);
        if (mN < m1 && mN <= 2.5 && tN > t1)
        {
            return Finding.holds(figures + ".");
        }
        return Finding.doesNotHold(figures + ": the rule asks for messages per write below batch 1's and within 2.5, and more throughput.");
    }
}
