package lab.harness.check;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import lab.harness.check.CheckResult.Verdict;

import static lab.harness.check.Operation.Outcome.FAIL;
import static lab.harness.check.Operation.Outcome.INFO;
import static lab.harness.check.Operation.read;
import static lab.harness.check.Operation.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

// Guards against a search that never ends; the budget, not this, is what bounds a slow one.
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinearizabilityCheckerTest
{
    private static final long KEY = 1;
    private static final long P1 = 1;
    private static final long P2 = 2;
    private static final long P3 = 3;

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @Test
    void shouldAcceptEmptyHistory()
    {
        final CheckResult result = checker.check(List.of());

        assertEquals(Verdict.LINEARIZABLE, result.verdict());
        assertEquals(0, result.operationsChecked());
    }

    @Test
    void shouldAcceptSequentialHistory()
    {
        final CheckResult result = checker.check(List.of(
            read(P1, KEY, 0, 0, 10),
            write(P1, KEY, 1, 20, 30),
            read(P2, KEY, 1, 40, 50),
            write(P2, KEY, 2, 60, 70),
            read(P1, KEY, 2, 80, 90)));

        assertTrue(result.linearizable(), result.explanation());
        assertEquals(Verdict.LINEARIZABLE, result.verdict());
        assertEquals(CheckResult.NO_KEY, result.key());
        assertEquals(5, result.operationsChecked());
    }

    @Test
    void shouldRejectStaleReadAfterAcknowledgedWrite()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            write(P1, KEY, 2, 20, 30),
            read(P2, KEY, 1, 40, 50)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertFalse(result.linearizable());
        assertEquals(KEY, result.key());
    }

    @Test
    void shouldRejectReadOfNilAfterAcknowledgedWrite()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            read(P2, KEY, 0, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
    }

    @Test
    void shouldAcceptReadThatSeesEitherOfTwoConcurrentWrites()
    {
        for (final long seen : new long[]{ 1, 2 })
        {
            final CheckResult result = checker.check(List.of(
                write(P1, KEY, 1, 0, 100),
                write(P2, KEY, 2, 0, 100),
                read(P3, KEY, seen, 150, 160)));

            assertTrue(result.linearizable(), "read of " + seen + ": " + result.explanation());
        }
    }

    @Test
    void shouldRejectReadsThatSeeConcurrentWritesInBothOrders()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 100),
            write(P2, KEY, 2, 0, 100),
            read(P3, KEY, 1, 110, 120),
            read(P3, KEY, 2, 130, 140),
            read(P3, KEY, 1, 150, 160)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
    }

    @Test
    void shouldTreatOperationsThatTouchAsConcurrent()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            read(P2, KEY, 0, 10, 20)));

        assertTrue(result.linearizable(), result.explanation());
    }

    @Test
    void shouldAcceptReadOfValueWhoseWriteTimedOut()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            write(P1, KEY, 2, 20, 30).withOutcome(INFO),
            read(P2, KEY, 2, 100, 110)));

        assertTrue(result.linearizable(), result.explanation());
    }

    @Test
    void shouldAllowTimedOutWriteToTakeEffectAfterItWasAbandoned()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 20, 30).withOutcome(INFO),
            read(P2, KEY, 0, 100, 110),
            read(P2, KEY, 1, 120, 130)));

        assertTrue(result.linearizable(), result.explanation());
    }

    @Test
    void shouldAllowTimedOutWriteToNeverTakeEffect()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            write(P1, KEY, 2, 20, 30).withOutcome(INFO),
            read(P2, KEY, 1, 100, 110)));

        assertTrue(result.linearizable(), result.explanation());
    }

    @Test
    void shouldRejectReadOfOlderValueAfterReadOfTimedOutWritesValue()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            write(P1, KEY, 2, 20, 30).withOutcome(INFO),
            read(P2, KEY, 2, 100, 110),
            read(P2, KEY, 1, 120, 130)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(KEY, result.key());
    }

    @Test
    void shouldRejectReadOfValueNeverWritten()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            read(P2, KEY, 99, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertTrue(result.explanation().contains("no write of key " + KEY), result.explanation());
    }

    @Test
    void shouldRejectReadOfValueWhoseWriteFailed()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10).withOutcome(FAIL),
            read(P2, KEY, 1, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertTrue(result.explanation().contains("failed"), result.explanation());
    }

    @Test
    void shouldRejectReadOfValueBeforeItsWriteWasInvoked()
    {
        final CheckResult result = checker.check(List.of(
            read(P2, KEY, 1, 0, 10),
            write(P1, KEY, 1, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
    }

    @Test
    void shouldIgnoreFailedAndIndeterminateReads()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, KEY, 1, 0, 10),
            read(P2, KEY, 42, 20, 30).withOutcome(FAIL),
            read(P2, KEY, 43, 40, 50).withOutcome(INFO)));

        assertTrue(result.linearizable(), result.explanation());
        assertEquals(1, result.operationsChecked());
    }

    @Test
    void shouldCheckEachKeyIndependently()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, 1, 1, 0, 10),
            write(P1, 2, 2, 0, 10),
            write(P1, 3, 3, 0, 10),
            read(P2, 1, 1, 20, 30),
            read(P2, 2, 0, 20, 30),
            read(P2, 3, 3, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(2, result.key());
        assertTrue(result.explanation().startsWith("key 2 "), result.explanation());
    }

    @Test
    void shouldNotLetOneKeysWritesJustifyAnotherKeysReads()
    {
        final CheckResult result = checker.check(List.of(
            write(P1, 1, 1, 0, 10),
            read(P2, 2, 1, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(2, result.key());
    }

    @Test
    void shouldExplainFailureByTheReadThatCannotTakeEffectAndTheOperationsConcurrentWithIt()
    {
        final Operation futureRead = read(P2, KEY, 2, 0, 10);
        final Operation concurrentWrite = write(P3, KEY, 3, 5, 15);
        final CheckResult result = checker.check(List.of(futureRead, concurrentWrite, write(P1, KEY, 2, 20, 30)));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        final String explanation = result.explanation();
        assertTrue(explanation.contains(futureRead.describe() + " cannot take effect"), explanation);
        assertTrue(explanation.contains("\nConcurrent with it:\n  " + concurrentWrite.describe()), explanation);
    }

    @Test
    void shouldExplainFailureByTheWriteThatWouldOverwriteAValueALaterReadReturned()
    {
        final Operation overwrite = write(P1, KEY, 2, 20, 30);
        final Operation staleRead = read(P2, KEY, 1, 40, 50);
        final CheckResult result = checker.check(List.of(write(P1, KEY, 1, 0, 10), overwrite, staleRead));

        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict());
        final String explanation = result.explanation();
        assertTrue(explanation.contains(overwrite.describe() + " cannot take effect"), explanation);
        assertTrue(explanation.contains("reads of it remain:\n  " + staleRead.describe()), explanation);
    }

    @Test
    void shouldReportUnknownWhenTheSearchBudgetRunsOut()
    {
        final List<Operation> history = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            history.add(write(P1 + i, KEY, 1 + i, 0, 100));
        }
        history.add(read(P1, KEY, 5, 200, 210));

        final CheckResult result = new LinearizabilityChecker(3).check(history);

        assertEquals(Verdict.UNKNOWN, result.verdict());
        assertFalse(result.linearizable());
        assertEquals(KEY, result.key());
    }

    @Test
    void shouldAcceptEveryHistoryOfARealRegister()
    {
        for (long seed = 0; seed < 300; seed++)
        {
            final List<Operation> history = new RegisterHistories(seed, 1 + (int)(seed % 6), 3, 50).generate(300);

            final CheckResult result = checker.check(history);

            assertEquals(Verdict.LINEARIZABLE, result.verdict(), "seed " + seed + ": " + result.explanation());
        }
    }

    @Test
    void shouldCatchAStaleReadInAnOtherwiseRealRegisterHistory()
    {
        int mutated = 0;
        for (long seed = 0; seed < 300; seed++)
        {
            final List<Operation> history = new RegisterHistories(seed, 1 + (int)(seed % 6), 3, 50).generate(300);
            final int[] mutation = RegisterHistories.staleReadMutation(history);
            if (null == mutation)
            {
                continue;
            }
            final Operation read = history.get(mutation[0]);
            history.set(mutation[0], read.withValue(history.get(mutation[1]).value()));

            final CheckResult result = checker.check(history);

            assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), "seed " + seed);
            assertEquals(read.key(), result.key(), "seed " + seed);
            mutated++;
        }

        assertTrue(mutated > 250, "too few histories had a stale read to plant: " + mutated);
    }

    @Test
    void shouldCatchAReadOfANeverWrittenValueInAnOtherwiseRealRegisterHistory()
    {
        for (long seed = 0; seed < 300; seed++)
        {
            final List<Operation> history = new RegisterHistories(seed, 1 + (int)(seed % 6), 3, 50).generate(300);
            final int index = lastOkReadIndex(history);
            final Operation read = history.get(index);
            history.set(index, read.withValue(Long.MAX_VALUE));

            final CheckResult result = checker.check(history);

            assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), "seed " + seed);
            assertEquals(read.key(), result.key(), "seed " + seed);
        }
    }

    @Test
    void shouldCheckTenThousandOperationsOverOneHundredKeysWithinTheBudget()
    {
        final List<Operation> history = new RegisterHistories(42, 5, 100, 1_000).generate(10_000);

        final CheckResult result = checker.check(history);

        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
        assertTrue(result.operationsChecked() > 9_000, "checked " + result.operationsChecked());
    }

    @Test
    void shouldCheckAHotKeyWithThousandsOfConcurrentOperationsWithinTheBudget()
    {
        final List<Operation> history = new RegisterHistories(7, 8, 1, 1_000).generate(10_000);

        final CheckResult result = checker.check(history);

        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
    }

    private static int lastOkReadIndex(final List<Operation> history)
    {
        for (int i = history.size() - 1; i >= 0; i--)
        {
            final Operation op = history.get(i);
            if (op.isRead() && Operation.Outcome.OK == op.outcome())
            {
                return i;
            }
        }

        throw new AssertionError("no OK read");
    }
}
