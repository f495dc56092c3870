package lab.harness.cli;

import lab.harness.cli.LabCli.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lab.harness.cli.LabCli.lab;
import static lab.harness.cli.LabCli.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab detectors}: a small sweep gives a row per detector and parameter in text and JSON, and the report
 * draws it; bad detector parameters are one line on stderr and exit 2 before any work (a protocol's {@code --opt}
 * ones: lab's DetectorOptionsBadInputTest, where the protocols are on the class path).
 */
class DetectorsCommandTest
{
    private static final String[] SMALL = {"detectors", "--healthy", "2m", "--crashes", "20", "--warmup", "1s"};

    @TempDir
    Path dir;

    private static String[] with(final String[] base, final String... more)
    {
        final String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void shouldPrintARowPerDetectorAndParameterAndWriteTheJson() throws IOException
    {
        final Outcome outcome = lab(with(SMALL, "--timeouts", "50ms,150ms", "--phi-thresholds", "4,12",
            "--swim-suspicions", "100ms", "--out", dir.toString()));

        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().startsWith("SIMULATED"), outcome.out());
        assertTrue(outcome.out().contains("fd-timeout=150ms"), outcome.out());
        assertTrue(outcome.out().contains("phi-threshold=12"), outcome.out());
        assertTrue(outcome.out().contains("swim-suspicion=100ms"), outcome.out());
        final JsonNode doc = new ObjectMapper().readTree(Files.readString(dir.resolve("detectors.json")));
        assertEquals("detectors", doc.path("kind").asText());
        assertEquals(5, doc.path("points").size());
        for (final JsonNode p : doc.path("points"))
        {
            assertTrue(p.path("detect_p50_ms").asDouble() > 0, p.toString());
            assertTrue(p.path("detect_p99_ms").asDouble() >= p.path("detect_p50_ms").asDouble(), p.toString());
            assertTrue(p.path("false_per_hour").asDouble() >= 0, p.toString());
        }
        assertTrue(Files.readString(dir.resolve("detectors.txt")).startsWith("SIMULATED"));

        final Outcome report = lab("report", dir.toString());
        assertEquals(0, report.code(), report.err());
        final String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("id=\"detectors-section\""), "the trade-off section");
        for (final String detector : new String[]{"timeout", "phi", "swim"})
        {
            assertTrue(html.contains(">" + detector + " p50<"), "a line per detector: " + detector);
        }
        assertTrue(html.contains("class=\"series\""), "the lines are drawn");
    }

    @Test
    void shouldMeasureTheOneConfigurationGivenAsOptions() throws IOException
    {
        final Outcome outcome = lab(with(SMALL, "--json", "--opt", "failure-detector=phi", "--opt",
            "phi-threshold=6", "--opt", "fd-window=50"));

        assertEquals(0, outcome.code(), outcome.err());
        final JsonNode doc = new ObjectMapper().readTree(outcome.out());
        assertEquals(1, doc.path("points").size());
        assertTrue(doc.path("points").get(0).path("parameter").asText().startsWith("phi threshold 6.0 window 50"),
            outcome.out());
    }

    @Test
    void shouldMeasureRealHeartbeatsOverAeronInOneProcessAndCleanUp() throws IOException
    {
        final Outcome outcome = lab("detectors", "--transport", "ipc", "--healthy", "1s", "--crashes", "3",
            "--warmup", "300ms", "--timeouts", "50ms", "--phi-thresholds", "8", "--out", dir.toString());

        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().startsWith("AERON IPC"), outcome.out());
        final JsonNode doc = new ObjectMapper().readTree(Files.readString(dir.resolve("detectors.json")));
        assertEquals("ipc", doc.path("transport").asText());
        assertFalse(doc.path("simulated").asBoolean());
        assertEquals(2, doc.path("points").size(), "timeout and phi (no SWIM over Aeron)");
        for (final JsonNode p : doc.path("points"))
        {
            // a crashed sender is detected, after at least its last heartbeat's silence began
            assertTrue(p.path("detect_p50_ms").asDouble() > 0, p.toString());
            assertTrue(p.path("detect_p99_ms").asDouble() >= p.path("detect_p50_ms").asDouble(), p.toString());
            final JsonNode ci = p.path("false_per_hour_ci95");
            assertTrue(ci.get(0).asDouble() <= p.path("false_per_hour").asDouble(), p.toString());
            assertTrue(ci.get(1).asDouble() > p.path("false_per_hour").asDouble(), p.toString());
        }
        try (java.util.stream.Stream<Path> shm = Files.list(Path.of("/dev/shm")))
        {
            assertEquals(0, shm.filter(f -> f.getFileName().toString().startsWith("lab-detectors-")).count(),
                "the media driver's directory is removed");
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            // no /dev/shm here: the driver used the temporary folder
        }

        final Outcome report = lab("report", dir.toString());
        assertEquals(0, report.code(), report.err());
        final String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("over Aeron IPC in one process, real clock"), "labelled with its transport");
        assertTrue(html.contains(">phi p50<"), "a line per detector");
    }

    @Test
    void shouldRejectBadTransportChoicesBeforeAnyWork()
    {
        assertBadInput("--transport takes sim or ipc", "detectors", "--transport", "udp");
        assertBadInput("swim runs in the simulation only", "detectors", "--transport", "ipc", "--detectors",
            "timeout,swim");
        assertBadInput("swim runs in the simulation only", "detectors", "--transport", "ipc", "--opt",
            "failure-detector=swim");
        assertBadInput("--transport ipc runs in real time", "detectors", "--transport", "ipc", "--healthy", "61m");
        assertBadInput("--transport ipc runs in real time", "detectors", "--transport", "ipc", "--crashes",
            "5000");
    }

    @Test
    void shouldRejectBadDetectorParametersBeforeAnyWork()
    {
        assertBadInput("phi-threshold must be > 0", "detectors", "--phi-thresholds", "8,0");
        assertBadInput("phi-threshold must be > 0", "detectors", "--opt", "failure-detector=phi", "--opt",
            "phi-threshold=-1");
        assertBadInput("fd-window must be >= 2", "detectors", "--fd-window", "1");
        assertBadInput("fd-window must be >= 2", "detectors", "--opt", "failure-detector=phi", "--opt",
            "fd-window=1");
        assertBadInput("do not apply to failure-detector=timeout", "detectors", "--opt", "phi-threshold=3");
        assertBadInput("--detectors takes timeout, phi and swim", "detectors", "--detectors", "gossip");
        assertBadInput("--loss must be in [0, 1)", "detectors", "--loss", "1");
        assertBadInput("--members must be >= 3", "detectors", "--members", "2");
    }
}
