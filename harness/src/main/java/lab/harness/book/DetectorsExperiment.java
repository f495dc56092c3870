package lab.harness.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.core.Durations;
import lab.core.ProtocolSettings;
import lab.core.detect.DetectorSettings;
import lab.harness.detect.DetectorPoint;
import lab.harness.detect.HeartbeatBench;
import lab.harness.detect.NetworkConditions;
import lab.harness.detect.SwimBench;

/**
 * Failure detection trades detection time against false suspicions: a detector that suspects sooner after the last
 * heartbeat also suspects a live process whose heartbeats were late (jitter, loss, a GC-like pause). Measured with
 * {@code bin/lab detectors}'s engine ({@link HeartbeatBench}, {@link SwimBench}): a seeded simulation of heartbeats
 * under jitter, loss and pauses, with real crashes, exact for its seed.
 */
final class DetectorsExperiment implements Experiment
{
    /** {@code bin/lab detectors}'s defaults: the conditions its table in the README was measured under. */
    static final NetworkConditions CONDITIONS = new NetworkConditions(ms(10), ms(1), ms(2), 0.01,
        TimeUnit.SECONDS.toNanos(30), ms(20), ms(200));
    private static final long WARMUP_NS = TimeUnit.SECONDS.toNanos(2);

    /**
     * A detector and its swept parameter, from the most eager (suspects soonest) to the most patient.
     */
    record Sweep(String detector, String option, List<String> values)
    {
    }

    static final List<Sweep> SWEEPS = List.of(
        new Sweep("timeout", DetectorSettings.TIMEOUT, List.of("20ms", "30ms", "50ms", "100ms", "150ms", "250ms")),
        new Sweep("phi", DetectorSettings.PHI_THRESHOLD, List.of("1", "2", "4", "8", "12", "16")),
        new Sweep("swim", "swim-suspicion", List.of("20ms", "50ms", "100ms", "200ms", "500ms")));

    public String name()
    {
        return "detectors";
    }

    public String topic()
    {
        return "failure detection";
    }

    public String claim()
    {
        return "A failure detector trades detection time against false suspicions: within each detector, a shorter " +
            "timeout (or lower threshold) detects a crash sooner and suspects live processes more often.";
    }

    public String duration(final boolean quick)
    {
        return quick ? "15 s" : "3 min";
    }

    /**
     * @param detector     timeout, phi or swim.
     * @param value        its parameter's value.
     * @param detectP50Ms  median detection time over the repeats' medians.
     * @param falsePerHour false suspicions per hour, median over repeats.
     */
    record Point(String detector, String value, double detectP50Ms, double falsePerHour)
    {
    }

    public ExperimentReport run(final Bench bench) throws Exception
    {
        final long startNs = System.nanoTime();
        final String healthy = bench.quick() ? "10m" : "60m";
        final int crashes = bench.quick() ? 100 : 500;
        final long healthyNs = Durations.parseNs(healthy);
        final Table.Builder table = Table.titled("detection after a crash and false suspicions per hour of healthy " +
            "running (simulated " + healthy + " per point, " + crashes + " crashes)", "detector", "parameter",
            "detection p50 (ms)", "detection p99 (ms)", "false suspicions / h", "SWIM refuted / h", "messages / s");
        final List<Point> points = new ArrayList<>();
        final List<Chart.Series> series = new ArrayList<>();
        for (final Sweep sweep : SWEEPS)
        {
            final List<double[]> curve = new ArrayList<>();
            for (final String value : sweep.values())
            {
                final List<DetectorPoint> repeats = new ArrayList<>();
                for (int i = 0; i < bench.repeats(); i++)
                {
                    // every point of a repeat meets the same jitter, losses, pauses and crash times (common random
                    // numbers, as bin/lab detectors does): points differ by their detector only
                    repeats.add(measure(sweep, value, healthyNs, crashes, bench.seed() + i));
                }
                final Spread p50 = Spread.of(repeats.stream().map(DetectorPoint::detectP50Ms).toList());
                final Spread p99 = Spread.of(repeats.stream().map(DetectorPoint::detectP99Ms).toList());
                final Spread falses = Spread.of(repeats.stream().map(DetectorPoint::falsePerHour).toList());
                final Spread refuted = Spread.of(repeats.stream().map(DetectorPoint::refutedPerHour).toList());
                final Point p = new Point(sweep.detector(), value, p50.median(), falses.median());
                points.add(p);
                curve.add(new double[] {p.detectP50Ms(), p.falsePerHour()});
                table.row(sweep.detector(), sweep.option() + "=" + value, p50.format("%.1f"), p99.format("%.1f"),
                    falses.format("%.1f"), Double.isNaN(refuted.median()) ? "-" : refuted.format("%.1f"),
                    String.format(Locale.ROOT, "%.0f", repeats.get(0).messagesPerSecond()));
                bench.log("%-8s %-22s detection p50 %7.1f ms  false suspicions %7.1f / h", sweep.detector(),
                    sweep.option() + "=" + value, p.detectP50Ms(), p.falsePerHour());
            }
            series.add(new Chart.Series(sweep.detector(), curve, false));
        }
        final Map<String, String> setup = new LinkedHashMap<>();
        setup.put("engine", "bin/lab detectors (simulation, seeded, exact): one watched process, heartbeats every " +
            "10 ms; SWIM: 5 members, 20 ms period, 8 ms ping timeout, 3 indirect probes");
        setup.put("network", "1 ms one-way delay + exponential jitter of mean 2 ms, 1% loss; GC-like pauses of " +
            "20-200 ms about every 30 s per process (Poisson)");
        setup.put("phi", "fd-window " + DetectorSettings.DEFAULT_WINDOW + ", fd-min-std-dev " +
            DetectorSettings.DEFAULT_MIN_STD_DEV + ", fd-pause " + DetectorSettings.DEFAULT_PAUSE);
        setup.put("per point", healthy + " of simulated healthy running (false suspicions) and " + crashes +
            " crashes, each after 2 s of warm-up (detection time), " + bench.repeats() + " repeat(s) with seeds " +
            bench.seed() + ".." + (bench.seed() + bench.repeats() - 1));
        final List<String> commands = new ArrayList<>();
        for (int i = 0; i < bench.repeats(); i++)
        {
            commands.add("bin/lab detectors --healthy " + healthy + " --crashes " + crashes + " --seed " +
                (bench.seed() + i));
        }
        return new ExperimentReport(name(), topic(), claim(), setup,
            "a detector suspects when the silence since the last heartbeat passes its bound (timeout: fixed; phi: a " +
            "bound learned from the inter-arrival times; SWIM: a missed probe plus a suspicion timeout). After a " +
            "crash the silence reaches the bound after about the bound; a live process's silence passes it only " +
            "when a heartbeat is late by as much, which a longer bound makes rarer (a pause longer than the bound " +
            "always does).",
            List.of(table.build()), List.of(new Chart("the trade-off: detection time against false suspicions",
                "detection p50 (ms)", "false suspicions per hour", series)), verdict(points), commands, List.of(
                "A simulation: exact for its seed, no machine noise; phi adapts to jitter but not to rare pauses, " +
                "so the pauses are most of its mistakes. SWIM's 'false suspicions' are live members confirmed dead; " +
                "its suspicions refuted in time are counted apart."),
            (System.nanoTime() - startNs) / 1e9);
    }

