package lab.harness.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Saves histories for later checking: as Jepsen EDN, for Knossos or Elle, and as JSON lines, which
 * {@link #readJsonLines(Path)} reads back exactly.
 * <p>
 * JSON lines hold one operation per line:
 * {@code {"process":3,"kind":"WRITE","key":5,"value":7,"invokeNs":100,"completeNs":250,"outcome":"OK"}}.
 */
public final class JepsenHistory
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
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
     * Write one Jepsen event map a line, an invoke then a completion per operation, in time order, e.g.
     * {@code {:process 3, :type :invoke, :f :write, :value [5 7], :time 120}}.
     * <p>
     * Times are nanoseconds since the first invoke, as Jepsen's are since the test start. At equal times an invoke
     * goes before a completion, so that touching operations stay concurrent, except that a process's completion
     * always goes before its own next invoke. Jepsen takes a process whose operation ended :info as crashed and
     * never reuses it, so a process's operations after an indeterminate one get a fresh process number above all
     * those in the history.
     */
    public static void writeEdn(final List<Operation> history, final Writer out) throws IOException
    {
        final int count = history.size();
        final long[] processes = jepsenProcesses(history);
        final long startNs = history.stream().mapToLong(Operation::invokeNs).min().orElse(0);

        final List<long[]> events = new ArrayList<>(2 * count);
        for (int i = 0; i < count; i++)
        {
            final Operation op = history.get(i);
            events.add(new long[]{ op.invokeNs(), INVOKE, i });
            events.add(new long[]{ Math.max(op.completeNs(), op.invokeNs()), COMPLETE, i });
        }
        events.sort(Comparator.<long[]>comparingLong((e) -> e[0]).thenComparingLong((e) -> e[1])
            .thenComparingLong((e) -> e[2]));

        final boolean[] completed = new boolean[count];
        final Map<Long, Integer> openByProcess = new HashMap<>();
        final StringBuilder line = new StringBuilder(128);
        for (final long[] event : events)
        {
            final int index = (int)event[2];
            if (INVOKE == event[1])
            {
                final Integer open = openByProcess.put(processes[index], index);
                if (null != open && !completed[open])
                {
                    completed[open] = true;
                    appendEdn(line, history.get(open), processes[open], COMPLETE, event[0] - startNs, out);
                }
                appendEdn(line, history.get(index), processes[index], INVOKE, event[0] - startNs, out);
            }
            else if (!completed[index])
            {
                completed[index] = true;
                openByProcess.remove(processes[index], index);
                appendEdn(line, history.get(index), processes[index], COMPLETE, event[0] - startNs, out);
            }
        }
    }

    public static void writeJsonLines(final List<Operation> history, final Path file) throws IOException
    {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            writeJsonLines(history, out);
        }
    }

    public static void writeJsonLines(final List<Operation> history, final Writer out) throws IOException
    {
        final JsonGenerator generator = MAPPER.getFactory().createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        for (final Operation op : history)
        {
            generator.writeStartObject();
            generator.writeNumberField("process", op.process());
            generator.writeStringField("kind", op.kind().name());
            generator.writeNumberField("key", op.key());
            generator.writeNumberField("value", op.value());
            generator.writeNumberField("invokeNs", op.invokeNs());
            generator.writeNumberField("completeNs", op.completeNs());
            generator.writeStringField("outcome", op.outcome().name());
            generator.writeEndObject();
            generator.writeRaw('\n');
        }
        generator.flush();
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
        while (null != (line = in.readLine()))
        {
            lineNumber++;
            if (line.isBlank())
            {
                continue;
            }

            try
            {
                history.add(parse(MAPPER.readTree(line)));
            }
            catch (final JsonProcessingException | IllegalArgumentException ex)
            {
                throw new IOException(source + ":" + lineNumber + ": not an operation: " + ex.getMessage(), ex);
            }
        }

        return history;
    }

    private static Operation parse(final JsonNode node)
    {
        final JsonNode value = node.get("value");
        return new Operation(
            requiredLong(node, "process"),
            Operation.Kind.valueOf(required(node, "kind").asText()),
            requiredLong(node, "key"),
            null == value || value.isNull() ? Operation.NIL : value.asLong(),
            requiredLong(node, "invokeNs"),
            requiredLong(node, "completeNs"),
            Operation.Outcome.valueOf(required(node, "outcome").asText()));
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

    private static long requiredLong(final JsonNode node, final String field)
    {
        final JsonNode value = required(node, field);
        if (!value.canConvertToLong())
        {
            throw new IllegalArgumentException(field + " is not an integer: " + value);
        }

        return value.asLong();
    }

    private static long[] jepsenProcesses(final List<Operation> history)
    {
        final int count = history.size();
        final Integer[] byInvoke = new Integer[count];
        long nextFresh = 0;
        for (int i = 0; i < count; i++)
        {
            byInvoke[i] = i;
            nextFresh = Math.max(nextFresh, history.get(i).process() + 1);
        }
        Arrays.sort(byInvoke, Comparator.comparingLong((i) -> history.get(i).invokeNs()));

        final long[] processes = new long[count];
        final Map<Long, Long> current = new HashMap<>();
        for (final int index : byInvoke)
        {
            final Operation op = history.get(index);
            final long process = current.getOrDefault(op.process(), op.process());
            processes[index] = process;
            if (Operation.Outcome.INFO == op.outcome())
            {
                current.put(op.process(), nextFresh++);
            }
        }

        return processes;
    }

    private static void appendEdn(
        final StringBuilder line,
        final Operation op,
        final long process,
        final int phase,
        final long timeNs,
        final Writer out) throws IOException
    {
        final boolean showValue = op.isWrite() || (COMPLETE == phase && Operation.Outcome.OK == op.outcome());
        final String type = INVOKE == phase ? "invoke" : op.outcome().name().toLowerCase();

        line.setLength(0);
        line.append("{:process ").append(process)
            .append(", :type :").append(type)
            .append(", :f :").append(op.isWrite() ? "write" : "read")
            .append(", :value [").append(op.key()).append(' ')
            .append(showValue ? Operation.valueText(op.value()) : "nil")
            .append("], :time ").append(timeNs).append("}\n");
        out.append(line);
    }
}
