package lab.harness.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lab.harness.check.Operation.Outcome.FAIL;
import static lab.harness.check.Operation.Outcome.INFO;
import static lab.harness.check.Operation.read;
import static lab.harness.check.Operation.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JepsenHistoryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadBackTheJsonLinesItWrote() throws IOException
    {
        final List<Operation> history = new RegisterHistories(3, 4, 5, 100).generate(500);
        final Path file = dir.resolve("history.jsonl");

        JepsenHistory.writeJsonLines(history, file);

        assertEquals(history, JepsenHistory.readJsonLines(file));
    }

    @Test
    void shouldWriteOneJsonObjectPerOperationLine() throws IOException
    {
        final StringWriter out = new StringWriter();

        JepsenHistory.writeJsonLines(List.of(write(3, 5, 7, 100, 250)), out);

        assertEquals(
            "{\"process\":3,\"kind\":\"WRITE\",\"key\":5,\"value\":7,\"invokeNs\":100,\"completeNs\":250," +
            "\"outcome\":\"OK\",\"invokeIndex\":0,\"completeIndex\":1}\n",
            out.toString());
    }

    @Test
    void shouldStartEveryJsonLineWithItsObjectAndIndexEventsInOrder() throws IOException
    {
        final StringWriter out = new StringWriter();

        JepsenHistory.writeJsonLines(List.of(write(3, 5, 7, 100, 250), read(4, 5, 7, 200, 300)), out);

        assertEquals(
            "{\"process\":3,\"kind\":\"WRITE\",\"key\":5,\"value\":7,\"invokeNs\":100,\"completeNs\":250," +
            "\"outcome\":\"OK\",\"invokeIndex\":0,\"completeIndex\":2}\n" +
            "{\"process\":4,\"kind\":\"READ\",\"key\":5,\"value\":7,\"invokeNs\":200,\"completeNs\":300," +
            "\"outcome\":\"OK\",\"invokeIndex\":1,\"completeIndex\":3}\n",
            out.toString());
    }

    @Test
    void shouldNameTheLineOfAMalformedOperation()
    {
        final String text = "{\"process\":3,\"kind\":\"WRITE\",\"key\":5,\"value\":7,\"invokeNs\":100," +
            "\"completeNs\":250,\"outcome\":\"OK\"}\n\n{\"process\":3,\"kind\":\"WRITE\"}\n";

        final IOException ex = assertThrows(
            IOException.class, () -> JepsenHistory.readJsonLines(new BufferedReader(new StringReader(text)), "h"));

        assertTrue(ex.getMessage().startsWith("h:3: "), ex.getMessage());
    }

    @Test
    void shouldWriteJepsenInvokeAndCompletionEventsInTimeOrder() throws IOException
    {
        final StringWriter out = new StringWriter();

        JepsenHistory.writeEdn(List.of(
            write(1, 5, 7, 1_000, 1_300),
            read(2, 5, 7, 1_100, 1_200),
            read(2, 5, 0, 1_400, 1_500).withOutcome(FAIL)), out);

        assertEquals(
            "{:index 0, :process 0, :type :invoke, :f :write, :value [5 7], :time 0}\n" +
            "{:index 1, :process 1, :type :invoke, :f :read, :value [5 nil], :time 100}\n" +
            "{:index 2, :process 1, :type :ok, :f :read, :value [5 7], :time 200}\n" +
            "{:index 3, :process 0, :type :ok, :f :write, :value [5 7], :time 300}\n" +
            "{:index 4, :process 1, :type :invoke, :f :read, :value [5 nil], :time 400}\n" +
            "{:index 5, :process 1, :type :fail, :f :read, :value [5 nil], :time 500}\n",
            out.toString());
    }

    @Test
    void shouldGiveAProcessAFreshNumberAfterAnIndeterminateOperation() throws IOException
    {
        final StringWriter out = new StringWriter();

        JepsenHistory.writeEdn(List.of(
            write(1, 5, 7, 0, 100).withOutcome(INFO),
            write(1, 5, 8, 200, 300),
            read(2, 5, 8, 400, 500)), out);

        assertEquals(
            "{:index 0, :process 0, :type :invoke, :f :write, :value [5 7], :time 0}\n" +
            "{:index 1, :process 0, :type :info, :f :write, :value [5 7], :time 100}\n" +
            "{:index 2, :process 2, :type :invoke, :f :write, :value [5 8], :time 200}\n" +
            "{:index 3, :process 2, :type :ok, :f :write, :value [5 8], :time 300}\n" +
            "{:index 4, :process 1, :type :invoke, :f :read, :value [5 nil], :time 400}\n" +
            "{:index 5, :process 1, :type :ok, :f :read, :value [5 8], :time 500}\n",
            out.toString());
    }

    @Test
    void shouldCompleteAProcessesOperationBeforeItsNextInvokeAtTheSameTime() throws IOException
    {
        final StringWriter out = new StringWriter();

        JepsenHistory.writeEdn(List.of(write(1, 5, 7, 0, 100), write(1, 5, 8, 100, 200)), out);

        assertEquals(
            "{:index 0, :process 0, :type :invoke, :f :write, :value [5 7], :time 0}\n" +
            "{:index 1, :process 0, :type :ok, :f :write, :value [5 7], :time 100}\n" +
            "{:index 2, :process 0, :type :invoke, :f :write, :value [5 8], :time 100}\n" +
            "{:index 3, :process 0, :type :ok, :f :write, :value [5 8], :time 200}\n",
            out.toString());
    }

    @Test
    void shouldNumberSessionsFromZeroAsJepsenDoesAndReadBackTheSameHistory(@TempDir final Path dir) throws IOException
    {
        // the lab's session ids: client node << 32 | slot
        final long a = (7L << 32) | 3;
        final long b = (9L << 32) | 1;
        final List<Operation> history = List.of(
            write(b, 5, 7, 0, 100),
            read(a, 5, 7, 50, 150),
            write(a, 5, 8, 200, 300).withOutcome(INFO),
            read(a, 5, 8, 400, 500),
            write(b, 5, 9, 450, 460).withOutcome(INFO),
            read(b, 5, 9, 600, 700));
        final Path file = dir.resolve("h.edn");
        JepsenHistory.writeEdn(history, file);
        final String edn = java.nio.file.Files.readString(file);
        final java.util.Set<String> processes = new java.util.TreeSet<>();
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile(":process (\\d+),").matcher(edn);
        while (m.find())
        {
            processes.add(m.group(1));
        }
        // b invokes first: 0; a: 1; a after its :info: 1 + 2 = 3; b after its :info: 0 + 2 = 2
        assertEquals(java.util.Set.of("0", "1", "2", "3"), processes, edn);
        assertTrue(edn.startsWith("{:index 0, :process 0, :type :invoke, :f :write, :value [5 7], :time 0}"), edn);
        assertTrue(edn.contains(":process 3, :type :invoke, :f :read, :value [5 nil], :time 400}"), edn);

        final List<Operation> back = EdnHistory.read(file);
        assertEquals(history.size(), back.size(), "lab check reads the EDN back, operation for operation");
        assertEquals(new LinearizabilityChecker().check(history).verdict(),
            new LinearizabilityChecker().check(back).verdict(), "and reaches the same verdict");
        assertTrue(back.stream().allMatch(o -> o.process() < 4), "with the small numbers");
    }
}
