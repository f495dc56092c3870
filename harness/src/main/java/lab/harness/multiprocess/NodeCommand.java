package lab.harness.multiprocess;

import java.io.File;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab node --id I --cluster cluster.toml}: one replica in this process, served to a load driver
 * ({@code lab run --cluster cluster.toml ...}) in another process. Runs until SIGTERM / Ctrl-C.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one replica in this process over Aeron UDP (its own media driver); a load driver in " +
        "another process (lab run --cluster FILE) configures and measures it. Stops on SIGTERM / Ctrl-C.")
public final class NodeCommand implements Callable<Integer>
{
    @Option(names = "--id", required = true, description = "this node's id in the cluster file (0..N-1)")
    int id;

    @Option(names = "--cluster", required = true, description = "cluster file ([[node]] id/host/port blocks and " +
        "one [[client]] block; see examples/cluster-3.toml)")
    File cluster;

    @Option(names = "--profile", description = "folder for an async-profiler flamegraph of each run (flame-node<I>" +
        ".html unless the driver names the file)")
    File profileDir;

    @Option(names = "--profile-event", defaultValue = "auto",
        description = "auto (cpu, else itimer, else wall) | cpu | itimer | wall (default ${DEFAULT-VALUE})")
    String profileEvent;

    @Option(names = "--parent-pid", hidden = true, defaultValue = "-1",
        description = "exit when this process is gone (set by the local launcher)")
    long parentPid;

    @Option(names = "--dir-tag", hidden = true, defaultValue = "standalone",
        description = "tag in the Aeron directory name (set by the local launcher)")
    String dirTag;

    public Integer call()
    {
        final ClusterFile file = ClusterFile.read(cluster.toPath());
        final NodeServer.Settings settings = new NodeServer.Settings();
        settings.parentPid = parentPid;
        settings.dirTag = dirTag;
        settings.profileDir = profileDir;
        settings.profileEvent = profileEvent;
        final NodeServer server = new NodeServer(file, id, settings);
        server.start();
        final Thread hook = new Thread(() -> server.requestStop(3000), "lab-node-" + id + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.serve();
        return 0;
    }

    /**
     * Entry point of node processes started by the local launcher (and usable before {@code lab node} is wired).
     */
    public static void main(final String[] args)
    {
        final CommandLine cli = new CommandLine(new NodeCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("lab node: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }
}
