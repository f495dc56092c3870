package lab.harness.aeron;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.IoUtil;

/**
 * What a lab process must undo when the JVM is stopped from outside (SIGTERM, SIGINT / Ctrl-C, SIGHUP: the JVM runs
 * its shutdown hooks on all three): close media drivers and node processes and remove their Aeron directories
 * (about 95 MB each in /dev/shm). One JVM shutdown hook, installed on first use, runs every open registration's
 * close action, each on its own thread, bounded by {@link #BOUND_MS} in all; then it deletes the registered
 * directories whether or not the close actions finished, and says on stderr, one line per registration, what it
 * closed, what it removed and what the interrupted work did not keep.
 *
 * <p>Registrations closed in the ordinary way ({@link Registration#close()}) leave nothing for the hook: a run that
 * ended normally prints nothing more.
 */
public final class ExitCleanup
{
    /**
     * Bound on the close actions together (node processes get 3 s to stop on SIGTERM before kill -9); then the
     * directories are deleted regardless.
     */
    public static final long BOUND_MS = 8000;

    private static final Object LOCK = new Object();
    private static final List<Registration> OPEN = new ArrayList<>();
    private static Thread hook;
    private static volatile boolean shuttingDown;

    private ExitCleanup()
    {
    }

    /**
     * One piece of work to undo on a signal.
     */
    public static final class Registration implements AutoCloseable
    {
        private final String what;
        private final String notKept;
        private final Runnable close;
        private final String[] dirs;
        private volatile boolean ranByHook;

        private Registration(final String what, final String notKept, final Runnable close, final String[] dirs)
        {
            this.what = what;
            this.notKept = notKept;
            this.close = close;
            this.dirs = dirs;
        }

        /**
         * @return true when the shutdown hook closed this (the JVM is stopping on a signal).
         */
        public boolean ranByHook()
        {
            return ranByHook;
        }

        /**
         * Unregisters: closed normally, nothing left for the hook.
         */
        public void close()
        {
            synchronized (LOCK)
            {
                OPEN.remove(this);
            }
        }
    }

    /**
     * Registers work to undo on a signal.
     *
     * @param what    what is running, for the message ("the in-process cluster")
     * @param notKept what the interrupted work does not keep, for the message; null for nothing to say
     * @param close   closes it (may be called concurrently with the owner's own close: make it idempotent)
     * @param dirs    directories to delete after {@code close}, even when it did not finish in time
     */
    public static Registration register(final String what, final String notKept, final Runnable close,
        final String... dirs)
    {
        final Registration r = new Registration(what, notKept, close, dirs);
        synchronized (LOCK)
        {
            if (hook == null)
            {
                hook = new Thread(ExitCleanup::runHook, "lab-exit-cleanup");
                Runtime.getRuntime().addShutdownHook(hook);
            }
            OPEN.add(r);
        }
        return r;
    }

    /**
     * @return true once the JVM has begun shutting down and the hook runs (or ran).
     */
    public static boolean shuttingDown()
    {
        return shuttingDown;
    }

    private static void runHook()
    {
        final List<Registration> open;
        synchronized (LOCK)
        {
            shuttingDown = true;
            open = new ArrayList<>(OPEN);
            OPEN.clear();
        }
        if (open.isEmpty())
        {
            return;
        }
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        final List<Thread> closers = new ArrayList<>();
        for (int i = open.size() - 1; i >= 0; i--) // the last opened first
        {
            final Registration r = open.get(i);
            r.ranByHook = true;
            final Thread t = new Thread(() ->
            {
                try
                {
                    r.close.run();
                }
                catch (final Throwable ex)
                {
                    System.err.println("lab: closing " + r.what + " on shutdown failed: " + ex);
                }
            }, "lab-exit-cleanup-" + i);
            t.setDaemon(true);
            t.start();
            closers.add(t);
        }
        boolean allClosed = true;
        for (final Thread t : closers)
        {
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            try
            {
                if (leftMs > 0)
                {
                    t.join(leftMs);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            allClosed &= !t.isAlive();
        }
        for (int i = open.size() - 1; i >= 0; i--)
        {
            final Registration r = open.get(i);
            final List<String> removed = new ArrayList<>();
            final List<String> left = new ArrayList<>();
            for (final String d : r.dirs)
            {
                if (d == null)
                {
                    continue;
                }
                final File f = new File(d);
                try
                {
                    if (f.exists())
                    {
                        IoUtil.delete(f, true);
                    }
                    removed.add(d);
                }
                catch (final RuntimeException ex)
                {
                    left.add(d + " (" + ex.getMessage() + ")");
                }
                if (f.exists())
                {
                    removed.remove(d);
                    left.add(d);
                }
            }
            final StringBuilder line = new StringBuilder("lab: stopped by a signal: closed ").append(r.what);
            if (!allClosed)
            {
                line.append(" (not finished within ").append(BOUND_MS).append(" ms)");
            }
            if (!removed.isEmpty())
            {
                line.append(", removed ").append(String.join(", ", removed));
            }
            if (!left.isEmpty())
            {
                line.append(", could not remove ").append(String.join(", ", left));
            }
            line.append(" in ").append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)).append(" ms");
            if (r.notKept != null)
            {
                line.append("; ").append(r.notKept);
            }
            System.err.println(line);
        }
        System.err.flush();
    }
}
