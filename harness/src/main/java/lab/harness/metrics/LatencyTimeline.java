package lab.harness.metrics;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * Latency over time: samples the read and write {@link Recorder}s once per interval (from the run's main thread,
 * while the node thread keeps recording wait-free), keeps a timeline of counts and percentiles, and optionally
 * writes an HdrHistogram interval log (.hlog) that HdrHistogram's own tools read as written.
 *
 * <p>Each interval is logged three times: untagged with every operation (reads and writes together), and tagged
 * "read" and "write". HistogramLogProcessor and HistogramLogAnalyzer show the untagged histograms unless asked for a
 * tag ({@code -tag write}), so a log with tagged histograms only looked empty to them.
 */
public final class LatencyTimeline implements AutoCloseable
{
    private final Recorder reads;
    private final Recorder writes;
    private final List<TimelinePoint> points = new ArrayList<>();
    private final long startNs;
    private final PrintStream logStream;
    private final HistogramLogWriter logWriter;
    private Histogram readInterval;
    private Histogram writeInterval;
    private Histogram allInterval;
    private long lastSampleNs;
    private IntervalListener intervalListener;
    private final List<Recorder> alsoFlipped = new ArrayList<>();
    private final List<Histogram> alsoFlippedScratch = new ArrayList<>();

    /**
     * @param startNs time zero of the timeline ({@link System#nanoTime()} clock).
     * @param hlog    interval log file to write, or null.
     */
    public LatencyTimeline(final long startNs, final Path hlog)
    {
        this.startNs = startNs;
        this.lastSampleNs = startNs;
        // The log's base time precedes the recorders' first interval: HistogramLogProcessor skips an interval that
        // starts before the base (it would lie before the log's time zero).
        final long baseTimeMs = System.currentTimeMillis();
        reads = OpStats.newRecorder();
        writes = OpStats.newRecorder();
        if (hlog != null)
        {
            try
            {
                logStream = new PrintStream(hlog.toFile());
            }
            catch (final FileNotFoundException ex)
            {
                throw new IllegalArgumentException("cannot write " + hlog, ex);
            }
            logWriter = new HistogramLogWriter(logStream);
            logWriter.outputLogFormatVersion();
            logWriter.outputComment("replication-lab latency in ns: untagged = all operations; tags read, write");
            logWriter.outputStartTime(baseTimeMs);
            logWriter.setBaseTime(baseTimeMs);
            logWriter.outputLegend();
        }
        else
        {
            logStream = null;
            logWriter = null;
        }
    }

    public Recorder reads()
    {
        return reads;
    }

    public Recorder writes()
    {
        return writes;
    }

    /**
     * Who sees each interval's histograms as they are taken (e.g. the fault phases that add them up).
     */
    @FunctionalInterface
    public interface IntervalListener
    {
        /** The histograms are reused after the call: add them, do not keep them. */
        void onInterval(long fromNs, long toNs, org.HdrHistogram.Histogram reads, org.HdrHistogram.Histogram writes);
    }

    /**
     * Sets the one listener of the intervals; before the first sample.
     */
    public void intervalListener(final IntervalListener listener)
    {
        this.intervalListener = listener;
    }

    /**
     * Also takes the interval of {@code recorder} at every sample, and throws it away: for the recorders of warm-up
     * operations, so that their writers see the same phase flips as the timeline's (a flip the node thread has never
     * seen is compiled as a trap that deoptimizes its hot path the first time it happens).
     */
    public void alsoFlip(final Recorder recorder)
    {
        alsoFlipped.add(recorder);
        alsoFlippedScratch.add(null);
    }

    /**
     * Takes the interval since the last sample: adds a timeline point and logs the interval histograms.
     *
     * @return the point: t_s, read/write counts, ops/s and p50/p99/max in microseconds.
     */
    public TimelinePoint sample(final long nowNs)
    {
        readInterval = reads.getIntervalHistogram(readInterval);
        writeInterval = writes.getIntervalHistogram(writeInterval);
        for (int i = 0; i < alsoFlipped.size(); i++)
        {
            alsoFlippedScratch.set(i, alsoFlipped.get(i).getIntervalHistogram(alsoFlippedScratch.get(i)));
        }
        final double seconds = Math.max(1e-9, (nowNs - lastSampleNs) / 1e9);
        if (intervalListener != null)
        {
            intervalListener.onInterval(lastSampleNs, nowNs, readInterval, writeInterval);
        }
        lastSampleNs = nowNs;
        final TimelinePoint point = new TimelinePoint(
            Math.round((nowNs - startNs) / 1e6) / 1e3,
            Math.round((readInterval.getTotalCount() + writeInterval.getTotalCount()) / seconds),
            readInterval.getTotalCount(), p50Us(readInterval), p99Us(readInterval), maxUs(readInterval),
            writeInterval.getTotalCount(), p50Us(writeInterval), p99Us(writeInterval), maxUs(writeInterval));
        points.add(point);
        if (logWriter != null)
        {
            if (allInterval == null)
            {
                allInterval = readInterval.copy();
            }
            allInterval.reset();
            allInterval.add(readInterval);
            allInterval.add(writeInterval);
            allInterval.setStartTimeStamp(Math.min(readInterval.getStartTimeStamp(), writeInterval.getStartTimeStamp()));
            allInterval.setEndTimeStamp(Math.max(readInterval.getEndTimeStamp(), writeInterval.getEndTimeStamp()));
            allInterval.setTag(null);
            logWriter.outputIntervalHistogram(allInterval);
            readInterval.setTag("read");
            writeInterval.setTag("write");
            logWriter.outputIntervalHistogram(readInterval);
            logWriter.outputIntervalHistogram(writeInterval);
        }
        return point;
    }

    private static double p50Us(final Histogram h)
    {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0;
    }

    private static double p99Us(final Histogram h)
    {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
    }

    private static double maxUs(final Histogram h)
    {
        return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
    }

    public List<TimelinePoint> points()
    {
        return points;
    }

    public void close()
    {
        if (logStream != null)
        {
            logStream.close();
        }
    }
}
