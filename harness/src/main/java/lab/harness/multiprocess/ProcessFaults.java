package lab.harness.multiprocess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.Publication;
import lab.harness.cluster.FaultTarget;
import org.agrona.CloseHelper;

/**
 * Faults on a {@code --processes} run, where each replica is a child JVM of this one: a crash is kill -9 of the
 * node's process ({@link LocalLauncher#kill}), a restart starts a new JVM for the node on the same endpoint
 * ({@link LocalLauncher#relaunch}) and takes it through the control handshake again, marked as restarted.
 *
 * <p>Roles: the node processes report their replica's role over the control stream (ROLE, see {@link Control});
 * this keeps the last role each live process reported. The driver's main loop hands every control message to
 * {@link #onControl} and calls {@link #poll} often, as it calls the injector's.
 *
 * <p>A restart does not block the loop: the new JVM takes a second or more to start, during which the load and the
 * timeline go on. Its steps: a new exclusive control publication (so that "connected" means the new process
 * answers, not the old one's last status), then CONFIG with {@code restarted=true} once it is connected, then START
 * once it answers READY; its traffic window is the run's.
 */
final class ProcessFaults implements FaultTarget
{
    private final LocalLauncher launcher;
    private final Aeron aeron;
    private final ClusterFile cluster;
    private final List<Publication> controlPubs;
    private final Map<String, String> configFields;
    private final long runId;
    private final long runStartNs;
    private final long windowStartNs;
    private final long durationNs;
    private final long readyTimeoutNs;
    private final String[] roles;
    private final boolean[] down;
    private final long[] pids;
    private final Restart[] restarting;
    private final List<Map<String, Object>> killed = new ArrayList<>();
    private final List<Map<String, Object>> relaunched = new ArrayList<>();
    private final List<Map<String, Object>> signals = new ArrayList<>();
    /** This process's agents (clients, control nodes): node ids firstLocal and up. */
    private List<lab.harness.aeron.NodeAgent> localAgents = List.of();
    private int firstLocal;
    private long faultMessages;

    /**
     * A node on its way back: a new process, not yet running the run.
     */
    private static final class Restart
    {
        final long seed;
        final long sinceNs;
        final Map<String, Object> record;
        boolean configured;

        Restart(final long seed, final long sinceNs, final Map<String, Object> record)
        {
            this.seed = seed;
            this.sinceNs = sinceNs;
            this.record = record;
        }
    }

    /**
     * @param controlPubs   the driver's control publication per node; a restart replaces the node's.
     * @param configFields  the run's CONFIG fields (as sent to every node at the start).
     * @param runStartNs    start of the run, for times in the results.
     * @param windowStartNs start of the measurement window (after warm-up).
     */
    ProcessFaults(final LocalLauncher launcher, final Aeron aeron, final ClusterFile cluster,
        final List<Publication> controlPubs, final Map<String, String> configFields, final long runId,
        final long runStartNs, final long windowStartNs, final long durationNs, final long readyTimeoutNs)
    {
        this.launcher = launcher;
        this.aeron = aeron;
        this.cluster = cluster;
        this.controlPubs = controlPubs;
        this.configFields = configFields;
        this.runId = runId;
        this.runStartNs = runStartNs;
        this.windowStartNs = windowStartNs;
        this.durationNs = durationNs;
        this.readyTimeoutNs = readyTimeoutNs;
        final int replicas = cluster.nodes().size();
        this.roles = new String[replicas];
        this.down = new boolean[replicas];
        this.pids = new long[replicas];
        this.restarting = new Restart[replicas];
        for (int i = 0; i < replicas; i++)
        {
            pids[i] = launcher.processes().get(i).pid();
        }
    }

    /**
     * The agents this process hosts (clients and control nodes, ids {@code firstLocal} and up): a cut applies at
     * their receive edges here, and at a replica's in its own process.
     */
    void localAgents(final List<lab.harness.aeron.NodeAgent> agents, final int firstLocal)
    {
        this.localAgents = agents;
        this.firstLocal = firstLocal;
    }

