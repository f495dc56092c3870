package lab.harness.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lab.harness.metrics.TimelinePoint;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.LoadGenerator;

/**
 * Carries out a {@link FaultSchedule} on a cluster from the run's main thread, and measures what the faults cost:
 * the unavailability window (after a crash, the time in which no client completed a write: {@link Unavailability}),
 * the time until another replica holds the crashed role, and latency before, during and after.
 *
 * <p>How a node is crashed and restarted, and how its role is read, is the {@link FaultTarget}'s business: the
 * in-process cluster stops an agent ({@link InProcessFaults}), a run with one process per replica kills its JVM. The
 * measuring is the same for both, so the results and the report's fault markers are too.
 */
public final class FaultInjector
{
    private final FaultSchedule schedule;
    private final FaultTarget target;
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
    /** Per node of the run (lazily sized): its receive-edge rules, without its cuts. */
    private lab.harness.aeron.ReceiveEdgeFaults.Rules[] rules;
    /** Per node: the senders it is cut from (bit per node id). */
    private long[] blocked;
    private boolean[] paused;
    /** The node a role target resolved to when its fault began ("slow:middle"), for the event that ends it. */
    private final Map<String, Integer> bound = new java.util.HashMap<>();
    private final java.util.Set<String> quietItems = new java.util.HashSet<>();

    /**
     * @param startNs start of the run (warm-up included): event times count from it.
     * @param seed    the run's seed; each restarted replica's random choices derive from it.
     */
    public FaultInjector(final FaultSchedule schedule, final FaultTarget target, final long startNs, final long seed)
    {
        this.schedule = schedule;
        this.target = target;
        this.startNs = startNs;
        this.seed = seed;
    }

    /**
     * @return whether events are still to come or a new role holder is still awaited (poll often while it is).
     */
    public boolean active()
    {
        return next < schedule.events().size() || watchedRole != null;
    }

    /**
     * Applies the events that are due and looks for a new holder of the crashed role.
     */
    public void poll(final long nowNs)
    {
        while (next < schedule.events().size() && nowNs - startNs >= schedule.events().get(next).atNs())
        {
            apply(schedule.events().get(next++), nowNs);
        }
        if (watchedRole != null)
        {
            for (int i = 0; i < target.replicas(); i++)
            {
                if (i != watchedNode && !target.crashed(i) && matches(watchedRole, i))
                {
                    failoverMs = (nowNs - watchSinceNs) / 1e6;
                    note(nowNs, "new " + watchedRole, i);
                    watchedRole = null;
                    break;
                }
            }
        }
    }

    private boolean matches(final String role, final int node)
    {
        final String actual = target.role(node);
        return actual != null && FaultSchedule.roleMatches(role, actual);
    }

    private void apply(final FaultSchedule.Event event, final long nowNs)
    {
        switch (event.kind())
        {
            case CRASH -> crash(event, nowNs);
            case RESTART -> restart(event, nowNs);
            case PARTITION, ISOLATE, HEAL -> cut(event, nowNs);
            case LOSS, DELAY, SLOW, CLEAR -> edge(event, nowNs);
            case PAUSE, RESUME -> pause(event, nowNs);
            default -> throw new IllegalStateException(event.kind().name());
        }
    }

    private void ensureNodes()
    {
        if (rules == null)
        {
            final int members = target.members();
            rules = new lab.harness.aeron.ReceiveEdgeFaults.Rules[members];
            java.util.Arrays.fill(rules, lab.harness.aeron.ReceiveEdgeFaults.Rules.NONE);
            blocked = new long[members];
            paused = new boolean[members];
        }
    }

    private void push(final int node)
    {
        final lab.harness.aeron.ReceiveEdgeFaults.Rules r = rules[node].withBlocked(blocked[node]);
        target.edge(node, r.equals(lab.harness.aeron.ReceiveEdgeFaults.Rules.NONE) ?
            lab.harness.aeron.ReceiveEdgeFaults.Rules.NONE : r);
    }

