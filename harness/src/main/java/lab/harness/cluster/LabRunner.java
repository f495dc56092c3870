package lab.harness.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import lab.harness.aeron.AeronCluster;
import lab.harness.aeron.NodeAgent;
import lab.core.ClientProtocol;
import lab.core.Endpoint;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Protocols;
import lab.harness.check.ObservedOrder;
import lab.harness.metrics.LatencyTimeline;
import lab.harness.metrics.OpStats;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.metrics.TrafficCounters;
import lab.harness.metrics.NodeProfiler;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.LoadGenerator;
import lab.harness.workload.OpenLoopLoadGenerator;
import lab.harness.metrics.OperationObserver;

/**
 * Runs one configuration on the embedded in-process cluster (Aeron IPC or UDP) or on the simulated network, and
 * collects what it measured.
 */
public final class LabRunner
{
    /** The counter of messages dropped as malformed, in {@link lab.core.Replica#counters()}. */
    public static final String MALFORMED = "malformed_messages";

    private LabRunner()
    {
    }

    /**
     * A cluster ready to run: the protocol's replicas and the load generators, with node ids.
     */
    public static final class Nodes
    {
        public final ProtocolFactory factory;
        public final ProtocolSettings settings;
        public final Endpoint[] endpoints;
        public final LoadGenerator[] clients;
        /** Measures stale reads over every client's operations, or null when the run does not. */
        public final StaleReadDetector staleReads;

        Nodes(final ProtocolFactory factory, final ProtocolSettings settings, final Endpoint[] endpoints,
            final LoadGenerator[] clients, final StaleReadDetector staleReads)
        {
            this.staleReads = staleReads;
            this.factory = factory;
            this.settings = settings;
            this.endpoints = endpoints;
            this.clients = clients;
        }

        /**
         * @return node id of the first client: replicas and control nodes come before it.
         */
        public int firstClient()
        {
            return settings.replicas() + settings.controlNodes();
        }
    }

    public static Nodes build(final RunConfig config)
    {
        return build(config, node -> true);
    }

    /**
     * @return the configuration as it runs: a protocol with a fixed replica count runs that many, whatever was asked
     * (what the run's nodes are built for and its result describes).
     */
    public static RunConfig asRun(final RunConfig config)
    {
        final int fixed = Protocols.byName(config.protocol).fixedReplicas();
        return fixed > 0 && fixed != config.replicas ? config.toBuilder().replicas(fixed).build() : config;
    }

    /**
     * Checks a configuration the way a run would, without starting anything: the run settings, then the protocol's
     * own rules and options. Commands that run many configurations (sweep, compare) call it for every one before the
     * first starts, so a bad point fails in a second, not after an hour of the others.
     *
     * @return the protocol settings of the configuration.
     */
    public static ProtocolSettings validate(final RunConfig config)
    {
        config.validate();
        final ProtocolFactory factory = Protocols.byName(config.protocol);
        final int replicas = factory.fixedReplicas() > 0 ? factory.fixedReplicas() : config.replicas;
        final ProtocolSettings settings =
            new ProtocolSettings(replicas, config.clients, config.outstanding, config.options);
        factory.validate(settings);
        if (!settings.unknownOptions().isEmpty())
        {
            throw new IllegalArgumentException("option(s) " + settings.unknownOptions() + " do not apply to " +
                factory.name() + " (its options: " + settings.knownOptions() + ")");
        }
        return settings;
    }

