package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lab.harness.metrics.NodeLoad;
import lab.harness.metrics.NodeLoads;
import lab.harness.metrics.OpStats;

/**
 * Where the load of a run lands, and what that predicts (operational analysis, Lazowska et al., "Quantitative System
 * Performance" ch. 3-5): per node the service demand per operation D_i (its busy time in the window / operations
 * completed in it), its utilization U_i = X * D_i, the bottleneck (the server node with the largest D_i), the
 * throughput bounds 1 / max D_i (each node on a core of its own) and 1 / sum D_i (every node on one core, as in one
 * process with all agents on one thread: the clients' demand is counted too), and a low-load latency per operation
 * type: hops x one-way link latency + the service times along the critical path.
 *
 * <p>Busy time is measured at the node agent ({@link lab.harness.metrics.BusyClock}): it holds the node's handlers
 * and the transport's calls around them (poll, offer), so the transport's own per-message cost is inside D_i; an
 * echo baseline over the same transport tells how much of it that is (busy per message sent or received). Cycles
 * that moved no message (timer checks) are background, reported apart: they do not grow with the load.
 *
 * <p>Whatever cannot be computed is null with a one-line reason, never a number nobody can trust.
 */
public final class CapacityModel
{
    /** Less busy time than this in the window, over all servers, is too little to divide. */
    private static final long MIN_BUSY_NS = 1_000_000;
    private static final long MIN_OPS = 100;

    private final RunResult run;
    private final long ops;
    private final double throughput;
    private final List<NodeLoad> nodes;
    private final boolean busyMeasured;
    private String note;
    private NodeLoad bottleneck;
    private String bottleneckBy;
    private Double bottleneckUtilization;
    private Double oneCorePerNode;
    private Double sharedCore;
    private Double sharedCoreServers;
    private String throughputNote;
    private Double transportUsPerMsg;
    private Double transportShare;
    private double oneWayUs = Double.NaN;
    private double serverServiceUs = Double.NaN;
    private double clientDemandUs = Double.NaN;
    private String latencyNote;
    /** CPU time / wall time of the node threads in the window: turns wall busy time into CPU demand. */
    private double cpuShare = Double.NaN;
    private final List<String> basis = new ArrayList<>();

    private CapacityModel(final RunResult run, final RunResult echo)
    {
        this.run = run;
        this.ops = run.totalOps();
        this.throughput = run.achievedRate();
        final NodeLoads load = run.load() == null ? NodeLoads.none("per-node load not collected") : run.load();
        this.nodes = load.nodes();
        this.busyMeasured = load.busyNote() == null && !nodes.isEmpty();
        compute(load, echo);
    }

    /**
     * @param echo an echo run over the same transport (the baseline), or null.
     */
    public static CapacityModel of(final RunResult run, final RunResult echo)
    {
        return new CapacityModel(run, echo);
    }

    /**
     * @return the echo run among {@code results} (the baseline compare runs), or null.
     */
    public static RunResult echoOf(final List<RunResult> results)
    {
        for (final RunResult r : results)
        {
            if ("echo".equals(r.config().get("protocol")))
            {
                return r;
            }
        }
        return null;
    }

