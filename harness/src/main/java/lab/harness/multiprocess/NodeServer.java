package lab.harness.multiprocess;

import java.io.File;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import lab.harness.aeron.LinkEmulator;
import lab.harness.aeron.NodeAgent;
import lab.harness.aeron.NodeThreads;
import lab.harness.aeron.NodeWiring;
import lab.harness.aeron.TransportErrors;
import lab.core.Endpoint;
import lab.core.Replica;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.metrics.NodeProfiler;
import lab.harness.metrics.TrafficCounters;
import org.agrona.CloseHelper;

/**
 * One replica in its own process ({@code lab node --id I --cluster FILE}): its own embedded media driver (directory
 * under /dev/shm, removed on exit, SIGTERM included), a subscription on its UDP endpoint, and, per run, publications
 * to every other node and client and one {@link NodeAgent} on a yielding thread ({@link NodeThreads}).
 *
 * <p>The node waits for the load driver's CONFIG (see {@link Control}), builds its replica exactly as the
 * in-process cluster would ({@link LabRunner#build}, same seeds; only its own replica), connects to every peer and
 * answers READY; START starts the node thread, STOP stops it and answers REPORT with its traffic and replica
 * counters. Then it waits for the next run, so one set of node processes serves many {@code lab run --cluster}
 * invocations.
 *
 * <p>Faults: a node process started again after kill -9 gets a CONFIG saying {@code restarted=true}; it builds its
 * replica as a restarted one (seeded with {@code restart_seed}, as the in-process restart is) and does not wait for
 * peers that are down ({@code absent=}). With {@code report_roles=true} the node tells the driver its replica's role
 * when the run starts and whenever it changes (read between control polls, at most a millisecond late).
 *
 * <p>Hostile input: a control frame that is malformed, forged (not from the load driver, no numeric run id, bad
 * fields) or out of order (START or STOP of a run that is not this node's, CONFIG while a run is live) is refused
 * with one line ({@code REFUSED node=I ...}) and the node goes on; a CONFIG refused because a run is live is
 * answered FAILED (a second load driver learns that the node is busy). Data frames of other runs are dropped by the
 * node agent ({@code foreign_frames}); errors of the media driver and the Aeron client are counted
 * ({@code transport_errors}, see {@link TransportErrors}) and reported with the run, not fatal.
 */
public final class NodeServer implements AutoCloseable
{
    /** REPORT field prefixes of the per-type counts: {@code in_type.raft.AppendEntries=N} (names, not indexes). */
    static final String IN_TYPE = "in_type.";
    static final String OUT_TYPE = "out_type.";
    /**
     * How a node process runs.
     */
    public static final class Settings
    {
        /** Tags the Aeron directory name so a launcher can find (and remove) what its nodes left. */
        public String dirTag = "standalone";
        /** Exit when this process (the launcher) is gone; -1: never. */
        public long parentPid = -1;
        /** Folder for one flamegraph per run, or null: no profiling. */
        public File profileDir;
        /** async-profiler event: auto | cpu | itimer | wall. */
        public String profileEvent = "auto";
        public PrintStream out = System.out;
    }

    private final ClusterFile cluster;
    private final int id;
    private final Settings settings;
    /** A run that never stops (its load driver is gone) is over this long after its planned end. */
    static final long ABANDONED_AFTER_NS = TimeUnit.SECONDS.toNanos(30);

    private final AtomicReference<Throwable> agentError = new AtomicReference<>();
    private final TransportErrors errors = new TransportErrors();
    private long errorsAtConfig;
    private long configuredAtMs;
    private long liveUntilNs;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final NodeProfiler profiler = new NodeProfiler();
    private volatile boolean stopRequested;

    private String aeronDir;
    private MediaDriver driver;
    private Aeron aeron;
    private Subscription dataSubscription;
    private ControlInbox control;
    private Publication controlReply;

    private long runId = -1;
    private Endpoint replica;
    private int firstClient;
    private Publication[] publications;
    private NodeThreads runner;
    private NodeAgent agent;
    private LinkEmulator link;
    private TrafficCounters traffic;
    private String profileMode;
    private String profileError;
    private boolean reportRoles;
    private String reportedRole;

    public NodeServer(final ClusterFile cluster, final int id, final Settings settings)
    {
        this.cluster = cluster;
        this.id = id;
        this.settings = settings;
        cluster.node(id);
    }