    /**
     * Builds the run's nodes, but only the replicas {@code replicaHere} accepts; the others are null in
     * {@link Nodes#endpoints}. A process that hosts some replicas builds only those: a replica may own resources
     * beyond its object (Raft's log files are opened, and emptied for a new node, when its replica is made), which
     * must not be touched by processes the replica does not run in.
     */
    public static Nodes build(final RunConfig planned, final java.util.function.IntPredicate replicaHere)
    {
        final ProtocolFactory factory = Protocols.byName(planned.protocol);
        final RunConfig config = asRun(planned);
        final ProtocolSettings settings = validate(config);
        settings.controlNodes(factory.controlNodes(settings));
        settings.diskProvider(config.disks);
        final int firstClient = config.replicas + settings.controlNodes();
        final int nodes = firstClient + config.clients;
        final Endpoint[] endpoints = new Endpoint[nodes];
        // One detector for all clients. Every client's events reach it and the run's own observers (a history
        // recorder) in one observed order with times that keep it: on one thread (the simulator's or the composite
        // agent's) as they come, behind one lock when each client has its own thread (instrumentation that is off
        // unless asked for).
        final StaleReadDetector detector =
            config.staleReads || factory.measuresStaleReads(settings) ? new StaleReadDetector() : null;
        final ObservedOrder order =
            ObservedOrder.of("per-node".equals(config.threading) && !"sim".equals(config.transport));
        final LoadGenerator[] clients = config.rate > 0 ?
            new OpenLoopLoadGenerator[config.clients] : new ClosedLoopLoadGenerator[config.clients];
        for (int i = 0; i < config.replicas; i++)
        {
            if (replicaHere.test(i))
            {
                endpoints[i] =
                    factory.newReplica(i, settings, new Random(SimNetwork.deriveSeed(config.seed, i)), false);
            }
        }
        for (int i = config.replicas; i < firstClient; i++)
        {
            endpoints[i] = factory.newControlNode(i, settings, new Random(SimNetwork.deriveSeed(config.seed, i)));
        }
        for (int c = 0; c < config.clients; c++)
        {
            final int node = settings.clientNode(c);
            final ClientProtocol protocol =
                factory.newClient(node, settings, new Random(SimNetwork.deriveSeed(config.seed, 1000 + node)));
            final Random random = new Random(SimNetwork.deriveSeed(config.seed, 2000 + node));
            final OperationObserver own = config.observers.apply(c);
            final OperationObserver observer =
                order.view(detector == null ? own : OperationObserver.both(detector, own));
            clients[c] = config.rate > 0 ?
                new OpenLoopLoadGenerator(node, protocol, config.workload, config.outstanding, random,
                    config.opTimeoutNs, observer, config.rate / config.clients, config.poisson,
                    new Random(SimNetwork.deriveSeed(config.seed, 3000 + node))) :
                new ClosedLoopLoadGenerator(node, protocol, config.workload, config.outstanding, random,
                    config.opTimeoutNs, observer);
            endpoints[node] = clients[c];
        }
        return new Nodes(factory, settings, endpoints, clients, detector);
    }

    public static RunResult run(final RunConfig config)
    {
        return run(config, ProgressListener.NONE);
    }

    public static RunResult run(final RunConfig planned, final ProgressListener progress)
    {
        final RunConfig config = asRun(planned);
        final Nodes nodes = build(config);
        try
        {
            return "sim".equals(config.transport) ? runSimulated(config, nodes) : runAeron(config, nodes, progress);
        }
        finally
        {
            nodes.factory.runEnded();
        }
    }

    private static RunResult runSimulated(final RunConfig config, final Nodes nodes)
    {
        final SimNetwork network =
            new SimNetwork(config.seed, config.sim(), nodes.endpoints.length, nodes.firstClient());
        final long startNs = config.effectiveWarmupNs();
        final long endNs = startNs + config.durationNs;
        for (int i = 0; i < nodes.endpoints.length; i++)
        {
            network.register(i, nodes.endpoints[i]);
            network.traffic(i).window(startNs, endNs);
        }
        final LatencyTimeline timeline = new LatencyTimeline(0, config.hlog);
        for (final LoadGenerator c : nodes.clients)
        {
            c.window(startNs, endNs);
            c.timeline(timeline);
        }
        for (long t = Math.min(config.intervalNs, endNs); ; t = Math.min(t + config.intervalNs, endNs))
        {
            network.runUntil(t);
            timeline.sample(t);
            if (t == endNs)
            {
                break;
            }
        }
        timeline.close();
        final TrafficCounters[] traffic = new TrafficCounters[nodes.endpoints.length];
        for (int i = 0; i < traffic.length; i++)
        {
            traffic[i] = network.traffic(i);
        }
        final Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("sim_messages_sent", network.sentCount());
        stats.put("sim_messages_dropped", network.droppedCount());
        stats.put("sim_messages_duplicated", network.duplicatedCount());
        return result(config, nodes, traffic, stats, timeline, Map.of(), network::endpoint,
            "simulated time: handlers take no time on the simulator's clock (messages and bytes are exact)");
    }

