package lab.harness.predict;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

import lab.harness.aeron.NodeAgent;

/**
 * The simulated nodes' processors: every node is placed on one CPU (a CPU of its own, or one CPU shared by all nodes,
 * as the lab's in-process run puts every node agent on one thread). Two ways to serve a CPU's messages:
 *
 * <p><b>In turn</b> (a CPU with one core and more than one node: the lab's {@code CompositeAgent}, see
 * {@code NodeThreads}). The CPU visits its nodes in node-id order, as the composite runs its agents, and goes round.
 * A visit to a node that has messages waiting is one duty cycle: it takes the ones that arrived by the visit's start,
 * at most {@link NodeAgent#FRAGMENT_LIMIT} (what one poll reads), oldest first, and handles them one after the other
 * from the visit's start: the first pays the cycle cost with its own ({@link ServiceTime}'s unbatched figure), the
 * others their batched figure; message i is handled (its handler runs and sends) when its cost ends, and the visit
 * ends with the last. What arrives during the visit waits for the node's next one. The CPU then visits the next node
 * at the visit's end; a node with nothing waiting is passed at no cost (an empty poll is not charged: the
 * calibration reports cycles without messages apart, as background), and a CPU with nothing waiting anywhere idles
 * until the next arrival, which it visits at once (the composite spins through its agents in no time when they are
 * idle).
 *
 * <p>Why a visit is an event of its own: when a message is handled depends on what arrives at the other nodes before
 * the CPU comes round (each of their visits delays it), which is not known when it arrives. So
 * {@link #handledAtNs} answers {@link #QUEUED} for a CPU served in turn and keeps the message in its node's queue;
 * the simulator asks {@link #nextVisitNs()} and, when its clock gets there (after every other event of that instant,
 * so every arrival by the visit's start is in), calls {@link #visit}, which decides the node and the handled times
 * of the messages it takes, exactly, from arrivals that have all happened. Nothing is drawn ahead and nothing is
 * revised: the same seed gives the same visits.
 *
 * <p><b>FIFO</b> (a CPU of its own, or one with several cores: {@code cores} servers). A message that arrives at
 * time t starts at s = max(t, the earliest time a server is free), costs a service time drawn for the receiving node
 * (its batched figure when the CPU was busy at t, or with a fitted demand when it arrived by the start of its node's
 * latest duty cycle and so joins it; plus its costs per byte and per send, see {@link ServiceTime}), and is handled
 * at s + service; {@link #handledAtNs} answers that at once.
 *
 * <p>Ticks (timer checks) are not charged: the calibration reports them apart as background and they do not grow
 * with the load. The model is per message received; a handler's sends leave when it finishes, and with a
 * load-dependent service time they are charged to the messages received at the node's running ratio of sends per
 * input ({@link #onSent}).
 */
public final class NodeCpus
{
    /** What {@link #handledAtNs} answers for a message at a CPU served in turn: its time is decided by a visit. */
    public static final long QUEUED = lab.harness.sim.SimNetwork.Timing.QUEUED;

    /**
     * Told of every message a visit takes ({@link #visit}), in its node's arrival order.
     */
    public interface Served
    {
        /**
         * @param node        the node that handles it.
         * @param startNs     when the CPU starts on it.
         * @param serviceNs   what it costs (the cycle's cost included for the first of a visit).
         * @param startsCycle whether it is the first of its visit (a duty cycle of the node starts with it).
         */
        void served(int node, long startNs, long serviceNs, boolean startsCycle);
    }

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

