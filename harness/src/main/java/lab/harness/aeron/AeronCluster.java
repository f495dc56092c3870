package lab.harness.aeron;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import lab.core.Endpoint;
import lab.harness.metrics.TrafficCounters;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CompositeAgent;

/**
 * An in-process cluster over Aeron: one embedded media driver (directory under /dev/shm, deleted on close), one
 * subscription per node, one shared publication per destination, one {@link NodeAgent} per node, all composed
 * into one {@link CompositeAgent} on one thread.
 *
 * <p>With {@code threading = "invoker"} there is no thread: the caller runs the driver, the client and every node
 * with {@link #invoke()} (the JMH end-to-end benchmark does, so an operation never crosses threads).
 *
 * <p>Threads follow the 2-core rule measured in docs/machine-notes.md (at most one busy-spinning thread): over IPC the node
 * thread spins and the driver (SHARED) backs off; over UDP the node thread yields, the driver's shared network
 * thread spins and its conductor backs off.
 *
 * <p>Every frame carries the run's id, random per cluster ({@link #runId()}); nodes drop frames of other runs and
 * of senders that are not members ({@link NodeAgent#foreignFrames()}). What the driver and the client report is
 * counted, not fatal ({@link TransportErrors}); {@link #error()} is only what a node cannot go on after.
 */
public final class AeronCluster implements AutoCloseable
{
    /** Stream id of node 0; node i listens on STREAM_ID + i ({@link NodeWiring#STREAM_ID}). */
    public static final int STREAM_ID = NodeWiring.STREAM_ID;

    /**
     * How the in-process cluster is wired.
     */
    public static final class Settings
    {
        public String medium = "ipc";
        /** "auto" picks by medium, see the class comment. */
        public String idle = "auto";
        public long tickIntervalNs = NodeWiring.TICK_INTERVAL_NS;
        public int termLength = 4 * 1024 * 1024;
        /** UDP: Aeron's MTU (largest datagram); 0 for Aeron's default (1408, safe on any Ethernet). */
        public int mtu = 0;
        /** Pre-fault term buffers so the first messages do not pay for page faults (benchmarks). */
        public boolean preTouch = false;
        public long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        /**
         * "shared": every node agent on one thread (CompositeAgent); "per-node": one thread per node; "invoker": no
         * thread at all: the media driver runs in {@link ThreadingMode#INVOKER} mode, the Aeron client uses its
         * conductor's agent invoker, and the caller's thread runs every duty cycle with {@link #invoke()} (one
         * thread for the driver, the client and every node: what a benchmark thread drives itself, so no operation
         * crosses threads).
         */
        public String threading = "shared";
        /**
         * Invoker mode: run the driver and the client conductor every this many cycles of the nodes (a power of 2);
         * 0 for auto: 8 over IPC, where the driver is not on the data path (publishers write into the log buffer,
         * subscribers read it; the driver's conductor only moves publisher limits, a 2 MB window here, and keeps
         * liveness), 1 over UDP, where its sender and receiver move every message.
         */
        public int driverEvery = 0;
        /** Emulated links into every node (the lab's own, at the receive edge). */
        public LinkEmulator.Settings link = LinkEmulator.Settings.NONE;
        public long seed = 42;
        /**
         * What a run interrupted by a signal does not keep, said on stderr by the shutdown hook that closes the
         * cluster and removes its directory ({@link ExitCleanup}).
         */
        public String notKeptOnSignal = "the run's results (table, --json, --history) were not written";
    }

    private final Settings settings;
    private final Endpoint[] endpoints;
    private final TrafficCounters[] traffic;
    private final TransportErrors errors = new TransportErrors();
    private final long runId = newRunId();
    private int[] ports;
    private final List<NodeAgent> agents = new ArrayList<>();
    private final String aeronDir;
    private MediaDriver driver;
    private Aeron aeron;
    private NodeThreads threads;
    private AgentInvoker driverInvoker;
    private AgentInvoker clientInvoker;
    private int driverEveryMask;
    private long invokeCycles;
    private String idleUsed;
    private String[] channels;
    private ExitCleanup.Registration exitCleanup;
    private boolean closed;

    public AeronCluster(final Settings settings, final Endpoint[] endpoints, final TrafficCounters[] traffic)
    {
        if (!"ipc".equals(settings.medium) && !"udp".equals(settings.medium))
        {
            throw new IllegalArgumentException("transport must be ipc or udp, got " + settings.medium);
        }
        if (!NodeThreads.SHARED.equals(settings.threading) && !NodeThreads.PER_NODE.equals(settings.threading) &&
            !NodeThreads.INVOKER.equals(settings.threading))
        {
            throw new IllegalArgumentException("threading must be shared, per-node or invoker, got " +
                settings.threading);
        }
        this.settings = settings;
        this.endpoints = endpoints;
        this.traffic = traffic;
        final String shm = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        this.aeronDir = shm + "/lab-aeron-" + UUID.randomUUID();
    }

