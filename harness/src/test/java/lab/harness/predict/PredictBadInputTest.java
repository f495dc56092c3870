package lab.harness.predict;

import lab.harness.cli.LabCli.Outcome;
import static lab.harness.cli.LabCli.lab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab predict} on input it cannot use: one line on stderr, exit 2, before any simulation; and on good input,
 * every figure labelled as predicted.
 */
class PredictBadInputTest
{
    @TempDir
    Path dir;
    private Path calibration;

    @BeforeEach
    void writeCalibration() throws Exception
    {
        final Map<String, Calibration.Target> targets = new LinkedHashMap<>();
        targets.put("echo", PredictedRunTest.echo());
        calibration = dir.resolve("calibration.json");
        new Calibration(Map.of("os", "test"), Map.of(), 0, targets, "test").write(calibration);
    }

    private void assertBadInput(final String fragment, final String... args)
    {
        final String[] all = new String[args.length + 6];
        all[0] = "predict";
        all[1] = "--calibration";
        all[2] = calibration.toString();
        all[3] = "--results";
        all[4] = dir.resolve("results").toString();
        all[5] = "--duration=50ms";
        System.arraycopy(args, 0, all, 6, args.length);
        final Outcome o = lab(all);
        final String what = String.join(" ", args) + " -> " + o.err();
        assertEquals(LabCommand.EXIT_BAD_INPUT, o.code(), what);
        assertEquals(1, o.err().strip().lines().count(), what);
        assertTrue(o.err().contains(fragment), what);
        assertFalse(o.out().contains("PREDICTED"), "no work before the error: " + what);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception
    {
        assertBadInput("not a profile", "--protocol", "echo", "--link", "moon");
        assertBadInput("--cores must be >= 1", "--protocol", "echo", "--cores", "0");
        assertBadInput("--rounds must be >= 1", "--protocol", "echo", "--validate", "--rounds", "0");
        assertBadInput("--rounds must be >= 1", "--protocol", "echo", "--validate", "--rounds", "-3");
        assertBadInput("does not cover 'none'", "--protocol", "none");
        final Path matrix = dir.resolve("two.json");
        Files.writeString(matrix, "{\"latency_us\": [[0, 30], [30, 0]]}");
        assertBadInput("the latency matrix is 2x2", "--protocol", "echo", "--link", matrix.toString());
        final Path slow = dir.resolve("slow.json");
        Files.writeString(slow, "{\"latency_us\": 30, \"bandwidth_gbps\": -1}");
        assertBadInput("bandwidth", "--protocol", "echo", "--link", slow.toString());
        assertBadInput("--measured: no such file or folder", "--protocol", "echo", "--measured",
            dir.resolve("nowhere").toString());
        Files.createDirectories(dir.resolve("empty"));
        assertBadInput("no run-*.json or run.json", "--protocol", "echo", "--measured", dir.resolve("empty").toString());
        final Outcome missing = lab("predict", "--calibration", dir.resolve("missing.json").toString(), "--protocol",
            "echo");
        assertEquals(LabCommand.EXIT_BAD_INPUT, missing.code(), missing.err());
        assertTrue(missing.err().contains("cannot read"), missing.err());
    }

    @Test
    void everyFigureIsLabelledPredicted() throws Exception
    {
        final Path results = dir.resolve("ok");
        final Outcome o = lab("predict", "--calibration", calibration.toString(), "--results", results.toString(),
            "--protocol", "echo", "--link", "rack", "--concurrency", "1,8", "--duration", "50ms", "--warmup", "10ms");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("PREDICTED"), o.out());
        assertTrue(o.out().contains("simulated messages per wall-clock second"), o.out());
        try (var files = Files.walk(results))
        {
            final var json = files.filter(p -> p.getFileName().toString().startsWith("run-")).toList();
            assertEquals(2, json.size());
            final String report = Files.readString(json.get(0).resolveSibling("report.html"));
            assertTrue(report.contains("<section id=\"prediction\">"), "the folder's report draws the prediction");
            for (final Path p : json)
            {
                assertTrue(Files.readString(p).matches("(?s)\\{\\s*\"predicted\"\\s*:\\s*true.*"), p.toString());
            }
        }
    }
}