    private static RunResult runAeron(final RunConfig config, final Nodes nodes, final ProgressListener progress)
    {
        final int count = nodes.endpoints.length;
        final TrafficCounters[] traffic = new TrafficCounters[count];
        for (int i = 0; i < count; i++)
        {
            traffic[i] = new TrafficCounters(nodes.firstClient());
        }
        final AeronCluster.Settings settings = new AeronCluster.Settings();
        settings.medium = config.transport;
        settings.idle = config.idle;
        settings.link = config.link;
        settings.threading = config.threading;
        settings.mtu = config.mtu;
        settings.seed = config.seed;
        final Map<String, Object> stats = new LinkedHashMap<>();
        final LatencyTimeline timeline;
        final Map<String, Object> faultReport = new LinkedHashMap<>();
        final Endpoint[] finalEndpoints = new Endpoint[count];
        final java.util.function.IntFunction<Endpoint> endpointsAtEnd = i -> finalEndpoints[i];
        try (AeronCluster cluster = new AeronCluster(settings, nodes.endpoints, traffic))
        {
            // Windows are set before the agent thread starts, which publishes them to it.
            final long[] window = {0, 0};
            final LatencyTimeline[] timelineHolder = new LatencyTimeline[1];
            final FaultPhases[] phasesHolder = new FaultPhases[1];
            final Runnable setWindows = () ->
            {
                final long now = System.nanoTime();
                timelineHolder[0] = new LatencyTimeline(now, config.hlog);
                window[0] = now + config.effectiveWarmupNs();
                window[1] = window[0] + config.durationNs;
                if (!config.faults.isEmpty())
                {
                    phasesHolder[0] = new FaultPhases(config.faults, now, window[0], window[1]);
                    timelineHolder[0].intervalListener(phasesHolder[0]);
                }
                for (int i = 0; i < count; i++)
                {
                    traffic[i].window(window[0], window[1]); // also the window of the node's busy time
                }
                for (final LoadGenerator c : nodes.clients)
                {
                    c.window(window[0], window[1]);
                    c.timeline(timelineHolder[0]);
                }
            };
            cluster.startWith(setWindows);
            timeline = timelineHolder[0];
            progress.onStart(config);
            final long startNs = window[0] - config.effectiveWarmupNs();
            final FaultInjector faults =
                new FaultInjector(config.faults, new InProcessFaults(cluster, nodes), startNs, config.seed);
            final NodeProfiler profiler = config.profileDir == null ? null : new NodeProfiler();
            final String[] profileModeHolder = new String[1];
            final lab.harness.metrics.BusyClock.CpuShare cpuShare = new lab.harness.metrics.BusyClock.CpuShare();
            final boolean[] cpuShareStarted = {false};
            RunLoop.measure(startNs, window[0], window[1], config.intervalNs, Long.MAX_VALUE, timeline, progress,
                new RunLoop.Duties()
                {
                    public boolean stopped()
                    {
                        return cluster.error() != null;
                    }

                    public void onWindowStart(final long nowNs)
                    {
                        cpuShare.start();
                        cpuShareStarted[0] = true;
                        if (profiler != null)
                        {
                            // the measured window only, not the warm-up
                            profileModeHolder[0] = profiler.start(config.profileEvent);
                        }
                    }

                    public void poll(final long nowNs)
                    {
                        faults.poll(nowNs);
                    }

                    public boolean busy()
                    {
                        return faults.active();
                    }
                });
            faults.endFaults(System.nanoTime());
            final String profileMode = profileModeHolder[0];
            // Only a spinning thread is running or preempted at every instant: a thread that idles (yield, backoff,
            // per-node threads) gives its CPU away by itself, and its CPU share says nothing about preemption.
            final double share = cpuShareStarted[0] ? cpuShare.end() : Double.NaN;
            if (!Double.isNaN(share) && "shared".equals(config.threading) && "busy-spin".equals(cluster.idleUsed()))
            {
                stats.put("node_thread_cpu_share", Math.round(share * 1000) / 1000.0);
            }
            if (profileMode != null)
            {
                final java.io.File flame = new java.io.File(config.profileDir, "flame-in-process.html");
                profiler.stop(flame);
                profiler.dump(new java.io.File(config.profileDir, "in-process.collapsed"));
                stats.put("profile", flame.getPath());
                stats.put("profile_event", profileMode);
            }
            RunLoop.drain(nodes.clients, config.opTimeoutNs);
            cluster.close();
            if (cluster.error() != null)
            {
                throw new lab.harness.aeron.TransportFailure("run failed: " + cluster.error());
            }
            for (int i = 0; i < count; i++)
            {
                finalEndpoints[i] = cluster.agents().get(i).endpoint(); // restarted nodes are new objects
            }
            long linkDropped = 0;
            for (final NodeAgent agent : cluster.agents())
            {
                linkDropped += agent.linkEmulation() == null ? 0 : agent.linkEmulation().dropped();
            }
            if (config.link.active())
            {
                stats.put("link_emulation_dropped", linkDropped);
            }
            long backPressure = 0;
            long queued = 0;
            long notConnected = 0;
            for (final NodeAgent agent : cluster.agents())
            {
                backPressure += agent.outbox().backPressureRetries();
                queued += agent.outbox().queuedMessages();
                notConnected += agent.outbox().notConnectedDrops();
            }
            stats.put("idle_strategy", cluster.idleUsed());
            stats.put("aeron_dir", cluster.aeronDirectory());
            stats.put("back_pressure_retries", backPressure);
            stats.put("queued_after_back_pressure", queued);
            stats.put("dropped_not_connected", notConnected);
            stats.put("transport_errors", cluster.transportErrors().report());
            stats.put("foreign_frames", cluster.foreignFramesReport());
            if (!config.faults.isEmpty())
            {
                faultReport.putAll(faults.report(nodes.clients, timeline.points(), window[1], phasesHolder[0],
                    nodes.staleReads == null ? null : nodes.staleReads.staleReadTimesNs()));
            }
        }
        return result(config, nodes, traffic, stats, timeline, faultReport, endpointsAtEnd, null);
    }

