package lab.quorum;

import java.util.List;

import lab.core.ClientSessions;
import lab.core.MessagePrinter;
import lab.harness.sim.PrinterCoverage;
import lab.quorum.codec.BooleanType;
import lab.quorum.codec.MessageHeaderEncoder;
import lab.quorum.codec.ReadEncoder;
import lab.quorum.codec.ReadReplyEncoder;
import lab.quorum.codec.SyncAckEncoder;
import lab.quorum.codec.SyncChunkEncoder;
import lab.quorum.codec.SyncRequestEncoder;
import lab.quorum.codec.WriteAckEncoder;
import lab.quorum.codec.WriteEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuorumMessagePrinterTest
{
    private final MessagePrinter printer = new QuorumFactory().printer();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final long session = ClientSessions.sessionId(3, 1);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[16]);

    private String print(final int encodedLength)
    {
        return printer.print(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encodedLength);
    }

    @Test
    void shouldPrintEveryMessageOfTheSchema()
    {
        assertEquals(List.of(), PrinterCoverage.unprinted(printer, "codecs/quorum-codecs.xml", "lab.quorum.codec"));
    }

    @Test
    void shouldPrintEachMessage()
    {
        assertEquals("Read key=42 session=3/1 seq=7 depth=2",
            print(new ReadEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(7).key(42)
                .tiedPeer(-1).encodedLength()));
        assertEquals("Read key=42 tiedPeer=2 session=3/1 seq=7 depth=2",
            print(new ReadEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(7).key(42)
                .tiedPeer(2).encodedLength()));
        assertEquals("TiedCancel origin=3 session=3/1 seq=7 depth=3",
            print(new lab.quorum.codec.TiedCancelEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3)
                .clientId(session).seq(7).origin(3).encodedLength()));
        assertEquals("ReadReply key=42 ts=65537 value=16B session=3/1 seq=7 depth=3",
            print(new ReadReplyEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3).clientId(session).seq(7)
                .key(42).ts(65537).putValue(value, 0, 16).encodedLength()));
        assertEquals("Write key=42 ts=65538 value=16B session=3/1 seq=8 depth=2",
            print(new WriteEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(8)
                .key(42).ts(65538).hintFor(-1).ackWanted(BooleanType.TRUE).putValue(value, 0, 16).encodedLength()));
        assertEquals("Write key=42 ts=65538 hintFor=2 noAck value=16B session=3/1 seq=8 depth=4",
            print(new WriteEncoder().wrapAndApplyHeader(buffer, 0, header).depth(4).clientId(session).seq(8)
                .key(42).ts(65538).hintFor(2).ackWanted(BooleanType.FALSE).putValue(value, 0, 16).encodedLength()));
        assertEquals("WriteAck key=42 ts=65538 session=3/1 seq=8 depth=3",
            print(new WriteAckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3).clientId(session).seq(8)
                .key(42).ts(65538).encodedLength()));
        assertEquals("SyncRequest term=5 depth=1",
            print(new SyncRequestEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .term(5).encodedLength()));
        assertEquals("SyncChunk term=5 transfer=1 chunk=16384+16/16400 depth=1",
            print(new SyncChunkEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .term(5).transferId(1).chunkOffset(16384).totalLength(16400).checksum(7).putBytes(value, 0, 16)
                .encodedLength()));
        assertEquals("SyncAck term=5 transfer=1 chunks=2 depth=1",
            print(new SyncAckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .term(5).transferId(1).receivedChunks(2).encodedLength()));
    }
}
