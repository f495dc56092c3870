package lab.harness.multiprocess;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import lab.harness.aeron.ExitCleanup;

/**
 * {@code --processes}: starts one node JVM per replica on this machine (same java binary and class path, small
 * heaps, Aeron's export flag), each on a free UDP port of 127.0.0.1, and stops them all on {@link #close()} and from
 * a JVM shutdown hook (Ctrl-C): SIGTERM (the node closes its driver and removes its Aeron directory), then kill -9
 * after a grace period, then removes any Aeron directory a killed node left. The nodes also exit by themselves when
 * this process disappears (they watch its pid), so even kill -9 of the launcher leaves no node behind.
 *
 * <p>Faults: {@link #kill(int)} is kill -9 of one node (SIGKILL: what {@link Process#destroyForcibly()} sends on
 * Linux), which then removes the Aeron directory the node could not; {@link #relaunch(int)} starts a new JVM for
 * the node with the same id and endpoint.
 */
public final class LocalLauncher implements AutoCloseable
{
    private static final int OUTPUT_LINES_KEPT = 30;
    private static final long GRACE_MS = 3000;

    /**
     * How node processes are started.
     */
    public static final class Settings
    {
        /** Class path of the node JVMs; null: this JVM's. */
        public String classPath;
        public String host = "127.0.0.1";
        public List<String> jvmOptions = new ArrayList<>(List.of(
            "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+PerfDisableSharedMem", "-XX:-UsePerfData"));
        /** Folder for per-node flamegraphs (passed as --profile), or null. */
        public File profileDir;
        public String profileEvent = "auto";
        /** Copy node output to this process's stderr, prefixed with [node I] (REFUSED lines always are). */
        public boolean echo;
    }

    private final Settings settings;
    private final String tag = "l" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private final List<Boolean> killed = new ArrayList<>();
    private final List<ArrayDeque<String>> output = new ArrayList<>();
    private ExitCleanup.Registration exitCleanup;
    private ClusterFile cluster;
    private Path clusterFile;
    private String java;
    private String classPath;
    private volatile boolean closed;

    private LocalLauncher(final Settings settings)
    {
        this.settings = settings;
    }

    /**
     * Starts {@code nodes} node processes (does not wait for readiness: the load driver's handshake does).
     */
    public static LocalLauncher start(final int nodes, final Settings settings)
    {
        Control.removeOrphanDirs();
        final LocalLauncher launcher = new LocalLauncher(settings);
        // SIGTERM, SIGINT, SIGHUP: stop the node processes and remove their directories (ExitCleanup, bounded).
        launcher.exitCleanup = ExitCleanup.register("the " + nodes + " node processes", null, launcher::stopAll);
        try
        {
            launcher.launch(nodes);
        }
        catch (final RuntimeException ex)
        {
            launcher.close();
            throw ex;
        }
        return launcher;
    }

    private void launch(final int nodes)
    {
        final int[] ports = freeUdpPorts(nodes + 1, settings.host);
        final List<ClusterFile.Address> addresses = new ArrayList<>();
        for (int i = 0; i < nodes; i++)
        {
            addresses.add(new ClusterFile.Address(i, settings.host, ports[i]));
        }
        cluster = new ClusterFile("launcher", addresses, new ClusterFile.Address(-1, settings.host, ports[nodes]));
        try
        {
            clusterFile = Files.createTempFile("lab-cluster-", ".toml");
            Files.writeString(clusterFile, cluster.toToml());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write a cluster file: " + ex.getMessage(), ex);
        }
        cluster = new ClusterFile(clusterFile.toString(), addresses, cluster.client());
        java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        classPath = settings.classPath != null ? settings.classPath : System.getProperty("java.class.path");
        for (int i = 0; i < nodes; i++)
        {
            output.add(new ArrayDeque<>());
            processes.add(null);
            killed.add(false);
            startNode(i);
        }
    }