    /**
     * Partition, isolate and heal: each node's receive edge drops what comes from the nodes it is cut from, so a cut
     * is both ways. Nodes a partition does not name (clients, control nodes, other replicas) keep every link.
     */
    private void cut(final FaultSchedule.Event event, final long nowNs)
    {
        ensureNodes();
        final long[] before = blocked.clone();
        if (event.kind() == FaultSchedule.Kind.HEAL)
        {
            java.util.Arrays.fill(blocked, 0);
            note(nowNs, "heal", -1);
        }
        else if (event.kind() == FaultSchedule.Kind.ISOLATE)
        {
            final int node = resolveLive(event, nowNs);
            if (node < 0)
            {
                return;
            }
            for (int i = 0; i < blocked.length; i++)
            {
                if (i != node)
                {
                    blocked[i] |= 1L << node;
                    blocked[node] |= 1L << i;
                }
            }
            note(nowNs, "isolate " + describe(node), node);
        }
        else
        {
            final List<List<Integer>> sides = new ArrayList<>();
            final java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (final List<String> group : event.groups())
            {
                final List<Integer> side = new ArrayList<>();
                for (final String t : group)
                {
                    final int node = resolve(t);
                    if (node < 0 || !seen.add(node))
                    {
                        note(nowNs, event.text() + ": " + (node < 0 ? "no live replica has role " + t :
                            t + " is a node another side already holds") + " (" + roles() + ")", -1);
                        return;
                    }
                    side.add(node);
                }
                sides.add(side);
            }
            for (int a = 0; a < sides.size(); a++)
            {
                for (int b = 0; b < sides.size(); b++)
                {
                    if (a != b)
                    {
                        for (final int x : sides.get(a))
                        {
                            for (final int y : sides.get(b))
                            {
                                blocked[x] |= 1L << y;
                            }
                        }
                    }
                }
            }
            note(nowNs, "partition " + sides.toString().replace(", [", " | [").replace("[", "").replace("]", ""), -1);
        }
        for (int i = 0; i < blocked.length; i++)
        {
            if (blocked[i] != before[i])
            {
                push(i);
            }
        }
    }

    /**
     * Loss, delay, slow and clear: the target's receive edge; the node a role resolved to stays the one cleared.
     */
    private void edge(final FaultSchedule.Event event, final long nowNs)
    {
        ensureNodes();
        final String key = key(event.target());
        if (event.kind() == FaultSchedule.Kind.CLEAR)
        {
            final Integer node = bound.remove("edge " + key);
            final int n = node != null ? node : resolve(event.target());
            if (n < 0)
            {
                note(nowNs, event.text() + ": nothing to clear", -1);
                return;
            }
            rules[n] = rules[n].cleared();
            push(n);
            note(nowNs, "clear", n);
            return;
        }
        final Integer earlier = bound.get("edge " + key);
        final int node = earlier != null ? earlier : resolveLive(event, nowNs);
        if (node < 0)
        {
            return;
        }
        bound.put("edge " + key, node);
        final lab.harness.aeron.ReceiveEdgeFaults.Rules r = rules[node];
        switch (event.kind())
        {
            case LOSS -> rules[node] = r.withLoss(event.percent() / 100.0);
            case DELAY -> rules[node] = r.withDelay(event.amountNs());
            default -> rules[node] = r.withSlow(event.amountNs());
        }
        push(node);
        note(nowNs, event.kind().word() + " " + describe(node) + " " + (event.kind() == FaultSchedule.Kind.LOSS ?
            event.percent() + "%" : event.amountNs() / 1000 + " us"), node);
    }

    private void pause(final FaultSchedule.Event event, final long nowNs)
    {
        ensureNodes();
        final String key = "pause " + key(event.target());
        final boolean quiet = !quietItems.add(event.text() + event.kind()); // a repeated pause: say the first only
        if (event.kind() == FaultSchedule.Kind.RESUME)
        {
            final Integer node = bound.remove(key);
            if (node == null || !paused[node])
            {
                note(nowNs, event.text() + ": nothing paused to resume", -1);
                return;
            }
            target.resume(node);
            paused[node] = false;
            noteMaybe(quiet, nowNs, "resume", node);
            return;
        }
        final int node = resolveLive(event, nowNs);
        if (node < 0)
        {
            return;
        }
        if (paused[node])
        {
            note(nowNs, event.text() + ": node " + node + " is already paused", node);
            return;
        }
        bound.put(key, node);
        target.pause(node);
        paused[node] = true;
        noteMaybe(quiet, nowNs, "pause " + describe(node) + (event.amountNs() > 0 ? " for " +
            event.amountNs() / 1_000_000 + " ms (repeated: " + event.text() + ")" : ""), node);
    }

