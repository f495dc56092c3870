package lab.core;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Held messages go out at release in the order sent, as copies (the sender reuses its buffer at once), and the
 * outbox is empty again after.
 */
class HeldOutboxTest
{
    @Test
    void releasesCopiesInTheOrderSentAndForgetsThem()
    {
        final HeldOutbox held = new HeldOutbox();
        assertTrue(held.isEmpty());
        final UnsafeBuffer encoding = new UnsafeBuffer(new byte[100_000]); // larger than the initial buffer
        final List<String> sent = new ArrayList<>();
        final Outbox out = (toNode, buffer, offset, length) ->
            sent.add(toNode + ":" + length + ":" + buffer.getByte(offset) + ":" + buffer.getByte(offset + length - 1));

        encoding.setMemory(0, 10, (byte)1);
        held.send(2, encoding, 0, 10);
        encoding.setMemory(0, 100_000, (byte)7); // reused at once: the held copy must not change
        held.send(0, encoding, 0, 100_000);
        assertFalse(held.isEmpty());
        assertTrue(sent.isEmpty(), "nothing goes before release");

        held.releaseTo(out);
        assertEquals(List.of("2:10:1:1", "0:100000:7:7"), sent);
        assertTrue(held.isEmpty());
        held.releaseTo(out);
        assertEquals(2, sent.size(), "released once");
    }
}
