package lab.harness.metrics;

import java.util.ArrayList;
import java.util.List;

import lab.core.codec.OpType;
import org.agrona.collections.Long2LongHashMap;

/**
 * Online per-key check of reads against acknowledged writes, in real time: a read is <em>stale</em> when it returns
 * a value older than the newest write acknowledged before the read began, i.e. the value's write was acknowledged
 * before some write acknowledged before the read was even invoked; or when it returns nothing although such a write
 * exists; or a value nobody wrote. This is the lab's "no acknowledged write is lost and every read returns the
 * latest acknowledged value or a newer one" check and the stale-read rate of weak modes; the full linearizability
 * checker lives in {@code lab.harness.check}.
 *
 * <p>Needs operations reported in non-decreasing time order from one thread (true in the simulator, and per
 * client thread over Aeron).
 */
public final class StaleReadDetector implements OperationObserver
{
    private static final long NOT_ACKED = Long.MAX_VALUE;

    /** Per key: the latest invoke time among writes acknowledged so far. */
    private final Long2LongHashMap newestAckedInvokeNs = new Long2LongHashMap(Long.MIN_VALUE);
    /** Per write id: invoke time. */
    private final Long2LongHashMap writeInvokeNs = new Long2LongHashMap(Long.MIN_VALUE);
    /** Per write id: ack time, or NOT_ACKED. */
    private final Long2LongHashMap writeAckNs = new Long2LongHashMap(NOT_ACKED);
    /** Per read (writeId-style op id): the threshold seen at invoke. */
    private final Long2LongHashMap readThresholdNs = new Long2LongHashMap(Long.MAX_VALUE);
    private final List<String> violations = new ArrayList<>();
    /** When stale reads completed, for counting them per fault phase (the first {@link #MAX_TIMES}). */
    private final org.agrona.collections.LongArrayList staleReadTimesNs = new org.agrona.collections.LongArrayList();
    private static final int MAX_TIMES = 1_000_000;
    private long reads;
    private long staleReads;
    private long writesAcked;

    private static long opId(final long sessionId, final long seq)
    {
        return (sessionId << 32) | (seq & 0xFFFF_FFFFL);
    }

    public void onInvoke(final long sessionId, final long seq, final OpType type, final long key, final long value,
        final long nowNs)
    {
        if (type == OpType.PUT)
        {
            writeInvokeNs.put(value, nowNs);
        }
        else
        {
            readThresholdNs.put(opId(sessionId, seq), newestAckedInvokeNs.get(key));
        }
    }

    public void onOk(final long sessionId, final long seq, final OpType type, final long key, final long value,
        final long version, final int hops, final long nowNs)
    {
        if (type == OpType.PUT)
        {
            writesAcked++;
            writeAckNs.put(value, nowNs);
            final long invoked = writeInvokeNs.get(value);
            if (invoked > newestAckedInvokeNs.get(key))
            {
                newestAckedInvokeNs.put(key, invoked);
            }
            return;
        }
        reads++;
        final long recorded = readThresholdNs.remove(opId(sessionId, seq));
        final long threshold = recorded == Long.MAX_VALUE ? Long.MIN_VALUE : recorded;
        final String problem = judge(key, value, threshold);
        if (problem != null)
        {
            staleReads++;
            if (staleReadTimesNs.size() < MAX_TIMES)
            {
                staleReadTimesNs.addLong(nowNs);
            }
            if (violations.size() < 20)
            {
                violations.add("t=" + nowNs + "ns session=" + sessionId + " seq=" + seq + " key=" + key + ": " + problem);
            }
        }
    }

    private String judge(final long key, final long value, final long threshold)
    {
        if (value == 0)
        {
            return threshold == Long.MIN_VALUE ? null : "read nothing, but a write of the key was acknowledged before";
        }
        if (writeInvokeNs.get(value) == Long.MIN_VALUE)
        {
            return "read value " + Long.toHexString(value) + " that no client wrote";
        }
        final long ack = writeAckNs.get(value);
        if (threshold != Long.MIN_VALUE && ack != NOT_ACKED && ack < threshold)
        {
            return "stale: read write " + Long.toHexString(value) + " acknowledged at " + ack +
                "ns, before a newer acknowledged write invoked at " + threshold + "ns";
        }
        return null;
    }

    public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
    {
        if (type == OpType.GET)
        {
            readThresholdNs.remove(opId(sessionId, seq));
        }
    }

    public long reads()
    {
        return reads;
    }

    /**
     * @return when each stale read completed (the first million), for counting them per fault phase; read after
     * the clients stopped.
     */
    public org.agrona.collections.LongArrayList staleReadTimesNs()
    {
        return staleReadTimesNs;
    }

    public long staleReads()
    {
        return staleReads;
    }

    public long writesAcked()
    {
        return writesAcked;
    }

    public double staleRate()
    {
        return reads == 0 ? 0 : (double)staleReads / reads;
    }

    /**
     * @return up to 20 descriptions of stale reads, for failure messages.
     */
    public List<String> violations()
    {
        return violations;
    }
}