    private static RunResult result(
        final RunConfig config, final Nodes nodes, final TrafficCounters[] traffic, final Map<String, Object> stats,
        final LatencyTimeline timeline, final Map<String, Object> faults,
        final java.util.function.IntFunction<Endpoint> endpoints, final String busyNote)
    {
        final TrafficCounters total = new TrafficCounters(nodes.firstClient());
        for (final TrafficCounters t : traffic)
        {
            total.add(t);
        }
        final Map<String, Object> protocolStats = new java.util.TreeMap<>();
        for (int i = 0; i < nodes.settings.replicas(); i++)
        {
            for (final Map.Entry<String, Long> e : ((lab.core.Replica)endpoints.apply(i)).counters().entrySet())
            {
                protocolStats.merge(e.getKey(), e.getValue(), (a, b) -> (Long)a + (Long)b);
            }
        }
        long controlMalformed = 0;
        for (int i = nodes.settings.replicas(); i < nodes.firstClient(); i++)
        {
            controlMalformed += endpoints.apply(i).malformedMessages();
        }
        if (controlMalformed > 0)
        {
            protocolStats.merge(MALFORMED, controlMalformed, (a, b) -> (Long)a + (Long)b);
        }
        final java.util.function.IntFunction<String> roles = i ->
        {
            final Endpoint e = endpoints.apply(i);
            // A control node is "control" whatever it calls its role (a chain manager: acting or standby).
            return nodes.settings.isControlNode(i) ? "control" : e instanceof lab.core.Replica ?
                ((lab.core.Replica)e).role().name() : i < nodes.firstClient() ? "control" : "client";
        };
        final Object share = stats.get("node_thread_cpu_share");
        return result(config, nodes, total, stats, timeline, faults, protocolStats,
            loads(config, nodes, traffic, roles, busyNote, faults,
                share instanceof Double ? (Double)share : Double.NaN));
    }

