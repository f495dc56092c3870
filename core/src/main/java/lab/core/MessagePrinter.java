package lab.core;

import java.nio.ByteOrder;

import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Prints one wire message of a protocol as a line a person can read, e.g.
 * {@code AppendEntries term=3 prev=17/3 entries=2 commit=16 depth=2}: what a failing seed's trace and the
 * data-driven interaction tests show. Not on any hot path: it may allocate.
 *
 * <p>A protocol's printer prints the templates of its own schema and leaves the rest to {@link #print(DirectBuffer,
 * int, int, int, TemplatePrinter)}: the client messages (schema {@link ClientMessages#SCHEMA_ID}) print the same for
 * every protocol, and anything else (another schema, a template the printer does not know, a truncated or corrupt
 * message) prints its header instead of throwing, because a trace is read when something has already gone wrong.
 */
@FunctionalInterface
public interface MessagePrinter
{
    /** The SBE message header every lab schema uses: blockLength, templateId, schemaId, version (uint16 each). */
    int HEADER_LENGTH = 8;

    /**
     * @return the message as one line without a newline; a message this printer does not know (another schema, a
     * malformed one) still prints, as its schema, template and length.
     */
    String print(DirectBuffer buffer, int offset, int length);

    /**
     * The templates of one schema; what a protocol's printer writes.
     */
    @FunctionalInterface
    interface TemplatePrinter
    {
        /**
         * @param message  the message alone (offset 0, capacity its length), so that a field past its end throws
         *                 rather than reading a neighbour's bytes.
         * @param template the template id from the header.
         * @return the line, or null for a template this printer does not know.
         */
        String print(DirectBuffer message, int template);
    }

    /**
     * The fallback: schema id, template id and length from the SBE message header (little-endian, 8 bytes).
     */
    static String header(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return "Bytes length=" + length;
        }
        final int template = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schema = buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return "Message schema=" + schema + " template=" + template + " length=" + length;
    }

    /**
     * Prints a message of schema {@code schemaId} with {@code templates}, a client message with
     * {@link #client}, and anything else, or anything that fails to decode, with {@link #header} (never throws).
     */
    static String print(final DirectBuffer buffer, final int offset, final int length, final int schemaId,
        final TemplatePrinter templates)
    {
        try
        {
            if (length < HEADER_LENGTH || offset < 0 || offset + length > buffer.capacity())
            {
                return header(buffer, offset, Math.min(length, Math.max(0, buffer.capacity() - offset)));
            }
            // A copy of exactly the message: a length field that points past its end throws (bounds checks).
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            final UnsafeBuffer message = new UnsafeBuffer(bytes);
            final int template = message.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int schema = message.getShort(4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final String line = schema == ClientMessages.SCHEMA_ID ? client(message, template) :
                schema == schemaId ? templates.print(message, template) : null;
            return line != null ? line : header(buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            return header(buffer, offset, length) + " malformed";
        }
    }

    /**
     * The client messages, e.g. {@code ClientRequest PUT key=42 value=16B session=3/1 seq=7 depth=1}.
     *
     * @return null for a template the client schema does not have.
     */
    static String client(final DirectBuffer message, final int template)
    {
        if (template == ClientRequestDecoder.TEMPLATE_ID)
        {
            final ClientRequestDecoder m = new ClientRequestDecoder().wrap(message, HEADER_LENGTH,
                message.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, ClientRequestDecoder.SCHEMA_VERSION);
            MessagePrinter.whole(m.sbeDecodedLength(), message);
            final StringBuilder sb = new StringBuilder("ClientRequest ").append(m.opType()).append(" key=")
                .append(m.key());
            if (m.opType() == OpType.PUT)
            {
                sb.append(" value=").append(m.valueLength()).append('B');
            }
            return operation(sb, m.clientId(), m.seq(), m.depth());
        }
        if (template == ClientResponseDecoder.TEMPLATE_ID)
        {
            final ClientResponseDecoder m = new ClientResponseDecoder().wrap(message, HEADER_LENGTH,
                message.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, ClientResponseDecoder.SCHEMA_VERSION);
            MessagePrinter.whole(m.sbeDecodedLength(), message);
            final StringBuilder sb = new StringBuilder("ClientResponse ").append(m.status());
            if (m.status() == Status.OK)
            {
                sb.append(" version=").append(m.version()).append(" value=").append(m.valueLength()).append('B');
            }
            else if (m.status() == Status.REDIRECT || m.status() == Status.UNAVAILABLE && m.leaderHint() >= 0)
            {
                sb.append(" hint=").append(m.leaderHint());
            }
            return operation(sb, m.clientId(), m.seq(), m.depth());
        }
        return null;
    }

    /**
     * Appends the fields every lab message ends with: the operation it belongs to (session as client node/slot,
     * and sequence; left out when no single operation caused the message, clientId 0) and the hop depth.
     */
    static String operation(final StringBuilder line, final long clientId, final long seq, final int depth)
    {
        if (clientId != 0)
        {
            line.append(" session=").append(ClientSessions.clientNode(clientId)).append('/')
                .append(ClientSessions.slot(clientId)).append(" seq=").append(seq);
        }
        return line.append(" depth=").append(depth).toString();
    }

    /**
     * Throws when the message's variable part (groups, data) claims more bytes than it has: the fixed fields
     * are bounds-checked as they are read, the lengths of data only when this is called with the decoder's
     * {@code sbeDecodedLength()}.
     */
    static void whole(final int decodedLength, final DirectBuffer message)
    {
        if (HEADER_LENGTH + decodedLength > message.capacity())
        {
            throw new IndexOutOfBoundsException("message of " + message.capacity() + " bytes claims " +
                (HEADER_LENGTH + decodedLength));
        }
    }

    /**
     * @return "true"/"false" for an SBE boolean enum's raw value (the schemas' BooleanType: 0 or 1).
     */
    static String bool(final short raw)
    {
        return raw == 0 ? "false" : raw == 1 ? "true" : "?" + raw;
    }
}
