package lab.harness.sim;

import java.util.Arrays;
import java.util.Random;

import lab.core.Endpoint;
import lab.core.MessageTypes;
import lab.core.Outbox;
import lab.core.storage.DiskFailure;
import lab.harness.metrics.TrafficCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic network and clock for endpoints (replicas and clients). Everything random (latency jitter, loss,
 * duplication, reordering) draws from one {@link Random} made from the seed, and events at the same instant are
 * ordered by the order they were scheduled in, so one seed always gives one history.
 *
 * <p>Faults: per-link latency, loss, duplication, reordering, partitions, clock drift, crash and restart of a node.
 * A crashed
 * node receives nothing, is not ticked and loses the messages in flight to it.
 */
public final class SimNetwork
{
    private static final class InFlight
    {
        long deliverAtNs;
        long order;
        final int from;
        final int to;
        final byte[] bytes;
        /** Its {@link MessageTypes} index, read from its header when it was sent. */
        final int type;
        final int incarnation;
        /** Already queued at its node's CPU (see {@link Timing}): handled when it comes due. */
        boolean handled;
        /** Already served by a slow node's CPU ({@link #slow}). */
        boolean slowed;
        /** Its bytes are another message's too (a duplicate): never given back to the {@link #pool}. */
        boolean shared;

        InFlight(final long deliverAtNs, final long order, final int from, final int to, final byte[] bytes,
            final int type, final int incarnation)
        {
            this.type = type;
            this.deliverAtNs = deliverAtNs;
            this.order = order;
            this.from = from;
            this.to = to;
            this.bytes = bytes;
            this.incarnation = incarnation;
        }
    }

    private final class NodeOutbox implements Outbox
    {
        private final int nodeId;

