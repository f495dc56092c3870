package lab.harness.multiprocess;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import lab.harness.aeron.ExitCleanup;
import lab.harness.aeron.NodeAgent;
import lab.harness.aeron.NodeThreads;
import lab.harness.aeron.NodeWiring;
import lab.harness.aeron.TransportErrors;
import lab.harness.aeron.TransportFailure;
import lab.harness.cluster.FaultInjector;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.ProgressListener;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunLoop;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.LatencyTimeline;
import lab.harness.metrics.TrafficCounters;
import lab.harness.workload.LoadGenerator;
import org.agrona.CloseHelper;

/**
 * The load driver of a multi-process run: replicas run in node processes ({@link NodeServer}), this process runs the
 * load generators (and control nodes, e.g. a chain's configuration manager) over Aeron UDP, measures as the
 * in-process cluster does and returns the same {@link RunResult}.
 *
 * <p>{@link #run(RunConfig, Path, Options)} drives nodes already started from a cluster file
 * ({@code lab node --id I --cluster FILE} on each host); {@link #runLocal(RunConfig, Options)} ({@code --processes})
 * first starts one node process per replica on this machine and stops them all afterwards.
 *
 * <p>Traffic: every process counts what it sends; nodes report theirs at the end, so client&lt;-&gt;replica and
 * replica&lt;-&gt;replica counts cover the whole cluster. When a node does not report, {@code transport_stats}
 * says so ({@code traffic_complete=false}) and its messages are missing from the counts.
 *
 * <p>Faults ({@code --fault}) need {@code --processes}: the nodes are this process's children, so a crash is kill -9
 * of one and a restart a new JVM ({@link ProcessFaults}), measured by the same {@link FaultInjector} as in-process
 * runs. A killed process takes its message counts with it ({@code traffic_complete=false}). Nodes from a cluster
 * file run on other hosts, which this process cannot kill or restart: {@code --fault} with {@code --cluster} is
 * refused.
 *
 * <p>Every run has a random 64-bit id (CONFIG's {@code run=}), carried in every data frame: a node drops frames of
 * another run or of a sender that is not a member ({@code foreign_frames}). Errors of every process's media driver
 * and Aeron client are counted ({@code transport_errors}, per process), not fatal; a run fails only when a node
 * cannot go on, with one line naming it.
 */
public final class ProcessRun
{
    /**
     * Settings of a multi-process run beyond {@link RunConfig}.
     */
    public static final class Options
    {
        /** Bound on waiting for every node to be ready (control connection, then its own peer connections). */
        public long readyTimeoutNs = TimeUnit.SECONDS.toNanos(20);
        /** Bound on waiting for each node's end-of-run report. */
        public long reportTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        /** Folder for one flamegraph per node (flame-node&lt;I&gt;.html), or null. */
        public File profileDir;
        public String profileEvent = "auto";
        /** Local launcher: node JVM class path (null: this JVM's), output echo. */
        public LocalLauncher.Settings launcher = new LocalLauncher.Settings();
        public ProgressListener progress = ProgressListener.NONE;
    }

    private ProcessRun()
    {
    }

    /**
     * {@code lab run --cluster FILE}: drives nodes already running from the cluster file.
     */
    public static RunResult run(final RunConfig config, final Path clusterFile, final Options options)
    {
        final ClusterFile cluster = ClusterFile.read(clusterFile);
        return run(config, cluster, options, null);
    }

    /**
     * {@code lab run --processes}: starts one node process per replica on 127.0.0.1, runs, stops them all (also on
     * failure and on Ctrl-C).
     */
    public static RunResult runLocal(final RunConfig config, final Options options)
    {
        checkSupported(config, true);
        final LabRunner.Nodes nodes = LabRunner.build(config, node -> false); // replicas live in the node processes
        checkRestartable(config, nodes);
        options.launcher.profileDir = options.profileDir;
        options.launcher.profileEvent = options.profileEvent;
        try (LocalLauncher launcher = LocalLauncher.start(nodes.settings.replicas(), options.launcher))
        {
            return run(config, launcher.cluster(), options, launcher);
        }
    }