    private void compute(final NodeLoads load, final RunResult echo)
    {
        if (nodes.isEmpty())
        {
            note = load.busyNote() == null ? "per-node load not collected" : load.busyNote();
            return;
        }
        if (ops == 0)
        {
            note = "no completed operations in the window: nothing to divide the load by";
            return;
        }
        // The bottleneck: by busy time where measured, else by messages handled (in + out).
        for (final NodeLoad n : nodes)
        {
            if (!n.client() && (bottleneck == null || weight(n) > weight(bottleneck)))
            {
                bottleneck = n;
            }
        }
        bottleneckBy = busyMeasured ? "busy time per op" : "messages in + out per op (busy time not measured)";
        if (bottleneck == null)
        {
            note = "no server node in the run";
            return;
        }
        long serverBusy = 0;
        long serverIn = 0;
        long clientBusy = 0;
        long allBusy = 0;
        long serverTotalBusy = 0;
        for (final NodeLoad n : nodes)
        {
            if (n.client())
            {
                clientBusy += Math.max(0, n.busyNs());
            }
            else
            {
                serverBusy += Math.max(0, n.busyNs());
                serverIn += n.messagesIn();
                serverTotalBusy += Math.max(0, n.busyNs());
            }
            allBusy += Math.max(0, n.busyNs());
        }

        // Busy time is wall time: where the scheduler took the node threads away for part of the window, their CPU
        // demand (what a core of their own would need, and what an operation that was not preempted sees) is that
        // share of it.
        final double scale = load.cpuShare() > 0 && load.cpuShare() <= 1 ? load.cpuShare() : 1.0;
        if (busyMeasured && load.cpuShare() > 0 && load.cpuShare() <= 1)
        {
            cpuShare = load.cpuShare();
            basis.add(String.format(Locale.ROOT, "the model uses CPU demand = busy x %.3f, the node thread's CPU " +
                "time / wall time in the window (busy time is wall time; the scheduler took the rest)", scale));
        }
        // Throughput bounds.
        if (!busyMeasured)
        {
            throughputNote = "busy time not measured: " + load.busyNote();
        }
        else if (ops < MIN_OPS)
        {
            throughputNote = "too few completed operations (" + ops + ") to estimate demand per operation";
        }
        else if (serverTotalBusy < MIN_BUSY_NS)
        {
            throughputNote = String.format(Locale.ROOT, "run too short to measure busy time (%.0f us of server " +
                "busy time in the window)", serverTotalBusy / 1e3);
        }
        else if (load.crashedNodes().contains(bottleneck.id()))
        {
            throughputNote = "the bottleneck, node " + bottleneck.id() + ", crashed during the run: its demand " +
                "covers only part of the window";
        }
        else
        {
            final double share = scale;
            final double dMax = demandUs(bottleneck) * share;
            oneCorePerNode = dMax > 0 ? 1e6 / dMax : null;
            sharedCore = allBusy > 0 ? 1e6 / (allBusy * share / 1e3 / ops) : null;
            sharedCoreServers = serverBusy > 0 ? 1e6 / (serverBusy * share / 1e3 / ops) : null;
            bottleneckUtilization = utilization(bottleneck);
        }

        // The transport's own cost per message, from the echo baseline.
        if (busyMeasured && echo != null && echo.load() != null && echo.load().busyNote() == null &&
            echo.totalOps() > 0 && String.valueOf(echo.config().get("transport")).equals(
                String.valueOf(run.config().get("transport"))))
        {
            final double echoScale = echo.load().cpuShare() > 0 && echo.load().cpuShare() <= 1 ?
                echo.load().cpuShare() : 1.0;
            long echoBusy = 0;
            long echoMessages = 0;
            for (final NodeLoad n : echo.load().nodes())
            {
                echoBusy += n.busyNs();
                echoMessages += n.messagesIn() + n.messagesOut();
            }
            if (echoMessages > 0)
            {
                transportUsPerMsg = echoBusy * echoScale / 1e3 / echoMessages;
                final double d = demandUs(bottleneck) * scale;
                transportShare = d > 0 ? Math.min(1.0, transportUsPerMsg *
                    (bottleneck.messagesIn() + bottleneck.messagesOut()) / (double)ops / d) : null;
            }
        }

        // Low-load latency: hops x one-way link latency + service along the path.
        final boolean sim = "sim".equals(run.config().get("transport"));
        if (sim)
        {
            serverServiceUs = 0;
            clientDemandUs = 0;
            basis.add("simulator: handlers take no simulated time, so latency is hops x link");
        }
        else if (!busyMeasured)
        {
            latencyNote = "busy time not measured: " + load.busyNote();
        }
        else if (serverIn == 0)
        {
            latencyNote = "no message reached a server in the window";
        }
        else
        {
            serverServiceUs = serverBusy * scale / 1e3 / serverIn;
            clientDemandUs = clientBusy * scale / 1e3 / ops;
        }
        if (load.linkOneWayNs() >= 0)
        {
            oneWayUs = load.linkOneWayNs() / 1e3;
            basis.add(String.format(Locale.ROOT, "one-way link %.1f us from %s", oneWayUs, load.linkBasis()));
        }
        else if (echo != null && echo.load() != null && echo.load().busyNote() == null && echo.totalOps() > 0)
        {
            final CapacityModel e = echo == run ? this : new CapacityModel(echo, null);
            final OpStats s = echo.writes().count() > 0 ? echo.writes() : echo.reads();
            final double rttUs = s.latencyNs().getValueAtPercentile(50) / 1e3;
            final double service = Double.isNaN(e.serverServiceUs) ? 0 : e.serverServiceUs + e.clientDemandUs;
            oneWayUs = Math.max(0, (rttUs - service) / 2);
            basis.add(String.format(Locale.ROOT, "one-way link %.2f us from the echo baseline ((p50 RTT %.2f - " +
                "service %.2f) / 2)", oneWayUs, rttUs, service));
        }
        else
        {
            oneWayUs = 0;
            basis.add("no --link-delay and no echo baseline in this run: link latency taken as 0 (service times " +
                "only: a lower bound; lab compare runs echo)");
        }
        if (!sim && busyMeasured)
        {
            basis.add("D_i = busy time of node i's cycles that moved messages (handlers + its transport calls, " +
                "wall time) / operations; shared core counts the clients' demand (they share the node thread in " +
                "one process)");
            basis.add("service per hop = servers' busy time / messages they received; the client's demand per op " +
                "is added once");
        }
        if (transportUsPerMsg != null)
        {
            basis.add(String.format(Locale.ROOT, "transport: %.3f us per message sent or received (echo " +
                "baseline, same transport, CPU), inside D_i", transportUsPerMsg));
        }
        else if (busyMeasured)
        {
            basis.add("no echo baseline over this transport: the transport's share of D_i is not separated " +
                "(it is inside D_i)");
        }
    }

