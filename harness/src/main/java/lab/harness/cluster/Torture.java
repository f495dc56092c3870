package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.harness.api.Protocols;
import lab.harness.api.ProtocolFactory;
import lab.harness.api.ProtocolSettings;
import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimNetwork;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.OperationObserver;
import lab.harness.workload.Workload;

/**
 * A seeded fault schedule on the simulator (TigerBeetle's VOPR, FoundationDB's simulation): one seed picks the
 * network's loss, duplication and reordering and a sequence of targeted and random faults (crash and restart of the
 * current role holders or any replica, isolation of a replica), never more than a minority down at once (crashed,
 * isolated, or restarted and not yet caught up: roles "recovering", "empty", "joining"). A safety
 * phase under faults is followed by a liveness phase with every fault healed. Then the recorded history is checked:
 * linearizability for strong modes, stale reads (no acknowledged write lost) for all, and progress after healing.
 * A failure names the seed and the one-line command that replays it, and keeps the history (only for failures).
 */
public final class Torture
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String[] TARGET_ROLES = {"primary", "leader", "head", "tail", "middle"};

    /**
     * What one seed did and whether it passed.
     *
     * @param seed     the seed.
     * @param passed   every check held.
     * @param problem  what failed, "" when passed.
     * @param faults   the faults applied, in order.
     * @param operations operations in the history.
     */
    public record Outcome(long seed, boolean passed, String problem, List<String> faults, int operations,
        List<Operation> history)
    {
    }

    private final String protocol;
    private final int replicas;
    private final Map<String, String> options;
    private final long safetyNs;
    private final long livenessNs;
    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private long maxDriftPpm = 20_000;

    /**
     * Every replica's clock runs fast or slow by up to this much (uniform, per seed): 2% by default, inside the
     * drift bound the protocols' leases are configured for. More than their bound is expected to break lease reads.
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

    public String replayCommand(final long seed)
    {
        final StringBuilder sb = new StringBuilder("bin/lab torture --protocol " + protocol + " --replicas " + replicas +
            " --first-seed " + seed + " --seeds 1" + (maxDriftPpm != 20_000 ? " --clock-drift-ppm " + maxDriftPpm : ""));
        options.forEach((k, v) -> sb.append(" --opt ").append(k).append('=').append(v));
        return sb.toString();
    }

    public Outcome run(final long seed)
    {
        final Random schedule = new Random(SimNetwork.deriveSeed(seed, 77));
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder recorder = new HistoryRecorder();
        final OperationObserver observer = OperationObserver.both(detector, recorder);
        final RunConfig config = new RunConfig();
        config.protocol = protocol;
        config.replicas = replicas;
        config.transport = "sim";
        config.clients = 2;
        config.outstanding = 2;
        config.seed = seed;
        config.workload = new Workload(0.5, 8, "uniform", 0.99, 16);
        config.opTimeoutNs = 400 * MS;
        config.options.putAll(options);
        config.observers = i -> observer;
        config.sim.loss(0.01 + schedule.nextDouble() * 0.09)
            .duplication(schedule.nextDouble() * 0.03)
            .reordering(schedule.nextDouble() * 0.1, 2 * MS);
        final SimCluster cluster = new SimCluster(config);
        final List<String> faults = new ArrayList<>();
        faults.add(String.format("loss %.3f dup %.3f reorder %.3f", config.sim.lossRate, config.sim.duplicateRate,
            config.sim.reorderRate));
        final StringBuilder drifts = new StringBuilder("clock drift ppm:");
        for (int i = 0; i < replicas; i++)
        {
            final long ppm = maxDriftPpm == 0 ? 0 : (long)((schedule.nextDouble() * 2 - 1) * maxDriftPpm);
            cluster.network().clockDrift(i, ppm);
            drifts.append(' ').append(ppm);
        }
        faults.add(drifts.toString());
        final int maxDown = (replicas - 1) / 2;
        final boolean[] crashed = new boolean[replicas];
        final boolean[] isolated = new boolean[replicas];
        try
        {
            cluster.runFor(50 * MS);
            while (cluster.nowNs() < safetyNs)
            {
                cluster.runFor((20 + schedule.nextInt(200)) * MS);
                // A restarted replica without a disk has lost its state until it catches up: it counts as down,
                // so the schedule never takes the state of a majority away (what no diskless protocol survives).
                final int down = count(crashed) + count(isolated) + stateless(cluster, crashed);
                final int action = schedule.nextInt(4);
                if (action == 0 && down < maxDown)
                {
                    int target = cluster.findRole(TARGET_ROLES[schedule.nextInt(TARGET_ROLES.length)]);
                    if (target < 0 || crashed[target] || isolated[target])
                    {
                        target = schedule.nextInt(replicas);
                    }
                    if (!crashed[target] && !isolated[target])
                    {
                        faults.add(at(cluster) + "crash " + target + " (" + cluster.replica(target).role() + ")");
                        cluster.crash(target);
                        crashed[target] = true;
                    }
                }
                else if (action == 1 && count(crashed) > 0)
                {
                    final int target = pick(crashed, schedule);
                    faults.add(at(cluster) + "restart " + target);
                    cluster.restart(target);
                    crashed[target] = false;
                }
                else if (action == 2 && down < maxDown)
                {
                    final int target = schedule.nextInt(replicas);
                    if (!crashed[target] && !isolated[target])
                    {
                        faults.add(at(cluster) + "isolate " + target + " (" + cluster.replica(target).role() + ")");
                        isolated[target] = true;
                        cluster.network().partition(isolatedNodes(isolated));
                    }
                }
                else if (action == 3 && count(isolated) > 0)
                {
                    faults.add(at(cluster) + "heal");
                    java.util.Arrays.fill(isolated, false);
                    cluster.network().heal();
                }
            }
            // Liveness: everything healed and restarted, a clean network.
            faults.add(at(cluster) + "heal all, restart all, stop loss");
            cluster.network().heal();
            for (int i = 0; i < replicas; i++)
            {
                if (crashed[i])
                {
                    cluster.restart(i);
                }
            }
            config.sim.loss(0).duplication(0).reordering(0, 0);
            cluster.runFor(livenessNs / 2);
            final long before = completed(cluster);
            cluster.runFor(livenessNs / 2);
            final long progress = completed(cluster) - before;
            cluster.stopClientsAt(cluster.nowNs());
            cluster.runFor(config.opTimeoutNs + 10 * MS);

            final List<Operation> history = recorder.history();
            final boolean strong = protocolFactory().linearizable(settings());
            faults.add(String.format("stale reads: %d of %d (%.3f%%)%s", detector.staleReads(), detector.reads(),
                100 * detector.staleRate(), strong ? "" : " (a weak mode: measured, not a failure)"));
            if (strong && detector.staleReads() > 0)
            {
                return new Outcome(seed, false, "stale reads: " + detector.staleReads() + " of " + detector.reads() +
                    " " + detector.violations(), faults, history.size(), history);
            }
            if (strong)
            {
                final CheckResult result = checker.check(history);
                if (result.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE)
                {
                    return new Outcome(seed, false, "not linearizable: " + result.explanation(), faults,
                        history.size(), history);
                }
            }
            if (progress == 0)
            {
                return new Outcome(seed, false, "no operation completed in the liveness phase (all faults healed)",
                    faults, history.size(), history);
            }
            return new Outcome(seed, true, "", faults, history.size(), List.of());
        }
        catch (final RuntimeException ex)
        {
            return new Outcome(seed, false, "exception: " + ex, faults, 0, List.of());
        }
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
                final String role = cluster.replica(i).role();
                n += "recovering".equals(role) || "empty".equals(role) || "joining".equals(role) ? 1 : 0;
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

    private static int[] isolatedNodes(final boolean[] isolated)
    {
        final int[] nodes = new int[count(isolated)];
        int j = 0;
        for (int i = 0; i < isolated.length; i++)
        {
            if (isolated[i])
            {
                nodes[j++] = i;
            }
        }
        return nodes;
    }
}
