package lab.harness.cluster;

import java.util.Collections;
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
 *
 * <p>Immutable: built by {@link Builder} ({@link #builder()}, or {@link #toBuilder()} for a variant of a
 * configuration), so a configuration handed to a run, printed with its result and reused for the next run stays the
 * one that was printed. Fields are public and final, named as the builder's setters. The nested parts are immutable
 * ({@link Workload}, {@link FaultSchedule}, {@link lab.harness.aeron.LinkEmulator.Settings}, paths) or copied:
 * {@link #options} is an unmodifiable sorted copy, and {@link SimConfig} (mutable: a simulated network's settings may
 * change as simulated time passes) is copied in and handed out as a fresh copy by {@link #sim()}. {@link #disks} and
 * {@link #observers} are services the run calls, not settings: they are held as given.
 */
public final class RunConfig
{
    public final String protocol;
    public final int replicas;
    /** ipc | udp | sim */
    public final String transport;
    public final Workload workload;
    public final int clients;
    public final int outstanding;
    /** Total operations per second over all clients for an open loop; 0 means closed loop. */
    public final double rate;
    /** Open loop: Poisson arrivals instead of constant spacing. */
    public final boolean poisson;
    /** A YCSB preset name (a|b|c|d) the workload came from, or null. */
    public final String workloadPreset;
    public final long durationNs;
    public final long warmupNs;
    public final long opTimeoutNs;
    public final long seed;
    public final String idle;
    /** Aeron runs: "shared" (all node agents on one thread) or "per-node" (a thread each). */
    public final String threading;
    /** Aeron UDP MTU; 0 for Aeron's default. */
    public final int mtu;
    /** In one process: async-profiler over the measured window, a flamegraph and folded stacks into this folder. */
    public final java.io.File profileDir;
    public final String profileEvent;
    /** Protocol options by name, sorted; unmodifiable. */
    public final Map<String, String> options;
    /** The simulated network's settings; {@link #sim()} hands out copies. */
    private final SimConfig sim;
    /**
     * The nodes' disks, or null for the one registered with the ServiceLoader (real files); torture sets the
     * simulator's ({@link lab.harness.sim.SimDisks}).
     */
    public final lab.core.storage.DiskProvider disks;
    /** Where to write the HdrHistogram interval log (.hlog), or null. */
    public final java.nio.file.Path hlog;
    /** Emulated links (delay, jitter, loss) into every node of an Aeron run: the lab's own, no netem needed. */
    public final lab.harness.aeron.LinkEmulator.Settings link;
    /** Measure stale reads (also on by default where the protocol says so, e.g. quorum). */
    public final boolean staleReads;
    /** Faults for Aeron runs (crash/restart of roles); none by default. */
    public final FaultSchedule faults;
    /** Timeline sampling interval (latency over time, progress line). */
    public final long intervalNs;
    /** Per client index, who watches its operations (histories); {@link OperationObserver#NONE} by default. */
    public final IntFunction<OperationObserver> observers;

    private RunConfig(final Builder b)
    {
        protocol = b.protocol;
        replicas = b.replicas;
        transport = b.transport;
        workload = b.workload;
        clients = b.clients;
        outstanding = b.outstanding;
        rate = b.rate;
        poisson = b.poisson;
        workloadPreset = b.workloadPreset;
        durationNs = b.durationNs;
        warmupNs = b.warmupNs;
        opTimeoutNs = b.opTimeoutNs;
        seed = b.seed;
        idle = b.idle;
        threading = b.threading;
        mtu = b.mtu;
        profileDir = b.profileDir;
        profileEvent = b.profileEvent;
        options = Collections.unmodifiableSortedMap(new TreeMap<>(b.options));
        sim = b.sim.copy();
        disks = b.disks;
        hlog = b.hlog;
        link = b.link;
        staleReads = b.staleReads;
        faults = b.faults;
        intervalNs = b.intervalNs;
        observers = b.observers;
    }

    /**
     * @return a builder with the defaults: primary-backup, 3 replicas, ipc, 50% reads over 10,000 uniform keys of 64
     * bytes, one closed-loop client with one operation in flight, 10 s measured.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return a builder holding this configuration, to make a variant of it (another seed, other options).
     */
    public Builder toBuilder()
    {
        return new Builder(this);
    }

    /**
     * @return a copy of the simulated network's settings (a network may change its own as simulated time passes;
     * this configuration's stay as they were).
     */
    public SimConfig sim()
    {
        return sim.copy();
    }

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

    /**
     * Builds a {@link RunConfig}. Each setting has a setter and a getter named as the field of {@link RunConfig}
     * (the style of Aeron's contexts), so code that fills a configuration in steps can read what it set.
     * {@link #options()} and {@link #sim()} hand out the builder's own map and simulator settings, edited in place;
     * {@link #build()} copies them, so a builder can be changed and built again without touching what it built.
     */
    public static final class Builder
    {
        private String protocol = "primary-backup";
        private int replicas = 3;
        private String transport = "ipc";
        private Workload workload = new Workload(0.5, 10_000, "uniform", 0.99, 64);
        private int clients = 1;
        private int outstanding = 1;
        private double rate;
        private boolean poisson;
        private String workloadPreset;
        private long durationNs = TimeUnit.SECONDS.toNanos(10);
        private long warmupNs = -1;
        private long opTimeoutNs = TimeUnit.SECONDS.toNanos(1);
        private long seed = 42;
        private String idle = "auto";
        private String threading = "shared";
        private int mtu;
        private java.io.File profileDir;
        private String profileEvent = "auto";
        private Map<String, String> options = new TreeMap<>();
        private SimConfig sim = new SimConfig();
        private lab.core.storage.DiskProvider disks;
        private java.nio.file.Path hlog;
        private lab.harness.aeron.LinkEmulator.Settings link = lab.harness.aeron.LinkEmulator.Settings.NONE;
        private boolean staleReads;
        private FaultSchedule faults = FaultSchedule.none();
        private long intervalNs = TimeUnit.SECONDS.toNanos(1);
        private IntFunction<OperationObserver> observers = i -> OperationObserver.NONE;

        private Builder()
        {
        }

        private Builder(final RunConfig c)
        {
            protocol = c.protocol;
            replicas = c.replicas;
            transport = c.transport;
            workload = c.workload;
            clients = c.clients;
            outstanding = c.outstanding;
            rate = c.rate;
            poisson = c.poisson;
            workloadPreset = c.workloadPreset;
            durationNs = c.durationNs;
            warmupNs = c.warmupNs;
            opTimeoutNs = c.opTimeoutNs;
            seed = c.seed;
            idle = c.idle;
            threading = c.threading;
            mtu = c.mtu;
            profileDir = c.profileDir;
            profileEvent = c.profileEvent;
            options = new TreeMap<>(c.options);
            sim = c.sim.copy();
            disks = c.disks;
            hlog = c.hlog;
            link = c.link;
            staleReads = c.staleReads;
            faults = c.faults;
            intervalNs = c.intervalNs;
            observers = c.observers;
        }

        public String protocol()
        {
            return protocol;
        }

        public Builder protocol(final String protocol)
        {
            this.protocol = protocol;
            return this;
        }

        public int replicas()
        {
            return replicas;
        }

        public Builder replicas(final int replicas)
        {
            this.replicas = replicas;
            return this;
        }

        public String transport()
        {
            return transport;
        }

        public Builder transport(final String transport)
        {
            this.transport = transport;
            return this;
        }

        public Workload workload()
        {
            return workload;
        }

        public Builder workload(final Workload workload)
        {
            this.workload = workload;
            return this;
        }

        public int clients()
        {
            return clients;
        }

        public Builder clients(final int clients)
        {
            this.clients = clients;
            return this;
        }

        public int outstanding()
        {
            return outstanding;
        }

        public Builder outstanding(final int outstanding)
        {
            this.outstanding = outstanding;
            return this;
        }

        public double rate()
        {
            return rate;
        }

        public Builder rate(final double rate)
        {
            this.rate = rate;
            return this;
        }

        public boolean poisson()
        {
            return poisson;
        }

        public Builder poisson(final boolean poisson)
        {
            this.poisson = poisson;
            return this;
        }

        public String workloadPreset()
        {
            return workloadPreset;
        }

        public Builder workloadPreset(final String workloadPreset)
        {
            this.workloadPreset = workloadPreset;
            return this;
        }

        public long durationNs()
        {
            return durationNs;
        }

        public Builder durationNs(final long durationNs)
        {
            this.durationNs = durationNs;
            return this;
        }

        public long warmupNs()
        {
            return warmupNs;
        }

        public Builder warmupNs(final long warmupNs)
        {
            this.warmupNs = warmupNs;
            return this;
        }

        public long opTimeoutNs()
        {
            return opTimeoutNs;
        }

        public Builder opTimeoutNs(final long opTimeoutNs)
        {
            this.opTimeoutNs = opTimeoutNs;
            return this;
        }

        public long seed()
        {
            return seed;
        }

        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public String idle()
        {
            return idle;
        }

        public Builder idle(final String idle)
        {
            this.idle = idle;
            return this;
        }

        public String threading()
        {
            return threading;
        }

        public Builder threading(final String threading)
        {
            this.threading = threading;
            return this;
        }

        public int mtu()
        {
            return mtu;
        }

        public Builder mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        public java.io.File profileDir()
        {
            return profileDir;
        }

        public Builder profileDir(final java.io.File profileDir)
        {
            this.profileDir = profileDir;
            return this;
        }

        public String profileEvent()
        {
            return profileEvent;
        }

        public Builder profileEvent(final String profileEvent)
        {
            this.profileEvent = profileEvent;
            return this;
        }

        /**
         * @return the protocol options so far, this builder's own map: {@code options().put(name, value)} sets one.
         */
        public Map<String, String> options()
        {
            return options;
        }

        /**
         * Replaces every protocol option with these (copied).
         */
        public Builder options(final Map<String, String> options)
        {
            this.options = new TreeMap<>(options);
            return this;
        }

        /**
         * @return the simulated network's settings so far, this builder's own: {@code sim().loss(0.01)} changes them.
         */
        public SimConfig sim()
        {
            return sim;
        }

        /**
         * Replaces the simulated network's settings with a copy of these.
         */
        public Builder sim(final SimConfig sim)
        {
            this.sim = sim.copy();
            return this;
        }

        public lab.core.storage.DiskProvider disks()
        {
            return disks;
        }

        public Builder disks(final lab.core.storage.DiskProvider disks)
        {
            this.disks = disks;
            return this;
        }

        public java.nio.file.Path hlog()
        {
            return hlog;
        }

        public Builder hlog(final java.nio.file.Path hlog)
        {
            this.hlog = hlog;
            return this;
        }

        public lab.harness.aeron.LinkEmulator.Settings link()
        {
            return link;
        }

        public Builder link(final lab.harness.aeron.LinkEmulator.Settings link)
        {
            this.link = link;
            return this;
        }

        public boolean staleReads()
        {
            return staleReads;
        }

        public Builder staleReads(final boolean staleReads)
        {
            this.staleReads = staleReads;
            return this;
        }

        public FaultSchedule faults()
        {
            return faults;
        }

        public Builder faults(final FaultSchedule faults)
        {
            this.faults = faults;
            return this;
        }

        public long intervalNs()
        {
            return intervalNs;
        }

        public Builder intervalNs(final long intervalNs)
        {
            this.intervalNs = intervalNs;
            return this;
        }

        public IntFunction<OperationObserver> observers()
        {
            return observers;
        }

        public Builder observers(final IntFunction<OperationObserver> observers)
        {
            this.observers = observers;
            return this;
        }

        /**
         * @return the configuration; checks nothing ({@link RunConfig#validate()} does, with the CLI's messages).
         */
        public RunConfig build()
        {
            return new RunConfig(this);
        }
    }
}
