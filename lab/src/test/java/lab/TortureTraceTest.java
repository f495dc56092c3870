package lab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.Torture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing seed leaves a readable trace: the deliberately broken primary-backup (it acknowledges a write before
 * replicating it, see {@link BrokenPrimaryBackupFactory}) fails torture with a stale read, and the trace file the
 * failure names holds printed protocol and client messages, ending at the read that went stale.
 */
class TortureTraceTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldWriteAReadableTraceOfAFailingSeed(@TempDir final Path dir) throws Exception
    {
        final Torture torture = new Torture("broken-primary-backup", 3, Map.of(), 800 * MS, 1000 * MS)
            .traceDirectory(dir);
        for (long seed = 1; seed <= 40; seed++)
        {
            final Torture.Outcome outcome = torture.run(seed);
            if (outcome.passed())
            {
                assertTrue(outcome.faults().stream().noneMatch(f -> f.startsWith("trace: ")), "a passing seed has no trace");
                continue;
            }
            final Path file = dir.resolve("broken-primary-backup-trace-" + seed + ".txt");
            assertTrue(outcome.faults().contains("trace: " + file), outcome.faults().toString());
            assertTrue(Files.exists(file), file + " missing");
            final String trace = Files.readString(file, StandardCharsets.UTF_8);
            assertTrue(trace.startsWith("# broken-primary-backup seed " + seed + ": " +
                outcome.problem().substring(0, Math.min(100, outcome.problem().length()))), trace);
            assertTrue(trace.contains("# replay: bin/lab torture --protocol broken-primary-backup"), trace);
            assertTrue(trace.contains(" -> ") && trace.contains("  Heartbeat view="), trace);
            assertTrue(trace.contains("  ClientRequest "), trace);
            assertTrue(trace.contains("  ClientResponse OK"), trace);
            assertTrue(trace.lines().filter(l -> !l.startsWith("#")).count() > 20, trace);
            if (outcome.problem().startsWith("stale reads"))
            {
                assertTrue(trace.contains("up to the first stale read"), trace);
                assertTrue(trace.contains("  Replicate view="), trace);
                System.out.println(trace.lines().skip(trace.lines().count() - 25).reduce("", (a, b) -> a + b + "\n"));
                return;
            }
        }
        throw new AssertionError("the broken variant passed 40 seeds without a stale read");
    }
}
