package lab.core;

import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client messages every protocol's printer shares, and the fallback for what a printer does not know.
 */
class MessagePrinterTest
{
    /** A printer that knows no template of its own schema (999): only client messages and the fallback. */
    private static final MessagePrinter CLIENT_ONLY =
        (buffer, offset, length) -> MessagePrinter.print(buffer, offset, length, 999, (message, template) -> null);

    private final ClientMessages messages = new ClientMessages();
    private final long session = ClientSessions.sessionId(3, 1);

    @Test
    void shouldPrintAPut()
    {
        final UnsafeBuffer value = new UnsafeBuffer(new byte[16]);
        final int length = messages.encodeRequest(1, session, 7, OpType.PUT, 42, value, 0, 16);
        assertEquals("ClientRequest PUT key=42 value=16B session=3/1 seq=7 depth=1",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
    }

    @Test
    void shouldPrintAGet()
    {
        final int length = messages.encodeRequest(1, session, 8, OpType.GET, 5, new UnsafeBuffer(new byte[0]), 0, 0);
        assertEquals("ClientRequest GET key=5 session=3/1 seq=8 depth=1", CLIENT_ONLY.print(messages.buffer(), 0, length));
    }

    @Test
    void shouldPrintResponses()
    {
        int length = messages.encodeResponse(4, session, 7, Status.OK, -1, 12, new UnsafeBuffer(new byte[16]), 0, 16);
        assertEquals("ClientResponse OK version=12 value=16B session=3/1 seq=7 depth=4",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
        length = messages.encodeEmptyResponse(2, session, 7, Status.REDIRECT, 2);
        assertEquals("ClientResponse REDIRECT hint=2 session=3/1 seq=7 depth=2",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
        length = messages.encodeEmptyResponse(2, session, 9, Status.NOT_FOUND, 0);
        assertEquals("ClientResponse NOT_FOUND session=3/1 seq=9 depth=2", CLIENT_ONLY.print(messages.buffer(), 0, length));
        length = messages.encodeEmptyResponse(2, session, 7, Status.UNAVAILABLE, -1);
        assertEquals("ClientResponse UNAVAILABLE session=3/1 seq=7 depth=2",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
    }

    @Test
    void shouldPrintTheHeaderOfAMessageItDoesNotKnow()
    {
        final UnsafeBuffer foreign = new UnsafeBuffer(new byte[24]);
        foreign.putShort(2, (short)9);
        foreign.putShort(4, (short)555);
        assertEquals("Message schema=555 template=9 length=24", CLIENT_ONLY.print(foreign, 0, 24));
        foreign.putShort(4, (short)999);
        assertEquals("Message schema=999 template=9 length=24", CLIENT_ONLY.print(foreign, 0, 24));
        foreign.putShort(4, (short)ClientMessages.SCHEMA_ID);
        assertEquals("Message schema=100 template=9 length=24", CLIENT_ONLY.print(foreign, 0, 24));
    }

    @Test
    void shouldNeverThrowOnATruncatedOrCorruptMessage()
    {
        final int length = messages.encodeRequest(1, session, 7, OpType.PUT, 42, new UnsafeBuffer(new byte[16]), 0, 16);
        assertEquals("Message schema=100 template=1 length=20 malformed", CLIENT_ONLY.print(messages.buffer(), 0, 20));
        assertEquals("Bytes length=5", CLIENT_ONLY.print(messages.buffer(), 0, 5));
        // An op type that is not in the enum.
        messages.buffer().putByte(8 + 4 + 8 + 8, (byte)77);
        assertEquals("Message schema=100 template=1 length=" + length + " malformed",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
        // A value length far past the end.
        messages.buffer().putByte(8 + 4 + 8 + 8, (byte)1);
        messages.buffer().putInt(8 + 4 + 8 + 8 + 1 + 8, 1 << 20);
        assertEquals("Message schema=100 template=1 length=" + length + " malformed",
            CLIENT_ONLY.print(messages.buffer(), 0, length));
    }
}