    private static void checkSupported(final RunConfig config, final boolean local)
    {
        if (!config.faults.isEmpty() && !local)
        {
            throw new IllegalArgumentException("--fault needs --processes: --cluster nodes run on other hosts (or " +
                "were started by someone else), and this process can neither kill -9 nor restart them");
        }
        if ("sim".equals(config.transport))
        {
            throw new IllegalArgumentException("--processes / --cluster run over Aeron UDP, not --transport sim");
        }
    }

    /**
     * A restart starts a new JVM, which has only what the replica kept in files: refuse configurations whose
     * restarted replica would silently lack what it must keep across a crash (e.g. Raft's log in memory).
     */
    private static void checkRestartable(final RunConfig config, final LabRunner.Nodes nodes)
    {
        final boolean restarts = config.faults.events().stream().anyMatch(e -> !e.crash());
        final String problem = restarts ? nodes.factory.processRestartProblem(nodes.settings) : null;
        if (problem != null)
        {
            throw new IllegalArgumentException("--fault restart with --processes: " + problem);
        }
    }

    private static long runId()
    {
        return lab.harness.aeron.AeronCluster.newRunId();
    }

    static RunResult run(final RunConfig planned, final ClusterFile cluster, final Options options,
        final LocalLauncher launcher)
    {
        checkSupported(planned, launcher != null);
        final RunConfig config = LabRunner.asRun(planned.toBuilder().transport("udp").build());
        final LabRunner.Nodes nodes = LabRunner.build(config, node -> false); // replicas live in the node processes
        if (launcher != null)
        {
            checkRestartable(config, nodes);
        }
        final int replicas = nodes.settings.replicas();
        if (replicas != cluster.nodes().size())
        {
            throw new IllegalArgumentException("the run has " + replicas + " replicas but " + cluster.source() +
                " names " + cluster.nodes().size() + " nodes");
        }
        if (options.profileDir != null && launcher == null)
        {
            options.profileDir.mkdirs();
        }
        final long runId = runId();
        final int count = nodes.endpoints.length;
        final String tag = launcher != null ? launcher.dirTag() : "driver";
        final String dir = Control.aeronDir(tag, "client");
        final TransportErrors errors = new TransportErrors();
        final ClusterFile.Address self = cluster.client();
        Control.checkBindable(self);
        MediaDriver driver = null;
        Aeron aeron = null;
        NodeThreads runner = null;
        // SIGTERM, SIGINT, SIGHUP: close this process's node thread, client and driver, remove its directory.
        final java.util.concurrent.atomic.AtomicReferenceArray<AutoCloseable> openOnSignal =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(3);
        final ExitCleanup.Registration exitCleanup = ExitCleanup.register("the load driver's Aeron client and media " +
            "driver", "the run's results (table, --json, --history) were not written" + (launcher != null ? "" :
            "; the nodes of " + cluster.source() + " keep running and take the next run"), () ->
            {
                for (int k = 0; k < 3; k++)
                {
                    CloseHelper.quietClose(openOnSignal.get(k));
                }
            }, dir);
        final List<Publication> controlPubs = new ArrayList<>();
        final Map<Integer, ControlInbox.Message> reports = new TreeMap<>();
        ProcessFaults processFaults = null;
        boolean started = false;
        try
        {
            driver = Control.launchDriver(dir, errors.driver("client-process driver"));
            openOnSignal.set(2, driver);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir)
                .errorHandler(errors.client("client-process client")));
            openOnSignal.set(1, aeron);
            final String ownChannel = Control.channel(self);
            final ControlInbox control = new ControlInbox(aeron.addSubscription(ownChannel, Control.CONTROL_STREAM),
                line -> System.err.println("lab: refused " + line));
            final Subscription[] subscriptions = new Subscription[count];
            for (int k = replicas; k < count; k++)
            {
                subscriptions[k] = NodeWiring.subscribe(aeron, ownChannel, k);
            }
            final Publication[] publications = NodeWiring.publications(aeron, count,
                j -> Control.channel(j < replicas ? cluster.node(j) : self));
            for (int i = 0; i < replicas; i++)
            {
                controlPubs.add(aeron.addPublication(Control.channel(cluster.node(i)), Control.CONTROL_STREAM));
            }

