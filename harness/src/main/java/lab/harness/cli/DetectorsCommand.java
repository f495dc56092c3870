package lab.harness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import lab.core.Durations;
import lab.core.ProtocolSettings;
import lab.core.detect.DetectorSettings;
import lab.core.detect.FailureDetector;
import lab.harness.detect.AeronHeartbeatBench;
import lab.harness.detect.DetectorPoint;
import lab.harness.detect.HeartbeatBench;
import lab.harness.detect.HeartbeatRecording;
import lab.harness.detect.NetworkConditions;
import lab.harness.detect.PoissonInterval;
import lab.harness.detect.SimFailover;
import lab.harness.detect.SwimBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab detectors}: the failure detectors' trade-off between detection time and mistakes, measured on a seeded
 * simulation of heartbeats under jitter, loss and GC-like pauses, with real crashes, or ({@code --transport ipc})
 * on real heartbeats over Aeron in this process ({@link AeronHeartbeatBench}). For each detector and each
 * value of its main parameter: detection time after a crash (p50, p99) and false suspicions per hour of healthy
 * running. With {@code --opt failure-detector=...} (and the detector's options, as a protocol takes them) it
 * measures that one configuration instead of the sweep.
 */
@Command(name = "detectors", mixinStandardHelpOptions = true,
    description = "Failure detectors (timeout, phi accrual, SWIM) on a simulated network (or over Aeron IPC in " +
        "one process, --transport ipc) with jitter, loss, pauses " +
        "and crashes: detection time (p50, p99) against false suspicions per hour.")
public final class DetectorsCommand implements Callable<Integer>
{
    @Option(names = "--transport", defaultValue = "sim", description = "sim: a seeded simulation (exact, fast); " +
        "ipc: real heartbeats between two threads over an embedded Aeron media driver in this process, through the " +
        "link emulator, on the real clock (as long as --healthy and the crashes take; no SWIM) (default " +
        "${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--detectors", split = ",",
        description = "detectors swept (default timeout,phi,swim; with --transport ipc timeout,phi)")
    List<String> detectors;

    @Option(names = "--timeouts", split = ",", defaultValue = "20ms,30ms,50ms,100ms,150ms,250ms",
        description = "fd-timeout values of the timeout detector (default ${DEFAULT-VALUE})")
    List<String> timeouts;

    @Option(names = "--phi-thresholds", split = ",", defaultValue = "1,2,4,8,12,16",
        description = "phi-threshold values (default ${DEFAULT-VALUE})")
    List<String> phiThresholds;

    @Option(names = "--swim-suspicions", split = ",", defaultValue = "20ms,50ms,100ms,200ms,500ms",
        description = "SWIM suspicion timeouts (default ${DEFAULT-VALUE})")
    List<String> swimSuspicions;

    @Option(names = "--heartbeat-interval", defaultValue = "10ms", description = "default ${DEFAULT-VALUE}")
    String heartbeatInterval;

    @Option(names = "--delay", defaultValue = "1ms", description = "one-way delay (default ${DEFAULT-VALUE})")
    String delay;

    @Option(names = "--jitter", defaultValue = "2ms",
        description = "mean of the exponential jitter added to each message (default ${DEFAULT-VALUE})")
    String jitter;

    @Option(names = "--loss", defaultValue = "0.01", description = "message loss in [0, 1) (default ${DEFAULT-VALUE})")
    double loss;

    @Option(names = "--pause-every", defaultValue = "30s",
        description = "mean time between a process's GC-like pauses (default ${DEFAULT-VALUE})")
    String pauseEvery;

    @Option(names = "--pause-min", defaultValue = "20ms", description = "default ${DEFAULT-VALUE}")
    String pauseMin;

    @Option(names = "--pause-max", defaultValue = "200ms", description = "default ${DEFAULT-VALUE}")
    String pauseMax;

    @Option(names = "--fd-window", defaultValue = DetectorSettings.DEFAULT_WINDOW,
        description = "phi: inter-arrival samples kept (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--fd-min-std-dev", defaultValue = DetectorSettings.DEFAULT_MIN_STD_DEV,
        description = "phi: minimum standard deviation (default ${DEFAULT-VALUE})")
    String minStdDev;

    @Option(names = "--fd-pause", defaultValue = DetectorSettings.DEFAULT_PAUSE,
        description = "phi: acceptable heartbeat pause added to the mean (default ${DEFAULT-VALUE})")
    String fdPause;

    @Option(names = "--members", defaultValue = "5", description = "SWIM group size (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--swim-period", defaultValue = "20ms", description = "SWIM protocol period (default " +
        "${DEFAULT-VALUE})")
    String swimPeriod;

    @Option(names = "--swim-ping-timeout", defaultValue = "8ms", description = "default ${DEFAULT-VALUE}")
    String swimPingTimeout;

    @Option(names = "--swim-k", defaultValue = "3", description = "SWIM indirect probes (default ${DEFAULT-VALUE})")
    int swimK;

    @Option(names = "--healthy", description = "healthy time per point, over which false suspicions are counted " +
        "(default 60m simulated; with --transport ipc 60s real, at most " + IPC_MAX + " in all)")
    String healthy;

    @Option(names = "--crashes", description = "crash trials per point (default 500; with --transport ipc 30)")
    Integer crashes;

    @Option(names = "--warmup", description = "time before each crash, to fill the detector's window (default 2s; " +
        "with --transport ipc 1s)")
    String warmup;

    @Option(names = "--seed", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--opt", description = "measure one configuration as a protocol reads it: " +
        "failure-detector=timeout|phi|swim, fd-timeout, phi-threshold, fd-window, fd-min-std-dev, fd-pause " +
        "(repeatable; replaces the sweep)")
    Map<String, String> opts = new LinkedHashMap<>();

    @Option(names = "--failover", description = "instead of the trade-off: each protocol's failover time (write " +
        "unavailability after its primary, head or leader crashes at 3 s) with each --failover-detector, over " +
        "--failover-seeds seeds of the simulator (exact)")
    boolean failover;

    @Option(names = "--failover-detector", description = "with --failover: a detector configuration as protocol " +
        "options k=v;k=v (repeatable; default: failure-detector=timeout and failure-detector=phi)")
    List<String> failoverDetectors;

    @Option(names = "--failover-seeds", defaultValue = "10", description = "with --failover: seeds per protocol " +
        "and detector (default ${DEFAULT-VALUE})")
    int failoverSeeds;

    @Option(names = "--protocols", split = ",", defaultValue = "primary-backup,chain,raft",
        description = "with --failover: the protocols (default ${DEFAULT-VALUE})")
    List<String> protocols;

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Option(names = "--out", description = "folder to write detectors.json and detectors.txt into (for lab report)")
    Path out;

    /** A point to measure, built and checked before any is measured. */
    private record Plan(String detector, String parameter, Supplier<FailureDetector> heartbeat, SwimBench.Swim swim)
    {
    }

    /** The longest a {@code --transport ipc} run may take: it runs in real time. */
    static final String IPC_MAX = "60m";

    public Integer call()
    {
        if (!"sim".equals(transport) && !"ipc".equals(transport))
        {
            throw new IllegalArgumentException("--transport takes sim or ipc, got '" + transport + "'");
        }
        final boolean ipc = "ipc".equals(transport);
        if (failover)
        {
            if (ipc)
            {
                throw new IllegalArgumentException("--failover runs on the simulator (exact); drop --transport ipc");
            }
            return failover();
        }
        if (detectors == null)
        {
            detectors = ipc ? List.of("timeout", "phi") : List.of("timeout", "phi", "swim");
        }
        healthy = healthy != null ? healthy : ipc ? "60s" : "60m";
        crashes = crashes != null ? crashes : ipc ? 30 : 500;
        warmup = warmup != null ? warmup : ipc ? "1s" : "2s";
        final NetworkConditions conditions = new NetworkConditions(ns("--heartbeat-interval", heartbeatInterval),
            ns("--delay", delay), ns("--jitter", jitter), loss, ns("--pause-every", pauseEvery),
            ns("--pause-min", pauseMin), ns("--pause-max", pauseMax));
        final long healthyNs = ns("--healthy", healthy);
        final long warmupNs = ns("--warmup", warmup);
        if (healthyNs <= 0 || warmupNs < 0)
        {
            throw new IllegalArgumentException("--healthy must be > 0 and --warmup >= 0");
        }
        if (crashes < 1)
        {
            throw new IllegalArgumentException("--crashes must be >= 1, got " + crashes);
        }
        if (out != null)
        {
            OutputPaths.checkFolder(out.toFile(), "--out");
        }
        final List<Plan> plans = opts.isEmpty() ? sweep(conditions) : List.of(one(conditions));
        if (ipc)
        {
            for (final Plan p : plans)
            {
                if (p.swim() != null)
                {
                    throw new IllegalArgumentException("swim runs in the simulation only (--transport sim): over " +
                        "Aeron the bench carries one heartbeat stream, not SWIM's probes");
                }
            }
            final long expectedNs = AeronHeartbeatBench.expectedNs(conditions, healthyNs, warmupNs, crashes);
            if (expectedNs > Durations.parseNs(IPC_MAX))
            {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--transport ipc runs in real time: " +
                    "--healthy %s and %d crashes of --warmup %s would take %.0f s, more than %s", healthy, crashes,
                    warmup, expectedNs / 1e9, IPC_MAX));
            }
        }

        final List<DetectorPoint> points = new ArrayList<>();
        if (ipc)
        {
            // one real recording, every detector evaluated on it (as every simulated point gets the same seed)
            final HeartbeatRecording recording =
                AeronHeartbeatBench.record(conditions, healthyNs, warmupNs, crashes, seed);
            for (final Plan p : plans)
            {
                points.add(HeartbeatBench.measure(p.detector(), p.parameter(), p.heartbeat(), recording));
            }
        }
        for (int i = 0; !ipc && i < plans.size(); i++)
        {
            final Plan p = plans.get(i);
            // the same seed for every point: each meets the same jitter, losses, pauses and crash times, so
            // points differ by their detector only (common random numbers)
            final long pointSeed = seed;
            points.add(p.swim() == null ?
                HeartbeatBench.measure(p.detector(), p.parameter(), p.heartbeat(), conditions, healthyNs, warmupNs,
                    crashes, pointSeed) :
                SwimBench.measure(p.parameter(), p.swim(), conditions, healthyNs, warmupNs, crashes, pointSeed));
        }
        final Map<String, Object> doc = document(conditions, healthyNs, warmupNs, points);
        final String text = text(conditions, healthyNs, points);
        final String jsonText = toJson(doc);
        System.out.print(json ? jsonText : text);
        if (out != null)
        {
            write(out.resolve("detectors.json"), jsonText);
            write(out.resolve("detectors.txt"), text);
            if (!json)
            {
                System.out.println("written: " + out.resolve("detectors.json") + ", " + out.resolve("detectors.txt"));
            }
        }
        return 0;
    }

    /**
     * {@code --failover}: every configuration checked against every protocol first, then the runs.
     */
    private int failover()
    {
        if (failoverSeeds < 1)
        {
            throw new IllegalArgumentException("--failover-seeds must be >= 1, got " + failoverSeeds);
        }
        if (out != null)
        {
            OutputPaths.checkFolder(out.toFile(), "--out");
        }
        final List<String> configs = failoverDetectors == null ?
            List.of("failure-detector=timeout", "failure-detector=phi") : failoverDetectors;
        final List<Map<String, String>> parsed = new ArrayList<>();
        for (final String c : configs)
        {
            final Map<String, String> o = new LinkedHashMap<>();
            for (final String kv : c.split(";"))
            {
                final int eq = kv.indexOf('=');
                if (eq <= 0)
                {
                    throw new IllegalArgumentException("--failover-detector takes k=v;k=v, got '" + c + "'");
                }
                o.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            parsed.add(o);
        }
        final List<SimFailover.Subject> subjects = new ArrayList<>();
        for (final String p : protocols)
        {
            final SimFailover.Subject subject = SimFailover.SUBJECTS.stream()
                .filter(s -> s.protocol().equals(p.trim())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--protocols takes primary-backup, chain and raft (the ones with " +
                        "a role to crash and a detector), got '" + p.trim() + "'"));
            subjects.add(subject);
            for (final Map<String, String> o : parsed)
            {
                SimFailover.validate(subject, o);
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "SIMULATED failover (lab run --transport sim defaults, crash at %.0f s, " +
            "seeds %d..%d): write unavailability, ms%n", SimFailover.CRASH_AT_NS / 1e9, seed, seed + failoverSeeds - 1));
        sb.append(String.format(Locale.ROOT, "%-15s %-7s %-60s %8s %8s %8s%n", "protocol", "crashed", "detector",
            "median", "min", "max"));
        System.out.print(sb);
        for (final SimFailover.Subject subject : subjects)
        {
            for (int i = 0; i < parsed.size(); i++)
            {
                final double[] ms = SimFailover.outagesMs(subject, parsed.get(i), seed, failoverSeeds);
                final double median = ms.length % 2 == 1 ? ms[ms.length / 2] :
                    (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
                final String row = String.format(Locale.ROOT, "%-15s %-7s %-60s %8.1f %8.1f %8.1f%n",
                    subject.protocol(), subject.role(), configs.get(i), median, ms[0], ms[ms.length - 1]);
                sb.append(row);
                System.out.print(row);
            }
        }
        if (out != null)
        {
            write(out.resolve("failover.txt"), sb.toString());
            System.out.println("written: " + out.resolve("failover.txt"));
        }
        return 0;
    }

    private List<Plan> sweep(final NetworkConditions conditions)
    {
        final List<Plan> plans = new ArrayList<>();
        for (final String d : detectors)
        {
            switch (d.trim())
            {
                case "timeout" ->
                {
                    for (final String t : timeouts)
                    {
                        final DetectorSettings s = settings(Map.of(DetectorSettings.DETECTOR, "timeout",
                            DetectorSettings.TIMEOUT, t.trim()), conditions);
                        plans.add(new Plan("timeout", "fd-timeout=" + t.trim(), () -> s.newDetector(1, "detectors"),
                            null));
                    }
                }
                case "phi" ->
                {
                    for (final String t : phiThresholds)
                    {
                        final DetectorSettings s = settings(phiOptions(t.trim()), conditions);
                        plans.add(new Plan("phi", "phi-threshold=" + t.trim(), () -> s.newDetector(1, "detectors"),
                            null));
                    }
                }
                case "swim" ->
                {
                    for (final String t : swimSuspicions)
                    {
                        plans.add(new Plan("swim", "swim-suspicion=" + t.trim(), null,
                            swim(ns("--swim-suspicions", t.trim()))));
                    }
                }
                default -> throw new IllegalArgumentException(
                    "--detectors takes timeout, phi and swim, got '" + d.trim() + "'");
            }
        }
        return plans;
    }

    private Map<String, String> phiOptions(final String threshold)
    {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put(DetectorSettings.DETECTOR, "phi");
        o.put(DetectorSettings.PHI_THRESHOLD, threshold);
        o.put(DetectorSettings.WINDOW, Integer.toString(window));
        o.put(DetectorSettings.MIN_STD_DEV, minStdDev);
        o.put(DetectorSettings.PAUSE, fdPause);
        return o;
    }

    private Plan one(final NetworkConditions conditions)
    {
        final DetectorSettings s = settings(opts, conditions);
        if (s.kind() == DetectorSettings.Kind.SWIM)
        {
            return new Plan("swim", "swim-suspicion=" + swimSuspicions.get(0).trim(), null,
                swim(ns("--swim-suspicions", swimSuspicions.get(0).trim())));
        }
        return new Plan(s.kind().optionValue(), s.describe(), () -> s.newDetector(1, "detectors"), null);
    }

    private SwimBench.Swim swim(final long suspicionNs)
    {
        return new SwimBench.Swim(members, ns("--swim-period", swimPeriod), ns("--swim-ping-timeout", swimPingTimeout),
            swimK, suspicionNs);
    }

    /**
     * The detector's settings read as a protocol reads them (the same parser, the same errors), every option
     * given required to be one the detector uses.
     */
    private static DetectorSettings settings(final Map<String, String> options, final NetworkConditions conditions)
    {
        final ProtocolSettings s = new ProtocolSettings(1, 0, 1, options);
        final DetectorSettings settings = DetectorSettings.from(s, "150ms", conditions.heartbeatIntervalNs());
        if (!s.unknownOptions().isEmpty())
        {
            throw new IllegalArgumentException("option(s) " + s.unknownOptions() + " do not apply to failure-detector="
                + settings.kind().optionValue() + " (its options: " + s.knownOptions() + ")");
        }
        return settings;
    }

    private static long ns(final String flag, final String value)
    {
        try
        {
            return Durations.parseNs(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(flag + ": " + ex.getMessage());
        }
    }

    private Map<String, Object> document(final NetworkConditions c, final long healthyNs, final long warmupNs,
        final List<DetectorPoint> points)
    {
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "detectors");
        doc.put("simulated", "sim".equals(transport));
        doc.put("transport", transport);
        final Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("heartbeat_interval_ms", c.heartbeatIntervalNs() / 1e6);
        conditions.put("delay_ms", c.delayNs() / 1e6);
        conditions.put("jitter_mean_ms", c.jitterNs() / 1e6);
        conditions.put("loss", c.loss());
        conditions.put("pause_every_s", c.pauseEveryNs() / 1e9);
        conditions.put("pause_min_ms", c.pauseMinNs() / 1e6);
        conditions.put("pause_max_ms", c.pauseMaxNs() / 1e6);
        doc.put("conditions", conditions);
        final Map<String, Object> method = new LinkedHashMap<>();
        method.put("healthy_hours_per_point", healthyNs / 3.6e12);
        method.put("crashes_per_point", crashes);
        method.put("warmup_s", warmupNs / 1e9);
        method.put("seed", seed);
        method.put("phi", Map.of("fd-window", window, "fd-min-std-dev", minStdDev, "fd-pause", fdPause));
        method.put("swim", Map.of("members", members, "period", swimPeriod, "ping-timeout", swimPingTimeout,
            "k", swimK));
        doc.put("method", method);
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final DetectorPoint p : points)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("detector", p.detector());
            row.put("parameter", p.parameter());
            row.put("detect_p50_ms", p.detectP50Ms());
            row.put("detect_p99_ms", p.detectP99Ms());
            row.put("false_per_hour", p.falsePerHour());
            row.put("false_count", p.falseCount());
            final double[] ci = PoissonInterval.of(p.falseCount());
            row.put("false_per_hour_ci95", List.of(ci[0] / p.healthyHours(), ci[1] / p.healthyHours()));
            row.put("refuted_per_hour", Double.isNaN(p.refutedPerHour()) ? null : p.refutedPerHour());
            row.put("messages_per_second", p.messagesPerSecond());
            rows.add(row);
        }
        doc.put("points", rows);
        return doc;
    }

    private String text(final NetworkConditions c, final long healthyNs, final List<DetectorPoint> points)
    {
        final StringBuilder sb = new StringBuilder();
        final boolean ipc = "ipc".equals(transport);
        sb.append(String.format(Locale.ROOT, ipc ?
            "AERON IPC (one process, real clock) heartbeats every %s, link emulator delay %s + uniform jitter (mean " +
                "%s), loss %.3f, sender pauses %s..%s about every %s; %s healthy, %d crashes (every detector on the " +
                "same recording), seed %d%n" :
            "SIMULATED heartbeats every %s, delay %s + exponential jitter (mean %s), loss %.3f, pauses %s..%s about " +
                "every %s; per point %s healthy, %d crashes, seed %d%n",
            heartbeatInterval, delay, jitter, c.loss(), pauseMin, pauseMax, pauseEvery, healthy, crashes, seed));
        sb.append(String.format(Locale.ROOT, "phi: window %d, min std-dev %s, acceptable pause %s", window, minStdDev,
            fdPause)).append(ipc ? String.format(Locale.ROOT, "%n") : String.format(Locale.ROOT,
            "; swim: %d members, period %s, ping timeout %s, k %d%n", members, swimPeriod, swimPingTimeout, swimK));
        sb.append(String.format(Locale.ROOT, "%-8s %-48s %11s %11s %10s %11s %7s%s%n", "detector", "parameter",
            "detect p50", "detect p99", "false/h", "refuted/h", "msgs/s", ipc ? "  false  false/h 95% CI" : ""));
        sb.append(String.format(Locale.ROOT, "%-8s %-48s %11s %11s %10s %11s %7s%s%n", "", "", "ms", "ms", "", "",
            "per peer", ipc ? "  count" : ""));
        for (final DetectorPoint p : points)
        {
            final double[] ci = PoissonInterval.of(p.falseCount());
            sb.append(String.format(Locale.ROOT, "%-8s %-48s %11.1f %11.1f %10.1f %11s %7.0f%s%n", p.detector(),
                p.parameter(), p.detectP50Ms(), p.detectP99Ms(), p.falsePerHour(),
                Double.isNaN(p.refutedPerHour()) ? "-" : String.format(Locale.ROOT, "%.1f", p.refutedPerHour()),
                p.messagesPerSecond(), ipc ? String.format(Locale.ROOT, "  %5d  %.0f..%.0f", p.falseCount(),
                    ci[0] / p.healthyHours(), ci[1] / p.healthyHours()) : ""));
        }
        sb.append("detect: crash to first suspicion (swim: to the first confirmation, what a member acts on). " +
            "false/h: suspicions of a live peer per watched peer per hour (swim: live members confirmed dead; " +
            "refuted/h: suspicions refuted in time). msgs/s: a timeout or phi heartbeat stream to one watcher; " +
            "a swim member's probes, acks and news.\n");
        if (ipc)
        {
            sb.append("ipc: real time, so false/h is the count over the healthy run scaled to an hour; its 95% CI is " +
                "the exact Poisson interval of the count. Detection times are the real arrivals evaluated to 1 us " +
                "(the watcher polls every 50 us).\n");
        }
        return sb.toString();
    }

    private static String toJson(final Map<String, Object> doc)
    {
        try
        {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }
}
