package lab.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import lab.core.Durations;
import lab.core.ProtocolFactory;
import lab.core.Protocols;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.predict.Calibration;
import lab.harness.predict.Curve;
import lab.harness.predict.LinkProfile;
import lab.harness.predict.PredictedRun;
import lab.harness.predict.SpeedReference;
import lab.harness.predict.Validation;
import lab.harness.report.Environment;
import lab.harness.report.ResultsFolder;
import lab.harness.report.html.HtmlReport;
import lab.harness.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab predict}: latency-throughput curves of clusters this machine cannot host, from the simulator with a
 * calibrated CPU model and a link profile. Every figure is a prediction and is labelled so.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict latency-throughput curves (simulated, calibrated by lab calibrate) for any cluster " +
        "shape; --validate sets predictions beside real runs this machine can do.")
public final class PredictCommand implements Callable<Integer>
{
    @Option(names = "--protocol", defaultValue = "all", description = "a protocol or 'all' (default ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--replicas", split = ",", defaultValue = "3,5,7", description = "default ${DEFAULT-VALUE}")
    List<Integer> replicas;

    @Option(names = "--link", defaultValue = "datacenter", description = "rack | datacenter | regions | a one-way " +
        "delay (200us) | a .json/.toml matrix file (default ${DEFAULT-VALUE})")
    String link;

    @Option(names = "--cores", defaultValue = "1", description = "cores per simulated CPU (default ${DEFAULT-VALUE})")
    int cores;

    @Option(names = "--cpu", defaultValue = "per-node", description = "per-node (a CPU each) | shared (every node " +
        "on one CPU, as the in-process run) (default ${DEFAULT-VALUE})")
    String cpu;

    @Option(names = "--service-cv", defaultValue = "0", description = "per-message spread of service times " +
        "(coefficient of variation, log-normal); 0: each message costs its role's mean (default ${DEFAULT-VALUE})")
    double serviceCv;

    @Option(names = "--calibration", defaultValue = "calibration.json", description = "default ${DEFAULT-VALUE}")
    Path calibrationFile;

    @Option(names = "--rates", split = ",", description = "open-loop total rates, e.g. 10000,50000,100000")
    List<Double> rates;

    @Option(names = "--concurrency", split = ",",
        description = "closed-loop operations in flight per client (default when no --rates: 1,2,4,8,16,32,64)")
    List<Integer> concurrency;

    @Option(names = "--p99-bound", defaultValue = "10ms", description = "saturation: the highest load whose " +
        "achieved rate is >= 95%% of the requested and whose p99 stays under this (default ${DEFAULT-VALUE})")
    String p99Bound;

