package lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts stale reads in an exported JSON-lines history the way an outside checker would: from the file alone, with
 * real-time order taken from the exported times only (A precedes B iff A's completion time is strictly below B's
 * invoke time; equal times are concurrent). It uses none of the lab's classes (plain JDK, its own parsing), so that
 * it can be run on its own too: {@code java lab/src/test/java/lab/ExternalStaleReadCount.java
 * h.jsonl}.
 * <p>
 * A read of key k returning v is stale when some OK write W2 of k completed before the read was invoked and
 * <ul>
 *   <li>v is nil (nothing read although W2 precedes the read), or</li>
 *   <li>v's write W1 is OK and completed before W2 was invoked (W1 precedes W2 precedes the read);</li>
 * </ul>
 * or when v was written by no write invoked before the read completed. Only OK reads count.
 */
public final class ExternalStaleReadCount
{
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?\\d+|\"[A-Z]+\"|null)");

    private ExternalStaleReadCount()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final long[] counts = count(Path.of(args[0]));
        System.out.println("reads " + counts[0] + " stale " + counts[1]);
    }

    /**
     * @return {OK reads, stale reads}.
     */
    public static long[] count(final Path file) throws IOException
    {
        final List<long[]> reads = new ArrayList<>();
        // Per key: OK writes as {invoke, complete}; per written value: {invoke, complete, ok ? 1 : 0}.
        final Map<Long, List<long[]>> okWritesByKey = new HashMap<>();
        final Map<Long, long[]> writeByValue = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.isBlank())
                {
                    continue;
                }
                final Map<String, String> f = new HashMap<>();
                final Matcher m = FIELD.matcher(line);
                while (m.find())
                {
                    f.put(m.group(1), m.group(2).replace("\"", ""));
                }
                final long key = Long.parseLong(f.get("key"));
                final long value = "null".equals(f.get("value")) ? 0 : Long.parseLong(f.get("value"));
                final long invoke = Long.parseLong(f.get("invokeNs"));
                final long complete = Long.parseLong(f.get("completeNs"));
                final boolean ok = "OK".equals(f.get("outcome"));
                if ("WRITE".equals(f.get("kind")))
                {
                    writeByValue.put(value, new long[]{invoke, complete, ok ? 1 : 0});
                    if (ok)
                    {
                        okWritesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[]{invoke, complete});
                    }
                }
                else if (ok)
                {
                    reads.add(new long[]{key, value, invoke, complete});
                }
            }
        }

        // Per key, OK writes by completion time with the running maximum of their invoke times: the newest write
        // (by invoke) among those completed before a time is a binary search away.
        final Map<Long, long[][]> byCompletion = new HashMap<>();
        okWritesByKey.forEach((key, writes) ->
        {
            writes.sort((a, b) -> Long.compare(a[1], b[1]));
            final long[] completes = new long[writes.size()];
            final long[] maxInvoke = new long[writes.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < writes.size(); i++)
            {
                completes[i] = writes.get(i)[1];
                max = Math.max(max, writes.get(i)[0]);
                maxInvoke[i] = max;
            }
            byCompletion.put(key, new long[][]{completes, maxInvoke});
        });

        long stale = 0;
        for (final long[] read : reads)
        {
            final long key = read[0];
            final long value = read[1];
            final long invoke = read[2];
            final long complete = read[3];
            final long newest = newestInvokeCompletedBefore(byCompletion.get(key), invoke);
            if (value == 0)
            {
                stale += newest == Long.MIN_VALUE ? 0 : 1;
                continue;
            }
            final long[] write = writeByValue.get(value);
            if (write == null || write[0] >= complete)
            {
                stale++;
            }
            else if (write[2] == 1 && newest != Long.MIN_VALUE && write[1] < newest)
            {
                stale++;
            }
        }

        return new long[]{reads.size(), stale};
    }

    /**
     * @return the latest invoke time among writes completed strictly before {@code time}, Long.MIN_VALUE if none.
     */
    private static long newestInvokeCompletedBefore(final long[][] writes, final long time)
    {
        if (writes == null)
        {
            return Long.MIN_VALUE;
        }
        int i = Arrays.binarySearch(writes[0], time);
        if (i >= 0)
        {
            while (i > 0 && writes[0][i - 1] == time)
            {
                i--;
            }
        }
        else
        {
            i = -i - 1;
        }

        return i == 0 ? Long.MIN_VALUE : writes[1][i - 1];
    }
}
