package lab.harness.check;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EDN the lab writes reads back as the same history, and the checker gives the same verdict on both.
 */
class EdnHistoryTest
{
    private static List<Operation> roundTrip(final List<Operation> history) throws IOException
    {
        final StringWriter edn = new StringWriter();
        JepsenHistory.writeEdn(history, edn);
        return EdnHistory.read(new StringReader(edn.toString()), "test.edn");
    }

    @Test
    void shouldReadBackWhatTheLabWrites() throws IOException
    {
        final List<Operation> history = List.of(
            Operation.write(1, 5, 7, 100, 200),
            Operation.read(2, 5, 7, 150, 260),
            Operation.read(1, 5, Operation.NIL, 10, 20),
            new Operation(3, Operation.Kind.WRITE, 6, 9, 300, 400, Operation.Outcome.INFO));
        final List<Operation> back = roundTrip(history);
        assertEquals(4, back.size());
        // Times are relative to the first invoke (10 ns): the order and the values are what count. Processes are
        // numbered from 0 in the order they first invoke, as Jepsen numbers them: session 1 is 0, session 2 is 1.
        assertTrue(back.contains(Operation.write(0, 5, 7, 90, 190)), back.toString());
        assertTrue(back.contains(Operation.read(1, 5, 7, 140, 250)), back.toString());
        assertTrue(back.contains(Operation.read(0, 5, Operation.NIL, 0, 10)), back.toString());
        assertTrue(back.stream().anyMatch(o -> o.isWrite() && o.key() == 6 && o.value() == 9 &&
            o.outcome() == Operation.Outcome.INFO), back.toString());
    }

    @Test
    void shouldGiveTheSameVerdictAsTheJsonLines() throws IOException
    {
        final LinearizabilityChecker checker = new LinearizabilityChecker();
        final List<Operation> good = List.of(Operation.write(1, 0, 3, 0, 10), Operation.read(2, 0, 3, 20, 30));
        final List<Operation> stale = List.of(Operation.write(1, 0, 3, 0, 10), Operation.read(2, 0, Operation.NIL, 20,
            30));
        assertEquals(CheckResult.Verdict.LINEARIZABLE, checker.check(roundTrip(good)).verdict());
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, checker.check(roundTrip(stale)).verdict());
    }

    @Test
    void shouldTakeAnOperationNeverCompletedAsIndeterminate() throws IOException
    {
        final List<Operation> h = EdnHistory.read(new StringReader(
            "{:process 0, :type :invoke, :f :write, :value [1 4], :time 5}\n" +
            "{:process 1, :type :invoke, :f :read, :value [1 nil], :time 6}\n" +
            "{:process 1, :type :ok, :f :read, :value [1 4], :time 9}\n"), "t.edn");
        assertEquals(Operation.Outcome.INFO, h.get(0).outcome());
        assertEquals(Operation.read(1, 1, 4, 6, 9), h.get(1));
    }

    @Test
    void shouldRejectWhatIsNotSuchAHistoryInOneLine()
    {
        for (final String bad : new String[]{
            "{:process 0, :type :invoke, :f :write, :value [1 4] :time 5",          // truncated
            "[1 2 3]",                                                              // not a map
            "{:process 0, :type :ok, :f :write, :value [1 4], :time 5}",           // completes nothing
            "{:process 0, :type :invoke, :f :cas, :value [1 4], :time 5}",          // not a register op
            "{:process \"a\", :type :invoke, :f :write, :value [1 4], :time 5}"})   // wrong type
        {
            final IOException ex = assertThrows(IOException.class,
                () -> EdnHistory.read(new StringReader(bad), "bad.edn"), bad);
            assertTrue(ex.getMessage().startsWith("bad.edn: event 0") && !ex.getMessage().contains("\n"),
                ex.getMessage());
        }
    }
}
