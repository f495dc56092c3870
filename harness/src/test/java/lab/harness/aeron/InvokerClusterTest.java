package lab.harness.aeron;

import java.io.File;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.harness.metrics.TrafficCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * threading=invoker: the caller's thread runs the driver, the client and every node through invoke(); the cluster
 * starts no thread of its own, messages go both ways, and close removes the directory.
 */
class InvokerClusterTest
{
    /** Node 0 sends a counter to node 1 on every tick while fewer than {@code target} came back; node 1 echoes. */
    private static final class PingPong implements Endpoint
    {
        private final int id;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        long sent;
        long received;
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
                buffer.putLong(0, ++sent);
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
    @ValueSource(strings = {"ipc", "udp"})
    void shouldRunEverythingOnTheCallersThread(final String medium)
    {
        final PingPong a = new PingPong(0);
        final PingPong b = new PingPong(1);
        final AeronCluster.Settings settings = new AeronCluster.Settings();
        settings.medium = medium;
        settings.threading = "invoker";
        settings.tickIntervalNs = 0;
        final Set<String> before = threadNames();
        final String dir;
        try (AeronCluster cluster = new AeronCluster(settings, new Endpoint[] {a, b},
            new TrafficCounters[] {new TrafficCounters(2), new TrafficCounters(2)}))
        {
            cluster.start();
            dir = cluster.aeronDirectory();
            assertTrue(cluster.invoked());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (a.received < 10_000 && System.nanoTime() < deadline)
            {
                cluster.invoke();
            }
            assertEquals(10_000, a.received, "round trips in 20 s over " + medium);
            assertTrue(b.received >= 10_000);
            final Set<String> started = threadNames();
            started.removeAll(before);
            started.removeIf(n -> n.startsWith("lab-exit-cleanup") || n.startsWith("Common-Cleaner"));
            assertEquals(Set.of(), started, "threads started by an invoker-mode cluster");
            assertEquals(null, cluster.error());
        }
        assertFalse(new File(dir).exists(), "Aeron directory removed on close");
    }
}