    /**
     * Every node's load from its counters (see {@link lab.harness.metrics.NodeLoad}).
     *
     * @param busyNote null when the nodes' busy time was measured, else why not.
     */
    public static lab.harness.metrics.NodeLoads loads(final RunConfig config, final Nodes nodes,
        final TrafficCounters[] traffic, final java.util.function.IntFunction<String> roles, final String busyNote,
        final Map<String, Object> faults, final double cpuShare)
    {
        final java.util.List<lab.harness.metrics.NodeLoad> list = new java.util.ArrayList<>();
        for (int i = 0; i < traffic.length; i++)
        {
            if (traffic[i] != null)
            {
                list.add(lab.harness.metrics.NodeLoad.of(i, roles.apply(i), i >= nodes.firstClient(), traffic[i],
                    busyNote == null));
            }
        }
        long oneWayNs = -1;
        String linkBasis = "";
        if ("sim".equals(config.transport))
        {
            final lab.harness.sim.SimConfig sim = config.sim();
            oneWayNs = sim.latencyNs + sim.jitterNs / 2;
            linkBasis = "the simulator's link delay + mean jitter";
        }
        else if (config.link.active() && config.link.delayNs() + config.link.jitterNs() > 0)
        {
            oneWayNs = config.link.delayNs() + config.link.jitterNs() / 2;
            linkBasis = "--link-delay + mean --link-jitter";
        }
        final java.util.List<Integer> crashed = new java.util.ArrayList<>();
        final Object events = faults.get("events");
        if (events instanceof java.util.List)
        {
            for (final Object e : (java.util.List<?>)events)
            {
                final Map<?, ?> m = (Map<?, ?>)e;
                if (String.valueOf(m.get("event")).startsWith("crash") && m.get("node") instanceof Integer &&
                    !crashed.contains((Integer)m.get("node")))
                {
                    crashed.add((Integer)m.get("node"));
                }
            }
        }
        return new lab.harness.metrics.NodeLoads(list, busyNote, oneWayNs, linkBasis, crashed, cpuShare);
    }

    /**
     * As below, for runs that do not measure per-node load.
     */
    public static RunResult result(
        final RunConfig config, final Nodes nodes, final TrafficCounters total, final Map<String, Object> stats,
        final LatencyTimeline timeline, final Map<String, Object> faults, final Map<String, Object> protocolStats)
    {
        return result(config, nodes, total, stats, timeline, faults, protocolStats,
            lab.harness.metrics.NodeLoads.none("per-node load not collected by this kind of run"));
    }

    /**
     * Assembles a run's result from its load generators and what the run collected (also for runs whose replicas
     * live in other processes and report their traffic and counters).
     *
     * @param protocolStats replica counters, summed; stale reads are added when measured. A counter
     *                      {@value #MALFORMED} (replicas report it with their counters) moves to
     *                      {@link RunResult#malformedMessages()}, with the clients' added.
     */
    /**
     * @return what the clients' read hedging cost, summed (empty when no client hedges): copies sent and reads
     * completed over the whole run, warm-up included, as the clients count them.
     */
    static Map<String, Object> hedging(final LoadGenerator[] clients)
    {
        long copies = 0;
        long reads = 0;
        String setting = null;
        for (final LoadGenerator c : clients)
        {
            final lab.core.client.Hedging h = c == null ? null : c.hedging();
            if (h != null && h.enabled())
            {
                copies += h.copiesSent();
                reads += h.readsCompleted();
                setting = h.toString();
            }
        }
        final Map<String, Object> hedging = new LinkedHashMap<>();
        if (setting != null)
        {
            hedging.put("setting", setting);
            hedging.put("copies_sent", copies);
            hedging.put("reads", reads);
            hedging.put("copies_per_read", reads == 0 ? 0.0 : copies / (double)reads);
            hedging.put("scope", "whole run, warm-up included; reads are read phases for the quorum store's " +
                "client coordinator (ABD's query phase of writes too), client GETs otherwise; each copy is one " +
                "request more and, when answered, one reply more");
        }
        return hedging;
    }