    /**
     * Resumes paused nodes and lifts every receive-edge fault, at the end of the measured window: the drain that
     * follows lets the operations in flight finish, and a stopped process must run to answer STOP.
     */
    public void endFaults(final long nowNs)
    {
        if (rules == null)
        {
            return;
        }
        for (int i = 0; i < rules.length; i++)
        {
            if (paused[i] && !(i < target.replicas() && target.crashed(i)))
            {
                target.resume(i);
                paused[i] = false;
            }
            if (blocked[i] != 0 || !rules[i].equals(lab.harness.aeron.ReceiveEdgeFaults.Rules.NONE))
            {
                blocked[i] = 0;
                rules[i] = lab.harness.aeron.ReceiveEdgeFaults.Rules.NONE;
                if (!(i < target.replicas() && target.crashed(i)))
                {
                    target.edge(i, rules[i]);
                }
            }
        }
    }

    private void noteMaybe(final boolean quiet, final long nowNs, final String what, final int node)
    {
        if (quiet)
        {
            record(nowNs, what, node).put("repeat", true);
        }
        else
        {
            note(nowNs, what, node);
        }
    }

    private static String key(final String target)
    {
        final int id = FaultSchedule.nodeId(target);
        return id >= 0 ? "node" + id : target;
    }

    private String describe(final int node)
    {
        final String role = target.role(node);
        return role == null ? "node" + node : role;
    }

    /**
     * @return the live node the event's target names now, or -1 (noted) when none does.
     */
    private int resolveLive(final FaultSchedule.Event event, final long nowNs)
    {
        final int node = resolve(event.target());
        if (node < 0 || target.crashed(node))
        {
            note(nowNs, event.text() + ": no live replica " + (FaultSchedule.nodeId(event.target()) < 0 ? "has role " :
                "is ") + event.target() + " (" + roles() + ")", -1);
            return -1;
        }
        return node;
    }

    private void crash(final FaultSchedule.Event event, final long nowNs)
    {
        final int node = resolve(event.target());
        if (node < 0)
        {
            note(nowNs, event.text() + ": no live replica has role " + event.target() + " (" + roles() + ")", -1);
            return;
        }
        final String role = target.role(node);
        if (paused != null && paused[node])
        {
            target.resume(node); // a crashed node comes back running, not paused
            paused[node] = false;
        }
        target.crash(node);
        lastCrashed = node;
        if (firstCrashNs < 0)
        {
            firstCrashNs = nowNs;
        }
        note(nowNs, "crash " + (role == null ? "node" + node : role), node);
        if (FaultSchedule.nodeId(event.target()) < 0)
        {
            watchedRole = event.target();
            watchedNode = node;
            watchSinceNs = nowNs;
        }
    }

    private void restart(final FaultSchedule.Event event, final long nowNs)
    {
        final int node = event.target().isEmpty() ? lastCrashed : resolve(event.target());
        if (node < 0 || !target.crashed(node))
        {
            note(nowNs, event.text() + ": nothing to restart", -1);
            return;
        }
        target.restart(node, SimNetwork.deriveSeed(seed, 10_000 + node * 100L + ++restarts));
        note(nowNs, "restart", node);
    }

