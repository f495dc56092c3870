package lab.harness.book;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The book around its experiments: each run written with the command that reproduces it, the pages in book.json and
 * the HTML, and an experiment that throws becomes a page that says so while the others are kept.
 */
class LabBookTest
{
    @TempDir
    Path dir;

    /** A one-run experiment on the simulator: fast and deterministic. */
    private static final class SimEcho implements Experiment
    {
        public String name()
        {
            return "sim-echo";
        }

        public String topic()
        {
            return "baselines";
        }

        public String claim()
        {
            return "a simulated echo costs 2 hops (the protocol modules depend on the harness, so its tests have baselines only)";
        }

        public String duration(final boolean quick)
        {
            return "1 s";
        }

        public ExperimentReport run(final Bench bench) throws Exception
        {
            final List<RunResult> runs = bench.repeat("echo-r1", seed ->
            {
                final RunConfig.Builder c = new Variant("echo", "echo", Map.of()).config(1, 0.5, 1, 1, 200, 100, seed)
                    .toBuilder();
                c.transport("sim");
                return c.build();
            });
            final Spread hops = Bench.spread(runs, r -> r.writes().meanHops());
            return new ExperimentReport(name(), topic(), claim(), Map.of("transport", "sim"), "2 hops",
                List.of(Table.of("write hops").row(hops.format("%.2f")).build()), List.of(),
                HopsExperiment.matches(hops.median(), 2) ? Finding.holds("2 hops") : Finding.doesNotHold("not 2"),
                bench.commands(), List.of(), 0.1);
        }
    }

    private static final class Broken implements Experiment
    {
        public String name()
        {
            return "broken";
        }

        public String topic()
        {
            return "none";
        }

        public String claim()
        {
            return "fails to run";
        }

        public String duration(final boolean quick)
        {
            return "0 s";
        }

        public ExperimentReport run(final Bench bench)
        {
            throw new IllegalStateException("no such cluster");
        }
    }

    @Test
    void writesRunsBookJsonAndHtmlAndKeepsGoingPastABrokenExperiment() throws Exception
    {
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final Bench bench = new Bench(dir, false, 2, 7, new PrintStream(log, true), Map.of("host", "test"));
        final List<ExperimentReport> pages = LabBook.run(List.of(new Broken(), new SimEcho()), bench,
            new PrintStream(log, true), book -> lab.harness.report.html.LabBookPage.render(book, Map.of(), false));

        assertEquals(2, pages.size());
        assertEquals(Verdict.UNDECIDED, pages.get(0).finding().verdict());
        assertTrue(pages.get(0).finding().why().contains("failed to run: java.lang.IllegalStateException: no such cluster"),
            pages.get(0).finding().why());
        assertEquals(Verdict.HOLDS, pages.get(1).finding().verdict(), pages.get(1).text());
        // Two repeats, seeds 7 and 8, each with its contract and the command that reruns it.
        final Path runs = dir.resolve("runs").resolve("sim-echo");
        assertTrue(Files.exists(runs.resolve("echo-r1-1.json")));
        assertTrue(Files.exists(runs.resolve("echo-r1-2.json")));
        final JsonNode run = new ObjectMapper().readTree(runs.resolve("echo-r1-2.json").toFile());
        assertTrue(run.get("command").asText().startsWith("bin/lab run --protocol echo --replicas 1 --transport sim"),
            run.get("command").asText());
        assertTrue(run.get("command").asText().contains("--seed 8"), run.get("command").asText());
        assertEquals(2, pages.get(1).commands().size(), "one command per seed: " + pages.get(1).commands());

        final JsonNode book = new ObjectMapper().readTree(dir.resolve("book.json").toFile());
        assertEquals(2, book.get("experiments").size());
        assertEquals("HOLDS", book.get("experiments").get(1).get("finding").get("verdict").asText());
        final String html = Files.readString(dir.resolve("lab-book.html"));
        assertTrue(html.contains("id=\"exp-sim-echo\""), "a page per experiment");
        assertTrue(html.contains("verdict holds") && html.contains("verdict undecided"), "both verdicts shown");
        assertTrue(Files.readString(dir.resolve("book.txt")).contains("verdict: HOLDS: 2 hops"));
        assertTrue(log.toString().contains("[1/2] broken") && log.toString().contains("[2/2] sim-echo"), log.toString());
    }

    @Test
    void runCommandLineReproducesTheConfiguration()
    {
        final RunConfig.Builder c = Variant.CRAQ.config(5, 0.9, 4, 8, 3000, 1000, 42).toBuilder();
        c.link(new lab.harness.aeron.LinkEmulator.Settings(TimeUnit.MICROSECONDS.toNanos(500), 0, 0));
        assertEquals("bin/lab run --protocol chain --replicas 5 --read-ratio 0.9 --keys 10000 --value-size 64 " +
            "--clients 4 --outstanding 8 --duration 3000ms --warmup 1000ms --seed 42 --link-delay 500us " +
            "--opt reads=craq", RunCommandLine.of(c.build()));
    }

    @Test
    void runCommandLineCarriesFaultsAndTheSimulatorsSlowReplica()
    {
        final RunConfig c = Variant.CHAIN.openLoop(5, 0, 500, 4000, 1000, 7).toBuilder()
            .faults(lab.harness.cluster.FaultSchedule.parse("slow:middle=1ms@2000ms,clear:middle@4000ms," +
                "pause:tail=50ms@2s..3s/every=200ms")).build();
        assertEquals("bin/lab run --protocol chain --replicas 5 --read-ratio 0 --keys 10000 --value-size 64 " +
            "--outstanding 256 --rate 500 --duration 4000ms --warmup 1000ms --seed 7 --fault \"slow:middle=1ms@2000ms," +
            "pause:tail=50ms@2s..3s/every=200ms,clear:middle@4000ms\"", RunCommandLine.of(c));
        final RunConfig sim = Variant.ABD.config(3, 0.5, 4, 1, 1000, 400, 1).toBuilder()
            .transport("sim")
            .sim(new lab.harness.sim.SimConfig().slowNode(1, TimeUnit.MILLISECONDS.toNanos(2))).build();
        assertTrue(RunCommandLine.of(sim).contains(" --transport sim ") &&
            RunCommandLine.of(sim).contains(" --sim-slow 1=2000us "), RunCommandLine.of(sim));
    }
}
