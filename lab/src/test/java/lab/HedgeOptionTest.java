package lab;

import lab.harness.cli.LabCli.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lab.harness.cli.LabCli.lab;
import static lab.harness.cli.LabCli.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --hedge} on run, compare and sweep: refused in one line with exit 2 before any run where the protocol cannot
 * hedge or the value is not a delay or a percentile; where it can, the run reports the copies it sent.
 */
class HedgeOptionTest
{
    @TempDir
    Path dir;

    @Test
    void runShouldRefuseAHedgeOnAProtocolThatCannotHedge()
    {
        assertBadInput("[hedge] do not apply to primary-backup", "run", "--protocol", "primary-backup", "--hedge",
            "2ms", "--transport", "sim");
        assertBadInput("[hedge] do not apply to raft", "run", "--protocol", "raft", "--hedge", "p95");
        assertBadInput("hedge needs --reads craq", "run", "--protocol", "chain", "--hedge", "2ms");
        assertBadInput("[hedge] do not apply to primary-backup", "run", "--protocol", "primary-backup", "--opt",
            "hedge=2ms");
    }

    @Test
    void runShouldRefuseAHedgeThatIsNoDelayOrPercentile()
    {
        assertBadInput("hedge percentile must be in (0, 100)", "run", "--protocol", "quorum", "--hedge", "p100");
        assertBadInput("hedge must be off, a duration", "run", "--protocol", "quorum", "--hedge", "soon");
        assertBadInput("hedge delay must be > 0", "run", "--protocol", "quorum", "--hedge", "0ms");
        assertBadInput("hedge needs r < n", "run", "--protocol", "quorum", "--hedge", "1ms", "--r", "3");
    }

    @Test
    void compareAndSweepShouldRefuseItBeforeTheFirstRun()
    {
        assertBadInput("apply to none of [primary-backup, raft]", "compare", "--protocols", "primary-backup,raft",
            "--hedge", "1ms", "--results", dir.toString());
        assertBadInput("hedge needs --reads craq", "compare", "--protocols", "quorum,chain", "--hedge", "1ms",
            "--results", dir.toString());
        assertBadInput("[hedge] do not apply to raft", "sweep", "--protocol", "raft", "--hedge", "1ms",
            "--results", dir.toString());
    }

    @Test
    void runShouldRefuseASlowReplicaItCannotSimulate()
    {
        assertBadInput("--sim-slow needs --transport sim", "run", "--protocol", "quorum", "--sim-slow", "1=5ms");
        assertBadInput("--sim-slow must be <replica>=<duration>", "run", "--protocol", "quorum", "--transport", "sim",
            "--sim-slow", "5ms");
        assertBadInput("--sim-slow needs a replica in [0, 3)", "run", "--protocol", "quorum", "--transport", "sim",
            "--sim-slow", "3=5ms");
    }

    @Test
    void runShouldReportTheHedgedCopiesInTheTableAndTheJson() throws Exception
    {
        final Path json = dir.resolve("hedged.json");
        final Outcome outcome = lab("run", "--protocol", "quorum", "--quorum-mode", "abd", "--transport", "sim",
            "--hedge", "100us", "--clients", "2", "--duration", "300ms", "--quiet", "--json", json.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("hedged reads (hedge=100000ns)"), outcome.out());
        final JsonNode hedging = new ObjectMapper().readTree(Files.readString(json))
            .path("protocol_counters").path("hedging");
        assertTrue(hedging.path("reads").asLong() > 0, hedging.toString());
        assertEquals(hedging.path("copies_sent").asLong() / (double)hedging.path("reads").asLong(),
            hedging.path("copies_per_read").asDouble(), 1e-9);
    }
}
