package lab.benchmarks.e2e;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.harness.aeron.AeronCluster;
import lab.core.Endpoint;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Protocols;
import lab.core.codec.OpType;
import lab.harness.metrics.TrafficCounters;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.KeyGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end: one GET or PUT through a replicated cluster and back, one operation in flight (closed loop, one
 * slot), measured as throughput ({@link #throughput}) and as a latency distribution ({@link #latency}, SampleTime:
 * p50 .. p99.99 per operation).
 *
 * <p>The in-process cluster is built at {@code @Setup(Level.Trial)}, as {@code LabRunner} does: the protocol's
 * replicas (and control nodes) from its {@link ProtocolFactory} found by {@link java.util.ServiceLoader}, plus one
 * {@link SyncClient} node, over one embedded media driver ({@link AeronCluster}, term buffers pre-touched). Every key
 * is written once before measuring, so reads find values. By default ({@code threading=invoker}) the JMH thread runs
 * everything itself: the driver in INVOKER mode, the Aeron client's conductor and every node through
 * {@link AeronCluster#invoke()}, duty cycle after duty cycle until the operation completes, so nothing crosses
 * threads. With {@code threading=agent} the cluster has its own node and driver threads, as in {@code lab run}, and
 * the JMH thread hands each operation to the client on the node thread and spins (IPC) or parks (UDP: the
 * driver's network thread already spins, see docs/machine-notes.md; the client unparks it) until it completes. Protocols not in the build fail their
 * trial at setup with a one-line message and the run goes on with the next parameters.
 *
 * <p>{@code -prof gc}: {@code gc.alloc.rate.norm} is the JVM's total allocation (every thread, agent and driver
 * included) per operation, so about 0 B/op means the replication hot path allocates nothing.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplicationBenchmark
{
    private static final int RING = 1 << 16;
    private static final long REPLICA_TICK_INTERVAL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long OP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int WAIT_SPIN = 0;
    private static final int WAIT_YIELD = 1;
    private static final int WAIT_PARK = 2;
    /** Spin this many times before yielding or parking: a fast completion costs no system call. */
    private static final long PARK_AFTER_SPINS = 200;
    private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SETUP_OP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @Param({ "primary-backup", "chain", "raft", "quorum" })
    public String protocol;

    @Param({ "3", "5", "7" })
    public int replicas;

    @Param({ "ipc", "udp" })
    public String transport;

    /** mixed: 50% GET / 50% PUT; write: PUT only; read: GET only (of keys written at setup). */
    @Param({ "mixed", "write", "read" })
    public String workload;

    @Param({ "uniform" })
    public String keyDistribution;

    /** Every key is written once at setup, so keep it modest. */
    @Param({ "1000" })
    public int keys;

    @Param({ "64" })
    public int valueSize;

    /**
     * Protocol options as {@code name=value;name=value} (semicolons: JMH splits {@code -p} values at commas), e.g.
     * {@code -p "options=raft-log=file;fsync=batch"}; empty for none.
     */
    @Param({ "" })
    public String options;

    /**
     * Who runs the cluster. invoker: this (JMH) thread, through {@link AeronCluster#invoke()}: the media driver in
     * INVOKER mode, the Aeron client's conductor and every node, one duty cycle after another until the operation
     * completes, so no operation crosses threads and the figure does not depend on how the OS schedules two
     * spinning threads. agent: the cluster's own node thread and driver thread, the JMH thread handing each
     * operation over and waiting ({@link #wait}, {@link #idle}): what {@code lab run} does, and on 2 shared cores
     * a figure that collapses whenever anything else runs ({@code -p threading=agent,invoker} compares them).
     */
    @Param({ "invoker" })
    public String threading;

    /**
     * threading=invoker: run the media driver every this many cycles of the nodes (power of 2); 0: auto (8 over IPC,
     * where the driver is off the data path; 1 over UDP).
     */
    @Param({ "0" })
    public int driverEvery;

    /** Node thread idle strategy (threading=agent): auto (busy-spin over IPC, yield over UDP) | busy-spin | yield | backoff. */
    @Param({ "auto" })
    public String idle;

    /**
     * How the JMH thread waits for a completion: auto (spin over IPC; park over UDP, where the driver's network
     * thread already spins and a third runnable thread on 2 cores costs scheduler ticks) | spin | yield | park.
     */
    @Param({ "auto" })
    public String wait;

    private final OpType[] ringType = new OpType[RING];
    private final long[] ringKey = new long[RING];
    private AeronCluster cluster;
    private SyncClient client;
    private int waitMode;
    private boolean invoker;
    private int next;
    private long operations;
    private final AllocationProbe probe = new AllocationProbe();

    @Setup(Level.Trial)
    public void setup()
    {
        final ProtocolFactory factory = factory(protocol);
        final int replicaCount = factory.fixedReplicas() > 0 ? factory.fixedReplicas() : replicas;
        final ProtocolSettings settings = new ProtocolSettings(replicaCount, 1, 1, parseOptions(options));
        factory.validate(settings);
        settings.controlNodes(factory.controlNodes(settings));
        final long seed = 42;

        final int clientNode = settings.clientNode(0);
        final Endpoint[] endpoints = new Endpoint[clientNode + 1];
        for (int i = 0; i < replicaCount; i++)
        {
            endpoints[i] = new TickThrottle(
                factory.newReplica(i, settings, new Random(SimNetwork.deriveSeed(seed, i)), false),
                REPLICA_TICK_INTERVAL_NS);
        }
        for (int i = replicaCount; i < clientNode; i++)
        {
            endpoints[i] = new TickThrottle(
                factory.newControlNode(i, settings, new Random(SimNetwork.deriveSeed(seed, i))),
                REPLICA_TICK_INTERVAL_NS);
        }
        client = new SyncClient(clientNode,
            factory.newClient(clientNode, settings, new Random(SimNetwork.deriveSeed(seed, 1000 + clientNode))),
            valueSize, REPLICA_TICK_INTERVAL_NS);
        endpoints[clientNode] = client;

        final TrafficCounters[] traffic = new TrafficCounters[endpoints.length];
        for (int i = 0; i < traffic.length; i++)
        {
            traffic[i] = new TrafficCounters(settings.replicas() + settings.controlNodes());
        }

        final AeronCluster.Settings clusterSettings = new AeronCluster.Settings();
        clusterSettings.medium = transport;
        clusterSettings.idle = idle;
        clusterSettings.preTouch = true;
        // Every duty cycle ticks every node: the client must see a handed-over operation at once. Replicas and
        // control nodes are throttled back to the harness's usual 100 us by TickThrottle.
        clusterSettings.tickIntervalNs = 0;
        switch (threading)
        {
            case "invoker": clusterSettings.threading = "invoker"; break;
            case "agent": clusterSettings.threading = "shared"; break;
            default: throw new IllegalArgumentException("threading must be invoker|agent, got '" + threading + "'");
        }
        invoker = "invoker".equals(threading);
        clusterSettings.driverEvery = driverEvery;
        // A signal during a trial: the directory goes, and JMH's own output is all there is to keep.
        clusterSettings.notKeptOnSignal = "this trial's JMH results were not written";
        cluster = new AeronCluster(clusterSettings, endpoints, traffic);
        cluster.start();
        waitMode = waitMode(wait, transport);

        fillRing();
        // Write every key once (this also waits out leader election and the like), so that reads find values.
        for (long k = 0; k < keys; k++)
        {
            execute(OpType.PUT, k, SETUP_OP_TIMEOUT_NS);
        }
    }

    private void fillRing()
    {
        final double readRatio;
        switch (workload)
        {
            case "mixed": readRatio = 0.5; break;
            case "write": readRatio = 0.0; break;
            case "read": readRatio = 1.0; break;
            default: throw new IllegalArgumentException("workload must be mixed|write|read, got '" + workload + "'");
        }
        final KeyGenerator generator = KeyGenerator.of(keyDistribution, keys, 0.99);
        final Random random = new Random(7);
        for (int i = 0; i < RING; i++)
        {
            ringType[i] = random.nextDouble() < readRatio ? OpType.GET : OpType.PUT;
            ringKey[i] = generator.nextKey(random);
        }
    }

    @Setup(Level.Iteration)
    public void beginIteration()
    {
        probe.begin(client.agentThread(), operations);
    }

    /**
     * Prints this iteration's allocation per operation by the node thread (every replica and the client), by the
     * JMH thread and by the whole JVM (driver and JMH infrastructure included): what {@code -prof gc} reports is
     * the last, which on a slow or shared machine also carries the driver's time-based allocation.
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        probe.end(operations);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (cluster != null)
        {
            final String error = cluster.error();
            cluster.close();
            cluster = null;
            if (error != null)
            {
                throw new IllegalStateException("cluster failed: " + error);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughput()
    {
        final int i = next++ & (RING - 1);
        return execute(ringType[i], ringKey[i], OP_TIMEOUT_NS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latency()
    {
        final int i = next++ & (RING - 1);
        return execute(ringType[i], ringKey[i], OP_TIMEOUT_NS);
    }

    /**
     * Submits one operation and waits for it.
     *
     * @return its critical-path hop count.
     */
    private int execute(final OpType type, final long key, final long timeoutNs)
    {
        return invoker ? executeInvoked(type, key, timeoutNs) : executeHandedOver(type, key, timeoutNs);
    }

    /**
     * threading=invoker: submits and runs the cluster's duty cycles on this thread until the operation completes.
     */
    private int executeInvoked(final OpType type, final long key, final long timeoutNs)
    {
        final SyncClient client = this.client;
        final AeronCluster cluster = this.cluster;
        final long seq = client.submit(type, key);
        operations++;
        long cycles = 0;
        long deadlineNs = 0;
        while (!client.isComplete(seq))
        {
            invoke(cluster);
            if ((++cycles & 0xFFFF) == 0)
            {
                // Read the clock only on slow operations: the fast path pays nothing for the timeout.
                final long nowNs = System.nanoTime();
                if (deadlineNs == 0)
                {
                    deadlineNs = nowNs + timeoutNs;
                }
                else if (nowNs > deadlineNs)
                {
                    throw new IllegalStateException(type + " of key " + key + " (seq " + seq + ") did not complete in " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms on " + protocol + "/" + transport + "/" +
                        replicas + (cluster.error() != null ? ": " + cluster.error() : ""));
                }
            }
        }
        return client.lastHops();
    }

    /**
     * One duty cycle of the whole cluster, compiled as its own root: inlined into the JMH loop, the chain down to
     * the driver's pollers is deeper than C2 inlines, and their iterators are then allocated on every cycle.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void invoke(final AeronCluster cluster)
    {
        cluster.invoke();
    }

    /**
     * threading=agent: hands the operation to the node thread and waits for its completion.
     */
    private int executeHandedOver(final OpType type, final long key, final long timeoutNs)
    {
        final SyncClient client = this.client;
        final long seq = client.submit(type, key);
        operations++;
        long spins = 0;
        final long checkMask = waitMode == WAIT_SPIN ? 0xFFFF : 0xFF;
        long deadlineNs = 0;
        while (!client.isComplete(seq))
        {
            if ((++spins & checkMask) == 0)
            {
                // Read the clock only on slow operations: the fast path pays nothing for the timeout.
                final long nowNs = System.nanoTime();
                if (deadlineNs == 0)
                {
                    deadlineNs = nowNs + timeoutNs;
                }
                else if (nowNs > deadlineNs)
                {
                    throw new IllegalStateException(type + " of key " + key + " (seq " + seq + ") did not complete in " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms on " + protocol + "/" + transport + "/" +
                        replicas + (cluster.error() != null ? ": " + cluster.error() : ""));
                }
            }
            if (waitMode == WAIT_SPIN || spins < PARK_AFTER_SPINS)
            {
                Thread.onSpinWait();
            }
            else if (waitMode == WAIT_YIELD)
            {
                Thread.yield();
            }
            else
            {
                client.park(seq, PARK_NS);
            }
        }
        return client.lastHops();
    }

    private static int waitMode(final String wait, final String transport)
    {
        switch (wait)
        {
            case "auto": return "udp".equals(transport) ? WAIT_PARK : WAIT_SPIN;
            case "spin": return WAIT_SPIN;
            case "yield": return WAIT_YIELD;
            case "park": return WAIT_PARK;
            default: throw new IllegalArgumentException("wait must be auto|spin|yield|park, got '" + wait + "'");
        }
    }

    private static ProtocolFactory factory(final String name)
    {
        try
        {
            return Protocols.byName(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalStateException("skipped: " + ex.getMessage());
        }
    }

    static Map<String, String> parseOptions(final String options)
    {
        final Map<String, String> map = new TreeMap<>();
        if (options == null || options.isBlank())
        {
            return map;
        }
        for (final String pair : options.split(";"))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("options must be name=value;name=value, got '" + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
