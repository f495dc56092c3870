package lab.harness.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.harness.aeron.AeronCluster;
import lab.harness.api.Replica;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.LoadGenerator;

/**
 * Carries out a {@link FaultSchedule} on an in-process Aeron cluster from the run's main thread, and measures what
 * the faults cost: the unavailability window (the longest time, after a crash, in which no client completed a
 * write), the time until another replica holds the crashed role, and latency before, during and after.
 *
 * <p>Roles are read from the replicas' {@link Replica#role()} while the node thread runs: a racy read, used only to
 * pick a target and to notice a new role holder, never for results of the protocol itself.
 */
final class FaultInjector
{
    private final FaultSchedule schedule;
    private final AeronCluster cluster;
    private final LabRunner.Nodes nodes;
    private final long startNs;
    private final long seed;
    private final List<Map<String, Object>> applied = new ArrayList<>();
    private int next;
    private int lastCrashed = -1;
    private String watchedRole;
    private int watchedNode = -1;
    private long watchSinceNs;
    private long firstCrashNs = -1;
    private double failoverMs = -1;
    private int restarts;

    FaultInjector(final FaultSchedule schedule, final AeronCluster cluster, final LabRunner.Nodes nodes,
        final long startNs, final long seed)
    {
        this.schedule = schedule;
        this.cluster = cluster;
        this.nodes = nodes;
        this.startNs = startNs;
        this.seed = seed;
    }

    boolean active()
    {
        return next < schedule.events().size() || watchedRole != null;
    }

    void poll(final long nowNs)
    {
        while (next < schedule.events().size() && nowNs - startNs >= schedule.events().get(next).atNs())
        {
            apply(schedule.events().get(next++), nowNs);
        }
        if (watchedRole != null)
        {
            for (int i = 0; i < nodes.settings.replicas(); i++)
            {
                if (i != watchedNode && !cluster.crashed(i) &&
                    FaultSchedule.roleMatches(watchedRole, role(i)))
                {
                    failoverMs = (nowNs - watchSinceNs) / 1e6;
                    note(nowNs, "new " + watchedRole, i);
                    watchedRole = null;
                    break;
                }
            }
        }
    }

    private String role(final int node)
    {
        return ((Replica)cluster.agents().get(node).endpoint()).role();
    }

    private void apply(final FaultSchedule.Event event, final long nowNs)
    {
        if (event.crash())
        {
            final int node = resolve(event.target());
            if (node < 0)
            {
                note(nowNs, event.text() + ": no live replica has role " + event.target(), -1);
                return;
            }
            final String role = role(node);
            cluster.crash(node);
            lastCrashed = node;
            if (firstCrashNs < 0)
            {
                firstCrashNs = nowNs;
            }
            note(nowNs, "crash " + role, node);
            if (FaultSchedule.nodeId(event.target()) < 0)
            {
                watchedRole = event.target();
                watchedNode = node;
                watchSinceNs = nowNs;
            }
        }
        else
        {
            final int node = event.target().isEmpty() ? lastCrashed : resolve(event.target());
            if (node < 0 || !cluster.crashed(node))
            {
                note(nowNs, event.text() + ": nothing to restart", -1);
                return;
            }
            final Random random = new Random(SimNetwork.deriveSeed(seed, 10_000 + node * 100L + ++restarts));
            cluster.restart(node, nodes.factory.newReplica(node, nodes.settings, random, true));
            note(nowNs, "restart", node);
        }
    }

    private int resolve(final String target)
    {
        final int id = FaultSchedule.nodeId(target);
        if (id >= 0)
        {
            if (id >= nodes.settings.replicas())
            {
                throw new IllegalArgumentException("--fault: node " + id + " is not a replica (0.." +
                    (nodes.settings.replicas() - 1) + ")");
            }
            return id;
        }
        for (int i = 0; i < nodes.settings.replicas(); i++)
        {
            if (!cluster.crashed(i) && FaultSchedule.roleMatches(target, role(i)))
            {
                return i;
            }
        }
        return -1;
    }

