package lab.harness.report.html;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens the report in headless Chromium through scripts/check-report.sh, as a user would, where Chromium is installed
 * (Debian: apt-get install -y chromium); skipped elsewhere.
 */
class HtmlReportBrowserTest
{
    private static Path script()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path s = dir.resolve("scripts/check-report.sh");
            if (Files.isRegularFile(s))
            {
                return s;
            }
        }
        return null;
    }

    private static boolean onPath(final String command)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return false;
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }

    private static void assumeBrowser()
    {
        assumeTrue(script() != null, "scripts/check-report.sh not found");
        assumeTrue(onPath("chromium") || onPath("chromium-browser") || onPath("google-chrome"), "no Chromium");
        assumeTrue(onPath("python3") && onPath("bash") && onPath("timeout"), "no python3/bash/timeout");
    }

    private static Result check(final Path html, final Path png, final Map<String, String> env)
        throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder("bash", script().toString(), html.toString(), png.toString())
            .redirectErrorStream(true);
        pb.environment().putAll(env);
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "check-report.sh timed out");
        return new Result(p.exitValue(), out);
    }

    private record Result(int code, String output)
    {
    }

    @Test
    void shouldDrawEveryChartInHeadlessChromium(@TempDir final Path tmp) throws Exception
    {
        assumeBrowser();
        final Path dir = tmp.resolve("2025-01-01-sweep");
        Files.createDirectories(dir);
        final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (final int rate : new int[]{10_000, 50_000, 90_000})
        {
            json.writeValue(dir.resolve("run-raft-" + rate + ".json").toFile(),
                HtmlReportTest.contract("raft", 3, rate, rate / 20_000.0, Map.of("rate_per_s", rate)));
            json.writeValue(dir.resolve("run-chain-" + rate + ".json").toFile(),
                HtmlReportTest.contract("chain", 3, rate * 1.2, rate / 30_000.0, Map.of("rate_per_s", rate)));
        }
        final Path html = HtmlReport.write(List.of(dir), tmp.resolve("report.html"));
        final Path png = tmp.resolve("report.png");
        final Result ok = check(html, png, Map.of("CHECK_REPORT_HEIGHT", "3000"));
        assertEquals(0, ok.code(), ok.output());
        assertTrue(ok.output().contains("check-report: OK"), ok.output());
        for (final String id : HtmlReport.CHART_IDS)
        {
            assertTrue(ok.output().contains(id), id + " checked");
        }
        assertTrue(Files.size(png) > 10_000, "a screenshot");

        // and the check does fail when a chart is missing
        final String broken = Files.readString(html).replace("<svg id=\"chart-hops\"", "<svg id=\"chart-gone\"");
        final Path brokenHtml = tmp.resolve("broken.html");
        Files.writeString(brokenHtml, broken);
        final Result bad = check(brokenHtml, tmp.resolve("broken.png"), Map.of("CHECK_REPORT_HEIGHT", "2000"));
        assertNotEquals(0, bad.code(), bad.output());
        assertTrue(bad.output().contains("chart missing: svg#chart-hops"), bad.output());
    }
}