    private double weight(final NodeLoad n)
    {
        return busyMeasured ? n.busyNs() : n.messagesIn() + n.messagesOut();
    }

    private double demandUs(final NodeLoad n)
    {
        return n.busyNs() / 1e3 / ops;
    }

    private Double utilization(final NodeLoad n)
    {
        return n.busyMeasured() && run.measuredNs() > 0 ? (double)n.busyNs() / run.measuredNs() : null;
    }

    private Double backgroundUtilization(final NodeLoad n)
    {
        return n.busyMeasured() && run.measuredNs() > 0 ? (double)n.backgroundNs() / run.measuredNs() : null;
    }

    /**
     * @return predicted low-load latency (us) of an operation type with {@code hops} on its critical path, or null.
     */
    public Double predictedP50Us(final int hops)
    {
        if (note != null || Double.isNaN(serverServiceUs) || Double.isNaN(oneWayUs) || hops <= 0)
        {
            return null;
        }
        return hops * oneWayUs + (hops - 1) * serverServiceUs + clientDemandUs;
    }

    public String note()
    {
        return note;
    }

    public Double oneCorePerNode()
    {
        return oneCorePerNode;
    }

    public Double sharedCore()
    {
        return sharedCore;
    }

    /**
     * @return CPU time / wall time of the node threads in the window, or NaN when not measured.
     */
    public double cpuShare()
    {
        return cpuShare;
    }

    public String throughputNote()
    {
        return note != null ? note : throughputNote;
    }

    /**
     * @return "node0 primary" or "-" when there is none.
     */
    public String bottleneckLabel()
    {
        return note != null || bottleneck == null ? "-" : "node" + bottleneck.id() + " " + bottleneck.role();
    }

    /**
     * @return the results contract's {@code nodes}: one per node.
     */
    public List<NodeDemand> nodeDemands()
    {
        final List<NodeDemand> list = new ArrayList<>();
        for (final NodeLoad n : nodes)
        {
            final String busyNullReason = !n.busyMeasured() ? run.load().busyNote() :
                ops == 0 ? "no completed operations in the window" : null;
            list.add(new NodeDemand(
                n.id(),
                n.role(),
                n.client(),
                ops == 0 ? null : round3((double)n.messagesIn() / ops),
                ops == 0 ? null : round3((double)n.messagesOut() / ops),
                ops == 0 ? null : round3((double)n.clientMessagesOut() / ops),
                ops == 0 ? null : round3((double)n.bytesOut() / ops),
                ops == 0 || !n.busyMeasured() ? null : round3(demandUs(n)),
                round3(utilization(n)),
                round3(backgroundUtilization(n)),
                busyNullReason,
                ops == 0 ? null : perOp(n.messagesInByType(), ops),
                ops == 0 ? null : perOp(n.messagesOutByType(), ops)));
        }
        return list;
    }