    private int resolve(final String role)
    {
        final int id = FaultSchedule.nodeId(role);
        if (id >= 0)
        {
            if (id >= target.replicas())
            {
                throw new IllegalArgumentException("--fault: node " + id + " is not a replica (0.." +
                    (target.replicas() - 1) + ")");
            }
            return id;
        }
        for (int i = 0; i < target.replicas(); i++)
        {
            if (!target.crashed(i) && matches(role, i))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return every replica's role as last known, for a message saying why no replica matched.
     */
    private String roles()
    {
        final StringBuilder sb = new StringBuilder("roles now:");
        for (int i = 0; i < target.replicas(); i++)
        {
            final String role = target.role(i);
            sb.append(i == 0 ? " " : ", ").append("node").append(i).append(' ')
                .append(target.crashed(i) ? "down" : role == null ? "not known yet" : role);
        }
        return sb.toString();
    }

    private void note(final long nowNs, final String what, final int node)
    {
        record(nowNs, what, node);
        System.err.printf("[%6.3fs] fault: %s%s%n", (nowNs - startNs) / 1e9, what, node >= 0 ? " (node " + node + ")" : "");
    }

    private Map<String, Object> record(final long nowNs, final String what, final int node)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("t_s", Math.round((nowNs - startNs) / 1e6) / 1e3);
        m.put("event", what);
        if (node >= 0)
        {
            m.put("node", node);
        }
        applied.add(m);
        return m;
    }

    /**
     * @param runEndNs end of the measured run: a write gap still open then is part of the window.
     * @return the faults applied and what they cost, for the results.
     */
    public Map<String, Object> report(final LoadGenerator[] clients, final List<TimelinePoint> timeline,
        final long runEndNs)
    {
        return report(clients, timeline, runEndNs, null, null);
    }

    /**
     * @param phases           the run's phases, or null.
     * @param staleReadTimesNs when stale reads completed, or null when the run did not measure them.
     */
    public Map<String, Object> report(final LoadGenerator[] clients, final List<TimelinePoint> timeline,
        final long runEndNs, final FaultPhases phases, final org.agrona.collections.LongArrayList staleReadTimesNs)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", applied);
        if (phases != null)
        {
            final List<List<long[]>> gaps = new ArrayList<>();
            for (final LoadGenerator c : clients)
            {
                gaps.add(c.writeGaps());
            }
            m.put("phases", phases.phases(staleReadTimesNs, gaps));
        }
        if (firstCrashNs < 0)
        {
            m.putAll(target.report());
            return m;
        }
        final List<List<long[]>> gaps = new ArrayList<>();
        final long[] lastWrite = new long[clients.length];
        for (int c = 0; c < clients.length; c++)
        {
            gaps.add(clients[c].writeGaps());
            lastWrite[c] = clients[c].lastWriteDoneNs();
        }
        final Unavailability.Window window =
            Unavailability.around(gaps, lastWrite, LoadGenerator.WRITE_GAP_NS, firstCrashNs, runEndNs);
        m.put("unavailability_ms", window == null ? 0.0 : Math.round(window.lengthNs() / 1e4) / 100.0);
        if (window != null)
        {
            m.put("unavailability_from_s", Math.round((window.fromNs() - startNs) / 1e6) / 1e3);
            m.put("unavailability_to_s", Math.round((window.toNs() - startNs) / 1e6) / 1e3);
            m.put("longest_write_gap_ms", Math.round(window.longestGapNs() / 1e4) / 100.0);
            m.put("writes_resumed", window.resumed());
            if (!window.resumed())
            {
                System.err.println("fault: no write completed after the crash until the end of the run: the " +
                    "unavailability window is at least the rest of the run");
            }
        }
        m.put("time_to_new_role_holder_ms", failoverMs < 0 ? "not observed" : Math.round(failoverMs * 100) / 100.0);
        final double crashS = (firstCrashNs - startNs) / 1e9;
        final double recoveredS = window == null ? crashS : (window.toNs() - startNs) / 1e9;
        m.put("write_latency_before", phase(timeline, Double.NEGATIVE_INFINITY, crashS));
        m.put("write_latency_during", phase(timeline, crashS, recoveredS + 1.0));
        m.put("write_latency_after", phase(timeline, recoveredS + 1.0, Double.POSITIVE_INFINITY));
        m.putAll(target.report());
        return m;
    }

    private static Map<String, Object> phase(final List<TimelinePoint> timeline, final double fromS,
        final double toS)
    {
        long count = 0;
        double worstP99 = 0;
        double sumP50 = 0;
        int intervals = 0;
        for (final TimelinePoint p : timeline)
        {
            final double t = p.tS();
            final long n = p.writeCount();
            if (t > fromS && t <= toS && n > 0)
            {
                count += n;
                worstP99 = Math.max(worstP99, p.writeP99Us());
                sumP50 += p.writeP50Us();
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
