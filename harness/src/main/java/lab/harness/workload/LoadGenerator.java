package lab.harness.workload;

import java.util.Random;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.ClientSessions;
import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.metrics.LatencyTimeline;
import lab.harness.metrics.MeasurementWindow;
import lab.harness.metrics.OpStats;
import lab.harness.metrics.OperationObserver;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A client node that runs operations on a fixed number of slots (at most one operation each) through a
 * {@link ClientProtocol}. Subclasses decide when an operation starts: {@link ClosedLoopLoadGenerator} as soon as a
 * slot is free, {@link OpenLoopLoadGenerator} on a schedule.
 *
 * <p>Each operation has an intended start time (when the schedule wanted it) and an actual one (when it was sent).
 * Latency is recorded from the intended start, so a system that stalls is charged for the queue it causes (no
 * coordinated omission); service time from the actual start is recorded beside it. Only operations whose intended
 * start lies inside the measurement window are recorded, wherever they complete: warm-up is excluded, and the run
 * drains the window's last operations. Operations that exceed the operation timeout are abandoned and counted as
 * timeouts (their outcome is unknown).
 */
public abstract class LoadGenerator implements Endpoint, ClientListener
{
    /** Periods longer than this without a completed write are kept, to measure unavailability around faults. */
    public static final long WRITE_GAP_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2);

    private final int clientNode;
    private final ClientProtocol protocol;
    private final Workload workload;
    private final KeyGenerator keys;
    private final Random random;
    private final long opTimeoutNs;
    private final OperationObserver observer;
    private final int slots;

    private final long[] seq;
    private final long[] startNs;
    private final long[] intendedNs;
    private final OpType[] opType;
    private final long[] key;
    private final long[] writeId;
    private final boolean[] busy;
    private final long[] sessionId;
    private final ExpandableArrayBuffer valueBuffer;

    private final OpStats reads = new OpStats();
    private final OpStats writes = new OpStats();
    private final OpStats readService = new OpStats();
    private final OpStats writeService = new OpStats();
    /** By {@link MeasurementWindow#outside} * 2 + (PUT ? 1 : 0): measured GET, PUT, then unmeasured GET, PUT. */
    private final OpStats warmUpReads = OpStats.warmUp();
    private final OpStats warmUpWrites = OpStats.warmUp();
    private final OpStats[] latencyBy;
    private final OpStats[] serviceBy;
    private long measureStartNs = MeasurementWindow.OPEN_START_NS;
    private long measureEndNs = MeasurementWindow.OPEN_END_NS;
    private long stopSubmittingNs = Long.MAX_VALUE;
    private boolean readsOnly;
    private boolean started;
    protected long nowNs;
    private Outbox out;
    private long completed;
    private long lastWriteDoneNs = Long.MIN_VALUE;
    private final java.util.List<long[]> writeGaps = new java.util.ArrayList<>();

    protected LoadGenerator(
        final int clientNode, final ClientProtocol protocol, final Workload workload, final int slots,
        final Random random, final long opTimeoutNs, final OperationObserver observer)
    {
        this.clientNode = clientNode;
        this.protocol = protocol;
        latencyBy = new OpStats[] {reads, writes, warmUpReads, warmUpWrites};
        serviceBy = new OpStats[] {readService, writeService, warmUpReads, warmUpWrites};
        this.workload = workload;
        this.keys = workload.keyGenerator();
        this.random = random;
        this.opTimeoutNs = opTimeoutNs;
        this.observer = observer;
        this.slots = slots;
        seq = new long[slots];
        startNs = new long[slots];
        intendedNs = new long[slots];
        opType = new OpType[slots];
        key = new long[slots];
        writeId = new long[slots];
        busy = new boolean[slots];
        sessionId = new long[slots];
        for (int i = 0; i < slots; i++)
        {
            sessionId[i] = ClientSessions.sessionId(clientNode, i);
        }
        valueBuffer = new ExpandableArrayBuffer(Math.max(64, workload.valueSize()));
        for (int i = Workload.MIN_VALUE_SIZE; i < workload.valueSize(); i++)
        {
            valueBuffer.putByte(i, (byte)('a' + (i % 26)));
        }
    }

    /**
     * @param measureStartNs operations meant to start from here on are recorded (warm-up ends).
     * @param measureEndNs   until here; new submissions stop here too.
     */
    public void window(final long measureStartNs, final long measureEndNs)
    {
        this.measureStartNs = measureStartNs;
        this.measureEndNs = measureEndNs;
        this.stopSubmittingNs = measureEndNs;
    }

    /**
     * While on, every operation this client starts is a read, whatever the workload's read ratio (the random draws
     * stay the same, so a seed's run is still one run). A fault schedule that cuts a client off with a minority
     * uses it: a write there can never commit, and a slot stuck on one cannot read what the minority still serves.
     */
    public void readsOnly(final boolean readsOnly)
    {
        this.readsOnly = readsOnly;
    }

    /**
     * Records the window's latencies into the timeline's interval recorders too; the timeline also flips the
     * warm-up's recorders, so that warm-up runs the same code.
     */
    public void timeline(final LatencyTimeline timeline)
    {
        reads.intervals(timeline.reads());
        writes.intervals(timeline.writes());
        timeline.alsoFlip(warmUpReads.intervals());
        timeline.alsoFlip(warmUpWrites.intervals());
    }

    /**
     * @return when the measured window starts (Long.MIN_VALUE until {@link #window} is called).
     */
    protected final long measureStartNs()
    {
        return measureStartNs;
    }

    /**
     * The first duty cycle: start the load.
     */
    protected abstract void onStart();

    /**
     * A slot became free (its operation completed or timed out).
     */
    protected abstract void onSlotFree(int slot);

    /**
     * Every tick, after timeouts were handled.
     */
    protected void onDutyCycle()
    {
    }

    protected int slots()
    {
        return slots;
    }

    protected boolean submitting()
    {
        return nowNs < stopSubmittingNs;
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        this.nowNs = nowNs;
        this.out = out;
        protocol.onMessage(fromNode, buffer, offset, length, nowNs, out, this);
        onDutyCycle();
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        this.nowNs = nowNs;
        this.out = out;
        if (!started)
        {
            started = true;
            onStart();
        }
        for (int slot = 0; slot < slots; slot++)
        {
            if (busy[slot] && nowNs - startNs[slot] > opTimeoutNs)
            {
                protocol.abandon(slot);
                busy[slot] = false;
                if (inWindow(intendedNs[slot]))
                {
                    (opType[slot] == OpType.GET ? reads : writes).recordTimeout();
                }
                observer.onTimeout(sessionId[slot], seq[slot], opType[slot], key[slot], nowNs);
                onSlotFree(slot);
            }
        }
        onDutyCycle();
        protocol.onTick(nowNs, out, this);
    }

    public void onComplete(final int slot, final long seq, final Status status, final int hops, final long version,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        if (!busy[slot] || seq != this.seq[slot])
        {
            return;
        }
        busy[slot] = false;
        completed++;
        if (opType[slot] == OpType.PUT)
        {
            if (lastWriteDoneNs != Long.MIN_VALUE && nowNs - lastWriteDoneNs > WRITE_GAP_NS)
            {
                writeGaps.add(new long[]{lastWriteDoneNs, nowNs}); // rare: only around faults and stalls
            }
            lastWriteDoneNs = nowNs;
        }
        // An operation counts when the schedule meant it to start inside the window, wherever it completes: warm-up's
        // operations still in flight when the window opens are not charged to it, and the window's last operations
        // are not dropped for finishing after it (the run drains them). The others go through the same code into
        // stats nobody reads (see MeasurementWindow).
        final int index = MeasurementWindow.outside(intendedNs[slot], measureStartNs, measureEndNs) * 2 +
            (opType[slot] == OpType.PUT ? 1 : 0);
        latencyBy[index].record(nowNs - intendedNs[slot], hops);
        serviceBy[index].record(nowNs - startNs[slot], hops);
        final long observed = opType[slot] == OpType.GET ?
            (status == Status.OK ? ValueCodec.decodeWriteId(value, valueOffset, valueLength) : 0) : writeId[slot];
        observer.onOk(sessionId[slot], seq, opType[slot], key[slot], observed, version, hops, nowNs);
        onSlotFree(slot);
    }

    private boolean inWindow(final long timeNs)
    {
        return timeNs >= measureStartNs && timeNs < measureEndNs;
    }

    /**
     * Starts the next operation of the workload on a free slot.
     *
     * @param intendedStartNs when the schedule wanted it to start (now, for a closed loop).
     */
    protected void submit(final int slot, final long intendedStartNs)
    {
        final long s = ++seq[slot];
        final OpType type = random.nextDouble() < workload.readRatio() || readsOnly ? OpType.GET : OpType.PUT;
        final long k = keys.nextKey(random, type == OpType.PUT);
        opType[slot] = type;
        key[slot] = k;
        startNs[slot] = nowNs;
        intendedNs[slot] = intendedStartNs;
        busy[slot] = true;
        if (type == OpType.PUT)
        {
            final long id = ValueCodec.writeId(sessionId[slot], s);
            writeId[slot] = id;
            ValueCodec.encode(valueBuffer, id, k, workload.valueSize());
            observer.onInvoke(sessionId[slot], s, type, k, id, nowNs);
            protocol.submit(slot, s, type, k, valueBuffer, 0, workload.valueSize(), nowNs, out);
        }
        else
        {
            writeId[slot] = 0;
            observer.onInvoke(sessionId[slot], s, type, k, 0, nowNs);
            protocol.submit(slot, s, type, k, valueBuffer, 0, 0, nowNs, out);
        }
    }

    /**
     * @return true when no operation is outstanding (after the window closed, the run can stop).
     */
    public long malformedMessages()
    {
        return protocol.malformedMessages();
    }

    /**
     * @return the client's read hedging (settings and counts: copies sent, reads completed), or null if it has none.
     */
    public lab.core.client.Hedging hedging()
    {
        return protocol.hedging();
    }

    /**
     * @return the client's tied reads (setting and counts: tied copies sent, reads completed), or null if it has none.
     */
    public lab.core.client.TiedReads tied()
    {
        return protocol.tied();
    }

    public boolean idle()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (busy[slot])
            {
                return false;
            }
        }
        return true;
    }

    public int clientNode()
    {
        return clientNode;
    }

    public OpStats reads()
    {
        return reads;
    }

    public OpStats writes()
    {
        return writes;
    }

    /**
     * @return GET service time: from the actual send, not the intended start (uncorrected for coordinated omission).
     */
    public OpStats readService()
    {
        return readService;
    }

    public OpStats writeService()
    {
        return writeService;
    }

    public long completed()
    {
        return completed;
    }

    /**
     * @return [from, to] pairs of periods longer than {@link #WRITE_GAP_NS} in which this client completed no write
     * (read after the run).
     */
    public java.util.List<long[]> writeGaps()
    {
        return writeGaps;
    }

    /**
     * @return when this client last completed a write, {@code Long.MIN_VALUE} if never (read after the run).
     */
    public long lastWriteDoneNs()
    {
        return lastWriteDoneNs;
    }
}