    /** Per CPU, whether it serves its nodes in turn (one core, several nodes); else FIFO. */
    private final boolean[] inTurn;
    /** Per CPU, its nodes in the order it visits them (node id order, as the composite agent runs its agents). */
    private final int[][] nodesOf;
    /** Per CPU served in turn, the index in {@link #nodesOf} of the node it visits next. */
    private final int[] nextInTurn;
    /** Per CPU served in turn, when it next looks for a node to visit; Long.MAX_VALUE while nothing waits. */
    private final long[] visitAtNs;
    /** The earliest of {@link #visitAtNs}. */
    private long nextVisitNs = Long.MAX_VALUE;
    /** Per node, the messages waiting at a CPU served in turn: a ring of arrival times and sizes. */
    private final long[][] waitingArrivalNs;
    private final int[][] waitingLength;
    private final int[][] waitingType;
    private final int[] waitingHead;
    private final int[] waitingCount;

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
        final int[] nodesOn = new int[cpus];
        for (final int c : cpuOf)
        {
            nodesOn[c]++;
        }
        this.nodesOf = new int[cpus][];
        this.inTurn = new boolean[cpus];
        for (int c = 0; c < cpus; c++)
        {
            nodesOf[c] = new int[nodesOn[c]];
            inTurn[c] = cores == 1 && nodesOn[c] > 1;
        }
        final int[] placed = new int[cpus];
        for (int node = 0; node < cpuOf.length; node++)
        {
            nodesOf[cpuOf[node]][placed[cpuOf[node]]++] = node;
        }
        this.nextInTurn = new int[cpus];
        this.visitAtNs = new long[cpus];
        Arrays.fill(visitAtNs, Long.MAX_VALUE);
        this.waitingArrivalNs = new long[cpuOf.length][16];
        this.waitingLength = new int[cpuOf.length][16];
        this.waitingType = new int[cpuOf.length][16];
        this.waitingHead = new int[cpuOf.length];
        this.waitingCount = new int[cpuOf.length];
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
     * Queues a message of {@code length} bytes that arrives at {@code node} at {@code arrivalNs} (the simulator's
     * now: arrivals come in time order).
     *
     * @return when its handler runs, or {@link #QUEUED} at a CPU served in turn (a {@link #visit} decides it).
     */
    public long handledAtNs(final int node, final long arrivalNs, final int length)
    {
        return handledAtNs(node, arrivalNs, length, lab.core.MessageTypes.OTHER);
    }

    /**
     * Queues a message of {@code type} ({@link lab.core.MessageTypes} index) and {@code length} bytes that arrives
     * at {@code node} at {@code arrivalNs} (the simulator's now: arrivals come in time order).
     *
     * @return when its handler runs, or {@link #QUEUED} at a CPU served in turn (a {@link #visit} decides it).
     */
    public long handledAtNs(final int node, final long arrivalNs, final int length, final int type)
    {
        final int cpu = cpuOf[node];
        if (inTurn[cpu])
        {
            enqueue(node, arrivalNs, length, type);
            if (visitAtNs[cpu] == Long.MAX_VALUE)
            {
                // An idle CPU: the composite spins through its empty agents and polls this one at once.
                visitAtNs[cpu] = arrivalNs;
                nextVisitNs = Math.min(nextVisitNs, arrivalNs);
            }
            return QUEUED;
        }
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
     * @return when a CPU served in turn next visits a node (the simulator calls {@link #visit} then, after the other
     * events of that instant); Long.MAX_VALUE when no message waits.
     */
    public long nextVisitNs()
    {
        return nextVisitNs;
    }

    /**
     * Runs the visits due at {@code nowNs} ({@link #nextVisitNs()}; every arrival up to it queued): per such CPU, the
     * next node in turn with messages waiting handles up to {@link NodeAgent#FRAGMENT_LIMIT} of them in one duty
     * cycle, each told to {@code onServed}, and the CPU's next visit is at the cycle's end.
     */
    public void visit(final long nowNs, final Served onServed)
    {
        long next = Long.MAX_VALUE;
        for (int cpu = 0; cpu < visitAtNs.length; cpu++)
        {
            if (visitAtNs[cpu] <= nowNs)
            {
                visitAtNs[cpu] = visitNext(cpu, nowNs, onServed);
            }
            next = Math.min(next, visitAtNs[cpu]);
        }
        nextVisitNs = next;
    }

    /**
     * @return when the visit ends (the next one's start), or Long.MAX_VALUE when no node of the CPU has a message.
     */
    private long visitNext(final int cpu, final long startNs, final Served onServed)
    {
        final int[] nodes = nodesOf[cpu];
        for (int k = 0; k < nodes.length; k++)
        {
            final int index = (nextInTurn[cpu] + k) % nodes.length;
            final int node = nodes[index];
            if (waitingCount[node] == 0)
            {
                continue; // an empty poll: passed at no cost
            }
            nextInTurn[cpu] = (index + 1) % nodes.length;
            final int take = Math.min(NodeAgent.FRAGMENT_LIMIT, waitingCount[node]);
            long cursorNs = startNs;
            for (int i = 0; i < take; i++)
            {
                final int slot = waitingHead[node];
                final long arrivalNs = waitingArrivalNs[node][slot];
                final int length = waitingLength[node][slot];
                final int type = waitingType[node][slot];
                waitingHead[node] = (slot + 1) % waitingArrivalNs[node].length;
                waitingCount[node]--;
                final long serviceNs = sample(node, i > 0, length, type);
                busyNs[node] += serviceNs;
                waitNs[node] += cursorNs - arrivalNs;
                served[node]++;
                onServed.served(node, cursorNs, serviceNs, i == 0);
                cursorNs += serviceNs;
            }
            return cursorNs;
        }
        return Long.MAX_VALUE;
    }

    /**
     * @return one draw of the service time of a message of {@code length} bytes at {@code node}, {@code batched}
     * when it joins a duty cycle already paid for.
     */
    private long sample(final int node, final boolean batched, final int length, final int type)
    {
        final ServiceTime service = serviceOf.of(node, type);
        if (!service.perNode())
        {
            return service.sampleNs(random, batched);
        }
        final long in = Math.max(1, served[node]);
        return service.sampleNs(random, batched, length, (double)sent[node] / in, (double)sentBytes[node] / in);
    }

    private void enqueue(final int node, final long arrivalNs, final int length, final int type)
    {
        int capacity = waitingArrivalNs[node].length;
        if (waitingCount[node] == capacity)
        {
            // Grow the ring, oldest first at 0 (only while the node's backlog reaches a new high).
            final long[] arrivals = new long[capacity * 2];
            final int[] lengths = new int[capacity * 2];
            final int[] types = new int[capacity * 2];
            for (int i = 0; i < capacity; i++)
            {
                final int slot = (waitingHead[node] + i) % capacity;
                arrivals[i] = waitingArrivalNs[node][slot];
                lengths[i] = waitingLength[node][slot];
                types[i] = waitingType[node][slot];
            }
            waitingArrivalNs[node] = arrivals;
            waitingLength[node] = lengths;
            waitingType[node] = types;
            waitingHead[node] = 0;
            capacity *= 2;
        }
        final int tail = (waitingHead[node] + waitingCount[node]) % capacity;
        waitingArrivalNs[node][tail] = arrivalNs;
        waitingLength[node][tail] = length;
        waitingType[node][tail] = type;
        waitingCount[node]++;
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
     * @return at a FIFO CPU, whether the message {@link #handledAtNs} took last started a duty cycle of its node (it paid the cycle
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

    /** @return time the node's messages waited for a free server (or for their visit) so far. */
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
