package lab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import lab.harness.cli.LabCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab book end to end, as a user runs it: {@code lab experiment run hedging raft-batching --quick} (real
 * protocols: the quorum store and CRAQ on the simulator, Raft over Aeron IPC), then the written
 * {@code lab-book.html} opened in headless Chromium, where every chart must draw. Here because this module has
 * every protocol on its classpath. The browser half needs Chromium ({@code .ci/run} installs it); without it that
 * half is skipped, with the reason.
 */
class LabBookEndToEndTest
{
    private static final List<String> EXPERIMENTS = List.of("hedging", "raft-batching");
    private static final Pattern SVG = Pattern.compile("<svg\\b[^>]*>");
    private static final Pattern BODY = Pattern.compile("<body\\b[^>]*>");

    @Test
    void runsTwoExperimentsAndTheBookDrawsInChromium(@TempDir final Path tmp) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("experiment", "run"));
        args.addAll(EXPERIMENTS);
        args.addAll(List.of("--quick", "--results", tmp.toString()));
        final PrintStream oldOut = System.out;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            code = LabCommand.execute(args.toArray(String[]::new));
        }
        finally
        {
            System.setOut(oldOut);
        }
        final String console = out.toString(StandardCharsets.UTF_8);
        System.out.print(console);
        assertEquals(0, code, "every experiment ran: " + console);

        final Path book;
        try (Stream<Path> dirs = Files.list(tmp))
        {
            book = dirs.filter(d -> d.getFileName().toString().endsWith("-lab-book")).findFirst().orElseThrow();
        }
        // book.json: both pages, each with a verdict and the rule's figures
        final Map<?, ?> json = new ObjectMapper().readValue(book.resolve("book.json").toFile(), Map.class);
        final List<?> pages = (List<?>)json.get("experiments");
        assertEquals(EXPERIMENTS.size(), pages.size(), "pages in book.json");
        for (int i = 0; i < pages.size(); i++)
        {
            final Map<?, ?> page = (Map<?, ?>)pages.get(i);
            assertEquals(EXPERIMENTS.get(i), page.get("name"));
            final Map<?, ?> finding = (Map<?, ?>)page.get("finding");
            assertFalse(String.valueOf(finding.get("why")).startsWith("the experiment failed"), finding.toString());
            assertFalse(String.valueOf(finding.get("why")).isBlank(), "the verdict says why");
            // every run's results contract, with the command that reproduces it
            final Path runs = book.resolve("runs").resolve(EXPERIMENTS.get(i));
            try (Stream<Path> files = Files.list(runs))
            {
                final List<Path> contracts = files.filter(f -> f.toString().endsWith(".json")).toList();
                assertFalse(contracts.isEmpty(), "runs of " + EXPERIMENTS.get(i));
                final Map<?, ?> contract = new ObjectMapper().readValue(contracts.get(0).toFile(), Map.class);
                assertTrue(String.valueOf(contract.get("command")).startsWith("bin/lab run --protocol "),
                    String.valueOf(contract.get("command")));
            }
        }

        final Path html = book.resolve("lab-book.html");
        final String page = Files.readString(html);
        for (final String name : EXPERIMENTS)
        {
            assertTrue(page.contains("id=\"exp-" + name + "\""), name + "'s page");
        }

        final String chromium = chromium();
        assumeTrue(chromium != null, "no Chromium on the PATH (apt-get install -y chromium): the browser half is " +
            "skipped");
        final String dom = dumpDom(chromium, html, tmp.resolve("profile"));
        final Matcher body = BODY.matcher(dom);
        assertTrue(body.find(), "the dumped DOM has a <body>");
        final String charts = attribute(body.group(), "data-charts");
        assertTrue(charts != null, "the page's script ran: " + body.group());
        assertEquals(charts, attribute(body.group(), "data-charts-drawn"), "every chart drew: " + body.group());
        int drawn = 0;
        final Matcher svg = SVG.matcher(dom);
        while (svg.find())
        {
            final String tag = svg.group();
            final String cls = attribute(tag, "class");
            if (cls != null && List.of(cls.split(" ")).contains("chart"))
            {
                assertEquals("yes", attribute(tag, "data-drawn"), "drawn: " + tag);
                drawn++;
            }
        }
        for (final String name : EXPERIMENTS)
        {
            assertTrue(dom.contains("id=\"exp-" + name + "-chart-0\""), name + "'s chart is in the rendered page");
        }
        assertTrue(drawn >= EXPERIMENTS.size(), drawn + " charts drawn");
        assertEquals(Integer.parseInt(charts), drawn, "charts counted by the page's script and here");
    }

    private static String attribute(final String tag, final String name)
    {
        final Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Opens the file with the network blocked and returns the DOM after the page's script ran (the same flags as
     * scripts/check-report.sh).
     */
    private static String dumpDom(final String chromium, final Path html, final Path profile) throws Exception
    {
        final ProcessBuilder pb = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString());
        final Path log = profile.resolveSibling("chromium.log");
        final Path dom = profile.resolveSibling("dom.html");
        pb.redirectError(log.toFile()).redirectOutput(dom.toFile());
        final Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS))
        {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium --dump-dom did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), "chromium --dump-dom: " + Files.readString(log));
        return Files.readString(dom);
    }

    private static String chromium()
    {
        final String path = System.getenv("PATH");
        for (final String c : List.of("chromium", "chromium-browser", "google-chrome"))
        {
            for (final String dir : path == null ? new String[0] : path.split(File.pathSeparator))
            {
                if (Files.isExecutable(Path.of(dir, c)))
                {
                    return Path.of(dir, c).toString();
                }
            }
        }
        return null;
    }
}