    public void start()
    {
        startWith(() -> {});
    }

    /**
     * Starts the cluster; {@code beforeAgentsStart} runs once every node is reachable, just before the node thread
     * starts (its writes are visible to the nodes).
     */
    public void startWith(final Runnable beforeAgentsStart)
    {
        final boolean ipc = "ipc".equals(settings.medium);
        // SIGTERM, SIGINT, SIGHUP: close the nodes and the driver, remove the directory (bounded), say so.
        // Invoker mode: the caller's thread may be inside invoke(), so the hook must not unmap the driver's buffers
        // under it; it only removes the directory (the mappings stay valid until the JVM exits).
        exitCleanup = ExitCleanup.register("the in-process cluster (" + endpoints.length + " nodes over " +
            settings.medium + ")", settings.notKeptOnSignal,
            "invoker".equals(settings.threading) ? () -> {} : this::close, aeronDir);
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(!settings.preTouch)
            .performStorageChecks(false)
            .ipcTermBufferLength(settings.termLength)
            .publicationTermBufferLength(settings.termLength)
            .errorHandler(errors.driver("driver"));
        final boolean invoker = "invoker".equals(settings.threading);
        if (invoker)
        {
            // The caller's thread runs the driver's conductor, sender and receiver (invoke()): no driver thread.
            // and its asynchronous tasks (name resolution) run inline: no aeron-executor thread either.
            driverContext.threadingMode(ThreadingMode.INVOKER).asyncExecutorEnabled(false);
        }
        else if (ipc)
        {
            driverContext.threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy());
        }
        else
        {
            driverContext.threadingMode(ThreadingMode.SHARED_NETWORK)
                .sharedNetworkIdleStrategy(new BusySpinIdleStrategy())
                .conductorIdleStrategy(new BackoffIdleStrategy());
        }
        try
        {
            driver = MediaDriver.launchEmbedded(driverContext);
            final Aeron.Context clientContext =
                new Aeron.Context().aeronDirectoryName(aeronDir).errorHandler(errors.client("client"));
            if (invoker)
            {
                // No conductor thread; while the client waits for the driver (addPublication ...) it invokes it.
                driverInvoker = driver.sharedAgentInvoker();
                clientContext.useConductorAgentInvoker(true).driverAgentInvoker(driverInvoker);
            }
            aeron = Aeron.connect(clientContext);
            clientInvoker = invoker ? aeron.conductorAgentInvoker() : null;
            final int every = settings.driverEvery > 0 ? settings.driverEvery : ipc ? 8 : 1;
            if (Integer.bitCount(every) != 1)
            {
                throw new IllegalArgumentException("driverEvery must be a power of 2, got " + every);
            }
            driverEveryMask = every - 1;

            final int nodes = endpoints.length;
            ports = ipc ? null : freeUdpPorts(nodes);
            channels = channels(ports, nodes, settings.termLength, settings.mtu);
            final Subscription[] subscriptions = new Subscription[nodes];
            for (int i = 0; i < nodes; i++)
            {
                // One stream per node: IPC channels differ only by stream id.
                subscriptions[i] = NodeWiring.subscribe(aeron, channels[i], i);
            }
            final Publication[] publications = NodeWiring.publications(aeron, nodes, i -> channels[i]);
            NodeWiring.awaitConnected(publications, j -> false, System.nanoTime() + settings.connectTimeoutNs,
                driverInvoker != null ? this::invokeTransport : AeronCluster::yieldOnce,
                j -> "node " + j + " did not become reachable over " + settings.medium + " within " +
                    TimeUnit.NANOSECONDS.toMillis(settings.connectTimeoutNs) + " ms");

            NodeWiring.agents(agents, 0, nodes, endpoints, subscriptions, publications, runId, traffic,
                settings.tickIntervalNs, settings.link, settings.seed);
            final boolean perNode = NodeThreads.PER_NODE.equals(settings.threading);
            // One thread per node: at most one may spin on a small machine, so every node thread yields.
            idleUsed = invoker ? "none (the caller invokes)" :
                "auto".equals(settings.idle) ? (ipc && !perNode ? "busy-spin" : "yield") : settings.idle;
            threads = new NodeThreads(agents, settings.threading, idleUsed, "nodes", errors::client);
            beforeAgentsStart.run();
            threads.start();
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * One duty cycle of everything, on the caller's thread ({@code threading = "invoker"} only): every node agent,
     * then the media driver (conductor, sender, receiver) and the Aeron client's conductor (every
     * {@link Settings#driverEvery} cycles: by default every cycle over UDP, every 8th over IPC). Call it from one thread,
     * in a loop, at least every few seconds (Aeron's client and driver liveness timeouts are 10 s); no allocation.
     *
     * @return the work done, 0 when there was nothing to do.
     */
    public int invoke()
    {
        int work = threads.invoke();
        if ((++invokeCycles & driverEveryMask) == 0)
        {
            work += driverInvoker.invoke() + clientInvoker.invoke();
        }
        return work;
    }

    private void invokeTransport()
    {
        driverInvoker.invoke();
        clientInvoker.invoke();
    }

    private static void yieldOnce()
    {
        Thread.onSpinWait();
        Thread.yield();
    }

    /**
     * @return true when the caller drives the cluster with {@link #invoke()}.
     */
    public boolean invoked()
    {
        return threads != null && threads.invoked();
    }

    /**
     * A random 64-bit run id (never 0, the reserved value of frames nobody set).
     */
    public static long newRunId()
    {
        final java.security.SecureRandom random = new java.security.SecureRandom();
        long id;
        do
        {
            id = random.nextLong();
        }
        while (id == 0 || id == -1);
        return id;
    }

    private static String[] channels(final int[] ports, final int nodes, final int termLength, final int mtu)
    {
        final String[] channels = new String[nodes];
        for (int i = 0; i < nodes; i++)
        {
            channels[i] = ports == null ? NodeWiring.ipcChannel(termLength) :
                NodeWiring.udpChannel("127.0.0.1:" + ports[i], termLength, mtu);
        }
        return channels;
    }

    private static int[] freeUdpPorts(final int count)
    {
        final int[] ports = new int[count];
        final DatagramSocket[] sockets = new DatagramSocket[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot find free UDP ports on loopback", ex);
        }
        finally
        {
            for (final DatagramSocket s : sockets)
            {
                if (s != null)
                {
                    s.close();
                }
            }
        }
        return ports;
    }

    /**
     * @return the first error a node cannot go on after, one line naming the node (or the client, when it lost
     * its driver), or null. Other errors of the driver and the client are counted in {@link #transportErrors()}.
     */
    public String error()
    {
        final String fatal = errors.fatal();
        if (fatal == null && exitCleanup != null && exitCleanup.ranByHook())
        {
            return "stopped by a signal (the JVM is shutting down)";
        }
        return fatal;
    }

    public TransportErrors transportErrors()
    {
        return errors;
    }

    /**
     * @return the {@code foreign_frames} entry of transport_stats: total and per node.
     */
    public java.util.Map<String, Object> foreignFramesReport()
    {
        final java.util.Map<String, Object> report = new java.util.LinkedHashMap<>();
        long total = 0;
        for (final NodeAgent agent : agents)
        {
            total += agent.foreignFrames();
        }
        report.put("total", total);
        for (final NodeAgent agent : agents)
        {
            report.put(agent.roleName(), agent.foreignFrames());
        }
        return report;
    }

    /**
     * @return this run's id, in every frame.
     */
    public long runId()
    {
        return runId;
    }

    /**
     * @return the UDP port node {@code nodeId} listens on (udp only).
     */
    public int port(final int nodeId)
    {
        return ports[nodeId];
    }

    /**
     * Crashes a node in this process: it stops and its subscription closes, so what peers send it is lost.
     */
    public void crash(final int nodeId)
    {
        agents.get(nodeId).crash();
    }

    /**
     * Restarts a crashed node as a fresh endpoint on a new subscription of its channel.
     */
    public void restart(final int nodeId, final Endpoint fresh)
    {
        final Subscription subscription = NodeWiring.subscribe(aeron, channels[nodeId], nodeId);
        agents.get(nodeId).restart(fresh, subscription);
    }

    public boolean crashed(final int nodeId)
    {
        return agents.get(nodeId).crashed();
    }

    public List<NodeAgent> agents()
    {
        return agents;
    }

    public String idleUsed()
    {
        return idleUsed;
    }

    public String aeronDirectory()
    {
        return aeronDir;
    }

    /**
     * Stops the node threads, closes the client and the driver and removes the directory; idempotent, and safe to
     * call from the shutdown hook while the run's own thread closes too.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(threads);
        CloseHelper.quietCloseAll(aeron, driver);
        final File dir = new File(aeronDir);
        if (dir.exists())
        {
            IoUtil.delete(dir, true);
        }
        if (exitCleanup != null)
        {
            exitCleanup.close();
        }
    }
}
