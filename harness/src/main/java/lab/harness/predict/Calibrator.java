package lab.harness.predict;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;
import lab.harness.report.Environment;
import lab.harness.workload.Workload;

/**
 * Measures this machine for {@link Calibration}: for each protocol (and option variant), a few short real runs in one
 * process over Aeron IPC (all node agents on one thread, one client with one operation in flight, 50% reads), and
 * from each run's per-node accounting the busy time per message received by role; an echo run gives the transport's
 * own cost per message.
 */
public final class Calibrator
{
    /**
     * How long each run measures, its warm-up, and how many runs per target.
     *
     * @param saturationClients clients of one more run for the demand fit, with the loaded run's operations in flight
     *                          spread over them (2 x 16 for 32): the shape of the shared-core saturation check, whose
     *                          cycles and messages per operation lie outside what one client reaches, so the fit
     *                          covers the load it predicts instead of extrapolating to it; 1 for no such run.
     */
    public record Method(long durationNs, long warmupNs, int repeats, int replicas, int loadedOutstanding,
        int saturationClients, List<Double> mixReadRatios)
    {
        public Method(final long durationNs, final long warmupNs, final int repeats, final int replicas,
            final int loadedOutstanding)
        {
            this(durationNs, warmupNs, repeats, replicas, loadedOutstanding, 1);
        }

        public Method(final long durationNs, final long warmupNs, final int repeats, final int replicas,
            final int loadedOutstanding, final int saturationClients)
        {
            this(durationNs, warmupNs, repeats, replicas, loadedOutstanding, saturationClients, List.of());
        }

        public Method
        {
            if (saturationClients < 1)
            {
                throw new IllegalArgumentException("--saturation-clients must be >= 1, got " + saturationClients);
            }
            for (final double r : mixReadRatios)
            {
                if (!(r >= 0 && r <= 1))
                {
                    throw new IllegalArgumentException("--mix-read-ratios must be between 0 and 1, got " + r);
                }
            }
            mixReadRatios = List.copyOf(mixReadRatios);
        }

        /**
         * @return operations in flight per client of the saturation run, or 0 when there is none.
         */
        public int saturationOutstanding()
        {
            return saturationClients > 1 ? Math.max(1, loadedOutstanding / saturationClients) : 0;
        }

        /**
         * @return operations in flight of a third run between low load and loaded (the geometric middle), so the
         * load-dependent demand is fitted to three loads; 1 (no such run) when the loaded run has 4 or fewer.
         */
        public int middleOutstanding()
        {
            return loadedOutstanding > 4 ? (int)Math.round(Math.sqrt(loadedOutstanding)) : 1;
        }

        Map<String, Object> toJson()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", "in-process Aeron IPC, all node agents on one thread, 50% reads, uniform keys, 64-byte " +
                "values; low load: 1 client x 1 outstanding; loaded: 1 client x " + loadedOutstanding +
                (middleOutstanding() > 1 ? "; between them, for the demand fit only: 1 client x " +
                    middleOutstanding() : "") + (saturationOutstanding() > 0 ? "; at saturation, for the demand " +
                    "fit only: " + saturationClients + " clients x " + saturationOutstanding() : ""));
            m.put("demand_fit", "per role, over every run at every load: CPU demand = c x duty cycles + a x " +
                "messages handled (in + out) + b x bytes handled, least squares on the error per message, coefficients " +
                ">= 0 (a term the runs cannot separate is left out); a prediction draws c + a + b x bytes for a " +
                "message that starts a cycle, a + b x bytes for one that joins a busy CPU, plus a and b for the " +
                "node's sends per message received (its running ratio)");
            if (!mixReadRatios.isEmpty())
            {
                m.put("by_type_fit", "per role, over every run above and runs at read ratios " + mixReadRatios +
                    " (1 client x 1 and 1 client x " + loadedOutstanding + " each), so that the mix of message " +
                    "types varies: CPU demand = c x duty cycles + sum over types t of a_t x messages of type t " +
                    "received + s x messages sent + b x bytes handled, non-negative least squares (Lawson-Hanson) " +
                    "on the error per message; types whose counts follow one another in every run are merged " +
                    "(one a_t, listed under merged); the spread is a_t's standard deviation between repeats");
            }
            m.put("service_time", "CPU demand per message: busy time per node / messages it received x the node " +
                "thread's CPU share in the run (where measured), by role, per run; the mean over runs");
            m.put("replicas", replicas);
            m.put("duration_ms", durationNs / 1_000_000);
            m.put("warmup_ms", warmupNs / 1_000_000);
            m.put("repeats", repeats);
            return m;
        }
    }

    private Calibrator()
    {
    }

    /**
     * @param spec "protocol" or "protocol:key=value,key=value".
     * @return protocol and options.
     */
    public static Map.Entry<String, Map<String, String>> parseTarget(final String spec)
    {
        final int colon = spec.indexOf(':');
        final String protocol = colon < 0 ? spec : spec.substring(0, colon);
        final Map<String, String> options = new TreeMap<>();
        if (colon >= 0)
        {
            for (final String kv : spec.substring(colon + 1).split(","))
            {
                final int eq = kv.indexOf('=');
                if (eq <= 0)
                {
                    throw new IllegalArgumentException("'" + spec + "': options are key=value, got '" + kv + "'");
                }
                options.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return Map.entry(protocol, options);
    }

    public static RunConfig config(final String protocol, final Map<String, String> options, final int replicas,
        final long durationNs, final long warmupNs, final long seed)
    {
        return config(protocol, options, replicas, durationNs, warmupNs, seed, 0.5);
    }

    public static RunConfig config(final String protocol, final Map<String, String> options, final int replicas,
        final long durationNs, final long warmupNs, final long seed, final double readRatio)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport("ipc");
        config.threading("shared");
        config.workload(new Workload(readRatio, 10_000, "uniform", 0.99, 64));
        config.clients(1);
        config.outstanding(1);
        config.durationNs(durationNs);
        config.warmupNs(warmupNs);
        config.seed(seed);
        config.options().putAll(options);
        return config.build();
    }

    public static Calibration measure(final List<String> specs, final Method method, final PrintStream log)
    {
        // Every target is checked before the first run.
        for (final String spec : specs)
        {
            final Map.Entry<String, Map<String, String>> t = parseTarget(spec);
            LabRunner.validate(config(t.getKey(), t.getValue(), method.replicas(), method.durationNs(),
                method.warmupNs(), 1));
        }
        log.println("calibrate: warming up (echo, unrecorded)");
        LabRunner.run(config("echo", Map.of(), 1, method.durationNs() / 2, 0, 1));
        double echoSum = 0;
        for (int i = 0; i < method.repeats(); i++)
        {
            final RunResult echo = LabRunner.run(config("echo", Map.of(), 1, method.durationNs(), method.warmupNs(),
                1 + i));
            echoSum += perRole(echo).getOrDefault("echo", new double[]{0, 0})[0];
        }
        final double transportNs = echoSum / method.repeats();
        log.printf(Locale.ROOT, "calibrate: echo server %.0f ns per message received (the transport's cost + an " +
            "echo)%n", transportNs);
        final Map<String, Calibration.Target> targets = new LinkedHashMap<>();
        for (final String spec : specs)
        {
            final Map.Entry<String, Map<String, String>> t = parseTarget(spec);
            // role -> sum, sum of squares, msgs/op sum, runs; loaded: sum, sum of squares, runs
            final Map<String, double[]> sums = new TreeMap<>();
            // role -> one sample per run at every load, for the load-dependent demand
            final Map<String, List<DemandFit.Sample>> samples = new TreeMap<>();
            // role -> one sample per run, every read ratio, for the demand by message type
            final Map<String, List<TypedDemandFit.Sample>> typed = new TreeMap<>();
            double opsPerSecond = 0;
            for (int i = 0; i < method.repeats(); i++)
            {
                final RunResult r = LabRunner.run(config(t.getKey(), t.getValue(), method.replicas(),
                    method.durationNs(), method.warmupNs(), 1 + i));
                opsPerSecond += r.achievedRate() / method.repeats();
                addSamples(samples, r);
                addTypedSamples(typed, r, i);
                for (final Map.Entry<String, double[]> e : perRole(r).entrySet())
                {
                    final double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[7]);
                    s[0] += e.getValue()[0];
                    s[1] += e.getValue()[0] * e.getValue()[0];
                    s[2] += e.getValue()[1];
                    s[3]++;
                }
                if (method.middleOutstanding() > 1)
                {
                    final RunConfig.Builder middle = config(t.getKey(), t.getValue(), method.replicas(),
                        method.durationNs(), method.warmupNs(), 1 + i).toBuilder();
                    middle.outstanding(method.middleOutstanding());
                    final RunResult middleRun = LabRunner.run(middle.build());
                    addSamples(samples, middleRun);
                    addTypedSamples(typed, middleRun, i);
                }
                if (method.saturationOutstanding() > 0)
                {
                    final RunConfig.Builder saturated = config(t.getKey(), t.getValue(), method.replicas(),
                        method.durationNs(), method.warmupNs(), 1 + i).toBuilder();
                    saturated.clients(method.saturationClients());
                    saturated.outstanding(method.saturationOutstanding());
                    final RunResult saturatedRun = LabRunner.run(saturated.build());
                    addSamples(samples, saturatedRun);
                    addTypedSamples(typed, saturatedRun, i);
                }
                final RunConfig.Builder loaded = config(t.getKey(), t.getValue(), method.replicas(),
                    method.durationNs(), method.warmupNs(), 1 + i).toBuilder();
                loaded.outstanding(method.loadedOutstanding());
                final RunResult loadedRun = LabRunner.run(loaded.build());
                addSamples(samples, loadedRun);
                addTypedSamples(typed, loadedRun, i);
                for (final double reads : method.mixReadRatios())
                {
                    // Other mixes of message types at the low and the loaded load, for the fit by type only.
                    for (final int outstanding : new int[]{1, method.loadedOutstanding()})
                    {
                        final RunConfig.Builder mix = config(t.getKey(), t.getValue(), method.replicas(),
                            method.durationNs(), method.warmupNs(), 1 + i, reads).toBuilder();
                        mix.outstanding(outstanding);
                        addTypedSamples(typed, LabRunner.run(mix.build()), i);
                    }
                }
                for (final Map.Entry<String, double[]> e : perRole(loadedRun).entrySet())
                {
                    final double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[7]);
                    s[4] += e.getValue()[0];
                    s[5] += e.getValue()[0] * e.getValue()[0];
                    s[6]++;
                }
            }
            final Map<String, Calibration.Role> roles = new LinkedHashMap<>();
            for (final Map.Entry<String, double[]> e : sums.entrySet())
            {
                final double[] s = e.getValue();
                if (s[3] == 0)
                {
                    continue; // a role seen only under load (e.g. a node that fell behind): no low-load figure
                }
                final double mean = s[0] / s[3];
                final double loadedMean = s[6] == 0 ? mean : s[4] / s[6];
                roles.put(e.getKey(), new Calibration.Role(mean, sd(s[0], s[1], s[3]), loadedMean,
                    s[6] == 0 ? 0 : sd(s[4], s[5], s[6]), s[2] / s[3], (int)s[3],
                    DemandFit.fit(samples.getOrDefault(e.getKey(), List.of())),
                    method.mixReadRatios().isEmpty() ? null :
                        TypedDemandFit.fit(typed.getOrDefault(e.getKey(), List.of()))));
            }
            final String key = Calibration.key(t.getKey(), t.getValue());
            targets.put(key, new Calibration.Target(key, t.getKey(), t.getValue(), method.replicas(), roles,
                opsPerSecond));
            final StringBuilder line = new StringBuilder();
            roles.forEach((name, role) -> line.append(String.format(Locale.ROOT, " %s %.0f (+-%.0f) / %.0f ns", name,
                role.serviceNs(), role.spreadNs(), role.loadedServiceNs())));
            log.printf(Locale.ROOT, "calibrate: %-22s %8.0f ops/s at 1 x 1; ns per message, low load / loaded:%s%n", key, opsPerSecond, line);
            roles.forEach((name, role) ->
            {
                log.println("calibrate: " + key + " " + name + " demand: " + describe(role.demand()));
                if (role.demand() != null)
                {
                    final StringBuilder runs = new StringBuilder();
                    for (final DemandFit.Sample x : samples.get(name))
                    {
                        runs.append(String.format(Locale.ROOT, " %.0f/%.0f", x.busyNs() / x.messages(),
                            role.demand().demandNs(x.cycles(), x.messages(), x.bytes()) / x.messages()));
                    }
                    log.println("calibrate:   per run, ns per message handled, measured/fitted:" + runs);
                }
                if (role.byType() != null)
                {
                    log.println("calibrate: " + key + " " + name + " by type: " + describe(role.byType()));
                }
            });
        }
        return new Calibration(Environment.capture(), method.toJson(), transportNs, targets, "(measured now)");
    }

    /**
     * @return "c ns/cycle + a ns/msg + b ns/byte (fit error rms x%, max y%, n runs)", or why there is no fit.
     */
    public static String describe(final DemandFit.Fit fit)
    {
        return fit == null ? "no non-negative fit" : String.format(Locale.ROOT,
            "%.0f ns/cycle + %.0f ns/message + %.2f ns/byte handled (fit error rms %.1f%%, max %.1f%%, %d runs)",
            fit.cycleNs(), fit.messageNs(), fit.byteNs(), fit.rmsErrorPct(), fit.maxErrorPct(), fit.samples());
    }

    /**
     * @return "c ns/cycle + s ns/sent + b ns/byte; in: type a_t (+-spread) ...; merged: ..." for the log.
     */
    public static String describe(final TypedDemandFit.Fit fit)
    {
        final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
            "%.0f ns/cycle + %.0f ns/sent + %.2f ns/byte; ns per message in:", fit.cycleNs(), fit.sentNs(),
            fit.byteNs()));
        fit.typeNs().forEach((type, ns) ->
        {
            final double spread = fit.typeSpreadNs().getOrDefault(type, Double.NaN);
            sb.append(String.format(Locale.ROOT, " %s %.0f%s", type, ns,
                Double.isNaN(spread) ? "" : String.format(Locale.ROOT, " (+-%.0f)", spread)));
        });
        for (final List<String> group : fit.merged())
        {
            sb.append("; merged (not separable): ").append(String.join(" + ", group));
        }
        if (!fit.rare().isEmpty())
        {
            sb.append("; too rare to fit: ").append(String.join(", ", fit.rare()));
        }
        return sb.append(String.format(Locale.ROOT, " (fit error rms %.1f%%, max %.1f%%, %d runs)",
            fit.rmsErrorPct(), fit.maxErrorPct(), fit.samples())).toString();
    }

    /**
     * Adds one {@link TypedDemandFit.Sample} per role of the run (its nodes summed).
     */
    static void addTypedSamples(final Map<String, List<TypedDemandFit.Sample>> samples, final RunResult r,
        final int repeat)
    {
        final double share = CapacityModel.of(r, null).cpuShare();
        final double cpu = Double.isNaN(share) ? 1 : share;
        final Map<String, double[]> sums = new TreeMap<>();
        final Map<String, Map<String, Long>> inByType = new TreeMap<>();
        for (final NodeLoad n : r.load().nodes())
        {
            if (!n.busyMeasured() || n.messagesIn() == 0)
            {
                continue;
            }
            final String role = BatchedDemand.roleOf(n);
            final double[] s = sums.computeIfAbsent(role, k -> new double[4]);
            s[0] += n.busyCycles();
            s[1] += n.messagesOut();
            s[2] += n.bytesIn() + n.bytesOut();
            s[3] += cpu * n.busyNs();
            final Map<String, Long> types = inByType.computeIfAbsent(role, k -> new TreeMap<>());
            n.messagesInByType().forEach((type, count) -> types.merge(type, count, Long::sum));
        }
        sums.forEach((role, s) -> samples.computeIfAbsent(role, k -> new java.util.ArrayList<>())
            .add(new TypedDemandFit.Sample(repeat, s[0], inByType.get(role), s[1], s[2], s[3])));
    }

    /**
     * Adds one {@link DemandFit.Sample} per role of the run (its nodes summed): cycles, messages and bytes handled,
     * and busy time x the node thread's CPU share.
     */
    static void addSamples(final Map<String, List<DemandFit.Sample>> samples, final RunResult r)
    {
        final double share = CapacityModel.of(r, null).cpuShare();
        BatchedDemand.addSamples(samples, r.load().nodes(), Double.isNaN(share) ? 1 : share);
    }

    private static double sd(final double sum, final double squares, final double n)
    {
        final double mean = sum / n;
        return n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : 0;
    }

    /**
     * @return per role of a run: {busy ns per message received, messages received per operation}; roles whose nodes
     * received nothing or whose busy time was not measured are left out.
     */
    static Map<String, double[]> perRole(final RunResult r)
    {
        final Map<String, long[]> byRole = new TreeMap<>();
        for (final NodeLoad n : r.load().nodes())
        {
            if (!n.busyMeasured() || n.messagesIn() == 0)
            {
                continue;
            }
            final long[] s = byRole.computeIfAbsent(n.client() ? "client" : n.role(), k -> new long[2]);
            s[0] += n.busyNs();
            s[1] += n.messagesIn();
        }
        final Map<String, double[]> out = new TreeMap<>();
        final long ops = Math.max(1, r.totalOps());
        // Busy time is wall time: where the scheduler took the node thread away, its CPU share says how much.
        final double share = CapacityModel.of(r, null).cpuShare();
        final double cpu = Double.isNaN(share) ? 1 : share;
        byRole.forEach((role, s) -> out.put(role, new double[]{cpu * s[0] / s[1], (double)s[1] / ops}));
        return out;
    }
}
