package lab.harness.multiprocess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Reads control frames from a subscription (one thread only). A frame that is not a control message (shorter than
 * its 8-byte header, an unknown type, no numeric {@code run=}) is refused: it never reaches the caller and never
 * throws; {@code refusals} gets one line about it and {@link #refused()} counts it.
 */
final class ControlInbox
{
    /**
     * One control message.
     */
    record Message(int type, int from, Map<String, String> fields)
    {
        String get(final String key)
        {
            return fields.get(key);
        }

        long getLong(final String key)
        {
            final String v = fields.get(key);
            if (v == null)
            {
                throw new IllegalArgumentException(Control.typeName(type) + " without " + key);
            }
            return Long.parseLong(v);
        }

        /**
         * @return the fields whose key starts with {@code prefix} ({@code counter.}, {@code opt.}, ...), keyed by
         * the rest of the key, in the message's order.
         */
        Map<String, String> withPrefix(final String prefix)
        {
            final Map<String, String> named = new java.util.LinkedHashMap<>();
            fields.forEach((k, v) ->
            {
                if (k.startsWith(prefix))
                {
                    named.put(k.substring(prefix.length()), v);
                }
            });
            return named;
        }
    }

    private final Subscription subscription;
    private final java.util.function.Consumer<String> refusals;
    private final ArrayDeque<Message> received = new ArrayDeque<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private long refused;

    ControlInbox(final Subscription subscription, final java.util.function.Consumer<String> refusals)
    {
        this.subscription = subscription;
        this.refusals = refusals;
    }

    /**
     * Refuses a message the caller found out of order or invalid: counted and logged as one line.
     */
    void refuse(final Message m, final String why)
    {
        refuse("control " + Control.typeName(m.type()) + " from=" + m.from() + " run=" + m.get("run") + ": " + why);
    }

    private void refuse(final String line)
    {
        refused++;
        refusals.accept(line.replace('\n', ' '));
    }

    /**
     * @return control frames refused so far.
     */
    long refused()
    {
        return refused;
    }

    /**
     * @return the next message, or null when none has arrived.
     */
    Message poll()
    {
        if (received.isEmpty())
        {
            subscription.poll(assembler, 16);
        }
        return received.poll();
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < 8)
        {
            refuse("malformed control frame of " + length + " bytes (Aeron session " + header.sessionId() + ")");
            return;
        }
        final int type = buffer.getInt(offset);
        final int from = buffer.getInt(offset + 4);
        if (type < Control.CONFIG || type > Control.LAST_TYPE)
        {
            refuse("control frame of unknown type " + type + " from=" + from + " (" + length + " bytes)");
            return;
        }
        final byte[] text = new byte[length - 8];
        buffer.getBytes(offset + 8, text);
        final Message m = new Message(type, from, Control.decodeText(new String(text, StandardCharsets.UTF_8)));
        try
        {
            Long.parseLong(String.valueOf(m.get("run")));
        }
        catch (final NumberFormatException ex)
        {
            refuse(m, "no numeric run=");
            return;
        }
        received.add(m);
    }
}
