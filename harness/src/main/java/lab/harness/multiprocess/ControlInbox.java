package lab.harness.multiprocess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Reads control frames from a subscription (one thread only).
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
    }

    private final Subscription subscription;
    private final ArrayDeque<Message> received = new ArrayDeque<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);

    ControlInbox(final Subscription subscription)
    {
        this.subscription = subscription;
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
        final int type = buffer.getInt(offset);
        final int from = buffer.getInt(offset + 4);
        final byte[] text = new byte[length - 8];
        buffer.getBytes(offset + 8, text);
        received.add(new Message(type, from, Control.decodeText(new String(text, StandardCharsets.UTF_8))));
    }
}
