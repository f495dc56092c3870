package lab.harness.metrics;

import lab.core.codec.OpType;

/**
 * Sees every operation a load generator runs: for histories (linearizability, stale reads) and tests.
 * {@code value} is the write id carried in the first 8 bytes of a value ({@code lab.harness.workload.ValueCodec}, which writes it); 0 is "no value".
 */
public interface OperationObserver
{
    OperationObserver NONE = new OperationObserver()
    {
        public void onInvoke(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long nowNs)
        {
        }

        public void onOk(final long sessionId, final long seq, final OpType type, final long key, final long value,
            final long version, final int hops, final long nowNs)
        {
        }

        public void onTimeout(final long sessionId, final long seq, final OpType type, final long key, final long nowNs)
        {
        }
    };

    /**
     * @return an observer telling both.
     */
    static OperationObserver both(final OperationObserver first, final OperationObserver second)
    {
        if (second == NONE)
        {
            return first;
        }
        return new OperationObserver()
        {
            public void onInvoke(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long nowNs)
            {
                first.onInvoke(sessionId, seq, type, key, value, nowNs);
                second.onInvoke(sessionId, seq, type, key, value, nowNs);
            }

            public void onOk(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long version, final int hops, final long nowNs)
            {
                first.onOk(sessionId, seq, type, key, value, version, hops, nowNs);
                second.onOk(sessionId, seq, type, key, value, version, hops, nowNs);
            }

            public void onTimeout(final long sessionId, final long seq, final OpType type, final long key,
                final long nowNs)
            {
                first.onTimeout(sessionId, seq, type, key, nowNs);
                second.onTimeout(sessionId, seq, type, key, nowNs);
            }
        };
    }

    /**
     * @return a view that serializes calls, for an observer shared by clients on different threads.
     */
    static OperationObserver synchronizedView(final OperationObserver observer)
    {
        return new OperationObserver()
        {
            public synchronized void onInvoke(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long nowNs)
            {
                observer.onInvoke(sessionId, seq, type, key, value, nowNs);
            }

            public synchronized void onOk(final long sessionId, final long seq, final OpType type, final long key,
                final long value, final long version, final int hops, final long nowNs)
            {
                observer.onOk(sessionId, seq, type, key, value, version, hops, nowNs);
            }

            public synchronized void onTimeout(final long sessionId, final long seq, final OpType type,
                final long key, final long nowNs)
            {
                observer.onTimeout(sessionId, seq, type, key, nowNs);
            }
        };
    }

    void onInvoke(long sessionId, long seq, OpType type, long key, long value, long nowNs);

    /**
     * @param value for a GET the write id read (0 when the key was never written); for a PUT the id written.
     */
    void onOk(long sessionId, long seq, OpType type, long key, long value, long version, int hops, long nowNs);

    /**
     * The operation was abandoned after the operation timeout: it may or may not have taken effect.
     */
    void onTimeout(long sessionId, long seq, OpType type, long key, long nowNs);
}
