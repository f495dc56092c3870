package lab.harness.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Protocols;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.cluster.Unavailability;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.workload.LoadGenerator;

/**
 * Failover time of a protocol with a given failure detector, on the simulator (exact: one seed, one history): the
 * run's defaults ({@code lab run --transport sim}: 3 replicas, one closed-loop client), the role holder
 * (primary, head, leader) crashed at {@link #CRASH_AT_NS}, and the write unavailability measured as a faulted
 * {@code lab run} measures it ({@link Unavailability}: from the last write before the crash until writes resume at
 * their pace). {@code lab detectors --failover} runs it over seeds for each detector configuration.
 */
public final class SimFailover
{
    public static final long CRASH_AT_NS = TimeUnit.SECONDS.toNanos(3);
    /** Time after the crash the run goes on: every protocol's failover (at most a few hundred ms) fits. */
    public static final long AFTER_NS = TimeUnit.SECONDS.toNanos(3);

    /**
     * A protocol and the role whose crash forces a failover.
     */
    public record Subject(String protocol, String role)
    {
    }

    public static final List<Subject> SUBJECTS = List.of(new Subject("primary-backup", "primary"),
        new Subject("chain", "head"), new Subject("raft", "leader"));

    /**
     * One run's outcome.
     *
     * @param unavailableMs the write outage around the crash (0: writes went on).
     * @param resumed       false when no write completed after the crash before the run ended.
     */
    public record Outcome(double unavailableMs, boolean resumed)
    {
    }

    private SimFailover()
    {
    }

    /**
     * Checks, before any run, that the protocol takes these options.
     *
     * @throws IllegalArgumentException (one line) otherwise.
     */
    public static void validate(final Subject subject, final Map<String, String> options)
    {
        final ProtocolFactory factory = Protocols.byName(subject.protocol());
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, options);
        factory.validate(settings);
        if (!settings.unknownOptions().isEmpty())
        {
            throw new IllegalArgumentException(subject.protocol() + " does not read option(s) " +
                settings.unknownOptions());
        }
    }

    public static Outcome run(final Subject subject, final Map<String, String> options, final long seed)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(subject.protocol());
        config.transport("sim");
        config.seed(seed);
        config.options().putAll(options);
        final SimCluster cluster = new SimCluster(config.build());
        cluster.runUntil(CRASH_AT_NS);
        final int target = cluster.findRole(subject.role());
        if (target < 0)
        {
            throw new IllegalStateException(subject.protocol() + " seed " + seed + ": no " + subject.role() +
                " at " + CRASH_AT_NS / 1e9 + " s");
        }
        cluster.crash(target);
        final long crashNs = cluster.nowNs();
        final long endNs = crashNs + AFTER_NS;
        cluster.runUntil(endNs);
        final ClosedLoopLoadGenerator[] clients = cluster.clients();
        final List<List<long[]>> gaps = new ArrayList<>();
        final long[] lastWrite = new long[clients.length];
        for (int c = 0; c < clients.length; c++)
        {
            gaps.add(clients[c].writeGaps());
            lastWrite[c] = clients[c].lastWriteDoneNs();
        }
        final Unavailability.Window window =
            Unavailability.around(gaps, lastWrite, LoadGenerator.WRITE_GAP_NS, crashNs, endNs);
        return window == null ? new Outcome(0, true) : new Outcome(window.lengthNs() / 1e6, window.resumed());
    }

    /**
     * @return the outages (ms) of seeds {@code firstSeed ..}, sorted.
     * @throws IllegalStateException when writes never resumed in a seed (a liveness bug, not a figure).
     */
    public static double[] outagesMs(final Subject subject, final Map<String, String> options, final long firstSeed,
        final int seeds)
    {
        final double[] out = new double[seeds];
        for (int i = 0; i < seeds; i++)
        {
            final Outcome o = run(subject, options, firstSeed + i);
            if (!o.resumed())
            {
                throw new IllegalStateException(subject.protocol() + " " + options + " seed " + (firstSeed + i) +
                    ": writes did not resume within " + AFTER_NS / 1e9 + " s of the crash");
            }
            out[i] = o.unavailableMs();
        }
        Arrays.sort(out);
        return out;
    }
}
