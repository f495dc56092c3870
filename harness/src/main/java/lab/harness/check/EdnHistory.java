package lab.harness.check;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import us.bpsm.edn.EdnException;
import us.bpsm.edn.Keyword;
import us.bpsm.edn.parser.Parseable;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/**
 * Reads a Jepsen history in EDN, as {@link JepsenHistory#writeEdn} writes it and as Jepsen's independent-key
 * register tests record it: one event map after another, {@code {:process 3, :type :invoke, :f :write,
 * :value [5 7], :time 120}}. An invoke opens an operation of its process; the process's next :ok, :fail or :info
 * completes it. An operation still open at the end is indeterminate (:info). Values are the lab's: integers, nil for
 * a register never written.
 */
public final class EdnHistory
{
    private static final Keyword PROCESS = Keyword.newKeyword("process");
    private static final Keyword TYPE = Keyword.newKeyword("type");
    private static final Keyword F = Keyword.newKeyword("f");
    private static final Keyword VALUE = Keyword.newKeyword("value");
    private static final Keyword TIME = Keyword.newKeyword("time");

    private EdnHistory()
    {
    }

    /**
     * @throws IOException with a one-line message naming the file and the event when it is not such a history.
     */
    public static List<Operation> read(final Path file) throws IOException
    {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return read(in, file.toString());
        }
    }

    public static List<Operation> read(final Reader in, final String source) throws IOException
    {
        final Parser parser = Parsers.newParser(Parsers.defaultConfiguration());
        final Parseable parseable = Parsers.newParseable(in);
        final List<Operation> history = new ArrayList<>();
        final Map<Long, Object[]> open = new HashMap<>(); // process -> {invoke event, its place in the history}
        long lastTime = 0;
        for (int event = 0; ; event++)
        {
            final Object next;
            try
            {
                next = parser.nextValue(parseable);
            }
            catch (final EdnException ex)
            {
                throw new IOException(source + ": event " + event + " is not EDN: " + oneLine(ex.getMessage()));
            }
            if (next == Parser.END_OF_INPUT)
            {
                break;
            }
            if (!(next instanceof Map))
            {
                throw new IOException(source + ": event " + event + " is not a map: " + next);
            }
            final Map<?, ?> m = (Map<?, ?>)next;
            final long process = integer(m, PROCESS, source, event);
            final String type = keyword(m, TYPE, source, event);
            final String f = keyword(m, F, source, event);
            final long time = integer(m, TIME, source, event);
            final Object value = m.get(VALUE);
            if (!(value instanceof List) || ((List<?>)value).size() != 2)
            {
                throw new IOException(source + ": event " + event + ": :value must be [key value], got " + value);
            }
            final long key = number(((List<?>)value).get(0), "key", source, event);
            final Object v = ((List<?>)value).get(1);
            final long val = v == null ? Operation.NIL : number(v, "value", source, event);
            if (!"read".equals(f) && !"write".equals(f))
            {
                throw new IOException(source + ": event " + event + ": :f must be :read or :write, got :" + f);
            }
            lastTime = Math.max(lastTime, time);
            if ("invoke".equals(type))
            {
                if (open.containsKey(process))
                {
                    throw new IOException(source + ": event " + event + ": process " + process + " invokes while " +
                        "its previous operation is still open");
                }
                open.put(process, new Object[]{new Operation(process, "write".equals(f) ? Operation.Kind.WRITE :
                    Operation.Kind.READ, key, val, time, time, Operation.Outcome.INFO), history.size()});
                history.add(null); // its place, in invoke order
                continue;
            }
            final Operation.Outcome outcome;
            switch (type)
            {
                case "ok": outcome = Operation.Outcome.OK; break;
                case "fail": outcome = Operation.Outcome.FAIL; break;
                case "info": outcome = Operation.Outcome.INFO; break;
                default:
                    throw new IOException(source + ": event " + event + ": unknown :type :" + type);
            }
            final Object[] invoked = open.remove(process);
            if (invoked == null)
            {
                throw new IOException(source + ": event " + event + ": process " + process + " completes an " +
                    "operation it never invoked");
            }
            final Operation op = (Operation)invoked[0];
            if (op.key() != key || op.isWrite() != "write".equals(f))
            {
                throw new IOException(source + ": event " + event + ": process " + process + " completes another " +
                    "operation than it invoked");
            }
            final long completed = op.isRead() && outcome == Operation.Outcome.OK ? val : op.value();
            history.set((Integer)invoked[1], new Operation(process, op.kind(), key, completed, op.invokeNs(), time,
                outcome));
        }
        for (final Object[] invoked : open.values()) // never completed: indeterminate until the end of the history
        {
            final Operation op = (Operation)invoked[0];
            history.set((Integer)invoked[1], new Operation(op.process(), op.kind(), op.key(), op.value(),
                op.invokeNs(), Math.max(lastTime, op.invokeNs()), Operation.Outcome.INFO));
        }
        return history;
    }

    private static long integer(final Map<?, ?> m, final Keyword k, final String source, final int event)
        throws IOException
    {
        return number(m.get(k), ":" + k.getName(), source, event);
    }

    private static long number(final Object v, final String what, final String source, final int event)
        throws IOException
    {
        if (v instanceof Long || v instanceof Integer)
        {
            return ((Number)v).longValue();
        }
        throw new IOException(source + ": event " + event + ": " + what + " must be an integer, got " + v);
    }

    private static String keyword(final Map<?, ?> m, final Keyword k, final String source, final int event)
        throws IOException
    {
        final Object v = m.get(k);
        if (v instanceof Keyword)
        {
            return ((Keyword)v).getName();
        }
        throw new IOException(source + ": event " + event + ": :" + k.getName() + " must be a keyword, got " + v);
    }

    private static String oneLine(final String message)
    {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
