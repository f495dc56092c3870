package lab.harness.predict;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import lab.core.Endpoint;
import lab.core.Replica;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.LatencyTimeline;
import lab.harness.metrics.TrafficCounters;
import lab.harness.sim.SimNetwork;
import lab.harness.sim.SimRandom;
import lab.harness.workload.LoadGenerator;

/**
 * One configuration on the simulator with the CPU and link models: the real replicas and load generators, their
 * handlers taking the calibrated service time of their role on a simulated CPU, their messages crossing the profile's
 * links. The result is a {@link RunResult} like any run's (latency, hops, messages per operation), every figure of it
 * a prediction, plus what the simulation itself did (events, wall time).
 */
public final class PredictedRun
{
    /** How often a node's role is read again (roles change on failover and elections, rarely). */
    private static final long ROLE_REFRESH_NS = 1_000_000;

    /**
     * What shapes the machines of a prediction.
     *
     * @param link      the network.
     * @param cores     servers per CPU.
     * @param sharedCpu every node on one CPU (the lab's in-process run), else a CPU per node.
     * @param serviceCv per-message spread of service times (0: each message costs its role's mean).
     */
    public record Machines(LinkProfile link, int cores, boolean sharedCpu, double serviceCv)
    {
        public Machines
        {
            if (cores < 1)
            {
                throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
            }
            if (!(serviceCv >= 0))
            {
                throw new IllegalArgumentException("--service-cv must be >= 0, got " + serviceCv);
            }
        }

