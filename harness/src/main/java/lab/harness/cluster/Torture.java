package lab.harness.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.core.Protocols;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimDisks;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.metrics.OperationObserver;
import lab.harness.workload.Workload;

/**
 * A seeded fault schedule on the simulator (TigerBeetle's VOPR, FoundationDB's simulation): one seed picks the
 * network's loss, duplication and reordering, every replica's clock drift, and a sequence of targeted and random
 * faults of the kinds enabled ({@link FaultKind}): crash and restart of the current role holders or any replica,
 * isolation of a replica, and a split that leaves the current leader, primary or tail on the minority side with a
 * client that reads. Never more than a minority is down at once (crashed, cut off, or restarted and not yet caught
 * up: roles "recovering", "empty", "joining"). A safety phase under faults is followed by a liveness phase with every
 * fault healed. Then the recorded history is checked: linearizability for strong modes, stale reads (no
 * acknowledged write lost) for all, and progress after healing. A failure names the seed and the one-line command
 * that replays it (every schedule parameter included), and keeps the history (only for failures).
 */
public final class Torture
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String[] TARGET_ROLES = {"primary", "leader", "head", "tail", "middle"};
    /** The roles that answer reads on their own authority (under a lease): the ones a split cuts off. */
    private static final String[] READ_ROLES = {"primary", "leader", "tail"};
    /** Clients of every schedule: one for each side of a split. */
    private static final int CLIENTS = 2;
    /** The protocols' lease drift bounds all hold at 2% (see {@link #maxClockDriftPpm}). */
    public static final long DEFAULT_CLOCK_DRIFT_PPM = 20_000;

    /**
     * The kinds of fault a schedule draws from. Each seed draws its actions uniformly from those enabled, so the
     * set of kinds is part of what a seed means (and of its replay command).
     */
    public enum FaultKind
    {
        /** Crash the current primary, leader, head, tail or middle (or any replica), and restart crashed ones. */
        CRASH,
        /**
         * Cut a replica off from every other node, clients included, and heal. Replicas cut off share one side
         * (with a split's client, if a split is on), so nothing they still believe reaches the majority's client.
         */
        ISOLATE,
        /**
         * Cut the current leader, primary or tail off with one client, which from then on only reads, and leave
         * the rest with the other client; heal. An old role holder that serves reads past the moment the majority
         * replaced it (a lease that outlives its role, e.g. under clock drift beyond the lease's bound) is seen:
         * the majority's client writes, the minority's client reads the old value.
         */
        SPLIT,
        /**
         * Cut a replica's power (its current role holder's, or any): it crashes, and its simulated disk
         * ({@link lab.harness.sim.SimDisk}) loses, or tears, what it wrote and did not sync; restart crashed ones.
         * For the durable modes (Raft's file log with fsync always or batch, quorum's file journal): one that acknowledges before it syncs
         * loses an acknowledged write. For state kept in memory by design this is a crash.
         */
        POWER_CUT,
        /**
         * Cut every replica's power at once (a data centre's outage) and bring them all back: what was acknowledged
         * must be on the disks. The one fault that takes more than a minority down, so the one that tells a durable
         * mode from one that only claims to be (fsync none); no mode that keeps its state in memory survives it.
         */
        OUTAGE,
        /**
         * Make the next fsync of a replica's simulated disk fail: the file loses or tears its unsynced writes and the
         * node crashes and restarts at once from its disk (a failed fsync is fatal: {@link lab.core.storage.DiskFile#sync}).
         */
        SYNC_ERROR,
        /**
         * Make a replica's CPU slow (a gray failure): it handles one message per 1 to 5 ms, in order, until the
         * schedule ends it ({@link lab.harness.sim.SimNetwork#slow}). Timeouts fire, leases run out, retries pile up.
         */
        SLOW,
        /**
         * Pause a replica (a GC pause, SIGSTOP): it neither ticks nor handles messages, keeps its state and sees its
         * clock jump when resumed; what arrived meanwhile is handled then ({@link lab.harness.sim.SimNetwork#pause}).
         * A paused role holder that wakes up must not act on a lease or a role it lost meanwhile.
         */
        PAUSE;

        /**
         * @return the kinds every protocol meets (what {@code lab torture} draws from by default): the disk kinds
         * only say something about a durable mode, and asking for them changes every seed's schedule.
         */
        public static EnumSet<FaultKind> defaults()
        {
            return EnumSet.of(CRASH, ISOLATE, SPLIT);
        }

        public String optionName()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * @param list comma-separated names, e.g. "crash,isolate,split", or "none" (what {@link #format} writes
         *             for no kind: the network's loss, duplication, reordering and clock drift only).
         */
        public static EnumSet<FaultKind> parse(final String list)
        {
            final EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
            for (final String name : list.split(","))
            {
                if (!name.isBlank() && !"none".equals(name.trim()))
                {
                    try
                    {
                        kinds.add(valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException("unknown fault kind '" + name.trim() +
                            "' (known: " + format(EnumSet.allOf(FaultKind.class)).replace(",", ", ") + ")");
                    }
                }
            }
            return kinds;
        }

        public static String format(final Set<FaultKind> kinds)
        {
            final StringBuilder sb = new StringBuilder();
            for (final FaultKind k : kinds)
            {
                sb.append(sb.length() == 0 ? "" : ",").append(k.optionName());
            }
            return sb.length() == 0 ? "none" : sb.toString();
        }
    }

    /** One step of a schedule; a seed draws among those of the enabled fault kinds, in this order. */
    private enum Action
    {
        CRASH, RESTART, ISOLATE, HEAL, SPLIT, POWER_CUT, SYNC_ERROR, OUTAGE, SLOW, PAUSE, RESUME, CONTROL_CRASH,
        CONTROL_RESTART
    }

    /** A replicated control plane's roles: the acting manager, and the acting one with a change not committed. */
    private static final String CONTROL_ACTING = "manager";
    private static final String CONTROL_RECONFIGURING = "reconfiguring";

    /**
     * What one seed did and whether it passed.
     *
     * @param seed     the seed.
     * @param passed   every check held.
     * @param problem  what failed, "" when passed.
     * @param faults   the faults applied, in order.
     * @param operations operations in the history.
     * @param history    the history, kept only for failures.
     * @param traceHash  a hash over every message delivery of the run: equal runs have equal hashes.
     */
    public record Outcome(long seed, boolean passed, String problem, List<String> faults, int operations,
        List<Operation> history, long traceHash)
    {
    }

    private final String protocol;
    private final int replicas;
    private final Map<String, String> options;
    private final long safetyNs;
    private final long livenessNs;
    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private boolean checkAsStrong;
    private long maxDriftPpm = DEFAULT_CLOCK_DRIFT_PPM;
    private EnumSet<FaultKind> faultKinds = FaultKind.defaults();
    private java.nio.file.Path traceDirectory;

    /**
     * Every replica's (and control node's) clock runs fast or slow by up to this much, per seed half of them at
     * exactly plus or minus this much and the others uniform in between: 2% by default, inside the
     * drift bound the protocols' leases are configured for. A lease of {@code timeout - drift} on the holder's clock
     * against a {@code timeout} on the others' stays safe while {@code (1 + ppm) / (1 - ppm) <= timeout /
     * (timeout - drift)}: about 71,000 ppm for the default 150ms/20ms of primary-backup and Raft, 111,000 for
     * chain's 150ms/30ms. More than that is expected to break lease reads (and the split schedule to show it).
     */
    public Torture maxClockDriftPpm(final long ppm)
    {
        this.maxDriftPpm = ppm;
        return this;
    }

    /**
     * @param safetyNs   simulated time under faults.
     * @param livenessNs simulated time with every fault healed, in which operations must complete.
     */
    public Torture(final String protocol, final int replicas, final Map<String, String> options,
        final long safetyNs, final long livenessNs)
    {
        this.protocol = protocol;
        this.replicas = replicas;
        this.options = new TreeMap<>(options);
        this.safetyNs = safetyNs;
        this.livenessNs = livenessNs;
    }

    /**
     * @param kinds the fault kinds this schedule draws from ({@link FaultKind#defaults()} by default).
     */
    /**
     * Checks a weak mode's histories as if it were strong: its violations become failures. The lab book uses it to
     * show the checker catching a mode that does not promise linearizability.
     */
    public Torture checkAsStrong()
    {
        this.checkAsStrong = true;
        return this;
    }

    public Torture faultKinds(final Set<FaultKind> kinds)
    {
        this.faultKinds = kinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(kinds);
        return this;
    }

    /**
     * @return the {@code lab torture} arguments that run exactly this schedule for this one seed: every parameter
     * is spelled out, defaults included, so that a run replays the same whatever the command's defaults become.
     */
    public List<String> replayArguments(final long seed)
    {
        final List<String> args = new ArrayList<>(List.of("torture", "--protocol", protocol,
            "--replicas", Integer.toString(replicas),
            "--faults-for", formatDuration(safetyNs),
            "--liveness", formatDuration(livenessNs),
            "--clock-drift-ppm", Long.toString(maxDriftPpm),
            "--fault-kinds", FaultKind.format(faultKinds),
            "--first-seed", Long.toString(seed), "--seeds", "1"));
        options.forEach((k, v) ->
        {
            args.add("--opt");
            args.add(k + "=" + v);
        });
        return args;
    }

    /**
     * @return a shell command line that replays this seed: {@code bin/lab} and {@link #replayArguments}, quoted.
     */
    public String replayCommand(final long seed)
    {
        final StringBuilder sb = new StringBuilder("bin/lab");
        for (final String arg : replayArguments(seed))
        {
            sb.append(' ').append(arg.matches("[A-Za-z0-9_./:=,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /**
     * @return the duration as {@link lab.core.Durations#parseNs} reads it back to the same nanosecond.
     */
    static String formatDuration(final long ns)
    {
        if (ns % MS == 0)
        {
            return ns / MS + "ms";
        }
        return ns % 1_000 == 0 ? ns / 1_000 + "us" : ns + "ns";
    }

    /**
     * Runs one seed. When it fails and a {@link #traceDirectory} is set, writes the network's last messages and
     * faults, printed, to {@code <protocol>-trace-<seed>.txt} there (see {@link TraceFile}) and adds its path to
     * the outcome's faults.
     */
    public Outcome run(final long seed)
    {
        final SimCluster[] cluster = new SimCluster[1];
        final Outcome outcome = run(seed, Long.MAX_VALUE, cluster);
        return outcome.passed() || traceDirectory == null || cluster[0] == null ? outcome :
            TraceFile.write(this, outcome, cluster[0], traceDirectory);
    }

    /**
     * Writes each failing seed's trace into this directory (none when null, the default).
     */
    public Torture traceDirectory(final java.nio.file.Path directory)
    {
        this.traceDirectory = directory;
        return this;
    }

    String protocol()
    {
        return protocol;
    }

    /**
     * @param traceStopNs the network's trace records nothing after this time (a replay for {@link TraceFile}).
     * @param built       receives the cluster the run builds.
     */
    Outcome run(final long seed, final long traceStopNs, final SimCluster[] built)
    {
        final Random schedule = new Random(SimNetwork.deriveSeed(seed, 77));
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder recorder = new HistoryRecorder();
        final OperationObserver observer = OperationObserver.both(detector, recorder);
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport("sim");
        config.clients(CLIENTS);
        config.outstanding(2);
        config.seed(seed);
        config.workload(new Workload(0.5, 8, "uniform", 0.99, 16));
        config.opTimeoutNs(400 * MS);
        config.options().putAll(options);
        config.observers(i -> observer);
        // The simulator's disks: a durable mode's files survive a crash, and lose what was not synced in a power cut,
        // a torn write followed by garbage up to a sector (the Raft log's record checksums must cut it).
        config.disks(new SimDisks(seed, true));
        config.sim().loss(0.01 + schedule.nextDouble() * 0.09)
            .duplication(schedule.nextDouble() * 0.03)
            .reordering(schedule.nextDouble() * 0.1, 2 * MS);
        final SimCluster cluster = new SimCluster(config.build());
        cluster.network().trace().stopAt(traceStopNs);
        built[0] = cluster;
        final List<String> faults = new ArrayList<>();
        faults.add(String.format("loss %.3f dup %.3f reorder %.3f", config.sim().lossRate, config.sim().duplicateRate,
            config.sim().reorderRate));
        final StringBuilder drifts = new StringBuilder("clock drift ppm:");
        // Replicas and control nodes (a chain's manager times its members out on its own clock); clients'
        // clocks time nothing a protocol's safety rests on.
        for (int i = 0; i < cluster.clientNode(0); i++)
        {
            // Half the clocks sit at the very edge, fast or slow: a lease breaks, if at all, where the holder's
            // clock is slowest and the others' fastest, which uniform draws alone would rarely combine.
            final double where = schedule.nextDouble() * 2 - 1;
            final double edge = schedule.nextBoolean() ? Math.signum(where) : where;
            final long ppm = maxDriftPpm == 0 ? 0 : (long)(edge * maxDriftPpm);
            cluster.network().clockDrift(i, ppm);
            drifts.append(i == replicas ? " | control " : " ").append(ppm);
        }
        faults.add(drifts.toString());
        // A replicated control plane (more than one control node, e.g. chain-manager=raft) is crashed and restarted
        // too, a minority of it at a time; a single control node is not: its crash stops every repair by design.
        final int controls = cluster.controlNodes() > 1 ? cluster.controlNodes() : 0;
        final boolean[] controlCrashed = new boolean[controls];
        final List<Action> actions = actions(controls > 0);
        // A minority, or more where the protocol tolerates more (pb-views=config-service: all but one replica).
        final int maxDown = cluster.replicaFailuresTolerated();
        final boolean[] crashed = new boolean[replicas];
        // Replicas on the minority side of the partition (isolated, or the role holder a split cut off).
        final boolean[] cutOff = new boolean[replicas];
        // The client a split left with the minority, or -1.
        int minorityClient = -1;
        // Paused replicas count as down (a schedule never stops a majority); slow ones do not.
        final boolean[] paused = new boolean[replicas];
        final boolean[] slowed = new boolean[replicas];
        try
        {
            cluster.runFor(50 * MS);
            if (actions.isEmpty())
            {
                cluster.runUntil(safetyNs); // no fault kind enabled: the safety phase has the network's faults only
            }
            while (cluster.nowNs() < safetyNs)
            {
                cluster.runFor((20 + schedule.nextInt(200)) * MS);
                // A restarted replica without a disk has lost its state until it catches up: it counts as down,
                // so the schedule never takes the state of a majority away (what no diskless protocol survives).
                final int down = count(crashed) + count(cutOff) + count(paused) + stateless(cluster, crashed);
                final Action action = actions.get(schedule.nextInt(actions.size()));
                if ((action == Action.CRASH || action == Action.POWER_CUT) && down < maxDown)
                {
                    int target = cluster.findRole(TARGET_ROLES[schedule.nextInt(TARGET_ROLES.length)]);
                    if (target < 0 || crashed[target] || cutOff[target])
                    {
                        target = schedule.nextInt(replicas);
                    }
                    if (!crashed[target] && !cutOff[target])
                    {
                        final boolean power = action == Action.POWER_CUT;
                        faults.add(at(cluster) + (power ? "power cut " : "crash ") + target + " (" +
                            cluster.replica(target).role() + ")");
                        if (power)
                        {
                            cluster.powerCut(target);
                        }
                        else
                        {
                            cluster.crash(target);
                        }
                        crashed[target] = true;
                        paused[target] = false; // a crash ends a pause (SimNetwork#crash)
                    }
                }
                else if (action == Action.RESTART && count(crashed) > 0)
                {
                    final int target = pick(crashed, schedule);
                    faults.add(at(cluster) + "restart " + target);
                    cluster.restart(target);
                    crashed[target] = false;
                }
                else if (action == Action.CONTROL_CRASH &&
                    count(controlCrashed) < (controls - 1) / 2)
                {
                    crashControl(cluster, schedule, controlCrashed, faults);
                }
                else if (action == Action.CONTROL_RESTART && count(controlCrashed) > 0)
                {
                    final int target = replicas + pick(controlCrashed, schedule);
                    faults.add(at(cluster) + "restart control " + target);
                    cluster.restart(target);
                    controlCrashed[target - replicas] = false;
                }
                else if (action == Action.OUTAGE)
                {
                    faults.add(at(cluster) + "outage: every replica loses power, and comes back");
                    for (int i = 0; i < replicas; i++)
                    {
                        if (!crashed[i])
                        {
                            cluster.powerCut(i);
                        }
                        paused[i] = false;
                    }
                    for (int i = 0; i < replicas; i++)
                    {
                        if (!crashed[i])
                        {
                            cluster.restart(i);
                        }
                    }
                }
                else if (action == Action.SYNC_ERROR)
                {
                    final int target = schedule.nextInt(replicas);
                    faults.add(at(cluster) + "the next fsync of " + target + " fails");
                    cluster.disks().of(target).failNextSync();
                }
                else if (action == Action.SLOW)
                {
                    final int target = schedule.nextInt(replicas);
                    final long serviceNs = slowed[target] ? 0 : (1 + schedule.nextInt(5)) * MS;
                    faults.add(at(cluster) + (serviceNs == 0 ? "slow " + target + " ends" : "slow " + target + " (" +
                        cluster.replica(target).role() + "): one message per " + serviceNs / MS + " ms"));
                    cluster.network().slow(target, serviceNs);
                    slowed[target] = serviceNs > 0;
                }
                else if (action == Action.PAUSE && down < maxDown)
                {
                    final int target = schedule.nextInt(replicas);
                    if (!crashed[target] && !paused[target])
                    {
                        faults.add(at(cluster) + "pause " + target + " (" + cluster.replica(target).role() + ")");
                        cluster.network().pause(target);
                        paused[target] = true;
                    }
                }
                else if (action == Action.RESUME && count(paused) > 0)
                {
                    final int target = pick(paused, schedule);
                    faults.add(at(cluster) + "resume " + target);
                    cluster.network().resume(target);
                    paused[target] = false;
                }
                else if (action == Action.ISOLATE && down < maxDown)
                {
                    final int target = schedule.nextInt(replicas);
                    if (!crashed[target] && !cutOff[target])
                    {
                        faults.add(at(cluster) + "isolate " + target + " (" + cluster.replica(target).role() + ")");
                        cutOff[target] = true;
                        cluster.network().partition(target);
                    }
                }
                else if (action == Action.HEAL && (count(cutOff) > 0 || minorityClient >= 0))
                {
                    faults.add(at(cluster) + "heal");
                    Arrays.fill(cutOff, false);
                    minorityClient = heal(cluster, minorityClient);
                }
                else if (action == Action.SPLIT && down < maxDown && minorityClient < 0)
                {
                    int target = readRoleHolder(cluster);
                    final int client = schedule.nextInt(CLIENTS);
                    if (target < 0 || crashed[target] || cutOff[target])
                    {
                        target = schedule.nextInt(replicas);
                    }
                    if (!crashed[target] && !cutOff[target])
                    {
                        faults.add(at(cluster) + "split: " + target + " (" + cluster.replica(target).role() +
                            ") with client " + client + " (reads only), the rest with the other client");
                        cutOff[target] = true;
                        minorityClient = client;
                        cluster.clients()[client].readsOnly(true);
                        cluster.network().partition(target, cluster.clientNode(client));
                    }
                }
            }
            // Liveness: everything healed and restarted, a clean network.
            faults.add(at(cluster) + "heal all, restart all, resume all, stop loss");
            heal(cluster, minorityClient);
            for (int i = 0; i < replicas; i++)
            {
                if (paused[i])
                {
                    cluster.network().resume(i);
                }
                if (slowed[i])
                {
                    cluster.network().slow(i, 0);
                }
            }
            for (int i = 0; i < replicas; i++)
            {
                if (crashed[i])
                {
                    cluster.restart(i);
                }
            }
            for (int c = 0; c < controls; c++)
            {
                if (controlCrashed[c])
                {
                    cluster.restart(replicas + c);
                }
            }
            cluster.network().config().loss(0).duplication(0).reordering(0, 0); // the network's own settings
            cluster.runFor(livenessNs / 2);
            final long before = completed(cluster);
            cluster.runFor(livenessNs / 2);
            final long progress = completed(cluster) - before;
            cluster.stopClientsAt(cluster.nowNs());
            cluster.runFor(config.opTimeoutNs() + 10 * MS);

            if (faultKinds.contains(FaultKind.POWER_CUT) || faultKinds.contains(FaultKind.SYNC_ERROR) ||
                faultKinds.contains(FaultKind.OUTAGE))
            {
                faults.add("disks: " + cluster.disks().lostWrites() + " unsynced writes lost or torn, " +
                    cluster.disks().failedSyncs() + " fsync failures (each crashed its node, restarted at once)");
            }
            final long traceHash = cluster.network().traceHash();
            final List<Operation> history = recorder.history();
            final boolean strong = checkAsStrong || protocolFactory().linearizable(settings());
            faults.add(String.format("stale reads: %d of %d (%.3f%%)%s", detector.staleReads(), detector.reads(),
                100 * detector.staleRate(), strong ? "" : " (a weak mode: measured, not a failure)"));
            if (strong && detector.staleReads() > 0)
            {
                return new Outcome(seed, false, "stale reads: " + detector.staleReads() + " of " + detector.reads() +
                    " " + detector.violations(), faults, history.size(), history, traceHash);
            }
            if (strong)
            {
                final CheckResult result = checker.check(history);
                if (result.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE)
                {
                    return new Outcome(seed, false, "not linearizable: " + result.explanation(), faults,
                        history.size(), history, traceHash);
                }
            }
            if (progress == 0)
            {
                return new Outcome(seed, false, "no operation completed in the liveness phase (all faults healed)",
                    faults, history.size(), history, traceHash);
            }
            return new Outcome(seed, true, "", faults, history.size(), List.of(), traceHash);
        }
        catch (final RuntimeException ex)
        {
            return new Outcome(seed, false, "exception: " + ex, faults, 0, List.of(), cluster.network().traceHash());
        }
    }

    /**
     * Crashes a control node: half the time the acting one at the moment it has a change proposed and not yet
     * committed (the cluster runs on, 100 us at a time for up to 400 ms, until one has: a commit takes about a round
     * trip), else the acting one or any.
     */
    private void crashControl(final SimCluster cluster, final Random schedule, final boolean[] controlCrashed,
        final List<String> faults)
    {
        int target = -1;
        String when = "";
        if (schedule.nextBoolean())
        {
            for (int waited = 0; waited < 4000 && target < 0; waited++)
            {
                cluster.runFor(MS / 10);
                target = cluster.findControlRole(CONTROL_RECONFIGURING);
            }
            when = target >= 0 ? " mid-reconfiguration" : "";
        }
        if (target < 0)
        {
            target = cluster.findControlRole(CONTROL_ACTING);
            if (target < 0 || schedule.nextInt(4) == 0)
            {
                target = replicas + schedule.nextInt(controlCrashed.length);
            }
        }
        if (!controlCrashed[target - replicas])
        {
            faults.add(at(cluster) + "crash control " + target + " (" + cluster.replica(target).role() + ")" + when);
            cluster.crash(target);
            controlCrashed[target - replicas] = true;
        }
    }

    private List<Action> actions(final boolean controlPlane)
    {
        final List<Action> actions = new ArrayList<>();
        if (faultKinds.contains(FaultKind.CRASH))
        {
            actions.add(Action.CRASH);
            actions.add(Action.RESTART);
            if (controlPlane)
            {
                actions.add(Action.CONTROL_CRASH);
                actions.add(Action.CONTROL_RESTART);
            }
        }
        if (faultKinds.contains(FaultKind.ISOLATE))
        {
            actions.add(Action.ISOLATE);
        }
        if (faultKinds.contains(FaultKind.ISOLATE) || faultKinds.contains(FaultKind.SPLIT))
        {
            actions.add(Action.HEAL);
        }
        if (faultKinds.contains(FaultKind.SPLIT))
        {
            actions.add(Action.SPLIT);
        }
        if (faultKinds.contains(FaultKind.POWER_CUT))
        {
            actions.add(Action.POWER_CUT);
            if (!faultKinds.contains(FaultKind.CRASH))
            {
                actions.add(Action.RESTART);
            }
        }
        if (faultKinds.contains(FaultKind.SYNC_ERROR))
        {
            actions.add(Action.SYNC_ERROR);
        }
        if (faultKinds.contains(FaultKind.OUTAGE))
        {
            actions.add(Action.OUTAGE);
        }
        if (faultKinds.contains(FaultKind.SLOW))
        {
            actions.add(Action.SLOW);
        }
        if (faultKinds.contains(FaultKind.PAUSE))
        {
            actions.add(Action.PAUSE);
            actions.add(Action.RESUME);
        }
        return actions;
    }

    /**
     * Heals every partition and lets the minority's client write again.
     *
     * @return -1: no client is on a minority side any more.
     */
    private static int heal(final SimCluster cluster, final int minorityClient)
    {
        cluster.network().heal();
        if (minorityClient >= 0)
        {
            cluster.clients()[minorityClient].readsOnly(false);
        }
        return -1;
    }

    private static int readRoleHolder(final SimCluster cluster)
    {
        for (final String role : READ_ROLES)
        {
            final int node = cluster.findRole(role);
            if (node >= 0)
            {
                return node;
            }
        }
        return -1;
    }

    private ProtocolFactory protocolFactory()
    {
        return Protocols.byName(protocol);
    }

    private ProtocolSettings settings()
    {
        return new ProtocolSettings(replicas, 2, 2, options);
    }

    private static String at(final SimCluster cluster)
    {
        return String.format("t=%.3fs ", cluster.nowNs() / 1e9);
    }

    private static long completed(final SimCluster cluster)
    {
        long total = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            total += c.completed();
        }
        return total;
    }

    private static int stateless(final SimCluster cluster, final boolean[] crashed)
    {
        int n = 0;
        for (int i = 0; i < crashed.length; i++)
        {
            if (!crashed[i])
            {
                n += cluster.replica(i).role().caughtUp() ? 0 : 1;
            }
        }
        return n;
    }

    private static int count(final boolean[] flags)
    {
        int n = 0;
        for (final boolean f : flags)
        {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static int pick(final boolean[] flags, final Random random)
    {
        int choice = random.nextInt(count(flags));
        for (int i = 0; i < flags.length; i++)
        {
            if (flags[i] && choice-- == 0)
            {
                return i;
            }
        }
        throw new IllegalStateException();
    }
}