    private Process startNode(final int node)
    {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(settings.jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(NodeCommand.class.getName());
        command.add("--id");
        command.add(Integer.toString(node));
        command.add("--cluster");
        command.add(clusterFile.toString());
        command.add("--parent-pid");
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add("--dir-tag");
        command.add(tag);
        if (settings.profileDir != null)
        {
            command.add("--profile");
            command.add(settings.profileDir.getAbsolutePath());
            command.add("--profile-event");
            command.add(settings.profileEvent);
        }
        final ArrayDeque<String> lines = output.get(node);
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start node " + node + ": " + ex.getMessage(), ex);
        }
        processes.set(node, process);
        final Thread reader = new Thread(() -> pump(node, process, lines), "lab-node-" + node + "-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    /**
     * kill -9 of the node's process: SIGKILL, then waits (bounded) until it is gone and removes the Aeron directory
     * it left. {@link #checkAlive()} no longer counts the node until {@link #relaunch(int)}.
     *
     * @return the killed process (its pid and exit code, 137 for SIGKILL, are the evidence).
     */
    public synchronized Process kill(final int node)
    {
        final Process process = processes.get(node);
        killed.set(node, true);
        process.destroyForcibly();
        waitFor(process, GRACE_MS);
        if (process.isAlive())
        {
            throw new IllegalStateException("node " + node + " process " + process.pid() + " is still alive " +
                GRACE_MS + " ms after kill -9");
        }
        removeLeftoverDirs(tag + "-node" + node + "-p" + process.pid());
        return process;
    }

    /**
     * Starts a new JVM for a node killed with {@link #kill(int)}: same id, same endpoint (its port is free once the
     * old process is gone). Like the first start, it does not wait for readiness.
     *
     * @return the new process.
     */
    public synchronized Process relaunch(final int node)
    {
        if (closed)
        {
            throw new IllegalStateException("the launcher is closed");
        }
        if (!killed.get(node))
        {
            throw new IllegalStateException("node " + node + " is running: kill it before starting it again");
        }
        final ArrayDeque<String> lines = output.get(node);
        synchronized (lines)
        {
            lines.clear();
        }
        final Process process = startNode(node);
        killed.set(node, false);
        return process;
    }

    private void pump(final int node, final Process process, final ArrayDeque<String> lines)
    {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = r.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                    if (lines.size() > OUTPUT_LINES_KEPT)
                    {
                        lines.poll();
                    }
                }
                if (settings.echo || line.startsWith("REFUSED "))
                {
                    // a refused control frame is always told (one line), the node carries on
                    System.err.println("[node " + node + "] " + line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // the process is gone
        }
    }

    public ClusterFile cluster()
    {
        return cluster;
    }

    /**
     * @return the tag in the names of the Aeron directories of this launcher's nodes.
     */
    public String dirTag()
    {
        return tag;
    }

    public List<Process> processes()
    {
        return processes;
    }

    /**
     * Fails, naming the node and showing its last output, when a node process has exited.
     */
    public void checkAlive()
    {
        for (int i = 0; i < processes.size(); i++)
        {
            if (!killed.get(i) && !processes.get(i).isAlive())
            {
                throw new IllegalStateException("node " + i + " process exited with code " +
                    processes.get(i).exitValue() + lastOutput(i));
            }
        }
    }

    /**
     * @return the node's process state and last output lines, for error messages.
     */
    public String describe(final int node)
    {
        if (node < 0 || node >= processes.size())
        {
            return "";
        }
        final Process p = processes.get(node);
        return " (process " + p.pid() + (p.isAlive() ? " running" : " exited with code " + p.exitValue()) + ")" +
            lastOutput(node);
    }

    private String lastOutput(final int node)
    {
        final ArrayDeque<String> lines = output.get(node);
        synchronized (lines)
        {
            return lines.isEmpty() ? "; no output" : "; last output: " + String.join(" | ", lines);
        }
    }

    public void close()
    {
        stopAll();
        exitCleanup.close();
    }

    private synchronized void stopAll()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Process p : processes)
        {
            if (p != null)
            {
                p.destroy();
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
        for (final Process p : processes)
        {
            if (p != null)
            {
                waitFor(p, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
        for (final Process p : processes)
        {
            if (p != null && p.isAlive())
            {
                p.destroyForcibly();
                waitFor(p, GRACE_MS);
            }
        }
        removeLeftoverDirs(tag);
        if (clusterFile != null)
        {
            try
            {
                Files.deleteIfExists(clusterFile);
            }
            catch (final IOException ignore)
            {
                // a temp file
            }
        }
    }

    /**
     * Removes Aeron directories whose names carry {@code tag} (what a node killed with -9 leaves); a tag may name
     * one process: {@code <launcher tag>-node<I>-p<pid>}.
     */
    static void removeLeftoverDirs(final String tag)
    {
        for (final String base : new String[] {"/dev/shm", System.getProperty("java.io.tmpdir")})
        {
            final File[] dirs = new File(base).listFiles((d, n) -> n.startsWith(Control.DIR_PREFIX + tag + "-"));
            if (dirs != null)
            {
                for (final File d : dirs)
                {
                    Control.deleteDir(d.getPath());
                }
            }
        }
    }

    private static void waitFor(final Process p, final long ms)
    {
        try
        {
            p.waitFor(ms, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static int[] freeUdpPorts(final int count, final String host)
    {
        final int[] ports = new int[count];
        final DatagramSocket[] sockets = new DatagramSocket[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(0, InetAddress.getByName(host));
                ports[i] = sockets[i].getLocalPort();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot find free UDP ports on " + host, ex);
        }
        finally
        {
            for (final DatagramSocket s : sockets)
            {
                if (s != null)
                {
                    s.close();
                }
            }
        }
        return ports;
    }
}