    private String byType(final Map<String, Long> counts)
    {
        final StringBuilder sb = new StringBuilder();
        counts.forEach((type, n) -> sb.append(String.format(Locale.ROOT, " %s %.2f", type, (double)n / ops)));
        return sb.length() == 0 ? " -" : sb.toString();
    }

    private static Map<String, Double> perOp(final Map<String, Long> counts, final long ops)
    {
        final Map<String, Double> perOp = new java.util.LinkedHashMap<>();
        counts.forEach((type, n) -> perOp.put(type, round3((double)n / ops)));
        return perOp;
    }

    /**
     * @return the results contract's {@code model}.
     */
    public CapacityPrediction prediction()
    {
        final boolean named = note == null && bottleneck != null;
        return new CapacityPrediction(
            named ? bottleneck.id() : null,
            named ? bottleneck.role() : null,
            named ? bottleneckBy : null,
            round3(bottleneckUtilization),
            new CapacityPrediction.MaxThroughput(round0(oneCorePerNode), round0(sharedCore),
                round0(sharedCoreServers), throughputNote()),
            round0(throughput),
            new CapacityPrediction.LowLoadLatency(latency(run.writes(), run.theory().writeHops()),
                latency(run.reads(), run.theory().readHops()), latencyNullReason()),
            round3(Double.isNaN(cpuShare) ? null : cpuShare),
            round3(transportUsPerMsg),
            round3(transportShare),
            String.join("; ", basis),
            note);
    }

    private Double latency(final OpStats stats, final int hops)
    {
        return stats.count() == 0 ? null : round3(predictedP50Us(hops));
    }

    private String latencyNullReason()
    {
        if (note != null)
        {
            return note;
        }
        if (latencyNote != null)
        {
            return latencyNote;
        }
        if (run.writes().count() == 0 || run.reads().count() == 0)
        {
            return "no completed operations of a type: its prediction is null";
        }
        return null;
    }

    /**
     * A control plane (chain's manager, replicated by default; primary-backup's configuration service) is off every
     * operation's path, but in one process its nodes share the node thread with the replicas: what they cost there
     * comes out of the replicas' throughput. Says how much of the window their cycles took, and what the accounting
     * leaves out (a shared thread also polls every idle agent on each turn).
     */
    private void controlPlaneLine(final StringBuilder sb)
    {
        int control = 0;
        long busy = 0;
        long background = 0;
        for (final NodeLoad n : nodes)
        {
            if ("control".equals(n.role()))
            {
                control++;
                busy += n.busyNs();
                background += Math.max(0, n.backgroundNs());
            }
        }
        if (control == 0 || run.measuredNs() <= 0)
        {
            return;
        }
        sb.append(String.format(Locale.ROOT, "control plane: %d control node(s), off the operations' path: busy %.1f%% " +
            "+ timers %.1f%% of the window; on a shared node thread this comes out of the replicas' throughput, and " +
            "so does polling the idle control agents on every turn of the thread, which busy time does not count%s%n",
            control, 100.0 * busy / run.measuredNs(), 100.0 * background / run.measuredNs(),
            "chain".equals(run.config().get("protocol")) && control > 1 ?
                " (chain: a replicated manager; --opt chain-manager=single runs one)" : ""));
    }