    /**
     * Starts the driver and the node's subscriptions; fails with a one-line message when its endpoint cannot be
     * bound.
     */
    public void start()
    {
        final ClusterFile.Address self = cluster.node(id);
        Control.checkBindable(self);
        aeronDir = Control.aeronDir(settings.dirTag, "node" + id);
        try
        {
            driver = Control.launchDriver(aeronDir, errors.driver("node-" + id + " driver"));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)
                .errorHandler(errors.client("node-" + id + " client")));
            final String channel = Control.channel(self);
            dataSubscription = NodeWiring.subscribe(aeron, channel, id);
            control = new ControlInbox(aeron.addSubscription(channel, Control.CONTROL_STREAM), this::logRefused);
            controlReply = aeron.addPublication(Control.channel(cluster.client()), Control.CONTROL_STREAM);
        }
        catch (final RuntimeException ex)
        {
            closeResources();
            throw ex;
        }
        settings.out.println("STARTED node=" + id + " endpoint=" + self.endpoint() + " pid=" +
            ProcessHandle.current().pid() + " aeron_dir=" + aeronDir);
        settings.out.flush();
    }

    /**
     * Serves runs until {@link #requestStop()} (SIGTERM) or the parent process is gone; then closes everything.
     */
    public void serve()
    {
        try
        {
            long nextParentCheckNs = 0;
            while (!stopRequested)
            {
                final ControlInbox.Message m = control.poll();
                if (m != null)
                {
                    try
                    {
                        handle(m);
                    }
                    catch (final RuntimeException ex)
                    {
                        control.refuse(m, TransportErrors.oneLine(ex)); // a bad field: the node goes on
                    }
                    continue;
                }
                if (runner == null && replica == null)
                {
                    // Between runs nobody reads the data stream: drop what arrives (late messages of a past run).
                    // Once configured (READY sent) keep it for the node thread: a peer that got START first may
                    // already be talking to this node (Raft's node 0 asks for votes at once).
                    dataSubscription.poll((b, o, l, h) -> { }, 64);
                }
                else if (runner != null && reportRoles)
                {
                    reportRole();
                }
                final long now = System.nanoTime();
                if (settings.parentPid > 0 && now > nextParentCheckNs)
                {
                    nextParentCheckNs = now + TimeUnit.MILLISECONDS.toNanos(500);
                    if (ProcessHandle.of(settings.parentPid).map(p -> !p.isAlive()).orElse(true))
                    {
                        settings.out.println("EXIT node=" + id + " reason=parent process " + settings.parentPid +
                            " is gone");
                        break;
                    }
                }
                Control.sleepMs(1);
            }
        }
        finally
        {
            close();
        }
    }

    /**
     * Asks {@link #serve()} to return and waits (bounded) until everything is closed: the shutdown hook's call.
     */
    public void requestStop(final long waitMs)
    {
        stopRequested = true;
        try
        {
            if (!finished.await(waitMs, TimeUnit.MILLISECONDS))
            {
                Control.deleteDir(aeronDir);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void logRefused(final String line)
    {
        settings.out.println("REFUSED node=" + id + " " + line);
        settings.out.flush();
    }

    private void handle(final ControlInbox.Message m)
    {
        if (m.from() != -1)
        {
            control.refuse(m, "not from the load driver");
            return;
        }
        switch (m.type())
        {
            case Control.CONFIG:
                onConfig(m);
                break;
            case Control.START:
                onStart(m);
                break;
            case Control.STOP:
                onStop(m);
                break;
            case Control.FAULT:
                onFault(m);
                break;
            default:
                control.refuse(m, "not a message for a node");
        }
    }

    private void onConfig(final ControlInbox.Message m)
    {
        final long run = m.getLong("run");
        if (runner != null && System.nanoTime() < liveUntilNs)
        {
            control.refuse(m, "run " + runId + " is live for " + Control.ms(liveUntilNs - System.nanoTime()) +
                " ms more");
            final Map<String, String> reply = new LinkedHashMap<>();
            reply.put("run", Long.toString(run));
            reply.put("error", "node " + id + " is busy with another run (" + runId + ") for " +
                Control.ms(liveUntilNs - System.nanoTime()) + " ms more");
            // short bound: a flood of forged CONFIGs must not hold up this loop (STOP of the live run)
            Control.send(controlReply, Control.FAILED, id, reply, TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        stopRun();
        replica = null;
        while (dataSubscription.poll((b, o, l, h) -> { }, 256) > 0)
        {
            // what a past run left: from here on the data stream is kept for this run's node thread
        }
        runId = run;
        errorsAtConfig = errors.count();
        configuredAtMs = System.currentTimeMillis();
        final Map<String, String> reply = new LinkedHashMap<>();
        reply.put("run", Long.toString(runId));
        try
        {
            final RunConfig config = Control.configFrom(m);
            link = NodeWiring.linkEmulator(config.link, config.seed, id);
            final boolean restarted = Boolean.parseBoolean(m.get("restarted"));
            final LabRunner.Nodes nodes = LabRunner.build(config, node -> node == id && !restarted);
            final int replicas = nodes.settings.replicas();
            if (replicas != cluster.nodes().size())
            {
                throw new IllegalArgumentException("the run has " + replicas + " replicas but " + cluster.source() +
                    " names " + cluster.nodes().size() + " nodes");
            }
            replica = !restarted ? nodes.endpoints[id] :
                nodes.factory.newReplica(id, nodes.settings, new java.util.Random(m.getLong("restart_seed")), true);
            reportRoles = Boolean.parseBoolean(m.get("report_roles"));
            final java.util.Set<Integer> absent = nodeSet(m.get("absent"));
            firstClient = nodes.firstClient();
            publications = NodeWiring.publications(aeron, nodes.endpoints.length,
                j -> j == id ? null : Control.channel(address(j)));
            NodeWiring.awaitConnected(publications, absent::contains, System.nanoTime() + m.getLong("connect_ns"),
                () -> Control.sleepMs(1), j -> "node " + id + " cannot reach " + name(j) + " at " +
                    address(j).endpoint());
            reply.put("pid", Long.toString(ProcessHandle.current().pid()));
            reply.put("aeron_dir", aeronDir);
            Control.send(controlReply, Control.READY, id, reply, TimeUnit.SECONDS.toNanos(2));
            settings.out.println("READY node=" + id + " run=" + runId + " protocol=" + config.protocol + " role=" +
                ((Replica)replica).role().name());
        }
        catch (final RuntimeException ex)
        {
            closePublications();
            replica = null;
            reply.put("error", String.valueOf(ex.getMessage()));
            Control.send(controlReply, Control.FAILED, id, reply, TimeUnit.SECONDS.toNanos(2));
            settings.out.println("FAILED node=" + id + " run=" + runId + " error=" + ex.getMessage());
        }
        settings.out.flush();
    }

    private void onStart(final ControlInbox.Message m)
    {
        if (m.getLong("run") != runId || replica == null || runner != null)
        {
            control.refuse(m, runner != null ? "run " + runId + " already started" :
                replica == null ? "no run configured" : "this node is configured for run " + runId);
            return;
        }
        final long warmupNs = m.getLong("warmup_ns");
        final long durationNs = m.getLong("duration_ns");
        if (warmupNs < 0 || durationNs < 0)
        {
            control.refuse(m, "negative warm-up or duration");
            return;
        }
        final long now = System.nanoTime();
        final long windowStart = now + warmupNs;
        liveUntilNs = windowStart + durationNs + ABANDONED_AFTER_NS;
        traffic = new TrafficCounters(firstClient);
        traffic.window(windowStart, windowStart + durationNs);
        agentError.set(null);
        // the lab's own link emulation where the kernel has no netem
        agent = NodeWiring.agent(id, replica, dataSubscription, publications, runId, traffic,
            NodeWiring.TICK_INTERVAL_NS, link);
        profileMode = null;
        profileError = null;
        reportedRole = null;
        if (settings.profileDir != null)
        {
            try
            {
                profileMode = profiler.start(settings.profileEvent);
            }
            catch (final RuntimeException ex)
            {
                profileError = ex.getMessage();
            }
        }
        // Everything above is published to the node thread by its start.
        // One node thread, yielding: the node process shares its machine with its media driver.
        runner = new NodeThreads(java.util.List.of(agent), NodeThreads.PER_NODE, "yield", "node",
            name -> t -> agentError.compareAndSet(null, t));
        runner.start();
    }

    /**
     * The driver's fault rules for this node's receive edge (cut, loss, delay, slow): replace the ones in force.
     */
    private void onFault(final ControlInbox.Message m)
    {
        if (m.getLong("run") != runId || agent == null)
        {
            control.refuse(m, agent == null ? "no run is configured" : "this node runs run " + runId);
            return;
        }
        agent.faults().rules(lab.harness.aeron.ReceiveEdgeFaults.Rules.fromFields(m.fields()));
    }

    private void onStop(final ControlInbox.Message m)
    {
        if (m.getLong("run") != runId || runner == null)
        {
            control.refuse(m, runner == null ? "no run is running" : "this node runs run " + runId);
            return;
        }
        CloseHelper.quietClose(runner);
        runner = null;
        final Map<String, String> reply = new LinkedHashMap<>();
        reply.put("run", Long.toString(runId));
        reply.put("client_replica_messages", Long.toString(traffic.clientReplicaMessages()));
        reply.put("replica_replica_messages", Long.toString(traffic.replicaReplicaMessages()));
        reply.put("client_replica_bytes", Long.toString(traffic.clientReplicaBytes()));
        reply.put("replica_replica_bytes", Long.toString(traffic.replicaReplicaBytes()));
        reply.put("messages_received", Long.toString(traffic.messagesReceived()));
        reply.put("bytes_received", Long.toString(traffic.bytesReceived()));
        reply.put("busy_ns", Long.toString(traffic.busyNs()));
        reply.put("busy_cycles", Long.toString(traffic.busyCycles()));
        reply.put("background_ns", Long.toString(traffic.backgroundNs()));
        traffic.receivedByType().forEach((type, n) -> reply.put(IN_TYPE + type, Long.toString(n)));
        traffic.sentByType().forEach((type, n) -> reply.put(OUT_TYPE + type, Long.toString(n)));
        reply.put("back_pressure_retries", Long.toString(agent.outbox().backPressureRetries()));
        reply.put("queued_after_back_pressure", Long.toString(agent.outbox().queuedMessages()));
        reply.put("dropped_not_connected", Long.toString(agent.outbox().notConnectedDrops()));
        reply.put("fault_dropped_cut", Long.toString(agent.faults().cut()));
        reply.put("fault_dropped_loss", Long.toString(agent.faults().lost()));
        reply.put("fault_held", Long.toString(agent.faults().held()));
        reply.put("foreign_frames", Long.toString(agent.foreignFrames()));
        reply.put("control_refused", Long.toString(control.refused()));
        reply.put("transport_errors", Long.toString(errors.count() - errorsAtConfig));
        final java.util.List<String> distinct = errors.distinct(configuredAtMs);
        for (int k = 0; k < distinct.size(); k++)
        {
            reply.put("transport_error." + k, distinct.get(k));
        }
        reply.put("role", ((Replica)agent.endpoint()).role().name());
        for (final Map.Entry<String, Long> e : ((Replica)agent.endpoint()).counters().entrySet())
        {
            reply.put("counter." + e.getKey(), Long.toString(e.getValue()));
        }
        if (agentError.get() != null)
        {
            reply.put("error", TransportErrors.oneLine(agentError.get()));
        }
        else if (errors.fatal() != null)
        {
            reply.put("error", errors.fatal());
        }
        if (profileMode != null)
        {
            final String file = m.get("profile_file") != null ? m.get("profile_file") :
                new File(settings.profileDir, "flame-node" + id + ".html").getPath();
            try
            {
                profiler.stop(new File(file));
                reply.put("profile_mode", profileMode);
                reply.put("profile_file", file);
            }
            catch (final RuntimeException ex)
            {
                reply.put("profile_error", ex.getMessage());
            }
        }
        else if (profileError != null)
        {
            reply.put("profile_error", profileError);
        }
        Control.send(controlReply, Control.REPORT, id, reply, TimeUnit.SECONDS.toNanos(2));
        settings.out.println("STOPPED node=" + id + " run=" + runId);
        settings.out.flush();
        closePublications();
        replica = null;
        agent = null;
    }

    /**
     * Tells the driver the replica's role when it differs from the one last told (a racy read of a field the node
     * thread writes, as the in-process fault injector's; only used to pick fault targets and see successors).
     */
    private void reportRole()
    {
        final String role = ((Replica)replica).role().name();
        if (!role.equals(reportedRole))
        {
            final Map<String, String> fields = new LinkedHashMap<>();
            fields.put("run", Long.toString(runId));
            fields.put("pid", Long.toString(ProcessHandle.current().pid()));
            fields.put("role", role);
            if (Control.send(controlReply, Control.ROLE, id, fields, TimeUnit.MILLISECONDS.toNanos(100)))
            {
                reportedRole = role;
            }
        }
    }

    private static java.util.Set<Integer> nodeSet(final String list)
    {
        final java.util.Set<Integer> nodes = new java.util.HashSet<>();
        if (list != null && !list.isBlank())
        {
            for (final String n : list.split(","))
            {
                nodes.add(Integer.parseInt(n.trim()));
            }
        }
        return nodes;
    }

    private ClusterFile.Address address(final int node)
    {
        return node < cluster.nodes().size() ? cluster.node(node) : cluster.client();
    }

    private String name(final int node)
    {
        return node < cluster.nodes().size() ? "node " + node : "client-process node " + node;
    }

    private void stopRun()
    {
        if (runner != null)
        {
            CloseHelper.quietClose(runner);
            runner = null;
        }
        if (profiler.running())
        {
            try
            {
                profiler.stop(new File(settings.profileDir, "flame-node" + id + "-abandoned.html"));
            }
            catch (final RuntimeException ignore)
            {
                // the run was abandoned; its profile does not matter
            }
        }
        closePublications();
    }

    private void closePublications()
    {
        if (publications != null)
        {
            for (final Publication p : publications)
            {
                CloseHelper.quietClose(p);
            }
            publications = null;
        }
    }

    public String aeronDirectory()
    {
        return aeronDir;
    }

    public void close()
    {
        if (finished.getCount() == 0)
        {
            return;
        }
        try
        {
            stopRun();
        }
        finally
        {
            closeResources();
            finished.countDown();
        }
    }

    private void closeResources()
    {
        CloseHelper.quietCloseAll(aeron, driver);
        Control.deleteDir(aeronDir);
    }
}
