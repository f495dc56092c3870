package lab.harness.check;

import java.util.List;

import org.junit.jupiter.api.Test;

import lab.core.codec.OpType;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistoryRecorderTest
{
    private static final long SESSION = 7;
    private static final long OTHER_SESSION = 8;
    private static final long KEY = 3;

    private final HistoryRecorder recorder = new HistoryRecorder();

    @Test
    void shouldRecordPutAsWriteOfItsValueBySession()
    {
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 42, 100);
        recorder.onOk(SESSION, 1, OpType.PUT, KEY, 42, 5, 2, 150);

        assertEquals(
            List.of(new Operation(SESSION, Operation.Kind.WRITE, KEY, 42, 100, 150, Operation.Outcome.OK)),
            recorder.history());
    }

    @Test
    void shouldRecordGetAsReadOfTheValueItReturned()
    {
        recorder.onInvoke(SESSION, 1, OpType.GET, KEY, 0, 100);
        recorder.onOk(SESSION, 1, OpType.GET, KEY, 42, 5, 2, 150);

        assertEquals(
            List.of(new Operation(SESSION, Operation.Kind.READ, KEY, 42, 100, 150, Operation.Outcome.OK)),
            recorder.history());
    }

    @Test
    void shouldRecordTimedOutOperationAsIndeterminate()
    {
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 42, 100);
        recorder.onTimeout(SESSION, 1, OpType.PUT, KEY, 1_000);

        assertEquals(
            List.of(new Operation(SESSION, Operation.Kind.WRITE, KEY, 42, 100, 1_000, Operation.Outcome.INFO)),
            recorder.history());
    }

    @Test
    void shouldRecordOutstandingOperationAsIndeterminateAbandonedAfterTheLatestTimeSeen()
    {
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 42, 100);
        recorder.onInvoke(OTHER_SESSION, 1, OpType.GET, KEY, 0, 200);
        recorder.onOk(OTHER_SESSION, 1, OpType.GET, KEY, 42, 1, 2, 300);

        assertEquals(
            new Operation(SESSION, Operation.Kind.WRITE, KEY, 42, 100, 301, Operation.Outcome.INFO),
            recorder.history().get(0));
    }

    @Test
    void shouldGiveEveryEventItsOwnTimeInTheOrderSeen()
    {
        // A duty cycle stamps everything with one clock read: the completion comes before the next invoke.
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 42, 100);
        recorder.onOk(SESSION, 1, OpType.PUT, KEY, 42, 5, 2, 200);
        recorder.onInvoke(SESSION, 2, OpType.GET, KEY, 0, 200);
        recorder.onInvoke(OTHER_SESSION, 1, OpType.GET, KEY, 0, 200);
        recorder.onOk(SESSION, 2, OpType.GET, KEY, 42, 5, 2, 300);

        assertEquals(
            List.of(
                new Operation(SESSION, Operation.Kind.WRITE, KEY, 42, 100, 200, Operation.Outcome.OK),
                new Operation(SESSION, Operation.Kind.READ, KEY, 42, 201, 300, Operation.Outcome.OK),
                new Operation(OTHER_SESSION, Operation.Kind.READ, KEY, 0, 202, 301, Operation.Outcome.INFO)),
            recorder.history());
    }

    @Test
    void shouldIgnoreResultsOfOperationsNotOutstanding()
    {
        recorder.onOk(SESSION, 9, OpType.GET, KEY, 42, 1, 2, 50);
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 42, 100);
        recorder.onTimeout(SESSION, 1, OpType.PUT, KEY, 200);
        recorder.onOk(SESSION, 1, OpType.PUT, KEY, 42, 1, 2, 300);

        assertEquals(
            List.of(new Operation(SESSION, Operation.Kind.WRITE, KEY, 42, 100, 200, Operation.Outcome.INFO)),
            recorder.history());
    }

    @Test
    void shouldMatchResultsToOperationsBySessionAndSequence()
    {
        recorder.onInvoke(SESSION, 1, OpType.GET, KEY, 0, 100);
        recorder.onInvoke(OTHER_SESSION, 1, OpType.GET, KEY, 0, 110);
        recorder.onOk(OTHER_SESSION, 1, OpType.GET, KEY, 8, 1, 2, 120);
        recorder.onOk(SESSION, 1, OpType.GET, KEY, 7, 1, 2, 130);

        assertEquals(
            List.of(
                new Operation(SESSION, Operation.Kind.READ, KEY, 7, 100, 130, Operation.Outcome.OK),
                new Operation(OTHER_SESSION, Operation.Kind.READ, KEY, 8, 110, 120, Operation.Outcome.OK)),
            recorder.history());
    }

    @Test
    void shouldMergeRecordersInInvokeOrder()
    {
        final HistoryRecorder other = new HistoryRecorder();
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 1, 100);
        recorder.onOk(SESSION, 1, OpType.PUT, KEY, 1, 1, 2, 130);
        recorder.onInvoke(SESSION, 2, OpType.PUT, KEY, 2, 300);
        recorder.onOk(SESSION, 2, OpType.PUT, KEY, 2, 2, 2, 330);
        other.onInvoke(OTHER_SESSION, 1, OpType.GET, KEY, 0, 200);
        other.onOk(OTHER_SESSION, 1, OpType.GET, KEY, 1, 1, 2, 230);

        final List<Operation> merged = HistoryRecorder.merge(recorder, other);

        assertEquals(List.of(100L, 200L, 300L), merged.stream().map(Operation::invokeNs).toList());
    }

    @Test
    void shouldRecordAHistoryTheCheckerAccepts()
    {
        recorder.onInvoke(SESSION, 1, OpType.PUT, KEY, 1, 100);
        recorder.onInvoke(OTHER_SESSION, 1, OpType.GET, KEY, 0, 110);
        recorder.onOk(OTHER_SESSION, 1, OpType.GET, KEY, 1, 1, 2, 120);
        recorder.onTimeout(SESSION, 1, OpType.PUT, KEY, 200);

        final CheckResult result = new LinearizabilityChecker().check(recorder.history());

        assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), result.explanation());
    }
}
