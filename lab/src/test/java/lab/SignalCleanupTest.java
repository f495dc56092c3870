package lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A lab run stopped from outside (SIGTERM, SIGHUP) cleans up as Ctrl-C does: the JVM ends within a bound, no process
 * of the run is left and none of its Aeron directories stays in /dev/shm, and stderr says what was not kept.
 *
 * <p>The run is a child JVM on this JVM's class path (which holds every protocol module, as for node processes).
 * Its directories are read from {@code /proc/PID/maps} of the run and of its node processes while they run (the
 * driver maps its cnc.dat and term buffers there), so other runs on the machine cannot confuse the check.
 */
class SignalCleanupTest
{
    private static final Pattern AERON_DIR = Pattern.compile("(/dev/shm/lab-aeron-[^/\\s]+)");
    private static final long EXIT_BOUND_MS = 15_000;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "HUP"})
    void inProcessRunCleansUpOnSignal(final String signal) throws Exception
    {
        // Under nohup (or any parent that ignores SIGHUP) the run inherits SIGHUP ignored, and a JVM that starts with
        // a signal ignored keeps it ignored: that is what nohup asks for, not a cleanup to test.
        assumeFalse("HUP".equals(signal) && ignoresSighup(), "SIGHUP is ignored in this environment (nohup?), so " +
            "the run would inherit it ignored");
        check(signal, List.of());
    }

    /**
     * @return whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), which its children inherit.
     */
    private static boolean ignoresSighup() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("SigIgn:"))
            {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1L) != 0;
            }
        }
        return false;
    }

    @Test
    void multiProcessRunCleansUpOnSigterm() throws Exception
    {
        check("TERM", List.of("--processes", "--opt", "raft-election-timeout=3s"));
    }

    private static void check(final String signal, final List<String> extra) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            new File(System.getProperty("java.home"), "bin/java").getPath(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), "lab.harness.cli.LabCommand",
            "run", "--protocol", "raft", "--duration", "60s", "--warmup", "0s", "--quiet"));
        command.addAll(extra);
        final Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final List<String> stderr = new ArrayList<>();
        final Thread reader = new Thread(() -> drain(run, stderr), "stderr-of-run");
        reader.setDaemon(true);
        reader.start();
        final Set<String> dirs = new TreeSet<>();
        final List<ProcessHandle> processes = new ArrayList<>();
        try
        {
            // Running: the run (and, with --processes, each node) has its Aeron directory mapped.
            final int expectedDirs = extra.contains("--processes") ? 4 : 1;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (dirs.size() < expectedDirs)
            {
                assertTrue(run.isAlive(), "the run ended before it was stopped: " + lines(stderr));
                assertTrue(System.nanoTime() < deadline, "the run did not start within 60 s: " + lines(stderr));
                Thread.sleep(200);
                processes.clear();
                processes.add(run.toHandle());
                run.toHandle().descendants().forEach(processes::add);
                for (final ProcessHandle p : processes)
                {
                    dirs.addAll(mappedAeronDirs(p.pid()));
                }
            }
            Thread.sleep(500);

            final long startNs = System.nanoTime();
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
            final boolean ended = run.waitFor(EXIT_BOUND_MS, TimeUnit.MILLISECONDS);
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(ended, () -> "the run did not end within " + EXIT_BOUND_MS + " ms of SIG" + signal +
                "; its stderr: " + lines(stderr) + "\nits threads:\n" + threadDump(run.pid()));
            reader.join(2000);

            for (final ProcessHandle p : processes)
            {
                final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (p.isAlive() && System.nanoTime() < waitUntil)
                {
                    Thread.sleep(50);
                }
                assertFalse(p.isAlive(), "process " + p.pid() + " of the run left running");
            }
            final List<String> left = dirs.stream().filter(d -> new File(d).exists()).collect(Collectors.toList());
            assertEquals(List.of(), left, "Aeron directories left after SIG" + signal + " (" + tookMs + " ms): " +
                lines(stderr));
            assertTrue(stderr.stream().anyMatch(l -> l.startsWith("lab: stopped by a signal") &&
                l.contains("were not written")), "stderr says what was not kept: " + lines(stderr));
        }
        finally
        {
            for (final ProcessHandle p : processes)
            {
                p.destroyForcibly();
            }
            run.destroyForcibly();
            for (final String d : dirs)
            {
                deleteQuietly(Path.of(d));
            }
        }
    }

    private static Set<String> mappedAeronDirs(final long pid)
    {
        final Set<String> dirs = new TreeSet<>();
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps")))
            {
                final Matcher m = AERON_DIR.matcher(line);
                if (m.find())
                {
                    dirs.add(m.group(1));
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // gone or not readable
        }
        return dirs;
    }

    private static void drain(final Process run, final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(run.getErrorStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // the run ended
        }
    }

    private static String lines(final List<String> lines)
    {
        synchronized (lines)
        {
            return String.join(" | ", lines);
        }
    }

    /**
     * The threads of a run that did not end (what it waits on), from {@code jcmd PID Thread.print}, bounded.
     */
    private static String threadDump(final long pid)
    {
        try
        {
            final Process jcmd = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/jcmd").getPath(),
                Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            final String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(10, TimeUnit.SECONDS);
            return dump.length() > 20_000 ? dump.substring(0, 20_000) + "..." : dump;
        }
        catch (final IOException | InterruptedException e)
        {
            return "(no thread dump: " + e + ")";
        }
    }

    private static void deleteQuietly(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (var walk = Files.walk(dir))
        {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }
}
