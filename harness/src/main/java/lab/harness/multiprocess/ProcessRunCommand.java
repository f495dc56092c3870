package lab.harness.multiprocess;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import lab.harness.api.Durations;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.report.Environment;
import lab.harness.report.RunReport;
import lab.harness.workload.Workload;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A stand-alone multi-process run (a subset of {@code lab run}'s flags) until {@code lab run --processes /
 * --cluster} is wired: {@code java ... lab.harness.multiprocess.ProcessRunCommand --protocol raft --processes}.
 */
@Command(name = "mp-run", mixinStandardHelpOptions = true,
    description = "Drive replicas that run one per process over Aeron UDP: --processes starts them here, " +
        "--cluster FILE uses nodes started with `lab node`.")
public final class ProcessRunCommand implements Callable<Integer>
{
    @Option(names = "--protocol", defaultValue = "primary-backup") String protocol;
    @Option(names = "--replicas", defaultValue = "3") int replicas;
    @Option(names = "--processes", description = "start one node process per replica on this machine")
    boolean processes;
    @Option(names = "--cluster", description = "cluster file of nodes already running (lab node)") File cluster;
    @Option(names = "--duration", defaultValue = "5s") String duration;
    @Option(names = "--warmup") String warmup;
    @Option(names = "--read-ratio", defaultValue = "0.5") double readRatio;
    @Option(names = "--keys", defaultValue = "10000") long keys;
    @Option(names = "--value-size", defaultValue = "64") int valueSize;
    @Option(names = "--clients", defaultValue = "1") int clients;
    @Option(names = "--outstanding", defaultValue = "1") int outstanding;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--opt") Map<String, String> opts = new LinkedHashMap<>();
    @Option(names = "--ready-timeout", defaultValue = "20s") String readyTimeout;
    @Option(names = "--profile", description = "folder for one flamegraph per node") File profile;
    @Option(names = "--profile-event", defaultValue = "auto") String profileEvent;
    @Option(names = "--echo-nodes", description = "copy node process output to stderr") boolean echo;
    @Option(names = "--json") File json;

    public Integer call() throws Exception
    {
        if (processes == (cluster != null))
        {
            throw new IllegalArgumentException("give exactly one of --processes and --cluster FILE");
        }
        final RunConfig config = new RunConfig();
        config.protocol = protocol;
        config.replicas = replicas;
        config.transport = "udp";
        config.workload = new Workload(readRatio, keys, "uniform", 0.99, valueSize);
        config.clients = clients;
        config.outstanding = outstanding;
        config.durationNs = Durations.parseNs(duration);
        config.warmupNs = warmup == null ? -1 : Durations.parseNs(warmup);
        config.seed = seed;
        config.options.putAll(opts);
        final ProcessRun.Options options = new ProcessRun.Options();
        options.readyTimeoutNs = Durations.parseNs(readyTimeout);
        options.profileDir = profile;
        options.profileEvent = profileEvent;
        options.launcher.echo = echo;
        final RunResult result = processes ? ProcessRun.runLocal(config, options) :
            ProcessRun.run(config, cluster.toPath(), options);
        System.out.println(result.config());
        System.out.println("transport_stats=" + result.transportStats());
        System.out.print(RunReport.toTable(result));
        if (json != null)
        {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(json, RunReport.toContract(result, Environment.capture()));
        }
        return 0;
    }

    public static void main(final String[] args)
    {
        final CommandLine cli = new CommandLine(new ProcessRunCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("lab: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }
}
