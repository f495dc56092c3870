package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabCommandTest
{
    private static String[] errLines(final String... args)
    {
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try
        {
            final int code = LabCommand.execute(args);
            assertEquals(LabCommand.EXIT_BAD_INPUT, code, "exit code for " + String.join(" ", args));
        }
        finally
        {
            System.setErr(oldErr);
        }
        return err.toString().trim().split("\n");
    }

    private static void assertOneLineError(final String expectedFragment, final String... args)
    {
        final String[] lines = errLines(args);
        assertEquals(1, lines.length, "one line expected, got: " + String.join(" | ", lines));
        assertTrue(lines[0].contains(expectedFragment), lines[0]);
    }

    @Test
    void shouldRejectAnUnknownProtocolWithOneLineAndExitCode2()
    {
        assertOneLineError("unknown protocol 'bogus'", "run", "--protocol", "bogus");
    }

    @Test
    void shouldRejectReplicasBelowOne()
    {
        assertOneLineError("--replicas must be >= 1", "run", "--replicas", "0");
    }

    @Test
    void shouldRejectAReadRatioOutsideZeroToOne()
    {
        assertOneLineError("--read-ratio must be in [0, 1]", "run", "--read-ratio", "1.5");
    }

    @Test
    void shouldRejectAnUnparsableDuration()
    {
        assertOneLineError("unparsable duration", "run", "--duration", "tenseconds");
    }

    @Test
    void shouldRejectAnUnknownFlag()
    {
        assertOneLineError("--frobnicate", "run", "--frobnicate");
    }

    @Test
    void shouldRejectAnOptionTheProtocolDoesNotHave()
    {
        assertOneLineError("option(s) [chain-ack] do not apply to none", "run", "--protocol", "none",
            "--transport", "sim", "--chain-ack", "head");
    }

    @Test
    void shouldRejectAnUnknownTransport()
    {
        assertOneLineError("--transport must be ipc|udp|sim", "run", "--transport", "carrier-pigeon");
    }

    @Test
    void shouldRejectABareNumberAsADuration()
    {
        assertOneLineError("duration '300' needs a unit", "run", "--op-timeout", "300");
    }

    @Test
    void shouldRejectADurationThatMakesNoSense()
    {
        assertOneLineError("longer than 30 days", "run", "--duration", "100000000000000s");
        assertOneLineError("--op-timeout must be > 0", "run", "--op-timeout", "0");
    }

    @Test
    void shouldRejectAFaultAfterTheRunEndsBeforeAnyWork()
    {
        assertOneLineError("after the run ends", "run", "--protocol", "none", "--duration", "2s", "--warmup", "1s",
            "--fault", "crash:node0@5s");
    }

    @Test
    void shouldRejectAFaultOnANodeThatDoesNotExist()
    {
        assertOneLineError("node 7 does not exist", "run", "--protocol", "none", "--duration", "5s",
            "--fault", "crash:node7@2s");
    }

    @Test
    void shouldRejectAnOutputThatCannotBeWrittenBeforeAnyWork(@TempDir final Path dir) throws Exception
    {
        assertOneLineError("is a folder", "run", "--protocol", "none", "--transport", "sim", "--json", dir.toString());
        final Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertOneLineError("is a file, not a folder", "run", "--protocol", "none", "--transport", "sim",
            "--history", file.resolve("h.jsonl").toString());
    }

    @Test
    void shouldCreateTheFolderOfAnOutputFile(@TempDir final Path dir) throws Exception
    {
        final Path json = dir.resolve("not/yet/there/out.json");
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try
        {
            assertEquals(0, LabCommand.execute("run", "--protocol", "none", "--transport", "sim", "--duration", "100ms",
                "--json", json.toString()));
        }
        finally
        {
            System.setOut(oldOut);
        }
        assertTrue(Files.size(json) > 0);
    }

    @Test
    void shouldCompareInShuffledRoundsAndReportTheSpread(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true));
        try
        {
            assertEquals(0, LabCommand.execute("compare", "--transport", "sim", "--protocols", "echo,none",
                "--repeat", "3", "--duration", "100ms", "--warmup", "0", "--results", dir.toString(), "--name", "t"));
        }
        finally
        {
            System.setOut(oldOut);
        }
        final Path folder;
        try (var list = Files.list(dir))
        {
            folder = list.findFirst().orElseThrow();
        }
        final ObjectMapper mapper = new ObjectMapper();
        final JsonNode summary = mapper.readTree(folder.resolve("run.json").toFile());
        assertEquals(3, summary.get("rounds").size());
        for (final JsonNode round : summary.get("rounds"))
        {
            assertEquals(2, round.size(), "every protocol once per round: " + round);
        }
        final JsonNode none = mapper.readTree(folder.resolve("run-none.json").toFile());
        assertEquals(3, none.get("repeats").get("runs").asInt());
        final JsonNode throughput = none.get("repeats").get("throughput");
        assertTrue(throughput.get("min").asDouble() <= throughput.get("median").asDouble() &&
            throughput.get("median").asDouble() <= throughput.get("max").asDouble(), throughput.toString());
        assertTrue(out.toString().contains("spread over 3 rounds"), out.toString());
        assertTrue(Files.exists(folder.resolve("compare-spread.txt")));
    }

    @Test
    void shouldRejectBadSweepsBeforeAnyWork()
    {
        assertOneLineError("give one", "sweep", "--protocol", "none", "--rates", "1000", "--concurrency", "1,2");
        assertOneLineError("--rates must all be > 0", "sweep", "--protocol", "none", "--rates", "1000,0");
        assertOneLineError("--concurrency must all be >= 1", "sweep", "--protocol", "none", "--concurrency", "1,0");
        // Every point is validated before the first runs.
        assertOneLineError("do not apply to none", "sweep", "--protocol", "none", "--transport", "sim",
            "--opt", "raft-pipeline=1");
    }

    @Test
    void shouldPrintTheVersionWithCommitAeronAndJvm()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true));
        try
        {
            assertEquals(0, LabCommand.execute("--version"));
        }
        finally
        {
            System.setOut(oldOut);
        }
        final String text = out.toString();
        assertTrue(text.contains("commit ") && text.contains("aeron 1.51.0") &&
            text.contains(System.getProperty("java.runtime.version")), text);
    }

    @Test
    void shouldRejectACompareOptionNoComparedProtocolHas()
    {
        assertOneLineError("option(s) [raft-pipeline] apply to none of [echo, none]", "compare", "--transport", "sim",
            "--protocols", "echo,none", "--opt", "raft-pipeline=1");
        assertOneLineError("--rate must be > 0", "compare", "--transport", "sim", "--protocols", "none", "--rate", "0");
    }

    @Test
    void shouldCompareAnOpenLoopYcsbWorkloadWithAnOptionOfOneProtocol(@TempDir final Path dir) throws Exception
    {
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try
        {
            // client-retry is an option of the baselines: given to both, as it would be to every protocol that has it
            assertEquals(0, LabCommand.execute("compare", "--transport", "sim", "--protocols", "echo,none",
                "--repeat", "1", "--duration", "100ms", "--warmup", "0", "--workload", "c", "--rate", "20000",
                "--opt", "client-retry=50ms", "--results", dir.toString(), "--name", "o"));
        }
        finally
        {
            System.setOut(oldOut);
        }
        final Path folder;
        try (var list = Files.list(dir))
        {
            folder = list.findFirst().orElseThrow();
        }
        final JsonNode none = new ObjectMapper().readTree(folder.resolve("run-none.json").toFile());
        final JsonNode config = none.get("config");
        assertEquals("open-loop", config.get("load").asText());
        assertEquals(20000.0, config.get("rate_per_s").asDouble());
        assertEquals("c", config.get("workload").get("ycsb").asText());
        assertEquals("50ms", config.get("protocol_options").get("client-retry").asText());
    }

    @Test
    void shouldWriteTheResultsContractForASimulatedRun(@TempDir final Path dir) throws Exception
    {
        final File json = dir.resolve("out.json").toFile();
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try
        {
            assertEquals(0, LabCommand.execute("run", "--protocol", "none", "--transport", "sim", "--duration", "200ms",
                "--json", json.getPath()));
        }
        finally
        {
            System.setOut(oldOut);
        }
        final JsonNode root = new ObjectMapper().readTree(Files.readString(json.toPath()));
        assertEquals("none", root.get("protocol").asText());
        assertEquals(1, root.get("replicas").asInt());
        for (final String op : new String[]{"read", "write"})
        {
            final JsonNode block = root.get("ops").get(op);
            assertTrue(block.get("count").asLong() > 0, op);
            assertTrue(block.get("throughput").asDouble() > 0, op);
            assertEquals(2.0, block.get("hops").get("measured").asDouble(), op);
            assertEquals(2, block.get("hops").get("theory").asInt(), op);
            for (final String p : new String[]{"p50", "p90", "p99", "p999", "p9999", "max"})
            {
                assertTrue(block.get("latency_us").get(p).asDouble() > 0, op + " " + p);
            }
        }
        assertTrue(root.get("environment").has("cpu") && root.get("environment").has("commit"));
        assertEquals("1.51.0", root.get("environment").get("aeron").asText());
        final JsonNode env = root.get("environment");
        assertEquals("lab run --protocol none --transport sim --duration 200ms --json " + json.getPath(),
            env.get("command_line").asText());
        assertTrue(env.get("jvm_args").isArray() && env.get("gc").size() > 0, env.toString());
        assertTrue(env.get("start_time").asText().endsWith("Z") && env.has("load_average") &&
            env.has("cpu_steal_pct_since_boot"), env.toString());
        assertTrue(root.get("config").has("workload"));
    }
}
