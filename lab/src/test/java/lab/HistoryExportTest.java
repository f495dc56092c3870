package lab;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.JepsenHistory;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.check.Operation;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Histories exported from real runs (as {@code lab run --history} writes them) must tell an outside checker what the
 * lab saw: a correct protocol's history is linearizable however the clients are threaded, and the stale reads an
 * independent counter finds from the exported times alone ({@link ExternalStaleReadCount}) are the lab's own count.
 */
class HistoryExportTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path dir;

    /**
     * The bug this guards against: with a thread per client, one recorder fed from every client thread lost and
     * mixed up operations, so a correct Raft run read "values no write wrote" and checked NOT_LINEARIZABLE.
     */
    @Test
    void shouldRecordALinearizableHistoryOfRaftWithAThreadPerClient() throws Exception
    {
        final RunConfig.Builder config = config("raft", "ipc").toBuilder();
        config.threading("per-node");
        config.clients(4);
        config.durationNs(1_500 * MS);
        config.workload(new Workload(0.5, 20, "uniform", 0.99, 16));
        config.staleReads(true);

        final Run run = run(config.build());

        final Set<Long> written = new HashSet<>();
        run.history.stream().filter(Operation::isWrite).forEach(op -> written.add(op.value()));
        for (final Operation op : run.history)
        {
            assertTrue(op.isWrite() || op.value() == Operation.NIL || written.contains(op.value()),
                "read a value no write wrote: " + op.describe());
        }
        assertTrue(run.history.size() > 1_000, "operations: " + run.history.size());
        final CheckResult result = new LinearizabilityChecker().check(JepsenHistory.readJsonLines(run.file));
        assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(0, run.labStale);
        assertEquals(run.labStale, run.externalStale);
    }

    /**
     * A weak mode on the seeded simulator: R=W=1 Dynamo with Lamport write stamps reads stale values, and many events
     * share an instant (a duty cycle's completion and the invoke it frees, two clients at one simulated time).
     */
    @Test
    void shouldLetAnOutsideCounterFindTheLabsStaleReadsInAWeakQuorumHistory() throws Exception
    {
        final RunConfig.Builder config = config("quorum", "sim").toBuilder();
        config.options().putAll(Map.of("quorum-mode", "dynamo", "r", "1", "w", "1", "clock", "lamport"));
        config.clients(2);
        config.workload(new Workload(0.5, 10, "uniform", 0.99, 16));
        config.durationNs(1_000 * MS);

        final Run run = run(config.build());

        assertTrue(run.labStale > 0, "the weak mode reads stale values");
        assertEquals(run.labReads, run.externalReads, "OK reads");
        assertEquals(run.labStale, run.externalStale, "stale reads: the lab's detector vs the exported history");
    }

    /**
     * The same over Aeron with a thread per client, where the order across threads is the one the lab observed.
     */
    @Test
    void shouldLetAnOutsideCounterFindTheLabsStaleReadsWithAThreadPerClient() throws Exception
    {
        final RunConfig.Builder config = config("quorum", "ipc").toBuilder();
        config.options().putAll(Map.of("quorum-mode", "dynamo", "r", "1", "w", "1", "clock", "lamport"));
        config.threading("per-node");
        config.clients(2);
        config.workload(new Workload(0.5, 10, "uniform", 0.99, 16));

        final Run run = run(config.build());

        assertEquals(run.labReads, run.externalReads, "OK reads");
        assertEquals(run.labStale, run.externalStale, "stale reads: the lab's detector vs the exported history");
    }

    private static RunConfig config(final String protocol, final String transport)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.transport(transport);
        config.durationNs(600 * MS);
        config.warmupNs(100 * MS);
        config.intervalNs(100 * MS);
        config.seed(7);
        return config.build();
    }

    private record Run(List<Operation> history, Path file, long labReads, long labStale, long externalReads,
        long externalStale)
    {
    }

    /**
     * Knossos and Elle order events by their place in the file: the EDN's :index must run 0, 1, 2, ... and its :time
     * strictly increase with it, so that the file's order, its times and the JSON lines' times all say the same.
     */
    private static void assertEdnInObservedOrder(final List<Operation> history, final Path edn) throws Exception
    {
        JepsenHistory.writeEdn(history, edn);
        final java.util.regex.Pattern event = java.util.regex.Pattern.compile("^\\{:index (\\d+), .*:time (\\d+)\\}$");
        long index = 0;
        long lastTime = -1;
        for (final String line : java.nio.file.Files.readAllLines(edn))
        {
            final java.util.regex.Matcher m = event.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals(index++, Long.parseLong(m.group(1)), line);
            final long time = Long.parseLong(m.group(2));
            assertTrue(time > lastTime, "time not after the previous event's: " + line);
            lastTime = time;
        }
        assertEquals(2L * history.size(), index);
    }

    private Run run(final RunConfig planned) throws Exception
    {
        final HistoryRecorder recorder = new HistoryRecorder();
        final RunConfig config = planned.toBuilder().observers(c -> recorder).build();
        final RunResult result = LabRunner.run(config);
        final List<Operation> history = recorder.history();
        final Path file = dir.resolve(config.protocol + "-" + config.transport + "-" + config.threading + ".jsonl");
        JepsenHistory.writeJsonLines(history, file);
        assertEdnInObservedOrder(history, file.resolveSibling(file.getFileName() + ".edn"));
        final Map<?, ?> stale = (Map<?, ?>)result.protocolStats().get("stale_reads");
        final long[] external = ExternalStaleReadCount.count(file);
        return new Run(history, file, ((Number)stale.get("reads")).longValue(),
            ((Number)stale.get("stale")).longValue(), external[0], external[1]);
    }
}
