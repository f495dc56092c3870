package lab.harness.multiprocess;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One replica per OS process over Aeron UDP on loopback, driven from this JVM: cluster files, the unreplicated
 * baseline in node processes, nodes that never become ready. Each protocol's three-process run is in the lab
 * module's MultiProcessProtocolTest, where every protocol is on the class path.
 */
class MultiProcessTest
{
    // ---- cluster files ------------------------------------------------------------------------------------------

    private static String node(final int id, final int port)
    {
        return "[[node]]\nid = " + id + "\nhost = \"127.0.0.1\"\nport = " + port + "\n";
    }

    private static final String CLIENT = "[[client]]\nhost = \"127.0.0.1\"\nport = 20200\n";

    private static void assertRejected(final String text, final String fragment)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ClusterFile.parse("c.toml", text));
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
        assertTrue(!ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }

    @Test
    void shouldParseTheExampleClusterFile() throws Exception
    {
        final Path example = repoRoot().resolve("examples/cluster-3.toml");
        final ClusterFile cluster = ClusterFile.read(example);
        assertEquals(3, cluster.nodes().size());
        assertEquals(20101, cluster.node(1).port());
        assertEquals("127.0.0.1:20200", cluster.client().endpoint());
        assertEquals(cluster.nodes(), ClusterFile.parse("again", cluster.toToml()).nodes());
    }

    @Test
    void shouldRejectBadClusterFiles()
    {
        assertRejected(node(0, 20100) + node(0, 20101) + CLIENT, "duplicate node id 0");
        assertRejected(node(0, 20100) + node(2, 20102) + CLIENT, "node id 1 is missing");
        assertRejected(node(0, 20100) + node(1, 70000) + CLIENT, "port 70000 is out of range");
        assertRejected(node(0, 20100) + node(1, 0) + CLIENT, "port 0 is out of range");
        assertRejected(node(0, 20100) + node(1, 20100) + CLIENT, "node 0 and node 1 both use 127.0.0.1:20100");
        assertRejected(node(0, 20200) + CLIENT, "node 0 and client both use");
        assertRejected(node(0, 20100), "exactly one [[client]]");
        assertRejected(CLIENT, "no [[node]] block");
        assertRejected(node(0, 20100) + "colour = \"red\"\n" + CLIENT, "unknown key 'colour'");
        assertRejected("[[node]]\nhost = \"127.0.0.1\"\nport = 1\n" + CLIENT, "missing 'id'");
        assertRejected("[[node]]\nid = x\nhost = \"127.0.0.1\"\nport = 1\n" + CLIENT, "id must be an integer");
        assertRejected("[[node]]\nid = 0\nhost = \"no-such-host.invalid\"\nport = 1\n" + CLIENT, "unknown host");
    }

    // ---- runs ---------------------------------------------------------------------------------------------------

    private static RunConfig config(final String protocol)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(3);
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(2000));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(700));
        return config.build();
    }

    /**
     * A single-node baseline: always available, so the process machinery is tested even in a clean build.
     */
    @Test
    void shouldRunTheUnreplicatedBaselineInANodeProcess()
    {
        final Set<String> dirsBefore = aeronDirs();
        final ProcessRun.Options options = new ProcessRun.Options();
        final RunResult result = ProcessRun.runLocal(config("none"), options);
        assertTrue(result.writes().count() > 0 && result.reads().count() > 0, "ops completed");
        assertEquals(2.0, result.writes().meanHops(), 0.05);
        assertEquals(2.0, result.reads().meanHops(), 0.05);
        assertEquals(true, result.transportStats().get("traffic_complete"));
        assertClean(dirsBefore);
    }

    @Test
    void shouldFailNamingTheNodeThatNeverBecomesReady() throws Exception
    {
        assertNotReady("none", 1, 0);
    }

    /**
     * Starts every node but the last (in this JVM, each with its own media driver) and expects the run to fail
     * within the bound, naming the missing node.
     */
    private static void assertNotReady(final String protocol, final int nodes, final int missing) throws Exception
    {
        final int[] ports = LocalLauncher.freeUdpPorts(nodes + 1, "127.0.0.1");
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < nodes; i++)
        {
            text.append(node(i, ports[i]));
        }
        text.append("[[client]]\nhost = \"127.0.0.1\"\nport = ").append(ports[nodes]).append('\n');
        final ClusterFile cluster = ClusterFile.parse("missing-node.toml", text.toString());
        final List<NodeServer> servers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final Set<String> dirsBefore = aeronDirs();
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                if (i == missing)
                {
                    continue;
                }
                final NodeServer.Settings s = new NodeServer.Settings();
                s.dirTag = "test";
                final NodeServer server = new NodeServer(cluster, i, s);
                server.start();
                servers.add(server);
                final Thread t = new Thread(server::serve, "node-" + i);
                t.start();
                threads.add(t);
            }
            final ProcessRun.Options options = new ProcessRun.Options();
            options.readyTimeoutNs = TimeUnit.SECONDS.toNanos(2);
            final RunConfig config = config(protocol);
            final long start = System.nanoTime();
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> ProcessRun.run(config, cluster, options, null));
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ex.getMessage().startsWith("node " + missing + " (127.0.0.1:" + ports[missing] +
                ") did not become ready within 2000 ms"), ex.getMessage());
            assertTrue(tookMs < 6000, "failed within the bound: " + tookMs + " ms");
        }
        finally
        {
            for (final NodeServer s : servers)
            {
                s.requestStop(5000);
            }
            for (final Thread t : threads)
            {
                t.join(5000);
            }
        }
        assertEquals(dirsBefore, aeronDirs(), "Aeron directories removed");
    }

    @Test
    void shouldRejectAClusterFileThatDisagreesWithTheRun() throws Exception
    {
        final ClusterFile cluster = ClusterFile.parse("two.toml", node(0, 20100) + node(1, 20101) + CLIENT);
        final RunConfig config = config("none");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ProcessRun.run(config, cluster, new ProcessRun.Options(), null));
        assertEquals("the run has 1 replicas but two.toml names 2 nodes", ex.getMessage());
    }

    @Test
    void shouldRefuseFaultsOnNodesFromAClusterFileSayingWhy()
    {
        final ClusterFile cluster = ClusterFile.parse("one.toml", node(0, 20100) + CLIENT);
        final RunConfig.Builder config = config("none").toBuilder();
        config.faults(lab.harness.cluster.FaultSchedule.parse("crash:node0@1s"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ProcessRun.run(config.build(), cluster, new ProcessRun.Options(), null));
        assertEquals("--fault needs --processes: --cluster nodes run on other hosts (or were started by someone " +
            "else), and this process can neither kill -9 nor restart them", ex.getMessage());
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void assertClean(final Set<String> dirsBefore)
    {
        final long alive = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().orElse("").contains(NodeCommand.class.getName())).count();
        assertEquals(0, alive, "node processes left running");
        final Set<String> left = aeronDirs();
        left.removeAll(dirsBefore);
        assertEquals(Set.of(), left, "Aeron directories left in /dev/shm");
    }

    private static Set<String> aeronDirs()
    {
        final Set<String> names = new HashSet<>();
        final String[] list = new File("/dev/shm").list((d, n) -> n.startsWith(Control.DIR_PREFIX));
        if (list != null)
        {
            names.addAll(List.of(list));
        }
        return names;
    }

    private static Path repoRoot() throws URISyntaxException
    {
        final Path testClasses = Path.of(MultiProcessTest.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI());
        return testClasses.getParent().getParent().getParent();
    }
}
