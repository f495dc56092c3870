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
    /** Threads that run node agents (weakly held: a finished run's threads go). */
    private static final java.util.Set<Thread> THREADS =
        java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private static final ThreadLocal<BusyClock> THREAD = ThreadLocal.withInitial(() ->
    {
        THREADS.add(Thread.currentThread());
        return new BusyClock();
    });

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
     * @return the live threads that run node agents in this process (to read their CPU time from another thread).
     */
    public static java.util.List<Thread> nodeThreads()
    {
        synchronized (THREADS)
        {
            final java.util.List<Thread> live = new java.util.ArrayList<>();
            for (final Thread t : THREADS)
            {
                if (t.isAlive())
                {
                    live.add(t);
                }
            }
            return live;
        }
    }

    /**
     * CPU time of the node threads over a window, read from another thread: how much of the wall time they actually
     * ran (on a loaded machine the scheduler takes them away, and busy time, being wall time, grows by as much).
     */
    public static final class CpuShare
    {
        private final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        private final java.util.Map<Thread, Long> startCpu = new java.util.HashMap<>();
        private long startWallNs;

        /**
         * Call when the window opens.
         */
        public void start()
        {
            startWallNs = System.nanoTime();
            for (final Thread t : nodeThreads())
            {
                final long cpu = mx.getThreadCpuTime(t.getId());
                if (cpu >= 0)
                {
                    startCpu.put(t, cpu);
                }
            }
        }

        /**
         * Call when the window closes (the threads still running).
         *
         * @return CPU time / (wall time x threads) over the window, or NaN when not measurable.
         */
        public double end()
        {
            final long wall = System.nanoTime() - startWallNs;
            long cpu = 0;
            int threads = 0;
            for (final java.util.Map.Entry<Thread, Long> e : startCpu.entrySet())
            {
                final long now = mx.getThreadCpuTime(e.getKey().getId());
                if (now >= 0)
                {
                    cpu += now - e.getValue();
                    threads++;
                }
            }
            return threads == 0 || wall <= 0 ? Double.NaN : Math.min(1.0, (double)cpu / wall / threads);
        }
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
