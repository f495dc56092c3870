package lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;
import lab.harness.multiprocess.ProcessRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every protocol as three replica processes (one media driver each) over Aeron UDP on loopback, driven from this
 * JVM: operations complete with the theory's hops, nodes report their traffic, and nothing is left running or in
 * /dev/shm afterwards. Node JVMs get this JVM's class path, which holds every protocol module.
 */
class MultiProcessProtocolTest
{
    private static RunConfig config(final String protocol)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(3);
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(2000));
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(700));
        // About hops on a healthy cluster: four JVMs share 2 cores, so a starved node must not look failed.
        switch (protocol)
        {
            case "primary-backup":
                config.options().putAll(Map.of("pb-primary-timeout", "3s", "pb-backup-timeout", "2s",
                    "pb-lease-drift", "100ms"));
                break;
            case "chain":
                config.options().putAll(Map.of("chain-failure-timeout", "3s", "chain-lease-drift", "100ms"));
                break;
            case "raft":
                config.options().putAll(Map.of("raft-election-timeout", "3s", "raft-lease-drift", "100ms"));
                break;
            default:
                break;
        }
        return config.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"primary-backup", "chain", "raft", "quorum"})
    void shouldRunThreeNodeProcessesOverUdpWithTheoreticalHops(final String protocol, @TempDir final Path profiles)
        throws Exception
    {
        final Set<String> dirsBefore = NodeProcesses.aeronDirs();
        final ProcessRun.Options options = new ProcessRun.Options();
        final boolean profile = "raft".equals(protocol);
        if (profile)
        {
            options.profileDir = profiles.toFile();
        }
        final RunResult result = ProcessRun.runLocal(config(protocol), options);
        assertTrue(result.writes().count() > 0, "writes completed");
        assertTrue(result.reads().count() > 0, "reads completed");
        assertEquals(result.theory().writeHops(), result.writes().meanHops(), 0.1, "write hops");
        assertEquals(result.theory().readHops(), result.reads().meanHops(), 0.1, "read hops");
        assertEquals(true, result.transportStats().get("traffic_complete"));
        assertTrue(result.traffic().clientReplicaMessages() > 0, "client<->replica traffic");
        if (!"quorum".equals(protocol)) // quorum's default (client coordinates) has no replica<->replica messages
        {
            assertTrue(result.traffic().replicaReplicaMessages() > 0, "replica<->replica traffic reported by nodes");
        }
        for (final NodeLoad n : result.load().nodes())
        {
            // Each node process reports its counts by type (REPORT's in_type./out_type. fields), and they add up.
            assertEquals(n.messagesIn(), n.messagesInByType().values().stream().mapToLong(Long::longValue).sum(),
                "node " + n.id() + " in by type: " + n.messagesInByType());
            assertEquals(n.messagesOut(), n.messagesOutByType().values().stream().mapToLong(Long::longValue).sum(),
                "node " + n.id() + " out by type: " + n.messagesOutByType());
        }
        // Quorum's clients coordinate and send quorum.Read/Write, the others send client.ClientRequest.
        final String request = "quorum".equals(protocol) ? "quorum.Write" : "client.ClientRequest";
        assertTrue(result.load().nodes().stream().anyMatch(n -> !n.client() &&
            n.messagesInByType().getOrDefault(request, 0L) > 0), "a server reported " + request + ": " +
            result.load().nodes());
        if (profile)
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> p = (Map<String, Object>)result.transportStats().get("profiles");
            assertEquals(3, p.size(), String.valueOf(p));
            for (int i = 0; i < 3; i++)
            {
                @SuppressWarnings("unchecked")
                final Map<String, String> node = (Map<String, String>)p.get("node" + i);
                assertTrue(node.containsKey("mode"), "profile of node " + i + ": " + node);
                assertTrue(Files.size(Path.of(node.get("file"))) > 1000, node.get("file"));
            }
        }
        NodeProcesses.assertClean(dirsBefore);
    }
}