        public Map<String, Object> toJson(final int replicas)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("link", link.describe(replicas));
            m.put("link_profile", link.name());
            // One delay for every link (a named uniform profile or a duration): the report pairs the prediction with
            // measured runs whose emulated link (--link-delay, --link-jitter) is the same; a matrix has no one figure.
            final boolean uniform = link.replicaMatrixNs() == null && link.uniformNs() >= 0;
            m.put("link_delay_us", uniform ? link.uniformNs() / 1e3 : null);
            m.put("link_jitter_us", uniform ? link.jitterNs() / 1e3 : null);
            m.put("cores_per_cpu", cores);
            m.put("cpus", sharedCpu ? "one CPU shared by every node" : "a CPU per node");
            m.put("service_cv", serviceCv);
            return m;
        }
    }

    /**
     * @param result              the run's figures (predictions).
     * @param simulatedMessages   messages the simulator delivered.
     * @param wallNs              wall time the simulation took.
     * @param uncalibratedMessages messages received by a node in a role the calibration has no figure for (charged
     *                            the mean over server roles), by role.
     * @param untypedMessages     messages of a type that the calibration's {@code by_type} of the receiving role has
     *                            no cost for (never seen in the calibration, or too rare to fit), charged the role's
     *                            figure, by "role type"; only roles with a {@code by_type}.
     */
    public record Outcome(RunResult result, long simulatedMessages, long wallNs, Map<String, Long> uncalibratedMessages,
        Map<String, Long> untypedMessages)
    {
        public Outcome(final RunResult result, final long simulatedMessages, final long wallNs,
            final Map<String, Long> uncalibratedMessages)
        {
            this(result, simulatedMessages, wallNs, uncalibratedMessages, Map.of());
        }

        public double messagesPerWallSecond()
        {
            return wallNs == 0 ? 0 : simulatedMessages * 1e9 / wallNs;
        }
    }

    private PredictedRun()
    {
    }

    /**
     * @param planned a run configuration (run on the simulator, with the machines' link loss and no latency of its
     *                own: the link profile times the messages).
     */
    public static Outcome run(final RunConfig planned, final Calibration.Target calibration, final Machines machines)
    {
        final RunConfig.Builder simulated = planned.toBuilder();
        simulated.transport("sim");
        simulated.sim().latency(0, 0).loss(machines.link().loss());
        final RunConfig config = LabRunner.asRun(simulated.build());
        final LabRunner.Nodes nodes = LabRunner.build(config);
        machines.link().checkFits(config.replicas);
        try
        {
            return simulate(config, nodes, calibration, machines);
        }
        finally
        {
            nodes.factory.runEnded();
        }
    }

    private static Outcome simulate(final RunConfig config, final LabRunner.Nodes nodes,
        final Calibration.Target calibration, final Machines machines)
    {
        final int count = nodes.endpoints.length;
        final SimNetwork network = new SimNetwork(config.seed, config.sim(), count, nodes.firstClient());
        network.hashDeliveries(false); // a prediction compares no histories: the per-byte hash is pure cost here
        final long startNs = config.effectiveWarmupNs();
        final long endNs = startNs + config.durationNs;
        for (int i = 0; i < count; i++)
        {
            network.register(i, nodes.endpoints[i]);
            network.traffic(i).window(startNs, endNs);
        }
        final RoleServiceTimes service =
            new RoleServiceTimes(network, nodes.settings.replicas(), nodes.firstClient(), calibration,
                machines.serviceCv());
        final NodeCpus.ServiceByType byType = service; // per node and message type (by_type where calibrated)
        final NodeCpus cpus = new NodeCpus(machines.sharedCpu() ? NodeCpus.sharedCpu(count) : NodeCpus.ownCpus(count),
            machines.cores(), byType, new SimRandom(SimNetwork.deriveSeed(config.seed, 50_000)));
        final LinkModel links = machines.link().model(config.replicas, count,
            new SimRandom(SimNetwork.deriveSeed(config.seed, 60_000)));
        final TrafficCounters[] traffic = new TrafficCounters[count];
        for (int i = 0; i < count; i++)
        {
            traffic[i] = network.traffic(i);
        }
        network.timing(new SimTiming(links, cpus, traffic));
        final LatencyTimeline timeline = new LatencyTimeline(0, config.hlog);
        for (final LoadGenerator c : nodes.clients)
        {
            c.window(startNs, endNs);
            c.timeline(timeline);
        }
        final long wallStart = System.nanoTime();
        for (long t = Math.min(config.intervalNs, endNs); ; t = Math.min(t + config.intervalNs, endNs))
        {
            network.runUntil(t);
            timeline.sample(t);
            if (t == endNs)
            {
                break;
            }
        }
        final long wallNs = System.nanoTime() - wallStart;
        timeline.close();
        final Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("sim_messages_sent", network.sentCount());
        stats.put("sim_messages_delivered", network.deliveredCount());
        stats.put("sim_messages_dropped", network.droppedCount());
        final RunResult result = LabRunner.result(config, nodes, total(traffic, nodes.firstClient()), stats, timeline,
            Map.of(), protocolStats(network, config.replicas),
            LabRunner.loads(config, nodes, traffic, i -> service.roleOf(i), null, Map.of(), Double.NaN));
        return new Outcome(result, network.deliveredCount(), wallNs, service.uncalibrated(), service.untyped());
    }

    private static TrafficCounters total(final TrafficCounters[] traffic, final int replicasAndControl)
    {
        final TrafficCounters total = new TrafficCounters(replicasAndControl);
        for (final TrafficCounters t : traffic)
        {
            total.add(t);
        }
        return total;
    }

    private static Map<String, Object> protocolStats(final SimNetwork network, final int replicas)
    {
        final Map<String, Object> stats = new TreeMap<>();
        for (int i = 0; i < replicas; i++)
        {
            for (final Map.Entry<String, Long> e : ((Replica)network.endpoint(i)).counters().entrySet())
            {
                stats.merge(e.getKey(), e.getValue(), (a, b) -> (Long)a + (Long)b);
            }
        }
        return stats;
    }

    /**
     * The service time of the message a node receives now: its current role's calibrated figure. Roles are read from
     * the replicas at most every {@link #ROLE_REFRESH_NS} of simulated time (reading one may build a string).
     */
    static final class RoleServiceTimes implements java.util.function.IntFunction<ServiceTime>, NodeCpus.ServiceByType
    {
        private final lab.core.MessageTypes types = lab.core.MessageTypes.lab();
        /** Per role with a by_type fit, its service time per message type index (null: no figure for the type). */
        private final Map<String, ServiceTime[]> typedByRole = new TreeMap<>();
        /** Per role with a by_type fit, messages received of a type it has no figure for, by type index. */
        private final Map<String, long[]> untypedByRole = new TreeMap<>();
        /** Per node, its current role's arrays above (null: the role has no by_type). */
        private final ServiceTime[][] typed;
        private final long[][] untyped;
        private final SimNetwork network;
        private final int firstClient;
        private final String[] role;
        private final ServiceTime[] service;
        private final long[] readAtNs;
        private final Map<String, ServiceTime> byRole = new TreeMap<>();
        private final ServiceTime fallback;
        private final Map<String, Long> uncalibrated = new TreeMap<>();
        private final boolean[] calibrated;

        RoleServiceTimes(final SimNetwork network, final int replicas, final int firstClient,
            final Calibration.Target calibration, final double cv)
        {
            this.replicas = replicas;
            this.network = network;
            this.firstClient = firstClient;
            final int n = network.nodeCount();
            role = new String[n];
            service = new ServiceTime[n];
            readAtNs = new long[n];
            calibrated = new boolean[n];
            java.util.Arrays.fill(readAtNs, -ROLE_REFRESH_NS);
            calibration.roles().forEach((name, r) ->
                byRole.put(name, r.serviceTime(cv)));
            calibration.roles().forEach((name, r) ->
            {
                if (r.byType() != null)
                {
                    final ServiceTime[] byType = new ServiceTime[types.count()];
                    for (int t = 0; t < byType.length; t++)
                    {
                        byType[t] = r.byType().serviceTime(types.name(t), cv);
                    }
                    typedByRole.put(name, byType);
                    untypedByRole.put(name, new long[types.count()]);
                }
            });
            fallback = calibration.serverMean(cv);
            typed = new ServiceTime[n][];
            untyped = new long[n][];
        }

        /**
         * The message's type's fitted cost where its node's role has a {@code by_type} with a figure for it; the
         * role's figure otherwise (counted when the role has a {@code by_type}: the prediction says so).
         */
        public ServiceTime of(final int node, final int type)
        {
            final ServiceTime roleService = apply(node);
            final ServiceTime[] byType = typed[node];
            if (byType == null)
            {
                return roleService;
            }
            if (byType[type] != null)
            {
                return byType[type];
            }
            untyped[node][type]++;
            return roleService;
        }

        /**
         * @return messages charged their role's figure though the role has a by_type fit, by "role type".
         */
        Map<String, Long> untyped()
        {
            final Map<String, Long> m = new TreeMap<>();
            untypedByRole.forEach((role, counts) ->
            {
                for (int t = 0; t < counts.length; t++)
                {
                    if (counts[t] > 0)
                    {
                        m.put(role + " " + types.name(t), counts[t]);
                    }
                }
            });
            return m;
        }

        public ServiceTime apply(final int node)
        {
            final long now = network.nowNs();
            if (now - readAtNs[node] >= ROLE_REFRESH_NS)
            {
                readAtNs[node] = now;
                final String r = roleNow(node);
                if (!r.equals(role[node]))
                {
                    role[node] = r;
                    final ServiceTime s = byRole.get(r);
                    calibrated[node] = s != null;
                    service[node] = s != null ? s : fallback;
                    typed[node] = typedByRole.get(r);
                    untyped[node] = untypedByRole.get(r);
                }
            }
            if (!calibrated[node])
            {
                uncalibrated.merge(role[node], 1L, Long::sum);
            }
            return service[node];
        }

        /** Control nodes (ids from here to the first client) are "control", whatever role they report. */
        private final int replicas;

        private String roleNow(final int node)
        {
            final Endpoint e = network.endpoint(node);
            return node >= firstClient ? "client" : e instanceof Replica && node < replicas ?
                ((Replica)e).role().name() : "control";
        }

        String roleOf(final int node)
        {
            return roleNow(node);
        }

        Map<String, Long> uncalibrated()
        {
            return uncalibrated;
        }
    }
}
