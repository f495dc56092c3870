package lab.harness.workload;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.harness.metrics.MeasurementWindow;
import lab.harness.metrics.OperationObserver;

/**
 * Open loop: operations are scheduled at a fixed rate (constant spacing, or Poisson arrivals) whatever the system
 * does. An operation whose time has come waits for a free slot if all are busy, keeping its intended start time,
 * so its latency includes that wait: a stalled system is charged for the queue it causes (no coordinated
 * omission), as wrk2 and Aeron's LoadTestRig do. Scheduled operations that could not even be queued (the backlog is
 * full) are counted as missed; the run compares the achieved rate with the requested one.
 *
 * <p>Warm-up runs the same schedule, but a backlog it leaves (the JIT was still compiling, caches were cold) is not
 * carried into the measured window: arrivals scheduled before the window that have not been sent when it starts are
 * dropped and counted, and the window measures the schedule from its own start. Otherwise a few slow warm-up seconds
 * would put every measured operation seconds behind its intended start, a figure about the warm-up, not the system.
 */
public final class OpenLoopLoadGenerator extends LoadGenerator
{
    private static final int BACKLOG_CAPACITY = 1 << 20;

    private final double intervalNs;
    private final boolean poisson;
    private final Random arrivals;
    private final int[] freeSlots;
    private int freeCount;
    private final long[] backlog = new long[BACKLOG_CAPACITY];
    private long backlogHead;
    private long backlogTail;
    private double nextArrivalNs = Double.NaN;
    private long scheduled;
    private long missed;
    private long warmupBacklogDropped;

    /**
     * @param ratePerSecond operations per second this client schedules.
     * @param poisson       exponentially distributed gaps (Poisson arrivals) instead of constant spacing.
     * @param arrivals      random source of the arrival process (separate from the workload's).
     */
    public OpenLoopLoadGenerator(
        final int clientNode, final ClientProtocol protocol, final Workload workload, final int slots,
        final Random random, final long opTimeoutNs, final OperationObserver observer, final double ratePerSecond,
        final boolean poisson, final Random arrivals)
    {
        super(clientNode, protocol, workload, slots, random, opTimeoutNs, observer);
        if (!(ratePerSecond > 0))
        {
            throw new IllegalArgumentException("--rate must be > 0, got " + ratePerSecond);
        }
        this.intervalNs = 1e9 / ratePerSecond;
        this.poisson = poisson;
        this.arrivals = arrivals;
        this.freeSlots = new int[slots];
        for (int i = slots - 1; i >= 0; i--)
        {
            freeSlots[freeCount++] = i;
        }
    }

    protected void onStart()
    {
        nextArrivalNs = nowNs;
        onDutyCycle();
    }

    protected void onSlotFree(final int slot)
    {
        freeSlots[freeCount++] = slot;
    }

    protected void onDutyCycle()
    {
        if (Double.isNaN(nextArrivalNs))
        {
            return;
        }
        while (submitting() && nextArrivalNs <= nowNs)
        {
            scheduled++;
            if (backlogTail - backlogHead < BACKLOG_CAPACITY)
            {
                backlog[(int)(backlogTail++ & (BACKLOG_CAPACITY - 1))] = (long)nextArrivalNs;
            }
            else
            {
                missed++;
            }
            nextArrivalNs += poisson ? -Math.log(1 - arrivals.nextDouble()) * intervalNs : intervalNs;
        }
        dropWarmUpBacklog();
        while (freeCount > 0 && backlogHead < backlogTail && submitting())
        {
            submit(freeSlots[--freeCount], backlog[(int)(backlogHead++ & (BACKLOG_CAPACITY - 1))]);
        }
    }

    /**
     * Once the window is open, arrivals scheduled before it are warm-up's: dropped, not sent. Without a branch that
     * only the window takes (see MeasurementWindow: an "if older, drop" here deoptimized the node thread's duty cycle
     * at the window's first dropped arrival): the backlog is in time order, so a branch-free binary search finds the
     * first arrival to keep, against a limit that is the window's start once it is open and far in the past before.
     */
    private void dropWarmUpBacklog()
    {
        final long beforeWindow = -(long)MeasurementWindow.before(nowNs, measureStartNs());
        final long dropOlderThan = (measureStartNs() & ~beforeWindow) | (MeasurementWindow.OPEN_START_NS & beforeWindow);
        long lo = backlogHead;
        long hi = backlogTail;
        while (lo < hi)
        {
            final long mid = (lo + hi) >>> 1;
            final long older = MeasurementWindow.before(backlog[(int)(mid & (BACKLOG_CAPACITY - 1))], dropOlderThan);
            lo += older * (mid + 1 - lo); // older: keep searching after mid
            hi -= (1 - older) * (hi - mid); // not older: mid or before
        }
        warmupBacklogDropped += lo - backlogHead;
        backlogHead = lo;
    }

    /**
     * @return operations the schedule asked for so far.
     */
    public long scheduled()
    {
        return scheduled;
    }

    /**
     * @return scheduled operations dropped because the backlog was full (the system fell far behind).
     */
    public long missed()
    {
        return missed;
    }

    /**
     * @return warm-up arrivals still unsent when the measured window began, dropped then.
     */
    public long warmupBacklogDropped()
    {
        return warmupBacklogDropped;
    }

    /**
     * @return scheduled operations still waiting for a free slot.
     */
    public long backlog()
    {
        return backlogTail - backlogHead;
    }
}
