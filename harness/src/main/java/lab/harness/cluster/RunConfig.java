package lab.harness.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import lab.harness.sim.SimConfig;
import lab.harness.metrics.OperationObserver;
import lab.harness.workload.Workload;

/**
 * Everything that shapes one run. Printed with every result.
 */
public final class RunConfig
{
    public String protocol = "primary-backup";
    public int replicas = 3;
    /** ipc | udp | sim */
    public String transport = "ipc";
    public Workload workload = new Workload(0.5, 10_000, "uniform", 0.99, 64);
    public int clients = 1;
    public int outstanding = 1;
    /** Total operations per second over all clients for an open loop; 0 means closed loop. */
    public double rate;
    /** Open loop: Poisson arrivals instead of constant spacing. */
    public boolean poisson;
    /** A YCSB preset name (a|b|c|d) the workload came from, or null. */
    public String workloadPreset;
    public long durationNs = TimeUnit.SECONDS.toNanos(10);
    public long warmupNs = -1;
    public long opTimeoutNs = TimeUnit.SECONDS.toNanos(1);
    public long seed = 42;
    public String idle = "auto";
    /** Aeron runs: "shared" (all node agents on one thread) or "per-node" (a thread each). */
    public String threading = "shared";
    /** Aeron UDP MTU; 0 for Aeron's default. */
    public int mtu;
    /** In one process: async-profiler over the measured window, a flamegraph and folded stacks into this folder. */
    public java.io.File profileDir;
    public String profileEvent = "auto";
    public Map<String, String> options = new TreeMap<>();
    public SimConfig sim = new SimConfig();
    /**
     * The nodes' disks, or null for the one registered with the ServiceLoader (real files); torture sets the
     * simulator's ({@link lab.harness.sim.SimDisks}).
     */
    public lab.core.storage.DiskProvider disks;
    /** Where to write the HdrHistogram interval log (.hlog), or null. */
    public java.nio.file.Path hlog;
    /** Emulated links (delay, jitter, loss) into every node of an Aeron run: the lab's own, no netem needed. */
    public lab.harness.aeron.LinkEmulator.Settings link = lab.harness.aeron.LinkEmulator.Settings.NONE;
    /** Measure stale reads (also on by default where the protocol says so, e.g. quorum). */
    public boolean staleReads;
    /** Faults for Aeron runs (crash/restart of roles); none by default. */
    public FaultSchedule faults = FaultSchedule.none();
    /** Timeline sampling interval (latency over time, progress line). */
    public long intervalNs = TimeUnit.SECONDS.toNanos(1);
    /** Per client index, who watches its operations (histories); {@link OperationObserver#NONE} by default. */
    public IntFunction<OperationObserver> observers = i -> OperationObserver.NONE;

    public long effectiveWarmupNs()
    {
        if (warmupNs >= 0)
        {
            return warmupNs;
        }
        return Math.min(TimeUnit.SECONDS.toNanos(2), durationNs / 5);
    }

    /**
     * Every fault target names a replica that exists or a role the protocol has (where it lists its roles); a cut
     * needs node ids below 64 (a bit per node at the receive edge).
     */
    private void checkFaultTargets()
    {
        if (faults.isEmpty())
        {
            return;
        }
        final lab.core.ProtocolFactory factory = lab.core.Protocols.byName(protocol);
        final java.util.Set<String> roles = factory.roleNames();
        final int replicas = factory.fixedReplicas() > 0 ? factory.fixedReplicas() : this.replicas;
        for (final String target : faults.targets())
        {
            final int node = FaultSchedule.nodeId(target);
            if (node >= replicas)
            {
                // Control nodes (a chain's managers, primary-backup's service nodes) exist but are not targets here.
                final int controls = factory.controlNodes(new lab.core.ProtocolSettings(replicas, clients,
                    outstanding, options));
                throw new IllegalArgumentException("--fault: node " + node + (node < replicas + controls ?
                    " is a control node: --fault targets replicas (node0 .. node" + (replicas - 1) + "); control " +
                    "nodes crash in lab torture" : " does not exist (replicas are node0 .. node" + (replicas - 1) +
                    (controls > 0 ? ", control nodes node" + replicas + " .. node" + (replicas + controls - 1) : "") +
                    ")"));
            }
            if (node < 0 && !roles.isEmpty() && !roles.contains(target) &&
                !("leader".equals(target) && roles.contains("primary")))
            {
                throw new IllegalArgumentException("--fault: unknown target '" + target + "': " + protocol +
                    " has the roles " + String.join(", ", new java.util.TreeSet<>(roles)) + "; or name a node (node0 .. node" +
                    (replicas - 1) + ")");
            }
        }
        if (replicas + clients + 8 > 64 && faults.events().stream().anyMatch(e ->
            e.kind() == FaultSchedule.Kind.PARTITION || e.kind() == FaultSchedule.Kind.ISOLATE))
        {
            throw new IllegalArgumentException("--fault: partition and isolate need replicas + clients <= 56 (a bit " +
                "per node at the receive edge)");
        }
    }