    @Option(names = "--duration", defaultValue = "1s", description = "simulated time per point (default " +
        "${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "200ms", description = "simulated warm-up per point (default " +
        "${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--workload", description = "YCSB preset a|b|c|d (default: --read-ratio, uniform keys)")
    String ycsb;

    @Option(names = "--read-ratio", defaultValue = "0.5", description = "default ${DEFAULT-VALUE}")
    double readRatio;

    @Option(names = "--keys", defaultValue = "10000", description = "default ${DEFAULT-VALUE}")
    long keys;

    @Option(names = "--value-size", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int valueSize;

    @Option(names = "--clients", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    int clients;

    @Option(names = "--tick", defaultValue = "100us", description = "simulated timer tick of every node; open-loop " +
        "arrivals are released on ticks, so latency from the intended start includes up to one tick (finer is " +
        "closer and slower to simulate) (default ${DEFAULT-VALUE})")
    String tick;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--opt", description = "protocol option key=value (repeatable; must be calibrated)")
    Map<String, String> opts = new LinkedHashMap<>();

    @Option(names = "--results", defaultValue = "results", description = "results root (default ${DEFAULT-VALUE})")
    Path resultsRoot;

    @Option(names = "--measured", split = ",", description = "results folders or run JSON files of measured runs " +
        "(lab sweep, run --json, compare) to draw beside the predictions in the folder's report.html, paired by " +
        "protocol, replicas, link and workload")
    List<Path> measured = new ArrayList<>();

    @Option(names = "--validate", description = "instead: predictions beside real in-process runs (Aeron IPC, " +
        "--link-delay 200us and 1ms, 3 and 5 replicas; shared-thread saturation), with the error")
    boolean validate;

    @Option(names = "--validate-duration", defaultValue = "2s", description = "--validate: measured time per real " +
        "run (default ${DEFAULT-VALUE})")
    String validateDuration;

    @Option(names = "--rounds", defaultValue = "" + SpeedReference.DEFAULT_ROUNDS, description = "--validate: " +
        "rounds of the saturation check, each running every protocol's 1 x 1 speed reference and saturation run in " +
        "turn; the prediction is compared with the median (default ${DEFAULT-VALUE})")
    int rounds;

    public Integer call() throws Exception
    {
        if (rounds < 1)
        {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (cores < 1)
        {
            throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
        }
        if (!"per-node".equals(cpu) && !"shared".equals(cpu))
        {
            throw new IllegalArgumentException("--cpu must be per-node|shared, got '" + cpu + "'");
        }
        for (final Path m : measured)
        {
            if (!java.nio.file.Files.exists(m))
            {
                throw new IllegalArgumentException("--measured: no such file or folder: " + m);
            }
        }
        if (!measured.isEmpty())
        {
            HtmlReport.render(measured); // one line and exit 2 now, not after the predictions, when they hold no runs
        }
        final Calibration calibration = Calibration.read(calibrationFile);
        final List<String> protocols = protocols();
        if (validate)
        {
            for (final String p : protocols)
            {
                calibration.target(p, Map.of());
            }
            return Validation.run(calibration, protocols, Durations.parseNs(validateDuration), rounds, resultsRoot);
        }
        final LinkProfile profile = LinkProfile.parse(link);
        final PredictedRun.Machines machines = new PredictedRun.Machines(profile, cores, "shared".equals(cpu),
            serviceCv);
        final boolean open = rates != null && !rates.isEmpty();
        if (open && concurrency != null && !concurrency.isEmpty())
        {
            throw new IllegalArgumentException("--rates (open loop) and --concurrency (closed loop): give one");
        }
        if (!open && (concurrency == null || concurrency.isEmpty()))
        {
            concurrency = List.of(1, 2, 4, 8, 16, 32, 64);
        }
        final long boundNs = Durations.parseNs(p99Bound);
        final Workload workload = ycsb != null ? Workload.ycsb(ycsb, keys, valueSize) :
            new Workload(readRatio, keys, "uniform", 0.99, valueSize);
        final int points = open ? rates.size() : concurrency.size();
        // Everything is checked before the first point: a bad one fails in a second, not after the others.
        for (final String p : protocols)
        {
            calibration.target(p, opts);
            for (final int n : replicasOf(p))
            {
                profile.checkFits(n);
                for (int i = 0; i < points; i++)
                {
                    LabRunner.validate(config(p, n, i, open, workload));
                }
            }
        }
        final Map<String, Object> environment = Environment.capture();
        final ResultsFolder folder = ResultsFolder.create(resultsRoot, "predict");
        System.out.printf("PREDICTED (a simulation calibrated by %s, measured on %s; not a measurement)%n",
            calibrationFile, calibration.environment().getOrDefault("host", calibration.environment().get("os")));
        System.out.printf("link %s; %s, %d core(s) each; %s; %s simulated + %s warm-up per point%n",
            profile.describe(replicas.get(0)), machines.sharedCpu() ? "one CPU for every node" : "a CPU per node",
            cores, open ? "open-loop rates " + rates : "closed-loop concurrency " + concurrency, duration, warmup);
        System.out.println(Curve.HEADER);
        final StringBuilder text = new StringBuilder(Curve.HEADER).append('\n');
        final StringBuilder saturation = new StringBuilder();
        final List<Object> runs = new ArrayList<>();
        long messages = 0;
        long wallNs = 0;
        for (final String p : protocols)
        {
            final Calibration.Target target = calibration.target(p, opts);
            for (final int n : replicasOf(p))
            {
                final Curve curve = new Curve(p, n, boundNs);
                for (int i = 0; i < points; i++)
                {
                    final RunConfig config = config(p, n, i, open, workload);
                    final PredictedRun.Outcome o = PredictedRun.run(config, target, machines);
                    messages += o.simulatedMessages();
                    wallNs += o.wallNs();
                    final Map<String, Object> prediction = new LinkedHashMap<>(machines.toJson(n));
                    prediction.put("calibration", calibrationFile.toString());
                    prediction.put("calibrated_as", target.key() + ", " + target.replicas() + " replicas");
                    final String load = open ? String.format(Locale.ROOT, "%.0f/s", config.rate) :
                        "c=" + config.outstanding * clients;
                    final String line = curve.add(config, load, o, environment, prediction);
                    System.out.println(line);
                    text.append(line).append('\n');
                }
                // Written once the curve is done: a later point may move its saturation mark.
                for (int i = 0; i < points; i++)
                {
                    folder.writeJson("run-" + p + "-r" + n + "-" + i + ".json", curve.points().get(i));
                }
                runs.addAll(curve.points());
                saturation.append(curve.saturationLine()).append('\n');
            }
        }
        final String speed = String.format(Locale.ROOT, "simulator: %d messages in %.1f s wall, %.0f simulated " +
            "messages per wall-clock second", messages, wallNs / 1e9, messages * 1e9 / Math.max(1, wallNs));
        System.out.print(saturation);
        System.out.println(speed);
        folder.writeText("predict.txt", text + saturation.toString() + speed + "\n");
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("predicted", true);
        summary.put("environment", environment);
        summary.put("calibration_environment", calibration.environment());
        summary.put("p99_bound", p99Bound);
        summary.put("runs", runs);
        folder.writeJson("run.json", summary);
        final List<Path> reportInputs = new ArrayList<>();
        reportInputs.add(folder.dir());
        reportInputs.addAll(measured);
        System.out.println("report: " + HtmlReport.write(reportInputs, folder.dir().resolve("report.html")));
        System.out.println("results: " + folder.dir());
        return 0;
    }

    /**
     * @return the replica counts to predict for a protocol: one, when its replica count is fixed (echo).
     */
    private List<Integer> replicasOf(final String p)
    {
        final int fixed = Protocols.byName(p).fixedReplicas();
        return fixed > 0 ? List.of(fixed) : replicas;
    }

    private List<String> protocols()
    {
        final List<String> list = new ArrayList<>();
        if ("all".equals(protocol))
        {
            for (final ProtocolFactory f : Protocols.all())
            {
                if (f.fixedReplicas() == 0)
                {
                    list.add(f.name());
                }
            }
        }
        else
        {
            list.add(Protocols.byName(protocol).name());
        }
        return list;
    }

    private RunConfig config(final String p, final int n, final int point, final boolean open, final Workload workload)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(p);
        config.replicas(n);
        config.transport("sim");
        config.workload(workload);
        config.workloadPreset(ycsb);
        config.clients(clients);
        config.seed(seed);
        config.sim().tickIntervalNs = Durations.parseNs(tick);
        if (config.sim().tickIntervalNs <= 0)
        {
            throw new IllegalArgumentException("--tick must be > 0");
        }
        config.durationNs(Durations.parseNs(duration));
        config.warmupNs(Durations.parseNs(warmup));
        config.options().putAll(opts);
        if (open)
        {
            if (!(rates.get(point) > 0) || Double.isInfinite(rates.get(point)))
            {
                throw new IllegalArgumentException("--rates must all be > 0, got " + rates.get(point));
            }
            config.rate(rates.get(point));
            config.outstanding(256);
        }
        else
        {
            if (concurrency.get(point) < 1)
            {
                throw new IllegalArgumentException("--concurrency must all be >= 1, got " + concurrency.get(point));
            }
            config.outstanding(concurrency.get(point));
        }
        return config.build();
    }
}
