package lab.harness.workload;

import java.util.Random;

import lab.harness.api.ClientProtocol;

/**
 * Open loop: operations are scheduled at a fixed rate (constant spacing, or Poisson arrivals) whatever the system
 * does. An operation whose time has come waits for a free slot if all are busy, keeping its intended start time,
 * so its latency includes that wait: a stalled system is charged for the queue it causes (no coordinated
 * omission), as wrk2 and Aeron's LoadTestRig do. Scheduled operations that could not even be queued (the backlog is
 * full) are counted as missed; the run compares the achieved rate with the requested one.
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
        while (freeCount > 0 && backlogHead < backlogTail && submitting())
        {
            submit(freeSlots[--freeCount], backlog[(int)(backlogHead++ & (BACKLOG_CAPACITY - 1))]);
        }
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
     * @return scheduled operations still waiting for a free slot.
     */
    public long backlog()
    {
        return backlogTail - backlogHead;
    }
}