    public void validate()
    {
        if (replicas < 1)
        {
            throw new IllegalArgumentException("--replicas must be >= 1, got " + replicas);
        }
        if (clients < 1)
        {
            throw new IllegalArgumentException("--clients must be >= 1, got " + clients);
        }
        if (outstanding < 1 || outstanding > 4096)
        {
            throw new IllegalArgumentException("--outstanding must be in [1, 4096], got " + outstanding);
        }
        if (rate < 0 || Double.isNaN(rate))
        {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        if (durationNs <= 0)
        {
            throw new IllegalArgumentException("--duration must be > 0");
        }
        if (opTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("--op-timeout must be > 0: an operation needs time to complete");
        }
        final long runNs = effectiveWarmupNs() + durationNs;
        for (final FaultSchedule.Event event : faults.events())
        {
            // Fault times count from the start of the run, warm-up included.
            if (event.atNs() >= runNs)
            {
                throw new IllegalArgumentException(String.format("--fault '%s' is at %.3f s, after the run ends " +
                    "(warm-up %.3f s + duration %.3f s): it would never happen", event.text(), event.atNs() / 1e9,
                    effectiveWarmupNs() / 1e9, durationNs / 1e9));
            }
        }
        checkFaultTargets();
        if (mtu != 0 && (mtu < 32 || mtu > 65504 || mtu % 32 != 0))
        {
            throw new IllegalArgumentException("--mtu must be a multiple of 32 in [32, 65504], got " + mtu);
        }
        if (!"shared".equals(threading) && !"per-node".equals(threading))
        {
            throw new IllegalArgumentException("--threads must be shared|per-node, got '" + threading + "'");
        }
        if (!"ipc".equals(transport) && !"udp".equals(transport) && !"sim".equals(transport))
        {
            throw new IllegalArgumentException("--transport must be ipc|udp|sim, got '" + transport + "'");
        }
    }

    public Map<String, Object> describe()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("replicas", replicas);
        m.put("transport", transport);
        final Map<String, Object> w = new LinkedHashMap<>();
        if (workloadPreset != null)
        {
            w.put("ycsb", workloadPreset);
        }
        w.putAll(workload.describe());
        m.put("workload", w);
        m.put("load", rate > 0 ? "open-loop" : "closed-loop");
        if (rate > 0)
        {
            m.put("rate_per_s", rate);
            m.put("arrivals", poisson ? "poisson" : "constant");
        }
        m.put("clients", clients);
        m.put("outstanding_per_client", outstanding);
        m.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(durationNs));
        m.put("warmup_ms", TimeUnit.NANOSECONDS.toMillis(effectiveWarmupNs()));
        m.put("op_timeout_ms", TimeUnit.NANOSECONDS.toMillis(opTimeoutNs));
        m.put("seed", seed);
        if (!faults.isEmpty())
        {
            // As written: a repeated pause is one item, not its many pauses and resumes.
            final java.util.Set<String> f = new java.util.LinkedHashSet<>();
            faults.events().forEach(e -> f.add(e.text()));
            m.put("faults", new java.util.ArrayList<>(f));
        }
        if ("sim".equals(transport))
        {
            m.put("sim", sim.toString());
        }
        else
        {
            m.put("idle", idle);
            m.put("threading", threading);
            if (mtu > 0)
            {
                m.put("mtu", mtu);
            }
            if (link.active())
            {
                m.put("link_emulation", "lab receive-edge stage (no netem): " + link);
            }
        }
        return m;
    }
}