    /**
     * @return the per-node table and the model's lines, for the text output.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        if (nodes.isEmpty())
        {
            sb.append("per-node load: not available (").append(note).append(")\n");
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "%-5s %-12s %10s %11s %12s %12s %7s %9s%n", "node", "role",
            "msgs in/op", "msgs out/op", "bytes out/op", "busy us/op", "util", "timers"));
        for (final NodeLoad n : nodes)
        {
            final Double u = utilization(n);
            final Double bg = backgroundUtilization(n);
            sb.append(String.format(Locale.ROOT, "%-5s %-12s %10s %11s %12s %12s %7s %9s%n",
                (n == bottleneck && note == null ? "*" : "") + n.id(), n.role(),
                ops == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double)n.messagesIn() / ops),
                ops == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double)n.messagesOut() / ops),
                ops == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double)n.bytesOut() / ops),
                ops == 0 || !n.busyMeasured() ? "-" : String.format(Locale.ROOT, "%.3f", demandUs(n)),
                u == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * u),
                bg == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * bg)));
        }
        for (final NodeLoad n : nodes)
        {
            // Servers only: a client's line is its requests and their answers, the same for every protocol.
            if (ops > 0 && !n.client() && !(n.messagesInByType().isEmpty() && n.messagesOutByType().isEmpty()))
            {
                sb.append("node ").append(n.id()).append(" by type, in/op:").append(byType(n.messagesInByType()))
                    .append("  out/op:").append(byType(n.messagesOutByType())).append('\n');
            }
        }
        if (!busyMeasured)
        {
            sb.append("busy time: not measured (").append(run.load().busyNote()).append(")\n");
        }
        else
        {
            sb.append("(busy = wall time of the node's cycles that moved messages, handlers + transport calls; " +
                "util = busy / window; timers = cycles with no message, not per op)\n");
            controlPlaneLine(sb);
        }
        if (note != null)
        {
            sb.append("model: cannot be computed: ").append(note).append('\n');
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "model: bottleneck node %d (%s) by %s%s%n", bottleneck.id(),
            bottleneck.role(), bottleneckBy, bottleneckUtilization == null ? "" :
                String.format(Locale.ROOT, ", utilization %.1f%% at %,.0f ops/s", 100 * bottleneckUtilization,
                    throughput)));
        if (throughputNote != null)
        {
            sb.append("model: predicted max ops/s: none (").append(throughputNote).append(")\n");
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "model: predicted max ops/s %,.0f with one core per node " +
                "(1/max D_i), %,.0f with every node on one core (1/sum D_i, clients included; servers only " +
                "%,.0f)%n", nz(oneCorePerNode), nz(sharedCore), nz(sharedCoreServers)));
        }
        final String latencyWhy = latencyNullReason();
        final Double w = latency(run.writes(), run.theory().writeHops());
        final Double r = latency(run.reads(), run.theory().readHops());
        if (w == null && r == null)
        {
            sb.append("model: predicted p50: none (").append(latencyWhy).append(")\n");
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "model: predicted p50 us: write %s (measured %s), read %s " +
                "(measured %s) = hops x %.2f us link + (hops-1) x %.3f us per server hop + %.3f us client%n",
                w == null ? "-" : String.format(Locale.ROOT, "%.1f", w),
                p50(run.writes()), r == null ? "-" : String.format(Locale.ROOT, "%.1f", r), p50(run.reads()),
                oneWayUs, serverServiceUs, clientDemandUs));
        }
        if (transportShare != null)
        {
            sb.append(String.format(Locale.ROOT, "model: transport %.3f us per message (echo baseline): %.0f%% of " +
                "the bottleneck's demand%n", transportUsPerMsg, 100 * transportShare));
        }
        sb.append("model basis: ").append(String.join("; ", basis)).append('\n');
        return sb.toString();
    }

    private static String p50(final OpStats s)
    {
        return s.count() == 0 ? "-" :
            String.format(Locale.ROOT, "%.1f", s.latencyNs().getValueAtPercentile(50) / 1e3);
    }

    private static double nz(final Double v)
    {
        return v == null ? Double.NaN : v;
    }

    private static Double round3(final Double v)
    {
        return v == null || v.isNaN() || v.isInfinite() ? null : Math.round(v * 1000.0) / 1000.0;
    }

    private static Double round0(final Double v)
    {
        return v == null || v.isNaN() || v.isInfinite() ? null : (double)Math.round(v);
    }
}
