package lab.harness.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.aeron.AeronVersion;

/**
 * Where and how a result was measured: CPU, cores, JVM (arguments and collectors), Aeron version, git commit, the
 * command line and start time, and how busy the machine was (load average, CPU steal), so that noise can be told
 * from a difference. Every result carries it.
 */
public final class Environment
{
    private static volatile String commandLine = "";

    /**
     * Remembers the {@code lab} command line, for every result this process writes.
     */
    public static void commandLine(final String... args)
    {
        final StringBuilder sb = new StringBuilder("lab");
        for (final String a : args)
        {
            sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"$`|&;<>()*?].*") ?
                "'" + a.replace("'", "'\\''") + "'" : a);
        }
        commandLine = sb.toString();
    }

    private Environment()
    {
    }

    public static Map<String, Object> capture()
    {
        final Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        env.put("aeron", AeronVersion.VERSION);
        env.put("commit", commit());
        env.put("host", hostName());
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        env.put("command_line", commandLine);
        env.put("start_time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        env.put("jvm_args", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        final java.util.List<String> gc = new java.util.ArrayList<>();
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().forEach(b -> gc.add(b.getName()));
        env.put("gc", gc);
        env.put("load_average", firstLine("/proc/loadavg", 3));
        env.put("cpu_steal_pct_since_boot", stealSinceBootPct());
        return env;
    }

    static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /**
     * @return the first {@code fields} fields of a file's first line (e.g. the 1, 5 and 15 minute load averages), or
     * "unknown" where the file does not exist.
     */
    private static String firstLine(final String file, final int fields)
    {
        try
        {
            final String[] parts = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).get(0).trim().split("\\s+");
            return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(fields, parts.length)));
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    /**
     * @return the share of CPU time the hypervisor took from this VM since boot (the "steal" column of /proc/stat),
     * in percent, or -1 where it cannot be read. A VM with noisy neighbours shows it.
     */
    static double stealSinceBootPct()
    {
        try
        {
            final String[] f = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0).trim()
                .split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++)
            {
                total += Long.parseLong(f[i]);
            }
            final long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return total == 0 ? -1 : Math.round(10_000.0 * steal / total) / 100.0;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    static String commit()
    {
        final String fromLauncher = System.getenv("LAB_COMMIT");
        if (fromLauncher != null && !fromLauncher.isBlank())
        {
            return fromLauncher.trim();
        }
        final String sha = run("git", "rev-parse", "--short=12", "HEAD");
        if (sha == null)
        {
            return "unknown";
        }
        final String dirty = run("git", "status", "--porcelain", "--untracked-files=no");
        return dirty != null && !dirty.isEmpty() ? sha + "-dirty" : sha;
    }

    private static String hostName()
    {
        final String h = run("hostname");
        return h == null ? "unknown" : h;
    }

    private static String run(final String... command)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return null;
            }
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? out : null;
        }
        catch (final IOException | InterruptedException ex)
        {
            return null;
        }
    }
}
