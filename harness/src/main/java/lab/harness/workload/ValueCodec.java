package lab.harness.workload;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of the values clients write: the first 8 bytes are a write id unique in the run, (session << 32 | seq),
 * the next 8 the key, the rest filler. A read can so be traced back to the write that made its value.
 */
public final class ValueCodec
{
    private ValueCodec()
    {
    }

    public static long writeId(final long sessionId, final long seq)
    {
        return (sessionId << 32) | (seq & 0xFFFF_FFFFL);
    }

    public static void encode(final MutableDirectBuffer buffer, final long writeId, final long key, final int size)
    {
        buffer.putLong(0, writeId);
        buffer.putLong(8, key);
    }

    public static long decodeWriteId(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= 8 ? buffer.getLong(offset) : 0;
    }
}