    private static DetectorPoint measure(final Sweep sweep, final String value, final long healthyNs,
        final int crashes, final long seed)
    {
        if ("swim".equals(sweep.detector()))
        {
            return SwimBench.measure("swim-suspicion=" + value, new SwimBench.Swim(5, ms(20), ms(8), 3,
                Durations.parseNs(value)), CONDITIONS, healthyNs, WARMUP_NS, crashes, seed);
        }
        final Map<String, String> options = new LinkedHashMap<>();
        options.put(DetectorSettings.DETECTOR, sweep.detector());
        options.put(sweep.option(), value);
        // read as a protocol reads them: the same parser and defaults
        final DetectorSettings settings = DetectorSettings.from(new ProtocolSettings(1, 0, 1, options), "150ms",
            CONDITIONS.heartbeatIntervalNs());
        return HeartbeatBench.measure(sweep.detector(), sweep.option() + "=" + value,
            () -> settings.newDetector(1, "detectors"), CONDITIONS, healthyNs, WARMUP_NS, crashes, seed);
    }

    /**
     * The rule, within each detector, from its most eager parameter to its most patient: the detection p50 never
     * falls and the false suspicions per hour never rise from one point to the next, and between the first and the
     * last point both move (detection strictly later, suspicions strictly fewer). A detector whose sweep shows no
     * movement in one of them cannot show the trade-off (undecided); a step the wrong way does not hold.
     */
    static Finding verdict(final List<Point> points)
    {
        final Map<String, List<Point>> by = new LinkedHashMap<>();
        points.forEach(p -> by.computeIfAbsent(p.detector(), k -> new ArrayList<>()).add(p));
        final List<String> wrong = new ArrayList<>();
        final List<String> flat = new ArrayList<>();
        final StringBuilder seen = new StringBuilder();
        for (final Map.Entry<String, List<Point>> e : by.entrySet())
        {
            final List<Point> ps = e.getValue();
            for (int i = 1; i < ps.size(); i++)
            {
                final Point a = ps.get(i - 1);
                final Point b = ps.get(i);
                if (b.detectP50Ms() < a.detectP50Ms())
                {
                    wrong.add(String.format(Locale.ROOT, "%s %s detected sooner than %s (%.1f < %.1f ms)", e.getKey(),
                        b.value(), a.value(), b.detectP50Ms(), a.detectP50Ms()));
                }
                if (b.falsePerHour() > a.falsePerHour())
                {
                    wrong.add(String.format(Locale.ROOT, "%s %s suspected more than %s (%.1f > %.1f / h)", e.getKey(),
                        b.value(), a.value(), b.falsePerHour(), a.falsePerHour()));
                }
            }
            final Point first = ps.get(0);
            final Point last = ps.get(ps.size() - 1);
            seen.append(seen.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                "%s %s -> %s: detection %.1f -> %.1f ms, false suspicions %.1f -> %.1f / h", e.getKey(),
                first.value(), last.value(), first.detectP50Ms(), last.detectP50Ms(), first.falsePerHour(),
                last.falsePerHour()));
            if (!(last.detectP50Ms() > first.detectP50Ms() && last.falsePerHour() < first.falsePerHour()))
            {
                flat.add(e.getKey());
            }
        }
        if (!wrong.isEmpty())
        {
            return Finding.doesNotHold(String.join("; ", wrong) + " (" + seen + ").");
        }
        if (!flat.isEmpty())
        {
            return Finding.undecided(seen + ": the sweep of " + String.join(", ", flat) + " did not move both " +
                "figures, so it shows no trade-off either way (a longer simulated time counts more mistakes).");
        }
        return Finding.holds(seen + ".");
    }

    private static long ms(final long ms)
    {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
