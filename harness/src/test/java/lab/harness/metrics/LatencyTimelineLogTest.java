package lab.harness.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The .hlog a run writes is read by HdrHistogram's own HistogramLogProcessor as written: without flags it sees every
 * operation, and {@code -tag read} / {@code -tag write} select one type.
 */
class LatencyTimelineLogTest
{
    private static final Pattern TOTAL = Pattern.compile("Total count\\s*=\\s*(\\d+)");

    @Test
    void shouldBeReadByHistogramLogProcessorWithAndWithoutATag(@TempDir final Path dir) throws Exception
    {
        final Path hlog = dir.resolve("run.hlog");
        try (LatencyTimeline timeline = new LatencyTimeline(0, hlog))
        {
            for (int interval = 0; interval < 3; interval++)
            {
                for (int i = 0; i < 100; i++)
                {
                    timeline.reads().recordValue(10_000 + i);
                }
                for (int i = 0; i < 40; i++)
                {
                    timeline.writes().recordValue(50_000 + i);
                }
                timeline.sample((interval + 1) * 100_000_000L);
            }
        }
        assertEquals(420, totalCount(hlog, dir.resolve("all")));
        assertEquals(300, totalCount(hlog, dir.resolve("read"), "-tag", "read"));
        assertEquals(120, totalCount(hlog, dir.resolve("write"), "-tag", "write"));
    }

    private static long totalCount(final Path hlog, final Path out, final String... extra) throws Exception
    {
        final String[] args = new String[4 + extra.length];
        args[0] = "-i";
        args[1] = hlog.toString();
        args[2] = "-o";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        new HistogramLogProcessor(args).run();
        final String hgrm = Files.readString(Path.of(out + ".hgrm"));
        final Matcher m = TOTAL.matcher(hgrm);
        assertTrue(m.find(), "no total count in HistogramLogProcessor's output:\n" + hgrm);
        return Long.parseLong(m.group(1));
    }
}
