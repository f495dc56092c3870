package lab.harness.aeron;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.harness.metrics.TrafficCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one wiring of nodes over Aeron: the channels and streams every host uses (unchanged, so mixed versions of
 * node processes and load drivers still meet), and the threads a cluster's agents run on.
 */
class NodeWiringTest
{
    @Test
    void channelsAndStreamsAreTheLabsWireAddresses()
    {
        assertEquals(1001, NodeWiring.STREAM_ID);
        assertEquals(AeronCluster.STREAM_ID, NodeWiring.STREAM_ID);
        assertEquals(1004, NodeWiring.streamId(3));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(20), NodeWiring.TICK_INTERVAL_NS);
        assertEquals("aeron:ipc?term-length=4194304", NodeWiring.ipcChannel(4 * 1024 * 1024));
        assertEquals("aeron:udp?endpoint=127.0.0.1:40123|term-length=1048576",
            NodeWiring.udpChannel("127.0.0.1:40123", 1024 * 1024, 0));
        assertEquals("aeron:udp?endpoint=10.0.0.2:40123|term-length=4194304|mtu=8192",
            NodeWiring.udpChannel("10.0.0.2:40123", 4 * 1024 * 1024, 8192));
    }

    @Test
    void linkEmulationOnlyWhenTheRunAsksForIt()
    {
        assertNull(NodeWiring.linkEmulator(LinkEmulator.Settings.NONE, 42, 0));
        assertTrue(NodeWiring.linkEmulator(new LinkEmulator.Settings(1000, 0, 0), 42, 0) != null);
    }

    /** Node 0 sends a counter to node 1 on every tick while none is in flight; node 1 echoes. */
    private static final class PingPong implements Endpoint
    {
        private final int id;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        volatile long received;
        boolean inFlight;

        PingPong(final int id)
        {
            this.id = id;
        }

        public void onMessage(final int fromNode, final DirectBuffer b, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            received++;
            if (id == 1)
            {
                out.send(0, b, offset, length);
            }
            else
            {
                inFlight = false;
            }
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            if (id == 0 && !inFlight)
            {
                buffer.putLong(0, received);
                out.send(1, buffer, 0, 8);
                inFlight = true;
            }
        }

        public void flush(final long nowNs, final Outbox out)
        {
        }
    }

    private static Set<String> threadNames()
    {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @CsvSource({"ipc,shared,1", "ipc,per-node,2", "udp,shared,1"})
    void agentsRunOnTheirThreads(final String medium, final String threading, final int nodeThreads)
        throws InterruptedException
    {
        final PingPong a = new PingPong(0);
        final PingPong b = new PingPong(1);
        final AeronCluster.Settings settings = new AeronCluster.Settings();
        settings.medium = medium;
        settings.threading = threading;
        settings.idle = "yield";
        final Set<String> before = threadNames();
        try (AeronCluster cluster = new AeronCluster(settings, new Endpoint[] {a, b},
            new TrafficCounters[] {new TrafficCounters(2), new TrafficCounters(2)}))
        {
            cluster.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (a.received < 1000 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(a.received >= 1000, "round trips over " + medium + " with " + threading + " threads");
            final Set<String> agentThreads = threadNames().stream()
                .filter(n -> !before.contains(n) && (n.startsWith("node-") || n.startsWith("[node-")))
                .collect(Collectors.toSet());
            assertEquals(nodeThreads, agentThreads.size(), "node threads: " + agentThreads);
            assertEquals(2, cluster.agents().size());
            assertNull(cluster.error());
        }
    }
}
