package lab;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Ansible playbooks of deploy/ansible against real SSH hosts: scripts/ansible-netns-test.sh makes 3 node
 * namespaces, a client and a control namespace behind a bridge, runs sshd in each with keys made for the run, runs
 * setup.yml, a Raft run and a primary-backup run with kill -9 of the primary, teardown.yml, and removes everything.
 * Runs as root where network namespaces work; installs ansible-core and openssh-server with apt-get when missing
 * (about 30 s); skipped with the reason where any of that is impossible.
 *
 * <p>The hosts get a small jar whose manifest names this test's class path (the hosts share this machine's file
 * system), so the test needs no packaged lab.jar: under {@code mvn verify} tests run before packaging.
 */
class AnsibleClusterTest
{
    @TempDir
    Path tmp;

    private static String run(final long timeoutSeconds, final List<String> command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return p.exitValue() + "\n" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A jar with no classes: its manifest's Class-Path is this JVM's class path, its Main-Class the lab's CLI. */
    private static Path classPathJar(final Path dir) throws IOException
    {
        final StringBuilder cp = new StringBuilder();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                cp.append(new File(entry).getAbsoluteFile().toURI().toURL().toExternalForm()).append(' ');
            }
        }
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "lab.harness.cli.LabCommand");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString().trim());
        final Path jar = dir.resolve("lab.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest))
        {
            j.flush();
        }
        return jar;
    }

    @Test
    void shouldDeployRunFaultAndTearDownAClusterOverSshWithAnsible() throws Exception
    {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, sshd)");
        final String probe = "labprobe" + ProcessHandle.current().pid();
        final String added = run(10, List.of("ip", "netns", "add", probe));
        run(10, List.of("ip", "netns", "del", probe));
        Assumptions.assumeTrue(added.startsWith("0\n"), "cannot create network namespaces here: " + added.trim());

        final Path jar = classPathJar(tmp);
        final Path results = tmp.resolve("results");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final File script = new File("../scripts/ansible-netns-test.sh").getCanonicalFile();
        final List<String> command = new ArrayList<>(List.of(script.getPath(), "--jar", jar.toString(),
            "--java", java, "--results", results.toString()));
        if (new File("/usr/bin/apt-get").canExecute())
        {
            command.add("--install");
        }
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean finished = p.waitFor(600, TimeUnit.SECONDS);
        if (!finished)
        {
            p.destroy(); // the script's trap tears the namespaces and sshd down
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(finished, "the Ansible run did not finish in 600 s: " + out);
        Assumptions.assumeFalse(p.exitValue() == 77, out.lines().filter(l -> l.startsWith("SKIP")).findFirst()
            .orElse("skipped"));
        assertEquals(0, p.exitValue(), out);

        // Raft: results fetched, hops equal theory.
        final String raft = Files.readString(results.resolve("raft/run-raft.json"));
        assertHopsEqualTheory(raft, "write", 4);
        assertHopsEqualTheory(raft, "read", 2);
        for (final String f : List.of("raft/run.hlog", "raft/lab-run.txt", "raft/cluster.toml",
            "raft/deployment.json", "raft/logs/n0-node0.log", "raft/logs/n1-node1.log", "raft/logs/n2-node2.log"))
        {
            assertTrue(Files.size(results.resolve(f)) > 0, f + " fetched");
        }

        // Primary-backup: the kill -9 of the primary and its restart are reported; flamegraphs fetched.
        final String faults = Files.readString(results.resolve("primary-backup-kill/faults.json"));
        assertTrue(faults.matches("(?s).*\"killed\": true.*"), faults);
        assertTrue(faults.matches("(?s).*\"role\": \"primary\".*"), faults);
        assertTrue(faults.matches("(?s).*\"restart\": \\{.*\"listening\": true.*"), faults);
        final String pb = Files.readString(results.resolve("primary-backup-kill/run-primary-backup.json"));
        assertTrue(count(pb, "write") > 0, "writes completed around the kill: " + pb);
        final Matcher killed = Pattern.compile("\"node\": (\\d+)").matcher(faults);
        assertTrue(killed.find(), faults);
        for (int i = 0; i < 3; i++)
        {
            // a node killed with -9 takes its profile with it: every other node's flamegraph is fetched
            if (i != Integer.parseInt(killed.group(1)))
            {
                assertTrue(Files.size(results.resolve("primary-backup-kill/flames/flame-node" + i + ".html")) > 0);
            }
        }

        // Nothing left: the script checks processes, sshd, keys and its /dev/shm directories; namespaces here too.
        assertTrue(out.contains("clean-up: no process, sshd, namespace"), out);
        final Matcher tag = Pattern.compile("namespaces: (la\\d+)-").matcher(out);
        assertTrue(tag.find(), out);
        final String namespaces = run(10, List.of("ip", "netns", "list"));
        assertFalse(namespaces.contains(tag.group(1) + "-"), "namespaces left: " + namespaces);
        final String[] shm = new File("/dev/shm").list((d, n) -> n.startsWith("lab-aeron-mp-" + tag.group(1) + "-"));
        assertEquals(0, shm == null ? 0 : shm.length, "Aeron directories left");
    }

    private static long count(final String json, final String op)
    {
        final Matcher m = Pattern.compile("\"" + op + "\"\\s*:\\s*\\{\\s*\"count\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), op + " count in " + json);
        return Long.parseLong(m.group(1));
    }

    private static void assertHopsEqualTheory(final String json, final String op, final int theory)
    {
        assertTrue(count(json, op) > 0, op + " operations completed: " + json);
        final Matcher m = Pattern.compile("\"" + op + "\"\\s*:\\s*\\{.*?\"hops\"\\s*:\\s*\\{\\s*\"measured\"\\s*:\\s*" +
            "([\\d.]+)\\s*,\\s*\"theory\"\\s*:\\s*(\\d+)", Pattern.DOTALL).matcher(json);
        assertTrue(m.find(), op + " hops in " + json);
        assertEquals(theory, Integer.parseInt(m.group(2)), op + " theory");
        assertEquals(theory, Double.parseDouble(m.group(1)), 0.0, op + " hops measured");
    }
}
