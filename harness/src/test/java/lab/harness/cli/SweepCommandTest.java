package lab.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepCommandTest
{
    @Test
    void shouldRecordTheBoundForTheReportAndDrawItsSweepPages(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true));
        try
        {
            assertEquals(0, LabCommand.execute("sweep", "--transport", "sim", "--protocol", "none", "--replicas", "1",
                "--rates", "4000,2000", "--p99-bound", "50ms", "--duration", "200ms", "--warmup", "0",
                "--results", dir.toString()));
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
        final JsonNode first = mapper.readTree(folder.resolve("run-none-r1-0.json").toFile());
        assertEquals(50_000, first.path("sweep").path("p99_bound_us").asDouble());
        assertEquals(4000, first.path("sweep").path("load").asDouble(), "the requested rate of the point");
        assertEquals(2000, mapper.readTree(folder.resolve("run-none-r1-1.json").toFile()).path("sweep").path("load")
            .asDouble());
        final String html = Files.readString(folder.resolve("report.html"));
        assertTrue(html.contains("p99 bound 50 ms") && html.contains("id=\"chart-requested-achieved\""));
        final String text = out.toString();
        assertTrue(text.contains("[1/2, about ") && text.contains("[2/2]"), text);
        // the sweep's text and the report's table name the same knee: one simulated node keeps up with 4k ops/s
        assertTrue(text.contains("saturation none             N=1: 4000/s"), text);
        assertTrue(html.contains("<td class=\"num\">4000 ops/s requested</td>"), "the report's knee");
    }
}
