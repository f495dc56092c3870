package lab.benchmarks.e2e;

import java.util.concurrent.locks.LockSupport;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.ClientSessions;
import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.workload.ValueCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A client node that runs a protocol's {@link ClientProtocol} on the cluster's agent thread for operations handed
 * over by another thread (the JMH thread), one at a time, on slot 0.
 *
 * <p>Handoff, single producer and single consumer, no allocation: the caller writes the operation's type and key to
 * plain fields, then publishes its sequence number with a volatile write; the agent, ticked every duty cycle, sees the
 * new sequence with a volatile read (which makes the fields visible), submits, and on completion writes the result
 * fields then the completed sequence (volatile). The caller spins until the completed sequence reaches its own.
 */
final class SyncClient implements Endpoint, ClientListener
{
    private final ClientProtocol protocol;
    private final long sessionId;
    private final long protocolTickIntervalNs;
    private final int valueSize;
    private final ExpandableArrayBuffer value;

    // Written by the caller before requested is published; read by the agent after it reads requested.
    private OpType requestType = OpType.GET;
    private long requestKey;
    private final PaddedSequence requested = new PaddedSequence();

    // Written by the agent before completed is published; read by the caller after it reads completed.
    private int resultHops;
    private Status resultStatus;
    private final PaddedSequence completed = new PaddedSequence();
    /** The caller while it is parked waiting for a completion, or null. */
    private volatile Thread parkedCaller;

    // Agent thread only.
    private volatile Thread agentThread;
    private long submitted;
    private long nextProtocolTickNs;

    SyncClient(final int clientNode, final ClientProtocol protocol, final int valueSize,
        final long protocolTickIntervalNs)
    {
        this.protocol = protocol;
        this.sessionId = ClientSessions.sessionId(clientNode, 0);
        this.valueSize = valueSize;
        this.protocolTickIntervalNs = protocolTickIntervalNs;
        this.value = new ExpandableArrayBuffer(Math.max(64, valueSize));
        for (int i = 16; i < valueSize; i++)
        {
            value.putByte(i, (byte)('a' + (i % 26)));
        }
    }

    // ---------------------------------------------------------------- caller (JMH) thread

    /**
     * Hands an operation to the agent thread.
     *
     * @return its sequence number, for {@link #isComplete(long)}.
     */
    long submit(final OpType type, final long key)
    {
        requestType = type;
        requestKey = key;
        final long seq = requested.get() + 1;
        requested.set(seq);
        return seq;
    }

    boolean isComplete(final long seq)
    {
        return completed.get() >= seq;
    }

    /**
     * Parks the calling thread until the operation completes or {@code timeoutNs} passes (spurious wake-ups are
     * possible: the caller re-checks {@link #isComplete}). The agent unparks it on completion: the caller publishes
     * itself before re-checking, the agent publishes the completion before looking for a parked caller, so one of
     * the two sees the other.
     */
    void park(final long seq, final long timeoutNs)
    {
        parkedCaller = Thread.currentThread();
        if (!isComplete(seq))
        {
            LockSupport.parkNanos(this, timeoutNs);
        }
        parkedCaller = null;
    }

    /**
     * @return critical-path hops of the last completed operation (valid after {@link #isComplete} saw it).
     */
    int lastHops()
    {
        return resultHops;
    }

    Status lastStatus()
    {
        return resultStatus;
    }

    /**
     * @return the thread that runs the cluster's nodes, once it has ticked this client; null before.
     */
    Thread agentThread()
    {
        return agentThread;
    }

    // ---------------------------------------------------------------- agent thread

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        protocol.onMessage(fromNode, buffer, offset, length, nowNs, out, this);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (agentThread == null)
        {
            agentThread = Thread.currentThread();
        }
        final long seq = requested.get();
        if (seq != submitted)
        {
            submitted = seq;
            final OpType type = requestType;
            final long key = requestKey;
            if (type == OpType.PUT)
            {
                ValueCodec.encode(value, ValueCodec.writeId(sessionId, seq), key, valueSize);
                protocol.submit(0, seq, type, key, value, 0, valueSize, nowNs, out);
            }
            else
            {
                protocol.submit(0, seq, type, key, value, 0, 0, nowNs, out);
            }
        }
        if (nowNs >= nextProtocolTickNs)
        {
            nextProtocolTickNs = nowNs + protocolTickIntervalNs;
            protocol.onTick(nowNs, out, this);
        }
    }

    public void onComplete(final int slot, final long seq, final Status status, final int hops, final long version,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        if (seq == submitted && completed.get() < seq)
        {
            resultHops = hops;
            resultStatus = status;
            completed.set(seq);
            final Thread caller = parkedCaller;
            if (caller != null)
            {
                LockSupport.unpark(caller);
            }
        }
    }
}
