package lab.harness.aeron;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import lab.core.Endpoint;
import lab.harness.metrics.TrafficCounters;
import lab.harness.sim.SimNetwork;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The one Aeron wiring of the lab's nodes, whoever hosts them: the in-process cluster ({@link AeronCluster}, every
 * node in one process), the load driver of a process run (its client and control nodes) and a node process
 * ({@code lab node}, one replica). Each hosts some node ids of a run; the wiring is the same for all:
 * <ul>
 *   <li>node {@code i} listens on stream {@link #STREAM_ID} + i of its own channel (one subscription per node);</li>
 *   <li>a sender has one publication per destination node, shared by every node it hosts (indexed by node id);</li>
 *   <li>each hosted node is a {@link NodeAgent} over its subscription and an {@link AeronOutbox} over those
 *       publications, ticking every {@link #TICK_INTERVAL_NS} on the system clock, with the run's link emulation
 *       seeded per node as the simulator seeds its links;</li>
 *   <li>the agents run on {@link NodeThreads}.</li>
 * </ul>
 * Only where the channels point (IPC, loopback UDP ports, a cluster file's endpoints) and how a process waits for
 * its peers differ; those stay with the caller.
 */
public final class NodeWiring
{
    /** Stream id of node 0; node i listens on STREAM_ID + i. */
    public static final int STREAM_ID = 1001;
    /** How often a node's {@link Endpoint#onTick} runs (timeouts, heartbeats, retries). */
    public static final long TICK_INTERVAL_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private NodeWiring()
    {
    }

    /**
     * @return the stream node {@code nodeId} listens on.
     */
    public static int streamId(final int nodeId)
    {
        return STREAM_ID + nodeId;
    }

    /**
     * @return the channel of a node in this process over shared memory.
     */
    public static String ipcChannel(final int termLength)
    {
        return "aeron:ipc?term-length=" + termLength;
    }

    /**
     * @param mtu 0 for Aeron's default.
     * @return the channel of a node listening on a UDP endpoint (host:port).
     */
    public static String udpChannel(final String endpoint, final int termLength, final int mtu)
    {
        return "aeron:udp?endpoint=" + endpoint + "|term-length=" + termLength + (mtu > 0 ? "|mtu=" + mtu : "");
    }

    /**
     * @return the subscription node {@code nodeId} reads on its channel.
     */
    public static Subscription subscribe(final Aeron aeron, final String channel, final int nodeId)
    {
        return aeron.addSubscription(channel, streamId(nodeId));
    }

    /**
     * @param channelOf the channel of each destination node, or null for none (a node process does not publish to
     *                  itself).
     * @return one publication per node of the run, indexed by node id (null where {@code channelOf} is null).
     */
    public static Publication[] publications(final Aeron aeron, final int nodes, final IntFunction<String> channelOf)
    {
        final Publication[] publications = new Publication[nodes];
        for (int j = 0; j < nodes; j++)
        {
            final String channel = channelOf.apply(j);
            if (channel != null)
            {
                publications[j] = aeron.addPublication(channel, streamId(j));
            }
        }
        return publications;
    }

    /**
     * Waits until every publication is connected (a subscriber of that node is there), in node order.
     *
     * @param skip      nodes not to wait for (known to be down).
     * @param whileIdle what to do between checks (sleep, or run an invoked driver).
     * @param failure   the one-line message when node {@code j} is not reachable by the deadline.
     */
    public static void awaitConnected(final Publication[] publications, final IntPredicate skip,
        final long deadlineNs, final Runnable whileIdle, final IntFunction<String> failure)
    {
        for (int j = 0; j < publications.length; j++)
        {
            while (publications[j] != null && !skip.test(j) && !publications[j].isConnected())
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException(failure.apply(j));
                }
                whileIdle.run();
            }
        }
    }

    /**
     * @return node {@code nodeId}'s emulated links (seeded from the run's seed as the simulator seeds its links), or
     * null when the run emulates none.
     */
    public static LinkEmulator linkEmulator(final LinkEmulator.Settings link, final long seed, final int nodeId)
    {
        return link.active() ? new LinkEmulator(link, new Random(SimNetwork.deriveSeed(seed, 5000 + nodeId))) : null;
    }

    /**
     * @param link the node's emulated links, or null.
     * @return the agent of one hosted node: reads its subscription, sends through the run's publications.
     */
    public static NodeAgent agent(final int nodeId, final Endpoint endpoint, final Subscription subscription,
        final Publication[] publications, final long runId, final TrafficCounters traffic, final long tickIntervalNs,
        final LinkEmulator link)
    {
        final AeronOutbox outbox = new AeronOutbox(nodeId, runId, publications, traffic);
        final NodeAgent agent = new NodeAgent(nodeId, endpoint, subscription, outbox, SystemNanoClock.INSTANCE,
            tickIntervalNs);
        if (link != null)
        {
            agent.linkEmulation(link); // the lab's own link emulation, at the receive edge
        }
        return agent;
    }

    /**
     * The agents of the hosted nodes {@code first .. end - 1}, in node order: arrays are indexed by node id.
     */
    public static void agents(final List<NodeAgent> into, final int first, final int end, final Endpoint[] endpoints,
        final Subscription[] subscriptions, final Publication[] publications, final long runId,
        final TrafficCounters[] traffic, final long tickIntervalNs, final LinkEmulator.Settings link, final long seed)
    {
        for (int i = first; i < end; i++)
        {
            into.add(agent(i, endpoints[i], subscriptions[i], publications, runId, traffic[i], tickIntervalNs,
                linkEmulator(link, seed, i)));
        }
    }
}
