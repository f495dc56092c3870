package lab.harness.aeron;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;

/**
 * What the Aeron transport of one process reported: its media driver, its Aeron client and its node agents.
 *
 * <p>Errors are recorded as Aeron records its own (the driver's error log in its CnC file is a
 * {@link DistinctErrorLog}): one entry per distinct error (class, message and stack trace), with how often and when
 * it was first and last seen, per source. An error is not in itself the end of a run: the driver refuses a forged
 * SETUP frame with a ConfigurationException and carries on, and so does the node. Fatal are only
 * <ul>
 *     <li>an error of the Aeron client that Aeron marks fatal ({@link AeronException#isFatal}: the client lost its
 *     driver, e.g. DriverTimeoutException), and</li>
 *     <li>a failure of a node agent itself ({@link NodeAgent.NodeFailure}: the endpoint or its outbox threw, so the
 *     node's state may be half-updated),</li>
 * </ul>
 * kept as one line naming who hit it ({@link #fatal()}).
 *
 * <p>Handlers are thread-safe (the driver's threads, the client conductor and node threads call them).
 */
public final class TransportErrors
{
    private static final int LOG_LENGTH = 64 * 1024;

    /**
     * One source of errors (a driver, a client, a node's agent) with its own distinct log.
     */
    private static final class Source implements ErrorHandler
    {
        private final String name;
        private final boolean clientSide;
        private final TransportErrors owner;
        private final DistinctErrorLog log = new DistinctErrorLog(
            new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(LOG_LENGTH)), SystemEpochClock.INSTANCE);
        private final AtomicLong observations = new AtomicLong();
        private final AtomicLong unrecorded = new AtomicLong();

        Source(final String name, final boolean clientSide, final TransportErrors owner)
        {
            this.name = name;
            this.clientSide = clientSide;
            this.owner = owner;
        }

        public void onError(final Throwable t)
        {
            observations.incrementAndGet();
            if (!log.record(t))
            {
                unrecorded.incrementAndGet(); // the log is full: still counted
            }
            if (t instanceof NodeAgent.NodeFailure)
            {
                owner.fatal.compareAndSet(null, oneLine(t)); // names the node
            }
            else if (clientSide && AeronException.isFatal(t))
            {
                owner.fatal.compareAndSet(null, name + ": " + oneLine(t));
            }
        }
    }

    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();

    /**
     * The handler for a media driver's context: everything it reports is counted, nothing is fatal (if the driver
     * really stops, its clients time out, and that is fatal).
     */
    public ErrorHandler driver(final String name)
    {
        return add(name, false);
    }

    /**
     * The handler for an Aeron client's context and for node agent runners: fatal when Aeron says so or when a node
     * agent failed.
     */
    public ErrorHandler client(final String name)
    {
        return add(name, true);
    }

    private ErrorHandler add(final String name, final boolean clientSide)
    {
        final Source source = new Source(name, clientSide, this);
        sources.add(source);
        return source;
    }

    /**
     * @return the first fatal error as one line naming who hit it, or null.
     */
    public String fatal()
    {
        return fatal.get();
    }

    /**
     * @return every error observed (every observation of every distinct error).
     */
    public long count()
    {
        long n = 0;
        for (final Source s : sources)
        {
            n += s.observations.get();
        }
        return n;
    }

    /**
     * @return observations per source, sources without errors included.
     */
    public Map<String, Long> bySource()
    {
        final Map<String, Long> counts = new TreeMap<>();
        for (final Source s : sources)
        {
            counts.merge(s.name, s.observations.get(), Long::sum);
        }
        return counts;
    }

    /**
     * @return one line per distinct error: {@code "<source>: <count>x <exception class>: <message>"}.
     */
    public List<String> distinct()
    {
        return distinct(0);
    }

    /**
     * @return one line per distinct error last seen at or after {@code sinceEpochMs} (its count is since the start).
     */
    public List<String> distinct(final long sinceEpochMs)
    {
        final List<String> lines = new ArrayList<>();
        for (final Source s : sources)
        {
            ErrorLogReader.read(s.log.buffer(), (count, firstMs, lastMs, encoded) ->
                lines.add(s.name + ": " + count + "x " + firstLine(encoded)), sinceEpochMs);
            if (s.unrecorded.get() > 0)
            {
                lines.add(s.name + ": " + s.unrecorded.get() + "x not recorded (distinct error log full)");
            }
        }
        return lines;
    }

    /**
     * The {@code transport_errors} entry of transport_stats: {@code total}, the count per source and the distinct
     * errors (one line each).
     */
    public Map<String, Object> report()
    {
        return report(count(), bySource(), distinct());
    }

    /**
     * The {@code transport_errors} entry from parts (a multi-process run adds up what every process reported).
     */
    public static Map<String, Object> report(final long total, final Map<String, Long> bySource,
        final List<String> distinct)
    {
        final Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("total", total);
        report.putAll(bySource);
        report.put("distinct", distinct);
        return report;
    }

    /**
     * @return the error as one line (a {@link NodeAgent.NodeFailure} as its message, which names the node).
     */
    public static String oneLine(final Throwable t)
    {
        return firstLine(t instanceof NodeAgent.NodeFailure ? t.getMessage() : String.valueOf(t));
    }

    private static String firstLine(final String text)
    {
        final int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
