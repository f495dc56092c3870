package lab.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import lab.core.Durations;
import lab.harness.predict.Calibration;
import lab.harness.predict.Calibrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab calibrate}: measures this machine's service times per protocol and node role from short real runs, for
 * {@code lab predict}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Measure service time per message by protocol and node role (short in-process runs) and write " +
        "calibration.json for lab predict.")
public final class CalibrateCommand implements Callable<Integer>
{
    @Option(names = "--protocols", split = ",", defaultValue = "primary-backup,chain,raft,quorum",
        description = "default ${DEFAULT-VALUE}")
    List<String> protocols;

    @Option(names = "--variants", split = ";", defaultValue = "chain:reads=craq",
        description = "protocol option variants also calibrated, protocol:key=value,... separated by ';' " +
            "(default ${DEFAULT-VALUE}; '' for none)")
    List<String> variants;

    @Option(names = "--replicas", defaultValue = "3", description = "replicas of the calibration runs (default " +
        "${DEFAULT-VALUE}; roles carry over to other counts)")
    int replicas;

    @Option(names = "--duration", defaultValue = "1s", description = "measured time per run (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "500ms", description = "warm-up per run (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--repeat", defaultValue = "3", description = "runs per protocol (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--loaded-outstanding", defaultValue = "32", description = "operations in flight of the " +
        "loaded run (1 client) that measures service times under load (default ${DEFAULT-VALUE})")
    int loadedOutstanding;

    @Option(names = "--saturation-clients", defaultValue = "2", description = "clients of one more run for the " +
        "demand fit, with the loaded run's operations in flight spread over them (default ${DEFAULT-VALUE}: 2 x 16, " +
        "the shared-core saturation check's shape); 1 for none")
    int saturationClients;

    @Option(names = "--mix-read-ratios", split = ",", defaultValue = "0,0.95", description = "read ratios of " +
        "more runs (1 x 1 and loaded, each) beside the 50% ones, so that the mix of message types varies and a cost " +
        "per message type can be fitted (calibration.json's by_type); 'none' for no such runs (default " +
        "${DEFAULT-VALUE})")
    List<String> mixReadRatios;

    @Option(names = "--out", defaultValue = "calibration.json", description = "default ${DEFAULT-VALUE}")
    Path out;

    public Integer call() throws Exception
    {
        final long durationNs = Durations.parseNs(duration);
        final long warmupNs = Durations.parseNs(warmup);
        if (durationNs <= 0 || warmupNs < 0)
        {
            throw new IllegalArgumentException("--duration must be > 0 and --warmup >= 0");
        }
        if (loadedOutstanding < 1)
        {
            throw new IllegalArgumentException("--loaded-outstanding must be >= 1, got " + loadedOutstanding);
        }
        if (saturationClients < 1)
        {
            throw new IllegalArgumentException("--saturation-clients must be >= 1, got " + saturationClients);
        }
        if (repeat < 1)
        {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        final List<Double> mix = new ArrayList<>();
        for (final String r : mixReadRatios)
        {
            if (r.isBlank() || "none".equals(r.trim()))
            {
                continue;
            }
            try
            {
                mix.add(Double.parseDouble(r.trim()));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--mix-read-ratios: '" + r + "' is not a number between 0 and 1");
            }
        }
        final List<String> specs = new ArrayList<>(protocols);
        for (final String v : variants)
        {
            if (!v.isBlank() && protocols.contains(Calibrator.parseTarget(v.trim()).getKey()))
            {
                specs.add(v.trim());
            }
        }
        final Calibration calibration =
            Calibrator.measure(specs, new Calibrator.Method(durationNs, warmupNs, repeat, replicas,
                loadedOutstanding, saturationClients, mix), System.out);
        calibration.write(out);
        System.out.println("written: " + out);
        return 0;
    }
}