            // Readiness: every node's control stream connected, then CONFIG -> READY (its peers connected), bounded.
            final long deadline = System.nanoTime() + options.readyTimeoutNs;
            awaitControlConnections(cluster, controlPubs, deadline, options, launcher);
            final Map<String, String> configFields = Control.configFields(config, runId,
                Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime()));
            for (int i = 0; i < replicas; i++)
            {
                if (!Control.send(controlPubs.get(i), Control.CONFIG, -1, configFields, TimeUnit.SECONDS.toNanos(2)))
                {
                    throw new IllegalStateException("node " + i + " (" + cluster.node(i).endpoint() +
                        ") did not accept its configuration" + describe(launcher, i));
                }
            }
            awaitReady(cluster, control, runId, deadline, options, launcher);
            NodeWiring.awaitConnected(publications, j -> false, deadline, () -> Control.sleepMs(1),
                j -> "this process cannot reach node " + j + " over UDP at " +
                    (j < replicas ? cluster.node(j) : self).endpoint());

            final TrafficCounters[] traffic = new TrafficCounters[count];
            for (int k = replicas; k < count; k++)
            {
                traffic[k] = new TrafficCounters(nodes.firstClient());
            }
            final List<NodeAgent> agents = new ArrayList<>();
            NodeWiring.agents(agents, replicas, count, nodes.endpoints, subscriptions, publications, runId, traffic,
                NodeWiring.TICK_INTERVAL_NS, config.link, config.seed);

            final Map<String, String> startFields = new LinkedHashMap<>();
            startFields.put("run", Long.toString(runId));
            startFields.put("warmup_ns", Long.toString(config.effectiveWarmupNs()));
            startFields.put("duration_ns", Long.toString(config.durationNs));
            for (int i = 0; i < replicas; i++)
            {
                Control.send(controlPubs.get(i), Control.START, -1, startFields, TimeUnit.SECONDS.toNanos(2));
            }
            started = true;
            final long startNs = System.nanoTime();
            final LatencyTimeline timeline = new LatencyTimeline(startNs, config.hlog);
            final long windowStart = startNs + config.effectiveWarmupNs();
            final long windowEnd = windowStart + config.durationNs;
            final lab.harness.cluster.FaultPhases phases = config.faults.isEmpty() ? null :
                new lab.harness.cluster.FaultPhases(config.faults, startNs, windowStart, windowEnd);
            if (phases != null)
            {
                timeline.intervalListener(phases);
            }
            for (int k = replicas; k < count; k++)
            {
                traffic[k].window(windowStart, windowEnd);
            }
            for (final LoadGenerator c : nodes.clients)
            {
                c.window(windowStart, windowEnd);
                c.timeline(timeline);
            }
            runner = new NodeThreads(agents, NodeThreads.SHARED, "yield", "client-process nodes", errors::client);
            openOnSignal.set(0, runner);
            runner.start();
            options.progress.onStart(config);
            if (!config.faults.isEmpty())
            {
                processFaults = new ProcessFaults(launcher, aeron, cluster, controlPubs, configFields, runId, startNs,
                    windowStart, config.durationNs, options.readyTimeoutNs);
                processFaults.localAgents(agents, replicas);
            }
            final FaultInjector faults = processFaults == null ? null :
                new FaultInjector(config.faults, processFaults, startNs, config.seed);

            final ProcessFaults whenFaults = processFaults;
            // At most 100 ms between passes: a node process that dies ends the run promptly.
            RunLoop.measure(startNs, windowStart, windowEnd, config.intervalNs, 100, timeline, options.progress,
                new RunLoop.Duties()
                {
                    public boolean stopped()
                    {
                        return errors.fatal() != null || exitCleanup.ranByHook();
                    }

                    public void poll(final long nowNs)
                    {
                        if (launcher != null)
                        {
                            launcher.checkAlive();
                        }
                        if (whenFaults != null)
                        {
                            for (ControlInbox.Message m = control.poll(); m != null; m = control.poll())
                            {
                                try
                                {
                                    whenFaults.onControl(m);
                                }
                                catch (final RuntimeException ex)
                                {
                                    control.refuse(m, TransportErrors.oneLine(ex));
                                }
                            }
                            faults.poll(nowNs);
                            whenFaults.poll(nowNs);
                        }
                    }

                    public boolean busy()
                    {
                        return faults != null && (faults.active() || whenFaults.busy());
                    }
                });
            if (faults != null)
            {
                faults.endFaults(System.nanoTime()); // a stopped process must run again to answer STOP
            }
            RunLoop.drain(nodes.clients, config.opTimeoutNs);
            CloseHelper.quietClose(runner);
            runner = null;
            if (exitCleanup.ranByHook())
            {
                throw new TransportFailure("run failed: stopped by a signal (the JVM is shutting down)");
            }
            if (errors.fatal() != null)
            {
                throw new TransportFailure("run failed: " + errors.fatal());
            }

            final boolean[] running = running(replicas, processFaults);
            stopNodes(controlPubs, runId, options, running);
            started = false;
            collectReports(control, runId, running, options.reportTimeoutNs, reports);

            final Map<String, Object> stats = new LinkedHashMap<>();
            final TrafficCounters total = new TrafficCounters(nodes.firstClient());
            long backPressure = 0;
            long queued = 0;
            long notConnected = 0;
            for (final NodeAgent agent : agents)
            {
                backPressure += agent.outbox().backPressureRetries();
                queued += agent.outbox().queuedMessages();
                notConnected += agent.outbox().notConnectedDrops();
            }
            for (int k = replicas; k < count; k++)
            {
                total.add(traffic[k]);
            }
            final Map<String, Object> protocolStats = new TreeMap<>();
            final List<String> missing = new ArrayList<>();
            final Map<String, Object> profiles = new LinkedHashMap<>();
            final List<String> nodeErrors = new ArrayList<>();
            final Map<String, Long> errorsBySource = new TreeMap<>(errors.bySource());
            final List<String> distinctErrors = new ArrayList<>(errors.distinct());
            long transportErrors = errors.count();
            final Map<String, Object> foreign = new LinkedHashMap<>();
            long foreignTotal = 0;
            foreign.put("total", 0L);
            for (final NodeAgent agent : agents)
            {
                foreign.put(agent.roleName(), agent.foreignFrames());
                foreignTotal += agent.foreignFrames();
            }
            final String[] reportedRoles = new String[count];
            for (int i = 0; i < replicas; i++)
            {
                final ControlInbox.Message r = reports.get(i);
                if (r == null)
                {
                    missing.add("node " + i + (running[i] ? "" : " (down at the end)"));
                    continue;
                }
                traffic[i] = reportedTraffic(r, nodes.firstClient(), i);
                reportedRoles[i] = r.get("role");
                total.add(traffic[i]);
                backPressure += Long.parseLong(r.get("back_pressure_retries"));
                queued += Long.parseLong(r.get("queued_after_back_pressure"));
                notConnected += Long.parseLong(r.get("dropped_not_connected"));
                r.withPrefix("counter.").forEach((name, v) -> protocolStats.merge(name, Long.parseLong(v),
                    (a, b) -> (Long)a + (Long)b));
                if (r.get("error") != null)
                {
                    final String e = r.get("error");
                    nodeErrors.add(e.startsWith("node " + i + ":") ? e : "node " + i + ": " + e);
                }
                final long nodeErrorCount = parseOr(r.get("transport_errors"), 0);
                errorsBySource.put("node-" + i, nodeErrorCount);
                transportErrors += nodeErrorCount;
                for (int k = 0; r.get("transport_error." + k) != null; k++)
                {
                    distinctErrors.add(r.get("transport_error." + k));
                }
                final long nodeForeign = parseOr(r.get("foreign_frames"), 0);
                foreign.put("node-" + i, nodeForeign);
                foreignTotal += nodeForeign;
                if (r.get("profile_file") != null)
                {
                    profiles.put("node" + i, Map.of("mode", r.get("profile_mode"), "file", r.get("profile_file")));
                }
                else if (r.get("profile_error") != null)
                {
                    profiles.put("node" + i, Map.of("error", r.get("profile_error")));
                }
            }
            if (!nodeErrors.isEmpty())
            {
                throw new TransportFailure("run failed: " + String.join("; ", nodeErrors));
            }
            stats.put("idle_strategy", "yield");
            stats.put("deployment", launcher != null ? "local-processes" : "cluster-file " + cluster.source());
            stats.put("processes", replicas + 1);
            stats.put("back_pressure_retries", backPressure);
            stats.put("queued_after_back_pressure", queued);
            stats.put("dropped_not_connected", notConnected);
            stats.put("transport_errors", TransportErrors.report(transportErrors, errorsBySource, distinctErrors));
            foreign.put("total", foreignTotal);
            stats.put("foreign_frames", foreign);
            final boolean killed = processFaults != null && processFaults.anyKilled();
            stats.put("traffic_complete", missing.isEmpty() && !killed);
            final List<String> notes = new ArrayList<>();
            if (!missing.isEmpty())
            {
                notes.add("no end-of-run report from " + String.join(", ", missing) +
                    ": their sends are missing from the message counts");
            }
            if (killed)
            {
                notes.add("a process killed with -9 took its counts with it: what a killed node sent (and its " +
                    "protocol counters) before the kill is missing");
            }
            if (!notes.isEmpty())
            {
                stats.put("traffic_note", String.join("; ", notes));
            }
            if (!profiles.isEmpty())
            {
                stats.put("profiles", profiles);
            }
            final Map<String, Object> faultReport = faults == null ? Map.of() :
                faults.report(nodes.clients, timeline.points(), windowEnd, phases,
                    nodes.staleReads == null ? null : nodes.staleReads.staleReadTimesNs());
            final boolean oldNodes = reports.values().stream().anyMatch(r -> r.get("busy_ns") == null);
            final String busyNote = !missing.isEmpty() || killed ?
                (killed ? "a node was killed -9 and took its counts with it" :
                    "no end-of-run report from " + String.join(", ", missing)) :
                oldNodes ? "a node did not report its busy time (an older lab.jar)" : null;
            return LabRunner.result(config, nodes, total, stats, timeline, faultReport, protocolStats,
                LabRunner.loads(config, nodes, traffic, i -> i < nodes.firstClient() ?
                    (reportedRoles[i] == null ? "unknown" : reportedRoles[i]) : "client", busyNote, faultReport,
                    Double.NaN));
        }
        finally
        {
            CloseHelper.quietClose(runner);
            if (started)
            {
                try
                {
                    stopNodes(controlPubs, runId, options, running(controlPubs.size(), processFaults));
                }
                catch (final RuntimeException ignore)
                {
                    // best effort: the nodes go back to waiting at the next CONFIG anyway
                }
            }
            CloseHelper.quietCloseAll(aeron, driver);
            Control.deleteDir(dir);
            exitCleanup.close();
        }
    }

    /**
     * @return per node, whether it runs the run now (every node, unless faults killed one or one is restarting).
     */
    private static boolean[] running(final int replicas, final ProcessFaults faults)
    {
        final boolean[] running = new boolean[replicas];
        for (int i = 0; i < replicas; i++)
        {
            running[i] = faults == null || faults.running(i);
        }
        return running;
    }

    private static void stopNodes(final List<Publication> controlPubs, final long runId, final Options options,
        final boolean[] running)
    {
        for (int i = 0; i < controlPubs.size(); i++)
        {
            if (!running[i])
            {
                continue;
            }
            final Map<String, String> fields = new LinkedHashMap<>();
            fields.put("run", Long.toString(runId));
            if (options.profileDir != null)
            {
                fields.put("profile_file", new File(options.profileDir, "flame-node" + i + ".html").getAbsolutePath());
            }
            Control.send(controlPubs.get(i), Control.STOP, -1, fields, TimeUnit.SECONDS.toNanos(1));
        }
    }

    private static void awaitControlConnections(final ClusterFile cluster, final List<Publication> controlPubs,
        final long deadline, final Options options, final LocalLauncher launcher)
    {
        while (true)
        {
            final List<Integer> waiting = new ArrayList<>();
            for (int i = 0; i < controlPubs.size(); i++)
            {
                if (!controlPubs.get(i).isConnected())
                {
                    waiting.add(i);
                }
            }
            if (waiting.isEmpty())
            {
                return;
            }
            if (launcher != null)
            {
                launcher.checkAlive();
            }
            if (System.nanoTime() > deadline)
            {
                throw notReady(cluster, waiting, options, launcher, "no answer on its control stream (is `lab node " +
                    "--id " + waiting.get(0) + " --cluster " + cluster.source() + "` running there?)");
            }
            Control.sleepMs(5);
        }
    }

    private static void awaitReady(final ClusterFile cluster, final ControlInbox control, final long runId,
        final long deadline, final Options options, final LocalLauncher launcher)
    {
        final boolean[] ready = new boolean[cluster.nodes().size()];
        int remaining = ready.length;
        while (remaining > 0)
        {
            final ControlInbox.Message m = control.poll();
            if (m == null)
            {
                if (System.nanoTime() > deadline)
                {
                    final List<Integer> waiting = new ArrayList<>();
                    for (int i = 0; i < ready.length; i++)
                    {
                        if (!ready[i])
                        {
                            waiting.add(i);
                        }
                    }
                    throw notReady(cluster, waiting, options, launcher, "it never answered READY");
                }
                if (launcher != null)
                {
                    launcher.checkAlive();
                }
                Control.sleepMs(1);
                continue;
            }
            if (m.get("run") == null || m.getLong("run") != runId || m.from() < 0 || m.from() >= ready.length)
            {
                continue;
            }
            if (m.type() == Control.FAILED)
            {
                throw new IllegalStateException("node " + m.from() + " (" + cluster.node(m.from()).endpoint() +
                    ") is not ready: " + m.get("error"));
            }
            if (m.type() == Control.READY && !ready[m.from()])
            {
                ready[m.from()] = true;
                remaining--;
            }
        }
    }

    private static IllegalStateException notReady(final ClusterFile cluster, final List<Integer> waiting,
        final Options options, final LocalLauncher launcher, final String why)
    {
        final int first = waiting.get(0);
        final StringBuilder names = new StringBuilder();
        for (final int i : waiting)
        {
            names.append(names.length() == 0 ? "" : ", ").append("node ").append(i).append(" (")
                .append(cluster.node(i).endpoint()).append(')');
        }
        return new IllegalStateException(names + " did not become ready within " +
            Control.ms(options.readyTimeoutNs) + " ms: " + why + describe(launcher, first));
    }

    private static String describe(final LocalLauncher launcher, final int node)
    {
        return launcher == null ? "" : launcher.describe(node);
    }

    private static void collectReports(final ControlInbox control, final long runId, final boolean[] running,
        final long timeoutNs, final Map<Integer, ControlInbox.Message> reports)
    {
        int expected = 0;
        for (final boolean r : running)
        {
            expected += r ? 1 : 0;
        }
        final long deadline = System.nanoTime() + timeoutNs;
        while (reports.size() < expected && System.nanoTime() < deadline)
        {
            final ControlInbox.Message m = control.poll();
            if (m == null)
            {
                Control.sleepMs(1);
                continue;
            }
            if (m.type() == Control.REPORT && m.get("run") != null && m.getLong("run") == runId &&
                m.from() >= 0 && m.from() < running.length && running[m.from()])
            {
                reports.put(m.from(), m);
            }
        }
    }

    private static TrafficCounters reportedTraffic(final ControlInbox.Message r, final int firstClient,
        final int node)
    {
        // Rebuild the node's counters from its report: replay its totals as sends inside an open window.
        final TrafficCounters t = new TrafficCounters(firstClient);
        final long crMessages = r.getLong("client_replica_messages");
        final long rrMessages = r.getLong("replica_replica_messages");
        final long crBytes = r.getLong("client_replica_bytes");
        final long rrBytes = r.getLong("replica_replica_bytes");
        t.add(crMessages, rrMessages, crBytes, rrBytes);
        t.addLoad(parseOr(r.get("messages_received"), 0), parseOr(r.get("bytes_received"), 0),
            parseOr(r.get("busy_ns"), 0), parseOr(r.get("busy_cycles"), 0),
            parseOr(r.get("background_ns"), 0));
        final Map<String, Long> in = new java.util.HashMap<>();
        final Map<String, Long> out = new java.util.HashMap<>();
        r.withPrefix(NodeServer.IN_TYPE).forEach((type, n) -> in.put(type, parseOr(n, 0)));
        r.withPrefix(NodeServer.OUT_TYPE).forEach((type, n) -> out.put(type, parseOr(n, 0)));
        t.addByType(in, out);
        return t;
    }


    private static long parseOr(final String value, final long otherwise)
    {
        try
        {
            return value == null ? otherwise : Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }
}
