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
 * {@code --tied} on run, compare and sweep: refused in one line with exit 2 before any run where the protocol cannot
 * tie reads (primary-backup, Raft, tail-read chain), with {@code --hedge}, or with no spare home replica; where it can,
 * the run reports the tied copies, cancels, dropped copies and both-served reads in the table and the JSON.
 */
class TiedOptionTest
{
    @TempDir
    Path dir;

    @Test
    void runShouldRefuseATieOnAProtocolThatCannotTie()
    {
        assertBadInput("[tied] do not apply to primary-backup", "run", "--protocol", "primary-backup", "--tied");
        assertBadInput("[tied] do not apply to raft", "run", "--protocol", "raft", "--tied");
        assertBadInput("tied needs --reads craq", "run", "--protocol", "chain", "--tied");
        assertBadInput("[tied] do not apply to raft", "run", "--protocol", "raft", "--opt", "tied=true");
    }

    @Test
    void runShouldRefuseATieWithAHedgeABadValueOrNoSpare()
    {
        assertBadInput("tied and hedge are two ways", "run", "--protocol", "quorum", "--tied", "--hedge", "1ms");
        assertBadInput("tied and hedge are two ways", "run", "--protocol", "chain", "--reads", "craq", "--tied",
            "--hedge", "p95");
        assertBadInput("tied must be true or false, got 'yes'", "run", "--protocol", "quorum", "--opt", "tied=yes");
        assertBadInput("tied needs r < n", "run", "--protocol", "quorum", "--tied", "--r", "3");
    }

    @Test
    void compareAndSweepShouldRefuseItBeforeTheFirstRun()
    {
        assertBadInput("apply to none of [primary-backup, raft]", "compare", "--protocols", "primary-backup,raft",
            "--tied", "--results", dir.toString());
        assertBadInput("tied needs --reads craq", "compare", "--protocols", "quorum,chain", "--tied",
            "--results", dir.toString());
        assertBadInput("[tied] do not apply to raft", "sweep", "--protocol", "raft", "--tied",
            "--results", dir.toString());
    }

    @Test
    void runShouldReportTheTiedCopiesInTheTableAndTheJson() throws Exception
    {
        final Path json = dir.resolve("tied.json");
        final Outcome outcome = lab("run", "--protocol", "chain", "--reads", "craq", "--transport", "sim", "--tied",
            "--clients", "2", "--duration", "300ms", "--quiet", "--json", json.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("tied reads: "), outcome.out());
        final JsonNode tied = new ObjectMapper().readTree(Files.readString(json)).path("protocol_counters").path("tied");
        final long reads = tied.path("reads").asLong();
        assertTrue(reads > 0, tied.toString());
        assertTrue(tied.path("copies_sent").asLong() >= reads, "every first send of a read is tied: " + tied);
        assertTrue(tied.path("cancels_sent").asLong() > 0, tied.toString());
        assertEquals((tied.path("copies_sent").asLong() + tied.path("cancels_sent").asLong() +
            tied.path("both_served").asLong()) / (double)reads, tied.path("extra_messages_per_read").asDouble(), 1e-9);
        assertFalse(new ObjectMapper().readTree(Files.readString(json)).path("protocol_counters")
            .has("tied_cancels_sent"), "the replicas' counters moved into the tied section");
    }
}
