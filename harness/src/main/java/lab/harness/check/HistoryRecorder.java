package lab.harness.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import lab.core.codec.OpType;
import lab.harness.metrics.OperationObserver;

/**
 * Records the operations a client runs as a history for {@link LinearizabilityChecker}: process is the session id,
 * GET is a read and PUT a write. An operation the client abandons is {@link Operation.Outcome#INFO}, as is one still
 * outstanding when {@link #history()} is taken.
 * <p>
 * Times keep the order this recorder observed events in: an event's time is the clock read it was given, raised when
 * needed to one nanosecond past the previous event's, so no two events share a time and a completion observed before
 * an invoke is earlier than it (a client stamps a whole duty cycle with one clock read). Behind an
 * {@link ObservedOrder}, as in every lab run, the times it is given already strictly increase and are kept as they are.
 * <p>
 * Fields are kept in primitive arrays so that recording in a client's duty cycle does not allocate once warm.
 * Not thread-safe: clients on several threads share one through {@link ObservedOrder#concurrent()}'s views (as lab runs
 * do), or use one recorder per thread and {@link #merge(List)} their histories.
 */
public final class HistoryRecorder implements OperationObserver
{
    private static final int NOT_PENDING = -1;
    private static final byte PENDING = -1;
    private static final int INITIAL_CAPACITY = 1024;
    private static final Operation.Kind[] KINDS = Operation.Kind.values();
    private static final Operation.Outcome[] OUTCOMES = Operation.Outcome.values();

    // Session id -> (seq -> index of the operation awaiting its result).
    private final Long2ObjectHashMap<Long2LongHashMap> pendingBySession = new Long2ObjectHashMap<>();

    private long[] process = new long[INITIAL_CAPACITY];
    private long[] key = new long[INITIAL_CAPACITY];
    private long[] value = new long[INITIAL_CAPACITY];
    private long[] invokeNs = new long[INITIAL_CAPACITY];
    private long[] completeNs = new long[INITIAL_CAPACITY];
    private byte[] kind = new byte[INITIAL_CAPACITY];
    private byte[] outcome = new byte[INITIAL_CAPACITY];
    private int size;
    private long lastNs = Long.MIN_VALUE;

    public void onInvoke(
        final long sessionId, final long seq, final OpType type, final long key, final long value, final long nowNs)
    {
        final Operation.Kind kind = kindOf(type);
        if (null == kind)
        {
            return;
        }

        final long timeNs = stamp(nowNs);
        ensureCapacity(size + 1);
        final int index = size++;
        this.process[index] = sessionId;
        this.key[index] = key;
        this.value[index] = Operation.Kind.WRITE == kind ? value : Operation.NIL;
        this.invokeNs[index] = timeNs;
        this.completeNs[index] = timeNs;
        this.kind[index] = (byte)kind.ordinal();
        this.outcome[index] = PENDING;

        Long2LongHashMap pending = pendingBySession.get(sessionId);
        if (null == pending)
        {
            pending = new Long2LongHashMap(NOT_PENDING);
            pendingBySession.put(sessionId, pending);
        }
        pending.put(seq, index);
    }

    public void onOk(
        final long sessionId,
        final long seq,
        final OpType type,
        final long key,
        final long value,
        final long version,
        final int hops,
        final long nowNs)
    {
        final int index = takePending(sessionId, seq);
        if (NOT_PENDING != index)
        {
            // A PUT's value is the id it was invoked with; only a GET learns its value on completion.
            if (Operation.Kind.READ.ordinal() == kind[index])
            {
                this.value[index] = value;
            }
            complete(index, Operation.Outcome.OK, nowNs);
        }
    }

    public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
    {
        final int index = takePending(sessionId, seq);
        if (NOT_PENDING != index)
        {
            complete(index, Operation.Outcome.INFO, nowNs);
        }
    }

    /**
     * @return operations recorded so far, including those still outstanding.
     */
    public int size()
    {
        return size;
    }

    /**
     * The history so far in invoke order. Operations still outstanding are indeterminate, abandoned after every event
     * this recorder saw, one nanosecond apart in invoke order.
     */
    public List<Operation> history()
    {
        final List<Operation> history = new ArrayList<>(size);
        long abandonNs = lastNs;
        for (int i = 0; i < size; i++)
        {
            final boolean pending = PENDING == outcome[i];
            history.add(new Operation(
                process[i],
                KINDS[kind[i]],
                key[i],
                value[i],
                invokeNs[i],
                pending ? ++abandonNs : completeNs[i],
                pending ? Operation.Outcome.INFO : OUTCOMES[outcome[i]]));
        }

        // Recorded in invoke order already (times strictly increase); sorting keeps the promise cheaply.
        history.sort(Comparator.comparingLong(Operation::invokeNs));

        return history;
    }

    /**
     * @return the histories of several recorders, say one per client thread, as one history in invoke order.
     */
    public static List<Operation> merge(final List<HistoryRecorder> recorders)
    {
        final List<Operation> merged = new ArrayList<>();
        for (final HistoryRecorder recorder : recorders)
        {
            merged.addAll(recorder.history());
        }
        merged.sort(Comparator.comparingLong(Operation::invokeNs));

        return merged;
    }

    public static List<Operation> merge(final HistoryRecorder... recorders)
    {
        return merge(Arrays.asList(recorders));
    }

    private static Operation.Kind kindOf(final OpType type)
    {
        if (OpType.GET == type)
        {
            return Operation.Kind.READ;
        }
        if (OpType.PUT == type)
        {
            return Operation.Kind.WRITE;
        }

        return null;
    }

    private long stamp(final long nowNs)
    {
        lastNs = nowNs > lastNs ? nowNs : lastNs + 1;

        return lastNs;
    }

    private int takePending(final long sessionId, final long seq)
    {
        final Long2LongHashMap pending = pendingBySession.get(sessionId);

        // A result for an operation not invoked here, or already completed or abandoned, tells the history nothing.
        return null == pending ? NOT_PENDING : (int)pending.remove(seq);
    }

    private void complete(final int index, final Operation.Outcome outcome, final long nowNs)
    {
        this.completeNs[index] = stamp(nowNs);
        this.outcome[index] = (byte)outcome.ordinal();
    }

    private void ensureCapacity(final int capacity)
    {
        if (capacity > process.length)
        {
            final int newCapacity = Math.max(capacity, process.length * 2);
            process = Arrays.copyOf(process, newCapacity);
            key = Arrays.copyOf(key, newCapacity);
            value = Arrays.copyOf(value, newCapacity);
            invokeNs = Arrays.copyOf(invokeNs, newCapacity);
            completeNs = Arrays.copyOf(completeNs, newCapacity);
            kind = Arrays.copyOf(kind, newCapacity);
            outcome = Arrays.copyOf(outcome, newCapacity);
        }
    }
}