    private void note(final long nowNs, final String what, final int node)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("t_s", Math.round((nowNs - startNs) / 1e6) / 1e3);
        m.put("event", what);
        if (node >= 0)
        {
            m.put("node", node);
        }
        applied.add(m);
        System.err.printf("[%6.3fs] fault: %s%s%n", (nowNs - startNs) / 1e9, what, node >= 0 ? " (node " + node + ")" : "");
    }

    /**
     * @return the faults applied and what they cost, for the results.
     */
    Map<String, Object> report(final LoadGenerator[] clients, final List<Map<String, Object>> timeline)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", applied);
        if (firstCrashNs < 0)
        {
            return m;
        }
        final long[] window = unavailability(clients, firstCrashNs);
        m.put("unavailability_ms", window == null ? 0.0 : Math.round((window[1] - window[0]) / 1e4) / 100.0);
        if (window != null)
        {
            m.put("unavailability_from_s", Math.round((window[0] - startNs) / 1e6) / 1e3);
            m.put("unavailability_to_s", Math.round((window[1] - startNs) / 1e6) / 1e3);
        }
        m.put("time_to_new_role_holder_ms", failoverMs < 0 ? "not observed" : Math.round(failoverMs * 100) / 100.0);
        final double crashS = (firstCrashNs - startNs) / 1e9;
        final double recoveredS = window == null ? crashS : (window[1] - startNs) / 1e9;
        m.put("write_latency_before", phase(timeline, Double.NEGATIVE_INFINITY, crashS));
        m.put("write_latency_during", phase(timeline, crashS, recoveredS + 1.0));
        m.put("write_latency_after", phase(timeline, recoveredS + 1.0, Double.POSITIVE_INFINITY));
        return m;
    }

    /**
     * The longest period after {@code fromNs} in which no client completed a write: the intersection of every
     * client's gaps (with one client, its longest gap).
     */
    private static long[] unavailability(final LoadGenerator[] clients, final long fromNs)
    {
        List<long[]> common = null;
        for (final LoadGenerator c : clients)
        {
            final List<long[]> gaps = new ArrayList<>();
            for (final long[] g : c.writeGaps())
            {
                if (g[1] > fromNs)
                {
                    gaps.add(g);
                }
            }
            common = common == null ? gaps : intersect(common, gaps);
        }
        long[] longest = null;
        if (common != null)
        {
            for (final long[] g : common)
            {
                if (longest == null || g[1] - g[0] > longest[1] - longest[0])
                {
                    longest = g;
                }
            }
        }
        return longest;
    }

    private static List<long[]> intersect(final List<long[]> a, final List<long[]> b)
    {
        final List<long[]> out = new ArrayList<>();
        for (final long[] x : a)
        {
            for (final long[] y : b)
            {
                final long from = Math.max(x[0], y[0]);
                final long to = Math.min(x[1], y[1]);
                if (to > from)
                {
                    out.add(new long[]{from, to});
                }
            }
        }
        return out;
    }

    private static Map<String, Object> phase(final List<Map<String, Object>> timeline, final double fromS,
        final double toS)
    {
        long count = 0;
        double worstP99 = 0;
        double sumP50 = 0;
        int intervals = 0;
        for (final Map<String, Object> p : timeline)
        {
            final double t = ((Number)p.get("t_s")).doubleValue();
            final long n = ((Number)p.get("write_count")).longValue();
            if (t > fromS && t <= toS && n > 0)
            {
                count += n;
                worstP99 = Math.max(worstP99, ((Number)p.get("write_p99_us")).doubleValue());
                sumP50 += ((Number)p.get("write_p50_us")).doubleValue();
                intervals++;
            }
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("writes", count);
        m.put("mean_interval_p50_us", intervals == 0 ? 0 : Math.round(sumP50 / intervals * 10) / 10.0);
        m.put("worst_interval_p99_us", worstP99);
        return m;
    }
}
