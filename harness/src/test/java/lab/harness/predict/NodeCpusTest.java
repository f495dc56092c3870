package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.harness.sim.SimConfig;
import lab.harness.sim.SimNetwork;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The CPU model through the simulator's timing hook: queueing theory where it has closed forms.
 */
class NodeCpusTest
{
    private static final long S = 10_000; // 10 us

    /** Sends {@code count} numbered messages to node 1 on its first tick, and one more for every reply. */
    static final class Source implements Endpoint
    {
        final int count;
        final boolean resend;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        boolean started;
        long replies;

        Source(final int count, final boolean resend)
        {
            this.count = count;
            this.resend = resend;
        }

        public void onMessage(final int fromNode, final DirectBuffer b, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            replies++;
            if (resend)
            {
                out.send(1, buffer, 0, 8);
            }
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            if (!started)
            {
                started = true;
                for (int i = 0; i < count; i++)
                {
                    buffer.putLong(0, i);
                    out.send(1, buffer, 0, 8);
                }
            }
        }
    }

    /** Notes when it handled each numbered message; echoes when asked. */
    static final class Sink implements Endpoint
    {
        final long[] handledNs;
        final boolean echo;
        long count;

        Sink(final int capacity, final boolean echo)
        {
            handledNs = new long[capacity];
            this.echo = echo;
        }

        public void onMessage(final int fromNode, final DirectBuffer b, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            if (count < handledNs.length)
            {
                handledNs[(int)b.getLong(offset)] = nowNs;
            }
            count++;
            if (echo)
            {
                out.send(fromNode, b, offset, length);
            }
        }

        public void onTick(final long nowNs, final Outbox out)
        {
        }
    }

    /** Poisson arrivals at node 1 (a link delay per message that puts it at its arrival time), the CPU model. */
    static final class PoissonArrivals implements SimNetwork.Timing
    {
        final long[] arrivalNs;
        final NodeCpus cpus;
        int next;

        PoissonArrivals(final long[] arrivalNs, final NodeCpus cpus)
        {
            this.arrivalNs = arrivalNs;
            this.cpus = cpus;
        }

        public long linkDelayNs(final int from, final int to, final int length, final long nowNs)
        {
            return from == 0 && next < arrivalNs.length ? arrivalNs[next++] - nowNs : 0;
        }

        public long handledAtNs(final int node, final int from, final int type, final int length,
            final long arrivalNs)
        {
            return cpus.handledAtNs(node, arrivalNs);
        }
    }

    private static long[] poisson(final int count, final double meanGapNs, final long startNs, final long seed)
    {
        final Random random = new Random(seed);
        final long[] t = new long[count];
        double now = startNs;
        for (int i = 0; i < count; i++)
        {
            now += -Math.log(1 - random.nextDouble()) * meanGapNs;
            t[i] = (long)now;
        }
        return t;
    }

    private static SimConfig quietLinks()
    {
        return new SimConfig().latency(0, 0);
    }

