package lab;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Emulated hosts: scripts/netns-cluster.sh puts each replica in its own network namespace behind a bridge, with
 * link delay, and drives a run from a client namespace. Runs where the machine allows it (root, iproute2, network
 * namespaces); skipped with the reason elsewhere.
 */
class NetnsClusterTest
{
    private static String run(final long timeoutSeconds, final List<String> command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() + "\n" + out;
    }

    private static void assumeNamespaces() throws Exception
    {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        final String probe = "labprobe" + ProcessHandle.current().pid();
        final String added = run(10, List.of("ip", "netns", "add", probe));
        run(10, List.of("ip", "netns", "del", probe));
        Assumptions.assumeTrue(added.startsWith("0\n"), "cannot create network namespaces here: " + added.trim());
    }

    @Test
    void shouldRunAThreeReplicaClusterInNetworkNamespacesWithLinkDelayAndTearItDown() throws Exception
    {
        assumeNamespaces();
        final String java = ProcessHandle.current().info().command().orElse("java");
        final String labCommand = java + " --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp " +
            System.getProperty("java.class.path") + " lab.harness.cli.LabCommand";
        final File script = new File("../scripts/netns-cluster.sh").getCanonicalFile();
        final ProcessBuilder pb = new ProcessBuilder(script.getPath(), "--replicas", "3", "--delay", "1ms", "--",
            "--protocol", "primary-backup", "--duration", "2s", "--warmup", "1s", "--quiet",
            "--opt", "pb-primary-timeout=3s", "--opt", "pb-backup-timeout=2s", "--opt", "pb-lease-drift=100ms")
            .redirectErrorStream(true);
        pb.environment().put("LAB_CMD", labCommand);
        final Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "netns run did not finish in time");
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("link emulation:"), out);
        assertTrue(out.matches("(?s).*write\\s+\\d+\\s+\\d+.*4\\.00\\s+\\(4\\).*"), "write hops 4 in: " + out);
        // With 1 ms per link a write (4 hops) cannot take less than 4 ms: the delay stage is really on the path.
        final Matcher m = Pattern.compile("(?m)^write\\s+\\d+\\s+\\d+\\s+([\\d.]+)")
            .matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) >= 4000, "write p50 " + m.group(1) + " us");
        final String namespaces = run(10, List.of("ip", "netns", "list"));
        assertFalse(namespaces.contains("lab" + p.pid()), "namespaces left: " + namespaces);
    }
}
