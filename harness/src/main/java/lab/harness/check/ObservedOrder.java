package lab.harness.check;

import lab.core.codec.OpType;
import lab.harness.metrics.OperationObserver;

/**
 * Puts the operation events of all of a run's clients in one order, the order the lab observes them in, and gives
 * them times that keep it: each event's time is its clock read, raised when needed to one nanosecond past the
 * previous event's, so that times strictly increase in observed order. Every observer behind it (the stale-read
 * detector, a {@link HistoryRecorder}) then sees the same events, in the same order, with the same times, and a
 * history exported from those times orders them as the detector did.
 * <p>
 * Why: a client reads the clock once per duty cycle (once per instant in the simulator), so the completion of one
 * operation and the invoke it triggers, or the events of two clients on one thread, carry equal clock reads although
 * the client saw them one after the other; from times alone a checker would have to take them as concurrent, while
 * an online observer saw their order. Raising a time by a nanosecond per event of a burst never reorders events and
 * never invents a precedence: if A's (raised) completion time is below B's invoke time then A's completion was
 * observed, after A's result arrived, before B was invoked, before B was sent.
 * <p>
 * When clients run on threads of their own ({@link #concurrent()}), the views take one lock for the stamp and the
 * delivery together, so the observers behind them need not be thread-safe and the order they see is the lock's. The
 * order of events of different threads is then the order they took the lock, which is a real-time order of
 * observations, unlike their clock reads: a duty cycle reads the clock before it polls, so a result observed on one
 * thread after another thread's invoke may carry the earlier clock read.
 * <p>
 * Once warm, stamping and delivery allocate nothing.
 */
public final class ObservedOrder
{
    private final boolean concurrent;
    private long lastNs = Long.MIN_VALUE;
    private long events;

    private ObservedOrder(final boolean concurrent)
    {
        this.concurrent = concurrent;
    }

    /**
     * @return an order for clients that all run on one thread (the simulator's, a composite agent's).
     */
    public static ObservedOrder singleThreaded()
    {
        return new ObservedOrder(false);
    }

    /**
     * @return an order for clients on threads of their own: its views serialize their calls.
     */
    public static ObservedOrder concurrent()
    {
        return new ObservedOrder(true);
    }

    public static ObservedOrder of(final boolean concurrent)
    {
        return new ObservedOrder(concurrent);
    }

    /**
     * @return a view for one client that stamps its events in this order and hands them to {@code delegate};
     * {@link OperationObserver#NONE} when the delegate is, so that an uninstrumented run pays nothing.
     */
    public OperationObserver view(final OperationObserver delegate)
    {
        if (delegate == OperationObserver.NONE)
        {
            return OperationObserver.NONE;
        }

        return concurrent ? new LockedView(this, delegate) : new View(this, delegate);
    }

    /**
     * @return events stamped so far.
     */
    public long events()
    {
        if (concurrent)
        {
            synchronized (this)
            {
                return events;
            }
        }

        return events;
    }

    /**
     * @return the time of the next event observed at clock read {@code nowNs}: {@code nowNs}, or one past the
     * previous event's time when that is not below it.
     */
    long stamp(final long nowNs)
    {
        events++;
        lastNs = nowNs > lastNs ? nowNs : lastNs + 1;

        return lastNs;
    }

    private static class View implements OperationObserver
    {
        final ObservedOrder order;
        final OperationObserver delegate;

        View(final ObservedOrder order, final OperationObserver delegate)
        {
            this.order = order;
            this.delegate = delegate;
        }

        public void onInvoke(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long nowNs)
        {
            delegate.onInvoke(sessionId, seq, type, key, value, order.stamp(nowNs));
        }

        public void onOk(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long version, final int hops, final long nowNs)
        {
            delegate.onOk(sessionId, seq, type, key, value, version, hops, order.stamp(nowNs));
        }

        public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
        {
            delegate.onTimeout(sessionId, seq, type, key, order.stamp(nowNs));
        }
    }

    private static final class LockedView extends View
    {
        LockedView(final ObservedOrder order, final OperationObserver delegate)
        {
            super(order, delegate);
        }

        public void onInvoke(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long nowNs)
        {
            synchronized (order)
            {
                super.onInvoke(sessionId, seq, type, key, value, nowNs);
            }
        }

        public void onOk(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long version, final int hops, final long nowNs)
        {
            synchronized (order)
            {
                super.onOk(sessionId, seq, type, key, value, version, hops, nowNs);
            }
        }

        public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
        {
            synchronized (order)
            {
                super.onTimeout(sessionId, seq, type, key, nowNs);
            }
        }
    }
}