    /**
     * @return what tied reads cost, summed (empty when reads are not tied): the tied copies and reads counted by the
     * coordinators (clients, or the quorum store's replica coordinators, which report them with their counters), and
     * the replicas' cancels sent, copies dropped by a cancel, reads served by both copies and cancels evicted from
     * the replicas' tables. The replicas' counters are moved out of {@code replicaCounters} into this map.
     */
    static Map<String, Object> tied(final LoadGenerator[] clients, final Map<String, Object> replicaCounters)
    {
        long copies = take(replicaCounters, "tied_copies_sent");
        long reads = take(replicaCounters, "tied_reads");
        final boolean replicasTie = replicaCounters.containsKey(lab.core.client.TiedCopies.CANCELS_SENT);
        final long cancels = take(replicaCounters, lab.core.client.TiedCopies.CANCELS_SENT);
        final long dropped = take(replicaCounters, lab.core.client.TiedCopies.COPIES_DROPPED);
        final long both = take(replicaCounters, lab.core.client.TiedCopies.BOTH_SERVED);
        final long evicted = take(replicaCounters, lab.core.client.TiedCopies.CANCELS_EVICTED);
        boolean clientsTie = false;
        for (final LoadGenerator c : clients)
        {
            final lab.core.client.TiedReads t = c == null ? null : c.tied();
            if (t != null && t.enabled())
            {
                clientsTie = true;
                copies += t.copiesSent();
                reads += t.readsCompleted();
            }
        }
        final Map<String, Object> tied = new LinkedHashMap<>();
        if (clientsTie || replicasTie)
        {
            tied.put("setting", lab.core.client.ClientPolicy.TIED + "=true");
            tied.put("copies_sent", copies);
            tied.put("cancels_sent", cancels);
            tied.put("copies_dropped", dropped);
            tied.put("both_served", both);
            tied.put("cancels_evicted", evicted);
            tied.put("reads", reads);
            // Beyond an untied read to the same replicas: the tied copy, its cancel(s), and a second reply when both
            // copies were served.
            tied.put("extra_messages_per_read", reads == 0 ? 0.0 : (copies + cancels + both) / (double)reads);
            tied.put("scope", "whole run, warm-up included; reads are read phases for the quorum store (ABD's " +
                "query phase of writes too), client GETs for CRAQ; copies_sent is one per tied read (the copy " +
                "beyond an untied read's); both_served is counted once per read, by the lower node id of the pair");
        }
        return tied;
    }

    private static long take(final Map<String, Object> counters, final String name)
    {
        final Object v = counters.remove(name);
        return v instanceof Number ? ((Number)v).longValue() : 0;
    }

    public static RunResult result(
        final RunConfig config, final Nodes nodes, final TrafficCounters total, final Map<String, Object> stats,
        final LatencyTimeline timeline, final Map<String, Object> faults, final Map<String, Object> protocolStats,
        final lab.harness.metrics.NodeLoads load)
    {
        final OpStats reads = new OpStats();
        final OpStats writes = new OpStats();
        final OpStats readService = new OpStats();
        final OpStats writeService = new OpStats();
        final Object replicaMalformed = protocolStats.remove(MALFORMED);
        long malformed = replicaMalformed instanceof Number ? ((Number)replicaMalformed).longValue() : 0;
        for (final LoadGenerator c : nodes.clients)
        {
            malformed += c.malformedMessages();
        }
        long missed = 0;
        long backlog = 0;
        long warmupDropped = 0;
        for (final LoadGenerator c : nodes.clients)
        {
            reads.add(c.reads());
            writes.add(c.writes());
            readService.add(c.readService());
            writeService.add(c.writeService());
            if (c instanceof OpenLoopLoadGenerator)
            {
                missed += ((OpenLoopLoadGenerator)c).missed();
                backlog += ((OpenLoopLoadGenerator)c).backlog();
                warmupDropped += ((OpenLoopLoadGenerator)c).warmupBacklogDropped();
            }
        }
        if (config.rate > 0)
        {
            stats.put("open_loop_missed", missed);
            stats.put("open_loop_backlog_at_end", backlog);
            stats.put("open_loop_warmup_backlog_dropped", warmupDropped);
        }
        if (nodes.staleReads != null)
        {
            final Map<String, Object> stale = new LinkedHashMap<>();
            stale.put("reads", nodes.staleReads.reads());
            stale.put("stale", nodes.staleReads.staleReads());
            stale.put("rate", nodes.staleReads.staleRate());
            stale.put("definition", "a read returning a value older than the newest write acknowledged before " +
                "the read began (whole run, warm-up included)");
            protocolStats.put("stale_reads", stale);
        }
        final Map<String, Object> hedging = hedging(nodes.clients);
        if (!hedging.isEmpty())
        {
            protocolStats.put("hedging", hedging);
        }
        final Map<String, Object> tied = tied(nodes.clients, protocolStats);
        if (!tied.isEmpty())
        {
            protocolStats.put("tied", tied);
        }
        return new RunResult(config.describe(), nodes.settings.effectiveOptions(), nodes.factory.theory(nodes.settings),
            nodes.factory.warnings(nodes.settings), reads, writes, readService, writeService, total, config.durationNs,
            config.rate, stats, timeline.points(), faults, protocolStats, malformed, load);
    }
}