        NodeOutbox(final int nodeId)
        {
            this.nodeId = nodeId;
        }

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            SimNetwork.this.send(nodeId, toNode, buffer, offset, length);
        }
    }

    /**
     * A model of time beyond the links' fixed latency (lab.harness.predict: node CPUs, link distributions,
     * bandwidth); null by default, and then nothing below changes.
     */
    public interface Timing
    {
        /** @return the one-way delay of a message of {@code length} bytes sent now (replaces latency + jitter). */
        long linkDelayNs(int from, int to, int length, long nowNs);

        /**
         * @param type the message's {@link MessageTypes} index (read from its header when it was sent).
         * @return when {@code node} has handled a message that arrives now: its handler runs (and sends) then; or
         * {@link #QUEUED}: it waits at its node's CPU, and a {@link #visit} tells when.
         */
        long handledAtNs(int node, int from, int type, int length, long arrivalNs);

        /** What {@link #handledAtNs} answers for a message whose handled time a later {@link #visit} decides. */
        long QUEUED = Long.MIN_VALUE;

        /**
         * @return when {@link #visit} is due next (the network calls it then, after every other event of that
         * instant); Long.MAX_VALUE for none.
         */
        default long nextVisitNs()
        {
            return Long.MAX_VALUE;
        }

        /**
         * The visits due now: for each message {@link #QUEUED} before that a visit takes, {@code handled} is told
         * its node and when it is handled, in the order the node's messages arrived.
         */
        default void visit(final long nowNs, final Handled handled)
        {
        }
    }

    /**
     * Told by a {@link Timing#visit} when the oldest message waiting at {@code node}'s CPU is handled.
     */
    public interface Handled
    {
        void at(int node, long handledAtNs);
    }

    private final long seed;
    private final SimConfig config;
    private Timing timing;
    private final SimRandom random;
    private final int nodeCount;
    private final Endpoint[] endpoints;
    private final NodeOutbox[] outboxes;
    private final TrafficCounters[] traffic;
    private final MessageTypes types = MessageTypes.lab();
    private final boolean[] up;
    private final int[] incarnation;
    private final int[] partitionGroup;
    private final long[][] linkLatencyNs;
    private final long[][] lastDeliveryNs;
    private final long[] driftPpm;
    private final EventQueue<InFlight> queue = new EventQueue<>();
    private final UnsafeBuffer deliveryBuffer = new UnsafeBuffer(new byte[0]);
    private final MessageTrace trace = MessageTrace.withDefaultCapacity();
    private final MessageBytesPool pool = new MessageBytesPool();
    /** The array whose handler is running: the trace may overwrite its entry meanwhile, but it is still being read. */
    private byte[] delivering;
    private java.util.function.IntConsumer diskFailureHandler;
    /** Gray failures ({@link #slow}, {@link #pause}): per node its service time per message and paused state. */
    private final long[] slowNs;
    private final long[] slowFreeAtNs;
    private final boolean[] paused;
    private final java.util.List<InFlight> heldWhilePaused = new java.util.ArrayList<>();
    /** Per node, the messages {@link Timing#QUEUED} at its CPU, in arrival order (made on first use). */
    private final java.util.ArrayDeque<InFlight>[] waitingAtCpu;
    private final Handled handledByVisit = this::handledByVisit;

    private long nowNs;
    private long nextTickNs;
    private long order;
    private long sent;
    private long delivered;
    private long dropped;
    private long duplicated;
    private long traceHash = 1125899906842597L;
    private boolean hashDeliveries = true;

    /**
     * @param seed      the one seed of everything random in the network.
     * @param config    faults and timing.
     * @param nodeCount endpoints, ids 0 .. nodeCount-1 (replicas first, then clients).
     * @param replicas  how many of them are replicas, for traffic accounting.
     */
    public SimNetwork(final long seed, final SimConfig config, final int nodeCount, final int replicas)
    {
        this.seed = seed;
        this.config = config;
        this.random = new SimRandom(seed); // java.util.Random's draws, without its atomic seed
        trace.onEvict(this::release);
        this.nodeCount = nodeCount;
        endpoints = new Endpoint[nodeCount];
        outboxes = new NodeOutbox[nodeCount];
        traffic = new TrafficCounters[nodeCount];
        up = new boolean[nodeCount];
        incarnation = new int[nodeCount];
        partitionGroup = new int[nodeCount];
        linkLatencyNs = new long[nodeCount][nodeCount];
        lastDeliveryNs = new long[nodeCount][nodeCount];
        driftPpm = new long[nodeCount];
        slowNs = new long[nodeCount];
        slowFreeAtNs = new long[nodeCount];
        paused = new boolean[nodeCount];
        @SuppressWarnings("unchecked")
        final java.util.ArrayDeque<InFlight>[] waiting = new java.util.ArrayDeque[nodeCount];
        waitingAtCpu = waiting;
        for (int i = 0; i < nodeCount; i++)
        {
            outboxes[i] = new NodeOutbox(i);
            traffic[i] = new TrafficCounters(replicas);
            Arrays.fill(linkLatencyNs[i], -1);
        }
        if (config.slowNode >= 0 && config.slowNode < nodeCount)
        {
            for (int from = 0; from < nodeCount; from++)
            {
                linkLatencyNs[from][config.slowNode] = config.latencyNs + config.slowNodeDelayNs;
            }
        }
    }

    /**
     * A seed for a subsystem (a replica's election timer, a client's key choice) derived from the master seed, so
     * that one number replays a whole run.
     */
    public static long deriveSeed(final long masterSeed, final long stream)
    {
        long z = masterSeed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @return the recorder of the last deliveries, drops and faults: what a failing seed prints.
     */
    public MessageTrace trace()
    {
        return trace;
    }

    public long seed()
    {
        return seed;
    }

    public SimConfig config()
    {
        return config;
    }

    public void register(final int nodeId, final Endpoint endpoint)
    {
        endpoints[nodeId] = endpoint;
        up[nodeId] = true;
    }

    public Endpoint endpoint(final int nodeId)
    {
        return endpoints[nodeId];
    }

    /**
     * @return the outbox of a node: what a test that delivers to an endpoint directly passes it.
     */
    public Outbox outbox(final int nodeId)
    {
        return outboxes[nodeId];
    }

    public int nodeCount()
    {
        return nodeCount;
    }

    public long nowNs()
    {
        return nowNs;
    }

    public TrafficCounters traffic(final int nodeId)
    {
        return traffic[nodeId];
    }

    public void timing(final Timing timing)
    {
        this.timing = timing;
    }

    public void linkLatency(final int from, final int to, final long latencyNs)
    {
        linkLatencyNs[from][to] = latencyNs;
    }

    /**
     * Makes a node's clock run fast (positive) or slow (negative) by {@code ppm} parts per million of real
     * (simulated) time: what leases must tolerate. A node sees {@code now + now * ppm / 1e6}.
     */
    public void clockDrift(final int nodeId, final long ppm)
    {
        if (ppm <= -1_000_000)
        {
            throw new IllegalArgumentException("a clock cannot stop or run backwards: " + ppm + " ppm");
        }
        driftPpm[nodeId] = ppm;
    }

    /**
     * @return the time as the node's own clock shows it.
     */
    public long localNowNs(final int nodeId)
    {
        final long ppm = driftPpm[nodeId];
        if (ppm == 0)
        {
            return nowNs; // what the formula gives without drift, without its divisions (two per delivery)
        }
        return nowNs + nowNs / 1_000_000 * ppm + (nowNs % 1_000_000) * ppm / 1_000_000;
    }

    /**
     * A slow CPU (a gray failure): from now the node handles one message per {@code serviceNs}, in arrival order
     * (each message waits for the ones before it); 0 ends it, and what it still holds is handled at once. What the
     * real runs' {@code slow} fault emulates.
     */
    public void slow(final int nodeId, final long serviceNs)
    {
        if (serviceNs == 0 && slowNs[nodeId] > 0)
        {
            // The CPU is fast again: the backlog it queued is handled now, in its order (not at the slow pace).
            final java.util.List<InFlight> backlog = new java.util.ArrayList<>();
            queue.removeIf(m -> m.to == nodeId && m.slowed && m.deliverAtNs > nowNs && backlog.add(m));
            backlog.sort((a, b) -> Long.compare(a.deliverAtNs, b.deliverAtNs));
            for (final InFlight m : backlog)
            {
                m.deliverAtNs = nowNs;
                m.order = order++;
                queue.add(m.deliverAtNs, m.order, m);
            }
            slowFreeAtNs[nodeId] = nowNs;
        }
        slowNs[nodeId] = serviceNs;
        trace.event(nowNs, serviceNs == 0 ? "slow " + nodeId + " ends" : "slow " + nodeId + " " + serviceNs + "ns");
    }

    /**
     * Stops a node without losing its state (a GC pause, SIGSTOP): no ticks, and what arrives for it waits until
     * {@link #resume}; its clock runs on, so it sees the time jump.
     */
    public void pause(final int nodeId)
    {
        paused[nodeId] = true;
        trace.event(nowNs, "pause " + nodeId);
    }

    public void resume(final int nodeId)
    {
        paused[nodeId] = false;
        for (final java.util.Iterator<InFlight> it = heldWhilePaused.iterator(); it.hasNext(); )
        {
            final InFlight m = it.next();
            if (m.to == nodeId)
            {
                it.remove();
                m.deliverAtNs = nowNs; // in arrival order: order numbers are given in the order they were held
                m.order = order++;
                queue.add(m.deliverAtNs, m.order, m);
            }
        }
        trace.event(nowNs, "resume " + nodeId);
    }

    public boolean paused(final int nodeId)
    {
        return paused[nodeId];
    }

    public void crash(final int nodeId)
    {
        paused[nodeId] = false;
        heldWhilePaused.removeIf(m -> m.to == nodeId); // lost with the process
        up[nodeId] = false;
        incarnation[nodeId]++;
        trace.event(nowNs, "crash " + nodeId);
    }

    /**
     * Brings a crashed node back as a fresh endpoint (what survives a crash is the protocol's business).
     */
    public void restart(final int nodeId, final Endpoint fresh)
    {
        endpoints[nodeId] = fresh;
        up[nodeId] = true;
        trace.event(nowNs, "restart " + nodeId);
    }

    /**
     * What to do with a node whose disk failed (a {@link DiskFailure} out of one of its calls): the network has
     * crashed it (its messages in flight are lost); the handler may restart it. Without a handler the failure
     * propagates out of {@link #runUntil}.
     */
    public void onDiskFailure(final java.util.function.IntConsumer handler)
    {
        this.diskFailureHandler = handler;
    }

    private void diskFailed(final int nodeId, final DiskFailure failure)
    {
        if (diskFailureHandler == null)
        {
            throw failure;
        }
        crash(nodeId);
        diskFailureHandler.accept(nodeId);
    }

    public boolean isUp(final int nodeId)
    {
        return up[nodeId];
    }

    /**
     * Cuts the nodes given off from all others (both directions) until {@link #heal()}: they then talk only among
     * themselves and with nodes cut off earlier. Any node may be given, replicas, control nodes or clients, so a
     * partition can keep clients on both of its sides.
     */
    public void partition(final int... isolated)
    {
        for (final int n : isolated)
        {
            partitionGroup[n] = 1;
        }
        trace.event(nowNs, "partition " + Arrays.toString(isolated) + " from the rest");
    }

    public void heal()
    {
        Arrays.fill(partitionGroup, 0);
        trace.event(nowNs, "heal");
    }

    public boolean connected(final int a, final int b)
    {
        return partitionGroup[a] == partitionGroup[b];
    }

    public long sentCount()
    {
        return sent;
    }

    public long deliveredCount()
    {
        return delivered;
    }

    public long droppedCount()
    {
        return dropped;
    }

    public long duplicatedCount()
    {
        return duplicated;
    }

    /**
     * Turns the {@link #traceHash} off (it stays at its initial value) or on. Hashing every delivered byte was a
     * visible part of a prediction's profile, and a prediction never compares histories.
     */
    public void hashDeliveries(final boolean on)
    {
        this.hashDeliveries = on;
    }

    /**
     * @return a hash over every delivery so far (time, endpoints, bytes): equal for equal histories.
     */
    public long traceHash()
    {
        return traceHash;
    }

    void send(final int from, final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        if (to < 0 || to >= nodeCount)
        {
            throw new IllegalArgumentException("node " + from + " sent to unknown node " + to);
        }
        sent++;
        final int type = types.of(buffer, offset, length);
        traffic[from].onSend(from, to, type, length, nowNs);
        if (!connected(from, to) || random.nextDouble() < config.lossRate)
        {
            dropped++;
            trace.dropped(nowNs, from, to, buffer, offset, length, connected(from, to) ? "loss" : "partition");
            return;
        }
        final byte[] bytes = pool.take(length);
        buffer.getBytes(offset, bytes);
        final InFlight first = schedule(from, to, bytes, type);
        if (config.duplicateRate > 0 && random.nextDouble() < config.duplicateRate)
        {
            duplicated++;
            first.shared = true;
            schedule(from, to, bytes, type).shared = true;
        }
    }

    /**
     * Gives an array nothing refers to any more back to the pool, unless a handler is still reading it.
     */
    private void release(final byte[] bytes)
    {
        if (bytes != delivering)
        {
            pool.release(bytes);
        }
    }

    private InFlight schedule(final int from, final int to, final byte[] bytes, final int type)
    {
        long delay = linkLatencyNs[from][to] >= 0 ? linkLatencyNs[from][to] : config.latencyNs;
        if (timing != null)
        {
            delay = timing.linkDelayNs(from, to, bytes.length, nowNs);
        }
        else if (config.jitterNs > 0)
        {
            delay += (long)(random.nextDouble() * config.jitterNs);
        }
        long deliverAtNs = nowNs + delay;
        if (config.reorderRate > 0 && random.nextDouble() < config.reorderRate)
        {
            // Held back: later messages on the link overtake this one.
            deliverAtNs += (long)(random.nextDouble() * config.reorderDelayNs);
        }
        else
        {
            // Links are FIFO like an Aeron stream or a TCP connection: jitter alone never reorders.
            deliverAtNs = Math.max(deliverAtNs, lastDeliveryNs[from][to]);
            lastDeliveryNs[from][to] = deliverAtNs;
        }
        final InFlight m = new InFlight(deliverAtNs, order++, from, to, bytes, type, incarnation[to]);
        queue.add(deliverAtNs, m.order, m);
        return m;
    }

    /**
     * Runs the network until simulated time {@code untilNs}: delivers every message due and ticks every live
     * endpoint each tick interval.
     */
    public void runUntil(final long untilNs)
    {
        while (true)
        {
            final long nextMessageNs = queue.peekTimeNs();
            final long nextEventNs = Math.min(nextMessageNs, nextTickNs);
            final long nextVisitNs = timing == null ? Long.MAX_VALUE : timing.nextVisitNs();
            if (Math.min(nextEventNs, nextVisitNs) > untilNs)
            {
                nowNs = untilNs;
                return;
            }
            if (nextVisitNs < nextEventNs)
            {
                // Last at its instant: every message that arrives by the visit's start is at its CPU by now.
                nowNs = nextVisitNs;
                timing.visit(nowNs, handledByVisit);
            }
            else if (nextMessageNs <= nextTickNs)
            {
                deliverFirst();
            }
            else
            {
                nowNs = nextTickNs;
                nextTickNs += config.tickIntervalNs;
                for (int i = 0; i < nodeCount; i++)
                {
                    if (up[i] && endpoints[i] != null && !paused[i])
                    {
                        try
                        {
                            endpoints[i].onTick(localNowNs(i), outboxes[i]);
                            endpoints[i].flush(localNowNs(i), outboxes[i]);
                        }
                        catch (final DiskFailure failure)
                        {
                            diskFailed(i, failure);
                        }
                    }
                }
            }
        }
    }

    public void runFor(final long durationNs)
    {
        runUntil(nowNs + durationNs);
    }

    /**
     * Handles the earliest message: drops it, holds it for a paused node, queues it again at a slow or modelled CPU
     * (in place, {@link EventQueue#rekeyFirst}), leaves it waiting for a visit of its CPU ({@link Timing#QUEUED}),
     * or takes it out and delivers it.
     */
    private void deliverFirst()
    {
        final InFlight m = queue.peek();
        nowNs = m.deliverAtNs;
        if (!up[m.to] || m.incarnation != incarnation[m.to] || !connected(m.from, m.to) || endpoints[m.to] == null)
        {
            queue.poll();
            dropped++;
            if (!trace.dropped(nowNs, m.from, m.to, m.bytes, connected(m.from, m.to) ? "down" : "partition",
                !m.shared) && !m.shared)
            {
                release(m.bytes);
            }
            return;
        }
        if (paused[m.to])
        {
            queue.poll();
            heldWhilePaused.add(m);
            return;
        }
        if (slowNs[m.to] > 0 && !m.slowed)
        {
            m.deliverAtNs = Math.max(nowNs, slowFreeAtNs[m.to]) + slowNs[m.to];
            slowFreeAtNs[m.to] = m.deliverAtNs;
            m.order = order++;
            m.slowed = true;
            queue.rekeyFirst(m.deliverAtNs, m.order);
            return;
        }
        if (timing != null && !m.handled)
        {
            final long handledAtNs = timing.handledAtNs(m.to, m.from, m.type, m.bytes.length, nowNs);
            if (handledAtNs == Timing.QUEUED)
            {
                queue.poll(); // back in the queue when a visit of its CPU takes it (handledByVisit)
                java.util.ArrayDeque<InFlight> waiting = waitingAtCpu[m.to];
                if (waiting == null)
                {
                    waiting = new java.util.ArrayDeque<>();
                    waitingAtCpu[m.to] = waiting;
                }
                waiting.add(m);
                return;
            }
            m.deliverAtNs = handledAtNs; // the same record, due again
            m.order = order++;
            m.handled = true;
            queue.rekeyFirst(m.deliverAtNs, m.order);
            return;
        }
        queue.poll(); // before the handler runs: what it sends goes into the queue
        delivered++;
        final boolean traced = trace.delivered(nowNs, m.from, m.to, m.bytes, !m.shared);
        if (hashDeliveries)
        {
            traceHash = 31 * (31 * (31 * traceHash + m.deliverAtNs) + m.from * 64L + m.to) + Arrays.hashCode(m.bytes);
        }
        traffic[m.to].onReceive(nowNs, m.type, m.bytes.length);
        deliveryBuffer.wrap(m.bytes);
        delivering = m.bytes;
        try
        {
            endpoints[m.to].onMessage(m.from, deliveryBuffer, 0, m.bytes.length, localNowNs(m.to), outboxes[m.to]);
            endpoints[m.to].flush(localNowNs(m.to), outboxes[m.to]);
        }
        catch (final DiskFailure failure)
        {
            diskFailed(m.to, failure);
        }
        delivering = null;
        // Handlers copy what they keep (the buffer is rewrapped for the next delivery), so the array is free now
        // unless the trace shows it; the trace gives it back when it overwrites the entry.
        if (!traced && !m.shared)
        {
            pool.release(m.bytes);
        }
    }

    /**
     * A visit of {@code node}'s CPU took its oldest waiting message: it is due at {@code handledAtNs}.
     */
    private void handledByVisit(final int node, final long handledAtNs)
    {
        final InFlight m = waitingAtCpu[node].poll();
        m.deliverAtNs = handledAtNs;
        m.order = order++;
        m.handled = true;
        queue.add(m.deliverAtNs, m.order, m);
    }

    /**
     * @return the arrays messages are copied into (for tests: how many were reused).
     */
    MessageBytesPool messageBytes()
    {
        return pool;
    }
}
