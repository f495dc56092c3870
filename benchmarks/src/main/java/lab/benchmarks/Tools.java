package lab.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import lab.core.ProtocolFactory;
import lab.core.Protocols;

/**
 * Helpers for {@code bin/lab-jmh}, run as {@code java -cp benchmarks.jar lab.benchmarks.Tools COMMAND}:
 * <ul>
 *   <li>{@code async-lib [PATH]}: copies async-profiler's native library, bundled in the
 *   {@code tools.profiler:async-profiler} jar (and so in benchmarks.jar) as {@code linux-x64/libasyncProfiler.so},
 *   {@code linux-arm64/...} or {@code macos/...}, to PATH (default {@code benchmarks/target/libasyncProfiler.so})
 *   and prints its absolute path, for {@code -prof "async:libPath=PATH;..."}.</li>
 *   <li>{@code protocols}: prints the replicated protocols in this build, comma-separated, for
 *   {@code -p protocol=...}.</li>
 * </ul>
 */
public final class Tools
{
    private static final String[] BASELINES = { "none", "echo" };

    private Tools()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final String command = args.length > 0 ? args[0] : "";
        switch (command)
        {
            case "async-lib":
                System.out.println(extractAsyncProfiler(
                    Paths.get(args.length > 1 ? args[1] : "benchmarks/target/libasyncProfiler.so")));
                break;
            case "protocols":
                System.out.println(String.join(",", replicatedProtocols()));
                break;
            default:
                System.err.println("usage: Tools async-lib [PATH] | protocols");
                System.exit(2);
        }
    }

    /**
     * @return the library's resource name in the async-profiler jar for this OS and architecture.
     */
    static String asyncProfilerResource()
    {
        final String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (os.contains("mac"))
        {
            return "macos/libasyncProfiler.so";
        }
        if (os.contains("linux"))
        {
            return (arch.equals("aarch64") || arch.equals("arm64") ? "linux-arm64" : "linux-x64") +
                "/libasyncProfiler.so";
        }
        throw new IllegalStateException("async-profiler has no library for " + os + "/" + arch);
    }

    /**
     * Copies the bundled library to {@code target} (replacing any earlier copy).
     */
    public static Path extractAsyncProfiler(final Path target) throws IOException
    {
        final String resource = asyncProfilerResource();
        final Path absolute = target.toAbsolutePath();
        try (InputStream in = Tools.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException(resource + " is not on the class path (tools.profiler:async-profiler)");
            }
            if (absolute.getParent() != null)
            {
                Files.createDirectories(absolute.getParent());
            }
            final Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return absolute;
    }

    static List<String> replicatedProtocols()
    {
        final List<String> names = new ArrayList<>();
        for (final ProtocolFactory f : Protocols.all())
        {
            if (!List.of(BASELINES).contains(f.name()))
            {
                names.add(f.name());
            }
        }
        return names;
    }
}
