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

    /** What visits served, one line per message: "node start+service cycle|joined". */
    private static final class Served implements NodeCpus.Served
    {
        final java.util.List<String> lines = new java.util.ArrayList<>();
        int cycles;

        public void served(final int node, final long startNs, final long serviceNs, final boolean startsCycle)
        {
            lines.add(node + " " + startNs + "+" + serviceNs + (startsCycle ? " cycle" : " joined"));
            cycles += startsCycle ? 1 : 0;
        }
    }

    @Test
    void aSharedCpuVisitsItsNodesInTurnAndAMessageWaitsForItsNodesNextVisit()
    {
        // c = 1,000 ns per duty cycle, a = 100 per message, two nodes on one CPU (one core): the composite agent's
        // thread. Node 1's message arrives first, but the CPU goes round in node order from node 0.
        final ServiceTime fitted = new ServiceTime(1_100, 0, 100, 0, 0, true);
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> fitted, new Random(1));
        final Served served = new Served();
        assertEquals(Long.MAX_VALUE, cpus.nextVisitNs(), "nothing waits: no visit");
        assertEquals(NodeCpus.QUEUED, cpus.handledAtNs(1, 0, 0), "decided by a visit, not on arrival");
        assertEquals(NodeCpus.QUEUED, cpus.handledAtNs(0, 0, 0));
        assertEquals(NodeCpus.QUEUED, cpus.handledAtNs(0, 0, 0));
        assertEquals(0, cpus.nextVisitNs(), "an idle CPU visits at once");
        cpus.visit(0, served);
        assertEquals(java.util.List.of("0 0+1100 cycle", "0 1100+100 joined"), served.lines,
            "node 0's two messages in one cycle: handled at 1,100 and 1,200");
        assertEquals(1_200, cpus.nextVisitNs(), "the next visit starts when this one ends");

        cpus.handledAtNs(0, 500, 0); // arrived during node 0's visit: waits for its next one
        served.lines.clear();
        cpus.visit(1_200, served);
        assertEquals(java.util.List.of("1 1200+1100 cycle"), served.lines, "node 1's turn: handled at 2,300");
        served.lines.clear();
        cpus.visit(2_300, served);
        assertEquals(java.util.List.of("0 2300+1100 cycle"), served.lines,
            "node 0's next visit: a cycle of its own, handled at 3,400");
        assertEquals(3_400, cpus.nextVisitNs());
        cpus.visit(3_400, served);
        assertEquals(Long.MAX_VALUE, cpus.nextVisitNs(), "nothing waits: the CPU idles");
        assertEquals(1, served.lines.size(), "and served nothing more");

        cpus.handledAtNs(1, 5_000, 0);
        assertEquals(5_000, cpus.nextVisitNs());
        served.lines.clear();
        cpus.visit(5_000, served);
        assertEquals(java.util.List.of("1 5000+1100 cycle"), served.lines);
        assertEquals(3, cpus.served(0));
        assertEquals(2, cpus.served(1));
        assertEquals(1_100 + 100 + 1_100, cpus.busyNs(0));
        assertEquals(1_100 + 1_100, cpus.busyNs(1));
        assertEquals(1_100 + 1_800, cpus.waitNs(0), "its second waited for the first, its third for its next visit");
        assertEquals(1_200, cpus.waitNs(1), "waited for node 0's visit");
    }

    @Test
    void aVisitTakesAtMostWhatOnePollReads()
    {
        // 20 messages waiting at node 0: a duty cycle polls NodeAgent.FRAGMENT_LIMIT (16) of them, the other 4 are
        // the next cycle's. Without a fit (a mean and a batched figure) the first of a cycle pays the mean.
        final ServiceTime meanAndBatched = new ServiceTime(1_100, 0, 100);
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> meanAndBatched, new Random(1));
        for (int i = 0; i < 20; i++)
        {
            cpus.handledAtNs(0, 0, 0);
        }
        final Served served = new Served();
        cpus.visit(0, served);
        assertEquals(16, served.lines.size());
        assertEquals(1, served.cycles);
        assertEquals("0 2500+100 joined", served.lines.get(15), "the 16th: 1,100 + 14 x 100 in, handled at 2,600");
        assertEquals(2_600, cpus.nextVisitNs());
        cpus.visit(2_600, served);
        assertEquals(20, served.lines.size());
        assertEquals(2, served.cycles);
        assertEquals("0 2600+1100 cycle", served.lines.get(16));
        assertEquals(4_000, cpus.nextVisitNs());
    }

    @Test
    void aSharedCpuInAClosedLoopHandlesSixteenMessagesPerVisit()
    {
        // 64 messages circulate between node 0 (costs nothing) and node 1 (c = 1,000, a = 100) on one CPU, with no
        // link delay: node 1 always has 16 or more waiting, so each of its visits handles 16 in 1,000 + 16 x 100 ns,
        // and node 0's visits in between take no time: 16 messages per 2,600 ns.
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Sink sink = new Sink(64, true);
        network.register(0, new Source(64, true));
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), new ServiceTime(1_100, 0, 100, 0, 0, true)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> service[n], new Random(3));
        network.timing(new SimTiming(new LinkModel(new long[2][2], 0, Double.POSITIVE_INFINITY, new Random(1)), cpus));
        final long runNs = 10_000_000; // from the first tick, at 0, where node 0 sends the 64
        network.runUntil(runNs);
        assertEquals(16.0 * runNs / 2_600, sink.count, 16, "messages handled in " + runNs + " ns");
        assertEquals(0, cpus.served(1) % 16, "every visit took 16");
        assertEquals(cpus.served(1) / 16 * 2_600, cpus.busyNs(1), "one cycle cost per 16 messages");
    }

    @Test
    void aVisitComesAfterEveryArrivalOfItsInstant()
    {
        // Node 0 sends 20 messages on its first tick (at 0) over links without delay: all arrive at 0, one after the
        // other. The idle CPU's visit at 0 runs after all of them are queued, so it takes 16 (not just the first):
        // handled at 1,100, 1,200 .. 2,600; the other 4 in node 1's next visit (node 0 has nothing), from 2,600.
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Sink sink = new Sink(20, false);
        network.register(0, new Source(20, false));
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), new ServiceTime(1_100, 0, 100, 0, 0, true)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> service[n], new Random(3));
        network.timing(new SimTiming(new LinkModel(new long[2][2], 0, Double.POSITIVE_INFINITY, new Random(1)), cpus));
        network.runUntil(1_000_000);
        assertEquals(20, sink.count);
        for (int i = 0; i < 16; i++)
        {
            assertEquals(1_100 + 100 * i, sink.handledNs[i], "message " + i);
        }
        for (int i = 16; i < 20; i++)
        {
            assertEquals(2_600 + 1_100 + 100 * (i - 16), sink.handledNs[i], "message " + i);
        }
    }

    @Test
    void aMessageWaitingAtTheCpuOfANodeThatCrashedIsDropped()
    {
        final SimNetwork network = new SimNetwork(1, quietLinks(), 2, 2);
        final Sink sink = new Sink(20, false);
        network.register(0, new Source(20, false));
        network.register(1, sink);
        final ServiceTime[] service = {ServiceTime.fixed(0), new ServiceTime(1_100, 0, 100, 0, 0, true)};
        final NodeCpus cpus = new NodeCpus(NodeCpus.sharedCpu(2), 1, n -> service[n], new Random(3));
        network.timing(new SimTiming(new LinkModel(new long[2][2], 0, Double.POSITIVE_INFINITY, new Random(1)), cpus));
        network.runUntil(1_500); // the first visit has handled 5 (at 1,100 .. 1,500)
        network.crash(1);
        network.runUntil(1_000_000);
        assertEquals(5, sink.count, "handled before the crash");
        assertEquals(15, network.droppedCount(), "the rest, taken by visits after the crash, lost with the node");
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

    @Test
    void theSameSeedGivesTheSameRunOnACpuServedInTurn()
    {
        assertEquals(spreadRun(5, NodeCpus.sharedCpu(2)), spreadRun(5, NodeCpus.sharedCpu(2)));
        assertNotEquals(spreadRun(5, NodeCpus.sharedCpu(2)), spreadRun(6, NodeCpus.sharedCpu(2)));
        assertNotEquals(spreadRun(5, NodeCpus.sharedCpu(2)), spreadRun(5), "in turn is not FIFO on CPUs apart");
    }

    private static long spreadRun(final long seed)
    {
        return spreadRun(seed, NodeCpus.ownCpus(2));
    }

    private static long spreadRun(final long seed, final int[] cpuOf)
    {
        final SimNetwork network = new SimNetwork(seed, quietLinks(), 2, 2);
        network.register(0, new Source(16, true));
        network.register(1, new Sink(16, true));
        final ServiceTime[] service = {new ServiceTime(2_000, 0.5), new ServiceTime(S, 1.0)};
        final NodeCpus cpus = new NodeCpus(cpuOf, 1, n -> service[n], new Random(seed));
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
