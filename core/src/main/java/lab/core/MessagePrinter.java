package lab.core;

import org.agrona.DirectBuffer;

/**
 * Prints one wire message of a protocol as a line a person can read, e.g.
 * {@code AppendEntries term=3 prev=17/3 entries=2 commit=16}: what a failing seed's trace and the data-driven
 * interaction tests show. Not on any hot path: it may allocate.
 */
@FunctionalInterface
public interface MessagePrinter
{
    /**
     * @return the message as one line without a newline; a message this printer does not know (another schema, a
     * malformed one) still prints, as its schema, template and length.
     */
    String print(DirectBuffer buffer, int offset, int length);

    /**
     * The fallback: schema id, template id and length from the SBE message header (little-endian, 8 bytes).
     */
    static String header(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 8)
        {
            return "Bytes length=" + length;
        }
        final int template = buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schema = buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return "Message schema=" + schema + " template=" + template + " length=" + length;
    }
}
