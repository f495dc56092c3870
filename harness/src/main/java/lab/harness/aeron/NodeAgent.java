package lab.harness.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import lab.core.Endpoint;
import lab.core.MessageTypes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * Runs one endpoint (replica or client) over Aeron: each duty cycle reads the clock once, drains the outbox's
 * back-pressure queue, polls the node's subscription, when due ticks the endpoint, and then lets it flush what it
 * held back during the burst.
 *
 * <p>A frame that is not of this run is dropped before the endpoint sees it and counted ({@link #foreignFrames()}):
 * shorter than the lab's frame header, another run's id in the Aeron header's reserved value (see
 * {@link AeronOutbox}), or a sender that is not a member of the run. Anything the endpoint or the outbox throws is
 * rethrown as a {@link NodeFailure} naming the node: the node cannot go on (its state may be half-updated).
 */
public final class NodeAgent implements Agent, FragmentHandler
{
    /** Fragments one duty cycle polls at most (the simulator's round-robin CPU takes as many messages per visit). */
    public static final int FRAGMENT_LIMIT = 16;

    /**
     * A node agent failed: the endpoint or its outbox threw.
     */
    public static final class NodeFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        NodeFailure(final int nodeId, final RuntimeException cause)
        {
            super("node " + nodeId + ": " + TransportErrors.oneLine(cause), cause);
        }
    }

    private final int nodeId;
    private final long runId;
    private final int members;
    private long foreignFrames;
    private Endpoint endpoint;
    private Subscription subscription;
    private final AeronOutbox outbox;
    private final MessageTypes types = MessageTypes.lab();
    private final NanoClock clock;
    private final long tickIntervalNs;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private LinkEmulator link;
    /** Faults of a real run at the receive edge (cut, loss, delay, slow), before the link emulation. */
    private final ReceiveEdgeFaults faults;
    private final ReceiveEdgeFaults.Next afterFaults = this::afterFaults;
    /** A paused node (GC pause, SIGSTOP) runs no duty cycle: nothing read, ticked or sent; its state stays. */
    private volatile boolean paused;
    /** Busy time of this node (see {@link lab.harness.metrics.BusyClock}): bound to the node thread on first use. */
    private lab.harness.metrics.BusyClock busy;
    private long nowNs;
    private long nextTickNs;
    private volatile boolean crashRequested;
    private volatile boolean crashed;
    private volatile Endpoint restartEndpoint;
    private volatile Subscription restartSubscription;

    public NodeAgent(final int nodeId, final Endpoint endpoint, final Subscription subscription,
        final AeronOutbox outbox, final NanoClock clock, final long tickIntervalNs)
    {
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.subscription = subscription;
        this.outbox = outbox;
        this.runId = outbox.runId();
        this.members = outbox.members();
        this.clock = clock;
        this.tickIntervalNs = tickIntervalNs;
        // Loss over Aeron is not replayable anyway (arrival order is the machine's): the run id seeds it.
        this.faults = new ReceiveEdgeFaults(new java.util.Random(lab.harness.sim.SimNetwork.deriveSeed(runId,
            7000 + nodeId)));
    }

    public int doWork()
    {
        try
        {
            return work();
        }
        catch (final NodeFailure ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new NodeFailure(nodeId, ex);
        }
    }

    private int work()
    {
        if (crashRequested)
        {
            crashRequested = false;
            // Closing the subscription disconnects the peers' publications: what they send now is lost (and
            // counted as dropped_not_connected), as to a dead host, instead of filling a log nobody reads.
            subscription.close();
            outbox.discardPending();
            crashed = true;
        }
        if (crashed)
        {
            final Subscription fresh = restartSubscription;
            if (fresh == null || !fresh.isConnected())
            {
                return 0;
            }
            subscription = fresh;
            endpoint = restartEndpoint;
            restartSubscription = null;
            restartEndpoint = null;
            nextTickNs = 0;
            crashed = false;
        }
        if (paused)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        if (busy == null)
        {
            busy = lab.harness.metrics.BusyClock.forCurrentThread();
        }
        busy.cycleStart(outbox.traffic(), nowNs);
        outbox.nowNs(nowNs);
        int work = outbox.flush();
        work += subscription.poll(assembler, FRAGMENT_LIMIT);
        work += faults.deliverDue(afterFaults, nowNs);
        if (link != null)
        {
            work += link.deliverDue(endpoint, nowNs, outbox);
        }
        if (nowNs >= nextTickNs)
        {
            nextTickNs = nowNs + tickIntervalNs;
            endpoint.onTick(nowNs, outbox);
            work++;
        }
        endpoint.flush(nowNs, outbox);
        busy.cycleEnd(outbox.traffic(), nowNs, work);
        return work;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < AeronOutbox.FRAME_HEADER_LENGTH || header.reservedValue() != runId)
        {
            foreignFrames++;
            return;
        }
        final int from = buffer.getInt(offset);
        if (from < 0 || from >= members)
        {
            foreignFrames++;
            return;
        }
        outbox.traffic().onReceive(nowNs, types.of(buffer, offset + AeronOutbox.FRAME_HEADER_LENGTH,
            length - AeronOutbox.FRAME_HEADER_LENGTH), length - AeronOutbox.FRAME_HEADER_LENGTH);
        if (faults.onReceive(from, buffer, offset + AeronOutbox.FRAME_HEADER_LENGTH,
            length - AeronOutbox.FRAME_HEADER_LENGTH, nowNs))
        {
            return;
        }
        afterFaults(from, buffer, offset + AeronOutbox.FRAME_HEADER_LENGTH, length - AeronOutbox.FRAME_HEADER_LENGTH,
            nowNs);
    }

    private void afterFaults(final int from, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        if (link != null)
        {
            link.onReceive(from, buffer, offset, length, nowNs);
            return;
        }
        endpoint.onMessage(from, buffer, offset, length, nowNs, outbox);
    }

    /**
     * @return this node's receive-edge faults (set its rules from any thread).
     */
    public ReceiveEdgeFaults faults()
    {
        return faults;
    }

    /**
     * Pause (true) or resume (false) from any thread: a paused node runs no duty cycle, so it reads, ticks and sends
     * nothing, and keeps its state; what peers send it waits in its subscription, as in a process stopped by a GC
     * pause or SIGSTOP. Its clock jumps on resume, as theirs does.
     */
    public void paused(final boolean paused)
    {
        this.paused = paused;
    }

    public boolean paused()
    {
        return paused;
    }

    /**
     * Emulate the links into this node (delay, jitter, loss) at its receive edge. Set before the agent starts.
     */
    public void linkEmulation(final LinkEmulator link)
    {
        this.link = link;
    }

    public LinkEmulator linkEmulation()
    {
        return link;
    }

    /**
     * Crash in one process: from its next duty cycle the node stops reading, ticking and sending, and its
     * subscription closes. Safe to call from another thread.
     */
    public void crash()
    {
        crashRequested = true;
    }

    /**
     * Bring a crashed node back as {@code fresh} (its state is what the protocol keeps across a crash) listening on
     * {@code subscription}, once that subscription is connected. Safe to call from another thread.
     */
    public void restart(final Endpoint fresh, final Subscription subscription)
    {
        restartEndpoint = fresh;
        restartSubscription = subscription;
    }

    /**
     * @return frames dropped because they were not of this run (read after the agent stopped).
     */
    public long foreignFrames()
    {
        return foreignFrames;
    }

    public boolean crashed()
    {
        return crashed || crashRequested;
    }

    public Endpoint endpoint()
    {
        return endpoint;
    }

    public AeronOutbox outbox()
    {
        return outbox;
    }

    public String roleName()
    {
        return "node-" + nodeId;
    }
}
