package lab.harness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lab.core.MessagePrinter;
import lab.core.Protocols;
import lab.harness.sim.MessageTrace;

/**
 * The readable trace of a failing torture seed: the network's last messages, drops and faults, printed with the
 * protocol's {@link MessagePrinter}, under a header with the problem, the replay command and the fault schedule.
 *
 * <p>A failure is found when the run is over, and the end of a run is the healed, idle drain, where the last
 * messages are heartbeats. So when the problem names the moment a read went stale, the seed is replayed (one seed
 * is one history) with the trace stopping at that moment, and the file ends at the read that went wrong. Other
 * failures (not linearizable, no progress) show the end of the run.
 */
final class TraceFile
{
    private static final int PROBLEM_CHARS = 400;
    private static final Pattern FIRST_STALE_READ = Pattern.compile("\\[t=(\\d+)ns");

    private TraceFile()
    {
    }

    static Torture.Outcome write(final Torture torture, final Torture.Outcome outcome, final SimCluster cluster,
        final Path directory)
    {
        final long seed = outcome.seed();
        SimCluster traced = cluster;
        String until = "the end of the run";
        final Matcher stale = FIRST_STALE_READ.matcher(outcome.problem());
        if (outcome.problem().startsWith("stale reads") && stale.find())
        {
            final long stopNs = Long.parseLong(stale.group(1));
            final SimCluster[] replay = new SimCluster[1];
            torture.run(seed, stopNs, replay);
            traced = replay[0];
            until = String.format("the first stale read, at t=%.6fs (a replay of the seed)", stopNs / 1e9);
        }
        final MessageTrace trace = traced.network().trace();
        final List<String> lines = new ArrayList<>();
        // The problem can list twenty violations; the first few say what went wrong, the outcome keeps them all.
        final String problem = outcome.problem();
        lines.add("# " + torture.protocol() + " seed " + seed + ": " +
            (problem.length() > PROBLEM_CHARS ? problem.substring(0, PROBLEM_CHARS) + " ..." : problem));
        lines.add("# replay: " + torture.replayCommand(seed));
        lines.add("# nodes: replicas 0.." + (cluster.replicas() - 1) +
            (cluster.clientNode(0) > cluster.replicas() ? ", control " + cluster.replicas() + ".." +
            (cluster.clientNode(0) - 1) : "") + ", clients " + cluster.clientNode(0) + ".." +
            (cluster.network().nodeCount() - 1));
        lines.add("# faults:");
        outcome.faults().forEach(f -> lines.add("#   " + f));
        lines.add("# the last " + Math.min(trace.capacity(), trace.recorded()) + " of " + trace.recorded() +
            " network events up to " + until + ": time, from -> to (-x: dropped), message");
        lines.addAll(trace.lines(Protocols.byName(torture.protocol()).printer()));
        final Path file = directory.resolve(torture.protocol() + "-trace-" + seed + ".txt");
        try
        {
            Files.createDirectories(directory);
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<String> faults = new ArrayList<>(outcome.faults());
        faults.add("trace: " + file);
        return new Torture.Outcome(seed, false, outcome.problem(), faults, outcome.operations(), outcome.history(),
            outcome.traceHash());
    }
}
