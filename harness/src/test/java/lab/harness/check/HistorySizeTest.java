package lab.harness.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import lab.core.ClientSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistorySizeTest
{
    private static final long S = 1_000_000_000L;

    @Test
    void shouldCountAnOpenLoopsOperationsWarmUpIncluded()
    {
        assertEquals(300_000, HistorySize.expectedOperations(100_000, S, 2 * S));
        assertEquals(0, HistorySize.expectedOperations(0, S, 60 * S), "a closed loop: not known beforehand");
    }

    @Test
    void shouldWarnOnlyAboveTheLimit()
    {
        assertNull(HistorySize.warning(100_000, S, 19 * S), "2,000,000 operations: no warning");
        assertNull(HistorySize.warning(0, S, 3600 * S), "closed loop: no estimate, no warning");
        final String warning = HistorySize.warning(400_000, 2 * S, 28 * S);
        assertEquals("warning: --history will record about 12,000,000 operations (400,000 ops/s x 30.0 s, " +
            "warm-up included): about 4.0 GB of JSON lines and EDN, 481 MB in memory during the run, and a long lab " +
            "check; a shorter run or a lower rate keeps it checkable", warning);
    }

    @Test
    void shouldEstimateTheFilesWithinAQuarterOfWhatIsWritten(@TempDir final Path dir) throws IOException
    {
        // a realistic history: 16 sessions of two clients, 10 k keys, times of a run some seconds in
        final Random random = new Random(7);
        final List<Operation> history = new ArrayList<>();
        long t = 5_000_000_000L;
        for (int i = 0; i < 20_000; i++)
        {
            final long session = ClientSessions.sessionId(3 + random.nextInt(2), random.nextInt(8));
            t += 2_000 + random.nextInt(3_000);
            final long key = random.nextInt(10_000);
            history.add(random.nextBoolean() ? Operation.write(session, key, i + 1, t, t + 40_000) :
                Operation.read(session, key, random.nextInt(i + 1), t, t + 30_000));
        }
        final Path json = dir.resolve("h.jsonl");
        JepsenHistory.writeJsonLines(history, json);
        JepsenHistory.writeEdn(history, dir.resolve("h.jsonl.edn"));
        final double perOp = (Files.size(json) + Files.size(dir.resolve("h.jsonl.edn"))) / (double)history.size();
        assertTrue(Math.abs(perOp - HistorySize.FILE_BYTES_PER_OPERATION) < 0.25 * HistorySize.FILE_BYTES_PER_OPERATION,
            "written " + perOp + " bytes per operation");
    }
}
