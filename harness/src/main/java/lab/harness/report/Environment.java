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
 * Where a result was measured: CPU, cores, JVM, Aeron version, git commit. Every result carries it.
 */
public final class Environment
{
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
