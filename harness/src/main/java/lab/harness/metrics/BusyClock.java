package lab.harness.metrics;

/**
 * Busy time of the nodes that share one thread, measured without a clock read of its own.
 *
 * <p>Every node agent reads the clock once at the start of its duty cycle anyway. On a thread that runs several
 * agents in turn (a {@code CompositeAgent}), the next agent's read is the end of this one's cycle; on a thread of
 * its own, its next cycle's read is (the idle strategy only runs after a cycle that did no work, and such cycles
 * are not counted). A cycle in which no message went in or out (a timer check) is charged apart, as background:
 * it does not grow with the load, and under load the timer checks run in cycles that carry messages anyway. So a cycle that did work is charged, at the next cycle start on the same thread, the time from
 * its own start to that one: the node's handlers (onMessage, onTick, flush) and the transport's calls around them
 * (poll, offer), nothing of the other nodes. A cycle without work (an empty poll) is charged nothing.
 *
 * <p>One per thread (a thread-local looked up once per agent), written only by that thread: plain fields, no
 * allocation. The charge goes into the node's {@link TrafficCounters}, inside or outside the measured window by
 * the cycle's start time.
 *
 * <p>What it includes that is not the node's: time the operating system took the thread away in the middle of a
 * cycle (on a loaded machine busy time is wall time, not CPU time). What it misses: the last cycle before the thread
 * stops (after the window), and work on other threads (the media driver's, over UDP).
 */
public final class BusyClock
{
    private static final ThreadLocal<BusyClock> THREAD = ThreadLocal.withInitial(BusyClock::new);

    private TrafficCounters pending;
    private long pendingStartNs;
    private boolean pendingTimerOnly;
    private long eventsAtStart;

    private BusyClock()
    {
    }

    /**
     * @return the busy clock of the calling thread.
     */
    public static BusyClock forCurrentThread()
    {
        return THREAD.get();
    }

    /**
     * {@code owner}'s duty cycle starts at {@code nowNs} on this thread: the previous cycle that did work ends here.
     */
    public void cycleStart(final TrafficCounters owner, final long nowNs)
    {
        final TrafficCounters previous = pending;
        if (previous != null)
        {
            previous.onBusy(pendingStartNs, nowNs - pendingStartNs, pendingTimerOnly);
            pending = null;
        }
        eventsAtStart = owner.events();
    }

    /**
     * The cycle that started at {@code startNs} ended having done {@code work}: charged at the next cycle start.
     */
    public void cycleEnd(final TrafficCounters owner, final long startNs, final int work)
    {
        if (work > 0)
        {
            pending = owner;
            pendingStartNs = startNs;
            pendingTimerOnly = owner.events() == eventsAtStart;
        }
    }
}