    public int members()
    {
        return firstLocal + localAgents.size();
    }

    /**
     * A replica's rules go to its process as a FAULT control message; a local node's are set here.
     */
    public void edge(final int node, final lab.harness.aeron.ReceiveEdgeFaults.Rules rules)
    {
        if (node >= firstLocal)
        {
            localAgents.get(node - firstLocal).faults().rules(rules);
            return;
        }
        if (!running(node))
        {
            return; // a killed or restarting node: its new process starts without faults
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("run", Long.toString(runId));
        fields.putAll(rules.fields());
        if (!Control.send(controlPubs.get(node), Control.FAULT, -1, fields, TimeUnit.MILLISECONDS.toNanos(200)))
        {
            throw new IllegalStateException("node " + node + " did not accept its fault rules" + launcher.describe(node));
        }
        faultMessages++;
    }

    /**
     * SIGSTOP of the node's JVM: every thread of it stops (its node agent, its media driver), as in a long GC pause.
     */
    public void pause(final int node)
    {
        signal(node, "STOP");
    }

    public void resume(final int node)
    {
        signal(node, "CONT");
    }

    private void signal(final int node, final String name)
    {
        final long t0 = System.nanoTime();
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pids[node]))
                .redirectErrorStream(true).start();
            if (!kill.waitFor(2, TimeUnit.SECONDS) || kill.exitValue() != 0)
            {
                throw new IllegalStateException("kill -" + name + " " + pids[node] + " (node " + node + ") failed: " +
                    new String(kill.getInputStream().readAllBytes()).trim());
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("kill -" + name + " of node " + node + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        if (signals.size() < 1000)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            m.put("signal", "SIG" + name);
            m.put("t_s", seconds(t0));
            m.put("took_ms", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
            signals.add(m);
        }
    }

    public int replicas()
    {
        return roles.length;
    }

    public String role(final int node)
    {
        return roles[node];
    }

    public boolean crashed(final int node)
    {
        return down[node];
    }

    /**
     * @return whether the node runs the run now (not killed, not on its way back): it will answer STOP.
     */
    boolean running(final int node)
    {
        return !down[node] && restarting[node] == null;
    }

    /**
     * @return whether a restart is under way (the loop should poll often).
     */
    boolean busy()
    {
        for (final Restart r : restarting)
        {
            if (r != null)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether any node was killed in this run: what it sent before is missing from the message counts.
     */
    boolean anyKilled()
    {
        return !killed.isEmpty();
    }

    public void crash(final int node)
    {
        final long nowNs = System.nanoTime();
        restarting[node] = null;
        final Process process = launcher.kill(node);
        down[node] = true;
        roles[node] = null;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("pid", process.pid());
        m.put("t_s", seconds(nowNs));
        m.put("exit_code", process.exitValue());
        m.put("signal", process.exitValue() == 128 + 9 ? "SIGKILL" : "none (exit code " + process.exitValue() + ")");
        m.put("exited_after_ms", Math.round((System.nanoTime() - nowNs) / 1e4) / 100.0);
        killed.add(m);
    }

    public void restart(final int node, final long seed)
    {
        final long nowNs = System.nanoTime();
        final Process process = launcher.relaunch(node);
        pids[node] = process.pid();
        down[node] = false;
        roles[node] = null;
        // A fresh session: the old publication may still count as connected to the killed process for a while.
        final Publication old = controlPubs.get(node);
        controlPubs.set(node, aeron.addExclusivePublication(Control.channel(cluster.node(node)),
            Control.CONTROL_STREAM));
        CloseHelper.quietClose(old);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("pid", process.pid());
        m.put("t_s", seconds(nowNs));
        relaunched.add(m);
        restarting[node] = new Restart(seed, nowNs, m);
    }

    /**
     * Moves restarts along: CONFIG once the new process's control stream is connected; fails the run, naming the
     * node, when one is not ready within the ready timeout.
     */
    void poll(final long nowNs)
    {
        for (int i = 0; i < restarting.length; i++)
        {
            final Restart r = restarting[i];
            if (r == null)
            {
                continue;
            }
            if (!r.configured && controlPubs.get(i).isConnected())
            {
                final Map<String, String> fields = new LinkedHashMap<>(configFields);
                fields.put("restarted", "true");
                fields.put("restart_seed", Long.toString(r.seed));
                fields.put("absent", absent());
                fields.put("connect_ns", Long.toString(readyTimeoutNs));
                r.configured = Control.send(controlPubs.get(i), Control.CONFIG, -1, fields,
                    TimeUnit.MILLISECONDS.toNanos(100));
            }
            if (nowNs - r.sinceNs > readyTimeoutNs)
            {
                throw new IllegalStateException("node " + i + " (" + cluster.node(i).endpoint() + "), restarted, " +
                    "did not become ready within " + Control.ms(readyTimeoutNs) + " ms: " +
                    (r.configured ? "it never answered READY" : "no answer on its control stream") +
                    launcher.describe(i));
            }
        }
    }

    /**
     * Takes the control messages of the running nodes: ROLE, and READY / FAILED of a restarted node (then START).
     * Messages of another run or of a process that was killed since are ignored.
     */
    void onControl(final ControlInbox.Message m)
    {
        final int node = m.from();
        if (node < 0 || node >= roles.length || m.get("run") == null || m.getLong("run") != runId || down[node])
        {
            return;
        }
        final Restart r = restarting[node];
        switch (m.type())
        {
            case Control.ROLE:
                if (m.get("pid") != null && m.getLong("pid") == pids[node])
                {
                    roles[node] = m.get("role");
                }
                break;
            case Control.READY:
                if (r != null && r.configured && m.get("pid") != null && m.getLong("pid") == pids[node])
                {
                    start(node, r);
                }
                break;
            case Control.FAILED:
                if (r != null)
                {
                    throw new IllegalStateException("node " + node + " (" + cluster.node(node).endpoint() +
                        "), restarted, is not ready: " + m.get("error") + launcher.describe(node));
                }
                break;
            default:
                break;
        }
    }

    private void start(final int node, final Restart r)
    {
        final long nowNs = System.nanoTime();
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("run", Long.toString(runId));
        fields.put("warmup_ns", Long.toString(windowStartNs - nowNs)); // negative once the window is open
        fields.put("duration_ns", Long.toString(durationNs));
        if (!Control.send(controlPubs.get(node), Control.START, -1, fields, TimeUnit.SECONDS.toNanos(2)))
        {
            throw new IllegalStateException("node " + node + ", restarted, did not accept START" +
                launcher.describe(node));
        }
        restarting[node] = null;
        r.record.put("running_after_ms", Math.round((nowNs - r.sinceNs) / 1e4) / 100.0);
        System.err.printf("[%6.3fs] fault: node %d running again in process %d, %d ms after its restart%n",
            (nowNs - runStartNs) / 1e9, node, pids[node], TimeUnit.NANOSECONDS.toMillis(nowNs - r.sinceNs));
    }

    private String absent()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < down.length; i++)
        {
            if (down[i])
            {
                sb.append(sb.length() == 0 ? "" : ",").append(i);
            }
        }
        return sb.toString();
    }

    private double seconds(final long nowNs)
    {
        return Math.round((nowNs - runStartNs) / 1e6) / 1e3;
    }

    public Map<String, Object> report()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("fault_mechanism", "kill -9 of the node's process; restart: a new JVM for the node on the same " +
            "endpoint, built as a restarted replica");
        m.put("killed", killed);
        m.put("relaunched", relaunched);
        if (!signals.isEmpty() || faultMessages > 0)
        {
            m.put("pause_mechanism", "SIGSTOP / SIGCONT of the node's JVM (kill -STOP / -CONT)");
            m.put("signals", signals);
            m.put("fault_rule_messages", faultMessages);
        }
        return m;
    }
}
