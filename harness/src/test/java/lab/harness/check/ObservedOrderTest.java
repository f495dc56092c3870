package lab.harness.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;

import lab.core.codec.OpType;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.metrics.OperationObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObservedOrderTest
{
    private static final long KEY = 3;

    @Test
    void shouldGiveEventsOfOneClockReadDistinctTimesInTheOrderObserved()
    {
        final HistoryRecorder recorder = new HistoryRecorder();
        final OperationObserver view = ObservedOrder.singleThreaded().view(recorder);

        // One duty cycle at clock read 100: A completes and the freed slot invokes B.
        view.onInvoke(1, 1, OpType.PUT, KEY, 11, 50);
        view.onOk(1, 1, OpType.PUT, KEY, 11, 1, 2, 100);
        view.onInvoke(1, 2, OpType.GET, KEY, 0, 100);
        view.onOk(1, 2, OpType.GET, KEY, 11, 1, 2, 100);
        view.onInvoke(1, 3, OpType.GET, KEY, 0, 400);

        final List<Operation> history = recorder.history();
        assertEquals(List.of(50L, 100L), List.of(history.get(0).invokeNs(), history.get(0).completeNs()));
        assertEquals(List.of(101L, 102L), List.of(history.get(1).invokeNs(), history.get(1).completeNs()));
        assertEquals(400L, history.get(2).invokeNs());
    }

    @Test
    void shouldLetTheStaleReadDetectorSeeAnAckAndAnInvokeOfOneClockReadInTheirOrder()
    {
        final StaleReadDetector detector = new StaleReadDetector();
        final OperationObserver view = ObservedOrder.singleThreaded().view(detector);

        // W1 is acknowledged, then W2 is invoked in the same duty cycle: W1 precedes W2, which precedes the read.
        view.onInvoke(1, 1, OpType.PUT, KEY, 11, 0);
        view.onOk(1, 1, OpType.PUT, KEY, 11, 1, 2, 100);
        view.onInvoke(2, 1, OpType.PUT, KEY, 22, 100);
        view.onOk(2, 1, OpType.PUT, KEY, 22, 2, 2, 200);
        view.onInvoke(3, 1, OpType.GET, KEY, 0, 300);
        view.onOk(3, 1, OpType.GET, KEY, 11, 1, 2, 400);

        assertEquals(1, detector.staleReads(), detector.violations().toString());
    }

    @Test
    void shouldCostNothingWhenNothingObserves()
    {
        assertSame(OperationObserver.NONE, ObservedOrder.concurrent().view(OperationObserver.NONE));
    }

    /**
     * Clients on threads of their own (--threads per-node) share one recorder and one detector through an order's
     * views: every operation must come out whole, with the value it wrote or read, in one strictly increasing order.
     */
    @Test
    void shouldRecordEveryOperationOfClientsOnSeveralThreads() throws Exception
    {
        final int threads = 4;
        final int writesPerThread = 5_000;
        final HistoryRecorder recorder = new HistoryRecorder();
        final StaleReadDetector detector = new StaleReadDetector();
        final ObservedOrder order = ObservedOrder.concurrent();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final List<Thread> running = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final long session = t + 1;
            final OperationObserver view = order.view(OperationObserver.both(detector, recorder));
            final Thread thread = new Thread(() ->
            {
                try
                {
                    start.await();
                    long seq = 0;
                    for (int i = 1; i <= writesPerThread; i++)
                    {
                        // Each client writes its own key, then reads back what it wrote, with a clock that stalls.
                        final long value = session * 1_000_000 + i;
                        final long nowNs = System.nanoTime() & ~0xFFFL;
                        view.onInvoke(session, ++seq, OpType.PUT, session, value, nowNs);
                        view.onOk(session, seq, OpType.PUT, session, value, i, 2, nowNs);
                        view.onInvoke(session, ++seq, OpType.GET, session, 0, nowNs);
                        view.onOk(session, seq, OpType.GET, session, value, i, 2, nowNs);
                    }
                }
                catch (final Throwable ex)
                {
                    synchronized (failures)
                    {
                        failures.add(ex);
                    }
                }
            });
            running.add(thread);
            thread.start();
        }
        for (final Thread thread : running)
        {
            thread.join();
        }
        assertEquals(List.of(), failures);

        final List<Operation> history = recorder.history();
        assertEquals(threads * writesPerThread * 2, history.size());
        assertEquals(threads * writesPerThread * 4L, order.events());
        final Set<Long> written = new HashSet<>();
        final List<Long> times = new ArrayList<>();
        for (final Operation op : history)
        {
            assertEquals(Operation.Outcome.OK, op.outcome(), op.describe());
            assertEquals(op.process(), op.key(), op.describe());
            if (op.isWrite())
            {
                written.add(op.value());
            }
            times.add(op.invokeNs());
            times.add(op.completeNs());
        }
        for (final Operation op : history)
        {
            assertTrue(op.isWrite() || written.contains(op.value()), "read a value no write wrote: " + op.describe());
        }
        assertEquals(times.size(), new HashSet<>(times).size(), "every event its own time");
        assertEquals(0, detector.staleReads(), detector.violations().toString());
        final CheckResult result = new LinearizabilityChecker().check(history);
        assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), result.explanation());
    }
}
