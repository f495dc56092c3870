package lab.harness.predict;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The simulated nodes' processors: each CPU is a FIFO queue served by {@code cores} servers, and every node is placed
 * on one CPU (a CPU of its own, or one CPU shared by all nodes, as the lab's in-process run puts every node agent on
 * one thread). A message that arrives at time t starts at s = max(t, the earliest time a server is free), costs a
 * service time drawn for the receiving node (its batched figure when the CPU was busy at t, or with a fitted demand
 * when it arrived by the start of its node's latest duty cycle and so joins it; plus its costs per byte and per
 * send, see {@link ServiceTime}),
 * and is handled (the node's handler runs and sends) at s + service.
 *
 * <p>Ticks (timer checks) are not charged: the calibration reports them apart as background and they do not grow
 * with the load. The model is per message received; a handler's sends leave when it finishes, and with a
 * load-dependent service time they are charged to the messages received at the node's running ratio of sends per
 * input ({@link #onSent}).
 */
public final class NodeCpus
{
    /**
     * The service time of a message of a type ({@link lab.core.MessageTypes} index) that a node receives now.
     */
    @FunctionalInterface
    public interface ServiceByType
    {
        ServiceTime of(int node, int type);
    }

    private final int[] cpuOf;
    private final long[][] freeAtNs;
    private final ServiceByType serviceOf;
    private final Random random;
    private final long[] busyNs;
    private final long[] waitNs;
    private final long[] served;
    /** Per node, messages and bytes it sent (what a load-dependent service time charges its inputs for). */
    private final long[] sent;
    private final long[] sentBytes;
    /**
     * Per node, when its latest duty cycle started: a message that arrives by then is in its subscription when the
     * node polls, and joins that cycle; one that arrives later waits for the node's next cycle, as on a real node
     * thread (a cycle handles what it polled; what comes in meanwhile is the next cycle's).
     */
    private final long[] cycleStartNs;
    /** Whether the last message handled started a duty cycle (paid the cycle cost) rather than joined one. */
    private boolean lastStartedCycle;

    /**
     * @param cpuOf     per node, the index of its CPU (0 .. cpus-1).
     * @param cores     servers per CPU (>= 1).
     * @param serviceOf per node, the service time of the message it receives now (may change with the node's role).
     * @param random    the source of service-time draws (seeded by the run).
     */
    public NodeCpus(final int[] cpuOf, final int cores, final IntFunction<ServiceTime> serviceOf, final Random random)
    {
        this(cpuOf, cores, (node, type) -> serviceOf.apply(node), random);
    }

    /**
     * @param serviceOf per node and message type, the service time of the message it receives now.
     */
    public NodeCpus(final int[] cpuOf, final int cores, final ServiceByType serviceOf, final Random random)
    {
        if (cores < 1)
        {
            throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
        }
        int cpus = 0;
        for (final int c : cpuOf)
        {
            cpus = Math.max(cpus, c + 1);
        }
        this.cpuOf = cpuOf.clone();
        this.freeAtNs = new long[cpus][cores];
        this.serviceOf = serviceOf;
        this.random = random;
        this.busyNs = new long[cpuOf.length];
        this.waitNs = new long[cpuOf.length];
        this.served = new long[cpuOf.length];
        this.sent = new long[cpuOf.length];
        this.sentBytes = new long[cpuOf.length];
        this.cycleStartNs = new long[cpuOf.length];
        Arrays.fill(cycleStartNs, Long.MIN_VALUE);
    }

    /**
     * @return a CPU per node.
     */
    public static int[] ownCpus(final int nodes)
    {
        final int[] cpuOf = new int[nodes];
        for (int i = 0; i < nodes; i++)
        {
            cpuOf[i] = i;
        }
        return cpuOf;
    }

    /**
     * @return one CPU for every node.
     */
    public static int[] sharedCpu(final int nodes)
    {
        return new int[nodes];
    }

    /**
     * Queues a message that arrives at {@code node} at {@code arrivalNs}, its size not counted.
     *
     * @return when its handler runs.
     */
    public long handledAtNs(final int node, final long arrivalNs)
    {
        return handledAtNs(node, arrivalNs, 0);
    }

    /**
     * Queues a message of {@code length} bytes that arrives at {@code node} at {@code arrivalNs}.
     *
     * @return when its handler runs.
     */
    public long handledAtNs(final int node, final long arrivalNs, final int length)
    {
        return handledAtNs(node, arrivalNs, length, lab.core.MessageTypes.OTHER);
    }

    /**
     * Queues a message of {@code type} ({@link lab.core.MessageTypes} index) and {@code length} bytes that arrives
     * at {@code node} at {@code arrivalNs}.
     *
     * @return when its handler runs.
     */
    public long handledAtNs(final int node, final long arrivalNs, final int length, final int type)
    {
        final long[] servers = freeAtNs[cpuOf[node]];
        int first = 0;
        for (int k = 1; k < servers.length; k++)
        {
            if (servers[k] < servers[first])
            {
                first = k;
            }
        }
        final long startNs = Math.max(arrivalNs, servers[first]);
        final ServiceTime service = serviceOf.of(node, type);
        final long serviceNs;
        if (service.perNode())
        {
            // Joins its node's latest cycle only if that cycle had not started when it arrived. (Joining whenever
            // the node still had a message queued made one endless cycle of a busy shared CPU: about 0.001 cycles
            // per op for a chain replica at 2 x 16 where the real one has 0.064, so the per-cycle cost went
            // uncharged; see predict --validate's per-role table.)
            final boolean batched = arrivalNs <= cycleStartNs[node];
            lastStartedCycle = !batched;
            final long in = Math.max(1, served[node]);
            serviceNs = service.sampleNs(random, batched, length, (double)sent[node] / in,
                (double)sentBytes[node] / in);
        }
        else
        {
            lastStartedCycle = servers[first] <= arrivalNs;
            serviceNs = service.sampleNs(random, !lastStartedCycle);
        }
        servers[first] = startNs + serviceNs;
        if (service.perNode() && lastStartedCycle)
        {
            cycleStartNs[node] = startNs;
        }
        busyNs[node] += serviceNs;
        waitNs[node] += startNs - arrivalNs;
        served[node]++;
        return startNs + serviceNs;
    }

    /**
     * {@code node} sent a message of {@code length} bytes: counted into its ratio of sends per message received.
     */
    public void onSent(final int node, final int length)
    {
        sent[node]++;
        sentBytes[node] += length;
    }

    /**
     * @return whether the message {@link #handledAtNs} took last started a duty cycle of its node (it paid the cycle
     * cost) instead of joining one: the simulated counterpart of a real run's busy cycles, so the two can be compared.
     */
    public boolean lastStartedCycle()
    {
        return lastStartedCycle;
    }

    /** @return simulated CPU time the node's messages took so far. */
    public long busyNs(final int node)
    {
        return busyNs[node];
    }

    /** @return time the node's messages waited for a free server so far. */
    public long waitNs(final int node)
    {
        return waitNs[node];
    }

    /** @return messages the node handled so far. */
    public long served(final int node)
    {
        return served[node];
    }

    @Override
    public String toString()
    {
        return "NodeCpus{cpuOf=" + Arrays.toString(cpuOf) + ", cores=" + freeAtNs[0].length + "}";
    }
}
