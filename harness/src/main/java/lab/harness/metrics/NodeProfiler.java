package lab.harness.metrics;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * async-profiler inside a node process (or, for an in-process run, the whole lab JVM), driven by reflection so the
 * harness needs no compile-time dependency: the
 * class {@code one.profiler.AsyncProfiler} comes from the class path when present, else from the
 * tools.profiler:async-profiler jar in the local Maven repository (its native library is inside that jar).
 * Profiles the measured run only (START to STOP); one flamegraph HTML per node.
 *
 * <p>Mode: {@code cpu} (perf events) when the kernel allows it, else {@code itimer}, else {@code wall}; the mode
 * used is reported back to the load driver and recorded in the results.
 */
public final class NodeProfiler
{
    static final String VERSION = "4.6";
    static final String CLASS_NAME = "one.profiler.AsyncProfiler";

    private Object profiler;
    private Method execute;
    private String mode;

    /**
     * @return the async-profiler jar in the local Maven repository, or null.
     */
    static Path mavenJar()
    {
        final Path jar = Paths.get(System.getProperty("user.home"), ".m2", "repository", "tools", "profiler",
            "async-profiler", VERSION, "async-profiler-" + VERSION + ".jar");
        return jar.toFile().isFile() ? jar : null;
    }

    /**
     * Starts profiling.
     *
     * @param event "auto" (cpu, then itimer, then wall) or an async-profiler event name.
     * @return the mode used.
     */
    public String start(final String event)
    {
        load();
        final String[] modes = "auto".equals(event) ? new String[] {"cpu", "itimer", "wall"} : new String[] {event};
        final StringBuilder failures = new StringBuilder();
        for (final String m : modes)
        {
            try
            {
                final String interval = "cpu".equals(m) || "wall".equals(m) ? ",interval=1ms" : "";
                execute.invoke(profiler, "start,event=" + m + interval);
                mode = m;
                return m;
            }
            catch (final ReflectiveOperationException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                failures.append(m).append(": ").append(cause.getMessage()).append("; ");
            }
        }
        throw new IllegalStateException("async-profiler could not start (" + failures + ")");
    }

    /**
     * Stops and writes the flamegraph (format from the extension, e.g. .html).
     */
    public void stop(final File file)
    {
        if (mode == null)
        {
            return;
        }
        try
        {
            final File parent = file.getAbsoluteFile().getParentFile();
            if (parent != null)
            {
                parent.mkdirs();
            }
            execute.invoke(profiler, "stop,file=" + file.getAbsolutePath());
        }
        catch (final ReflectiveOperationException ex)
        {
            final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new IllegalStateException("async-profiler stop failed: " + cause.getMessage(), cause);
        }
        finally
        {
            mode = null;
        }
    }

    /**
     * Writes the profile of the last session again in another format (from the extension: .collapsed for folded
     * stacks a script can read, .html for a flamegraph), after {@link #stop(File)}.
     */
    public void dump(final File file)
    {
        try
        {
            execute.invoke(profiler, "dump,file=" + file.getAbsolutePath());
        }
        catch (final ReflectiveOperationException ex)
        {
            final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new IllegalStateException("async-profiler dump failed: " + cause.getMessage(), cause);
        }
    }

    public boolean running()
    {
        return mode != null;
    }

    private void load()
    {
        if (profiler != null)
        {
            return;
        }
        Class<?> type;
        try
        {
            type = Class.forName(CLASS_NAME);
        }
        catch (final ClassNotFoundException ex)
        {
            final Path jar = mavenJar();
            if (jar == null)
            {
                throw new IllegalStateException("--profile needs async-profiler " + VERSION + ": put " +
                    "tools.profiler:async-profiler on the class path or in ~/.m2 (mvn dependency:get " +
                    "-Dartifact=tools.profiler:async-profiler:" + VERSION + ")");
            }
            try
            {
                final URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    NodeProfiler.class.getClassLoader());
                type = Class.forName(CLASS_NAME, true, loader);
            }
            catch (final Exception e)
            {
                throw new IllegalStateException("cannot load async-profiler from " + jar + ": " + e, e);
            }
        }
        try
        {
            profiler = type.getMethod("getInstance").invoke(null);
            execute = type.getMethod("execute", String.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new IllegalStateException("cannot load async-profiler's native library: " + cause, cause);
        }
    }
}
