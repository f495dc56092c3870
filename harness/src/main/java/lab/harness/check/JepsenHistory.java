package lab.harness.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Saves histories for later checking: as Jepsen EDN, for Knossos or Elle, and as JSON lines, which
 * {@link #readJsonLines(Path)} reads back exactly.
 * <p>
 * JSON lines hold one operation per line:
 * {@code {"process":3,"kind":"WRITE","key":5,"value":7,"invokeNs":100,"completeNs":250,"outcome":"OK",
 * "invokeIndex":4,"completeIndex":9}}; the two indexes (the events' places in the history) are optional on reading.
 */
public final class JepsenHistory
{
    // A line holds one value: "{...} trailing" is an error, not the object before it.
    private static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int INVOKE = 0;
    private static final int COMPLETE = 1;

    private JepsenHistory()
    {
    }

    public static void writeEdn(final List<Operation> history, final Path file) throws IOException
    {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            writeEdn(history, out);
        }
    }

    /**
     * Write one Jepsen event map a line, an invoke then a completion per operation, in time order, each with its
     * {@code :index} in the history, e.g.
     * {@code {:index 0, :process 3, :type :invoke, :f :write, :value [5 7], :time 120}}.
     * <p>
     * Times are nanoseconds since the first invoke, as Jepsen's are since the test start. Histories the lab records
     * give no two events the same time ({@link HistoryRecorder}), so their order is the order the lab observed. For
     * other histories, at equal times an invoke goes before a completion, so that touching operations stay
     * concurrent, except that a process's completion always goes before its own next invoke. Processes are numbered
     * as Jepsen numbers them: the n sessions of the history are 0..n-1 (in the order they first invoke; the JSON lines
     * keep the session ids). Jepsen takes a process whose operation ended :info as crashed and never reuses it, so a
     * session's operations after an indeterminate one go on as process p + n (then p + 2n...).
     */
    public static void writeEdn(final List<Operation> history, final Writer out) throws IOException
    {
        final long[] processes = jepsenProcesses(history);
        final long startNs = history.stream().mapToLong(Operation::invokeNs).min().orElse(0);
        final StringBuilder line = new StringBuilder(128);
        final long[] timesNs = new long[2 * history.size()];
        final int[] events = eventOrder(history, processes, timesNs);
        for (int i = 0; i < events.length; i++)
        {
            final int index = events[i] >> 1;
            appendEdn(line, i, history.get(index), processes[index], events[i] & 1, timesNs[i] - startNs, out);
        }
    }

    public static void writeJsonLines(final List<Operation> history, final Path file) throws IOException
    {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            writeJsonLines(history, out);
        }
    }

    /**
     * One operation a line, in the list's order, with the positions of its invoke and completion among all the
     * history's events ({@code invokeIndex}, {@code completeIndex}: 0, 1, 2, ... in the order of the EDN file, which
     * for histories the lab records is the order it observed).
     */
    public static void writeJsonLines(final List<Operation> history, final Writer out) throws IOException
    {
        final int[] events = eventOrder(history, jepsenProcesses(history), new long[2 * history.size()]);
        final int[] position = new int[events.length];
        for (int i = 0; i < events.length; i++)
        {
            position[events[i]] = i;
        }

        final JsonGenerator generator = MAPPER.getFactory().createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setRootValueSeparator(null); // lines are separated by the newline alone, not also a space
        for (int i = 0; i < history.size(); i++)
        {
            final Operation op = history.get(i);
            generator.writeStartObject();
            generator.writeNumberField("process", op.process());
            generator.writeStringField("kind", op.kind().name());
            generator.writeNumberField("key", op.key());
            generator.writeNumberField("value", op.value());
            generator.writeNumberField("invokeNs", op.invokeNs());
            generator.writeNumberField("completeNs", op.completeNs());
            generator.writeStringField("outcome", op.outcome().name());
            generator.writeNumberField("invokeIndex", position[2 * i + INVOKE]);
            generator.writeNumberField("completeIndex", position[2 * i + COMPLETE]);
            generator.writeEndObject();
            generator.writeRaw('\n');
        }
        generator.flush();
    }

    /**
     * @param timesNs filled with each event's time, in the order returned.
     * @return the history's events in order, each as {@code 2 * operation index + phase}.
     */
    static int[] eventOrder(final List<Operation> history, final long[] processes, final long[] timesNs)
    {
        final int count = history.size();
        final long[][] events = new long[2 * count][];
        for (int i = 0; i < count; i++)
        {
            final Operation op = history.get(i);
            events[2 * i] = new long[]{ op.invokeNs(), INVOKE, i };
            events[2 * i + 1] = new long[]{ Math.max(op.completeNs(), op.invokeNs()), COMPLETE, i };
        }
        Arrays.sort(events, Comparator.<long[]>comparingLong((e) -> e[0]).thenComparingLong((e) -> e[1])
            .thenComparingLong((e) -> e[2]));

        final int[] order = new int[2 * count];
        int next = 0;
        final boolean[] completed = new boolean[count];
        final Map<Long, Integer> openByProcess = new HashMap<>();
        for (final long[] event : events)
        {
            final int index = (int)event[2];
            if (INVOKE == event[1])
            {
                final Integer open = openByProcess.put(processes[index], index);
                if (null != open && !completed[open])
                {
                    // A process's completion goes before its own next invoke, at that invoke's time.
                    completed[open] = true;
                    timesNs[next] = event[0];
                    order[next++] = 2 * open + COMPLETE;
                }
                timesNs[next] = event[0];
                order[next++] = 2 * index + INVOKE;
            }
            else if (!completed[index])
            {
                completed[index] = true;
                openByProcess.remove(processes[index], index);
                timesNs[next] = event[0];
                order[next++] = 2 * index + COMPLETE;
            }
        }

        return order;
    }

    public static List<Operation> readJsonLines(final Path file) throws IOException
    {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return readJsonLines(in, file.toString());
        }
    }

    /**
     * @param source names the input in error messages.
     * @throws IOException on a read error or a malformed line, naming the line.
     */
    public static List<Operation> readJsonLines(final BufferedReader in, final String source) throws IOException
    {
        final List<Operation> history = new ArrayList<>();
        int lineNumber = 0;
        String line;
        while (true)
        {
            try
            {
                line = in.readLine();
            }
            catch (final CharacterCodingException ex)
            {
                throw new IOException(source + ":" + (lineNumber + 1) + ": not UTF-8 text", ex);
            }
            if (null == line)
            {
                break;
            }
            lineNumber++;
            if (line.isBlank())
            {
                continue;
            }

            try
            {
                history.add(parse(MAPPER.readTree(line)));
            }
            catch (final JsonProcessingException ex)
            {
                final String where = null == ex.getLocation() ? "" : " at column " + ex.getLocation().getColumnNr();
                throw new IOException(source + ":" + lineNumber + ": not JSON" + where + ": " +
                    oneLine(ex.getOriginalMessage()), ex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IOException(source + ":" + lineNumber + ": not an operation: " + ex.getMessage(), ex);
            }
        }

        return history;
    }

    private static String oneLine(final String message)
    {
        return null == message ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static Operation parse(final JsonNode node)
    {
        if (null == node || !node.isObject())
        {
            throw new IllegalArgumentException("a JSON object expected, got " +
                (null == node || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        final JsonNode value = node.get("value");
        final long invokeNs = requiredLong(node, "invokeNs");
        final long completeNs = requiredLong(node, "completeNs");
        if (completeNs < invokeNs)
        {
            throw new IllegalArgumentException("completeNs " + completeNs + " is before invokeNs " + invokeNs);
        }
        for (final String index : new String[]{ "invokeIndex", "completeIndex" })
        {
            if (node.has(index) && !isLong(node.get(index)))
            {
                throw new IllegalArgumentException(index + " is not an integer: " + brief(node.get(index)));
            }
        }

        return new Operation(
            requiredLong(node, "process"),
            requiredEnum(node, "kind", Operation.Kind.class),
            requiredLong(node, "key"),
            null == value || value.isNull() ? Operation.NIL : requiredLong(node, "value"),
            invokeNs,
            completeNs,
            requiredEnum(node, "outcome", Operation.Outcome.class));
    }

    private static JsonNode required(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (null == value || value.isNull())
        {
            throw new IllegalArgumentException("missing " + field);
        }

        return value;
    }

    private static boolean isLong(final JsonNode value)
    {
        return value.isIntegralNumber() && value.canConvertToLong();
    }

    private static long requiredLong(final JsonNode node, final String field)
    {
        final JsonNode value = required(node, field);
        if (!isLong(value))
        {
            throw new IllegalArgumentException(field + " is not a 64-bit integer: " + brief(value));
        }

        return value.asLong();
    }

    private static <E extends Enum<E>> E requiredEnum(final JsonNode node, final String field, final Class<E> type)
    {
        final JsonNode value = required(node, field);
        final E[] constants = type.getEnumConstants();
        if (value.isTextual())
        {
            for (final E constant : constants)
            {
                if (constant.name().equals(value.asText()))
                {
                    return constant;
                }
            }
        }
        final StringBuilder names = new StringBuilder();
        for (final E constant : constants)
        {
            names.append(names.length() == 0 ? "" : "|").append(constant.name());
        }
        throw new IllegalArgumentException(field + " must be " + names + ", got " + brief(value));
    }

    private static String brief(final JsonNode value)
    {
        final String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static long[] jepsenProcesses(final List<Operation> history)
    {
        final int count = history.size();
        final Integer[] byInvoke = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            byInvoke[i] = i;
        }
        Arrays.sort(byInvoke, Comparator.comparingLong((i) -> history.get(i).invokeNs()));

        // Jepsen's numbering: the history's processes (the lab's session ids, large numbers) become 0..n-1 in the
        // order they first invoke, and a process whose operation ended :info goes on as itself + n, as Jepsen's
        // generator numbers a crashed worker's successor.
        final Map<Long, Long> current = new HashMap<>();
        for (final int index : byInvoke)
        {
            current.putIfAbsent(history.get(index).process(), (long)current.size());
        }
        final long concurrency = current.size();
        final long[] processes = new long[count];
        for (final int index : byInvoke)
        {
            final Operation op = history.get(index);
            final long process = current.get(op.process());
            processes[index] = process;
            if (Operation.Outcome.INFO == op.outcome())
            {
                current.put(op.process(), process + concurrency);
            }
        }

        return processes;
    }

    private static void appendEdn(
        final StringBuilder line,
        final int eventIndex,
        final Operation op,
        final long process,
        final int phase,
        final long timeNs,
        final Writer out) throws IOException
    {
        final boolean showValue = op.isWrite() || (COMPLETE == phase && Operation.Outcome.OK == op.outcome());
        final String type = INVOKE == phase ? "invoke" : op.outcome().name().toLowerCase();

        line.setLength(0);
        line.append("{:index ").append(eventIndex)
            .append(", :process ").append(process)
            .append(", :type :").append(type)
            .append(", :f :").append(op.isWrite() ? "write" : "read")
            .append(", :value [").append(op.key()).append(' ')
            .append(showValue ? Operation.valueText(op.value()) : "nil")
            .append("], :time ").append(timeNs).append("}\n");
        out.append(line);
    }
}