    @Test
    void poissonArrivalsAtHalfUtilizationWaitAsMD1()
    {
        final int count = 200_000;
        final double rho = 0.5;
        final long tickNs = new SimConfig().tickIntervalNs;
        final long[] arrivals = poisson(count, S / rho, tickNs, 7);
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Sink sink = new Sink(count, false);
        network.register(0, new Source(count, false));
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), ServiceTime.fixed(S)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(2), 1, n -> service[n], new Random(3));
        network.timing(new PoissonArrivals(arrivals, cpus));
        network.runUntil(arrivals[count - 1] + 1_000_000);

        assertEquals(count, sink.count);
        double waitSum = 0;
        for (int i = 0; i < count; i++)
        {
            waitSum += sink.handledNs[i] - S - arrivals[i];
        }
        final double meanWait = waitSum / count;
        final double md1 = rho * S / (2 * (1 - rho)); // Pollaczek-Khinchine, deterministic service
        assertEquals(md1, meanWait, md1 * 0.05, "mean wait " + meanWait + " ns, M/D/1 says " + md1);
        assertEquals(md1, (double)cpus.waitNs(1) / count, md1 * 0.05);
        assertEquals(count * S, cpus.busyNs(1));
    }

    @Test
    void aClosedLoopSaturatesAtOneOverTheServiceTime()
    {
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Source source = new Source(64, true);
        final Sink sink = new Sink(64, true);
        network.register(0, source);
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), ServiceTime.fixed(S)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(2), 1, n -> service[n], new Random(3));
        network.timing(new SimTiming(new LinkModel(new long[2][2], 0, Double.POSITIVE_INFINITY, new Random(1)), cpus));
        final long runNs = 100_000_000;
        network.runFor(runNs);
        final double perSecond = sink.count * 1e9 / runNs;
        assertEquals(1e9 / S, perSecond, 1e9 / S * 0.01, "throughput " + perSecond + "/s, 1/S = " + 1e9 / S);
    }

    @Test
    void aFittedDemandChargesTheCycleOncePerNodeBurstOnASharedCore()
    {
        // c = 1,000 ns per duty cycle, a = 100 ns per message: on one shared CPU a message pays the cycle unless its
        // own node already has one queued (another node's backlog does not batch it: that node's agent polls apart).
        final ServiceTime fitted = new ServiceTime(1_100, 0, 100, 0, 0, true);
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> fitted, new Random(1));
        assertEquals(1_100, cpus.handledAtNs(0, 0, 0));
        assertTrue(cpus.lastStartedCycle());
        assertEquals(2_200, cpus.handledAtNs(1, 0, 0), "node 1's first message starts its own cycle");
        assertTrue(cpus.lastStartedCycle());
        assertEquals(2_300, cpus.handledAtNs(0, 0, 0), "node 0 still has one queued: same cycle");
        assertFalse(cpus.lastStartedCycle(), "it joined node 0's cycle: counted as no new busy cycle");
        assertEquals(3_600, cpus.handledAtNs(1, 2_500, 0), "node 1's queue emptied at 2,200: a new cycle");
        assertTrue(cpus.lastStartedCycle());

        // Without a fit the loaded figure goes to any message that finds the CPU busy (the calibration's mean).
        final ServiceTime legacy = new ServiceTime(1_100, 0, 100);
        final NodeCpus old = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> legacy, new Random(1));
        assertEquals(1_100, old.handledAtNs(0, 0, 0));
        assertTrue(old.lastStartedCycle());
        assertEquals(1_200, old.handledAtNs(1, 0, 0));
        assertFalse(old.lastStartedCycle());
        assertEquals(1_300, old.handledAtNs(0, 0, 0));
    }

    @Test
    void aMessageThatArrivesWhileItsNodesCycleRunsStartsTheNextCycle()
    {
        // c = 1,000, a = 100, one node on a CPU of its own. A real node thread's cycle handles what it polled; what
        // arrives meanwhile is the next cycle's, and that cycle takes everything that arrived before it started.
        final ServiceTime fitted = new ServiceTime(1_100, 0, 100, 0, 0, true);
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(1), 1, n -> fitted, new Random(1));
        assertEquals(1_100, cpus.handledAtNs(0, 0, 0));
        assertEquals(2_200, cpus.handledAtNs(0, 500, 0), "arrived during the first cycle: a second one, from 1,100");
        assertTrue(cpus.lastStartedCycle());
        assertEquals(2_300, cpus.handledAtNs(0, 800, 0), "arrived before the second cycle started: joins it");
        assertFalse(cpus.lastStartedCycle());
        assertEquals(3_400, cpus.handledAtNs(0, 1_500, 0), "arrived after it started: a third cycle");
        assertTrue(cpus.lastStartedCycle());
    }

    @Test
    void aFittedDemandChargesBytesAndTheNodesSendsPerMessageReceived()
    {
        // a = 100 per message handled, b = 2 per byte: a 50-byte message costs 100 + 2 x 50, plus per message
        // received what the node sent so far per message received (here 2 messages of 30 bytes per input).
        final ServiceTime fitted = new ServiceTime(100, 0, 100, 2, 100, true);
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(1), 1, n -> fitted, new Random(1));
        assertEquals(200, cpus.handledAtNs(0, 0, 50), "nothing sent yet");
        cpus.onSent(0, 30);
        cpus.onSent(0, 30);
        final long start = 1_000;
        assertEquals(start + 100 + 2 * 50 + 2 * 100 + 2 * 60, cpus.handledAtNs(0, start, 50));
    }

    @Test
    void twoCoresServeTwiceAsMany()
    {
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Sink sink = new Sink(64, true);
        network.register(0, new Source(64, true));
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), ServiceTime.fixed(S)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(2), 2, n -> service[n], new Random(3));
        network.timing(new SimTiming(new LinkModel(new long[2][2], 0, Double.POSITIVE_INFINITY, new Random(1)), cpus));
        network.runFor(100_000_000);
        assertEquals(2e9 / S, sink.count * 10.0, 2e9 / S * 0.01);
    }

    @Test
    void theSameSeedGivesTheSameRun()
    {
        assertEquals(spreadRun(5), spreadRun(5));
        assertNotEquals(spreadRun(5), spreadRun(6));
    }

    private static long spreadRun(final long seed)
    {
        final SimNetwork network = new SimNetwork(seed, quietLinks(), 2, 2);
        network.register(0, new Source(16, true));
        network.register(1, new Sink(16, true));
        final ServiceTime[] service = {new ServiceTime(2_000, 0.5), new ServiceTime(S, 1.0)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.ownCpus(2), 1, n -> service[n], new Random(seed));
        final long[][] latency = {{0, 20_000}, {20_000, 0}};
        network.timing(new SimTiming(new LinkModel(latency, 5_000, 1.25e9, new Random(seed + 1)), cpus));
        network.runFor(20_000_000);
        return network.traceHash();
    }

    @Test
    void badSettingsAreRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new NodeCpus(NodeCpus.ownCpus(2), 0, n -> ServiceTime.fixed(1), new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> new ServiceTime(-1, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new LinkModel(new long[2][2], 0, 0, new Random(1)));
    }
}
