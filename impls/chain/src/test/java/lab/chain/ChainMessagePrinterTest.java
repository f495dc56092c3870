package lab.chain;

import java.util.List;

import lab.chain.codec.AckEncoder;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ConfigEncoder;
import lab.chain.codec.ForwardEncoder;
import lab.chain.codec.HeartbeatEncoder;
import lab.chain.codec.HelloEncoder;
import lab.chain.codec.LinkedEncoder;
import lab.chain.codec.MessageHeaderEncoder;
import lab.chain.codec.SnapshotAckEncoder;
import lab.chain.codec.SnapshotChunkEncoder;
import lab.chain.codec.VersionQueryEncoder;
import lab.chain.codec.VersionReplyEncoder;
import lab.core.ClientSessions;
import lab.core.MessagePrinter;
import lab.harness.sim.PrinterCoverage;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChainMessagePrinterTest
{
    private final MessagePrinter printer = new ChainFactory().printer();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final long session = ClientSessions.sessionId(4, 0);

    private String print(final int encodedLength)
    {
        return printer.print(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encodedLength);
    }

    @Test
    void shouldPrintEveryMessageOfTheSchema()
    {
        assertEquals(List.of(), PrinterCoverage.unprinted(printer, "codecs/chain-codecs.xml", "lab.chain.codec"));
    }

    @Test
    void shouldPrintEachMessage()
    {
        assertEquals("Forward epoch=1 chainSeq=5 key=42 value=16B session=4/0 seq=7 depth=2",
            print(new ForwardEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(7)
                .epoch(1).chainSeq(5).key(42).putValue(new UnsafeBuffer(new byte[16]), 0, 16).encodedLength()));
        assertEquals("Ack epoch=1 received=5 commit=5 session=4/0 seq=7 depth=4",
            print(new AckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(4).clientId(session).seq(7)
                .epoch(1).receivedSeq(5).commitSeq(5).encodedLength()));
        assertEquals("Hello epoch=2 received=4 depth=1",
            print(new HelloEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .epoch(2).receivedSeq(4).needSnapshot(BooleanType.FALSE).encodedLength()));
        assertEquals("Hello epoch=2 received=0 needSnapshot=true depth=1",
            print(new HelloEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .epoch(2).receivedSeq(0).needSnapshot(BooleanType.TRUE).encodedLength()));
        assertEquals("Linked epoch=2 last=6 depth=2",
            print(new LinkedEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .epoch(2).lastSeq(6).encodedLength()));
        assertEquals("VersionQuery epoch=1 key=42 session=4/0 seq=8 depth=2",
            print(new VersionQueryEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(8)
                .epoch(1).key(42).encodedLength()));
        assertEquals("VersionReply epoch=1 key=42 version=5 session=4/0 seq=8 depth=3",
            print(new VersionReplyEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3).clientId(session).seq(8)
                .epoch(1).key(42).version(5).encodedLength()));
        assertEquals("SnapshotChunk epoch=3 snapshotSeq=9 transfer=2 chunk=0+64/64 depth=2",
            print(new SnapshotChunkEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .epoch(3).snapshotSeq(9).chunkOffset(0).totalLength(64).transferId(2).checksum(0)
                .putBytes(new UnsafeBuffer(new byte[64]), 0, 64).encodedLength()));
        assertEquals("SnapshotAck epoch=3 transfer=2 received=5 depth=3",
            print(new SnapshotAckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3).clientId(0).seq(0)
                .epoch(3).transferId(2).receivedChunks(5).encodedLength()));
        assertEquals("Heartbeat epoch=1 last=5 synced=true depth=1",
            print(new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .epoch(1).sentNs(77).lastSeq(5).synced(BooleanType.TRUE).encodedLength()));
        final ConfigEncoder config = new ConfigEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0)
            .seq(0).epoch(2).leaseSentNs(77).joiner(-1);
        config.membersCount(2).next().nodeId(0).next().nodeId(2);
        assertEquals("Config epoch=2 chain=[0,2] lease depth=1", print(config.encodedLength()));
        final ConfigEncoder joining = new ConfigEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0)
            .seq(0).epoch(3).leaseSentNs(Long.MIN_VALUE).joiner(1);
        joining.membersCount(3).next().nodeId(0).next().nodeId(2).next().nodeId(1);
        assertEquals("Config epoch=3 chain=[0,2,1] joiner=1 depth=1", print(joining.encodedLength()));
    }

    @Test
    void shouldPrintATruncatedConfigAsItsHeader()
    {
        final ConfigEncoder config = new ConfigEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0)
            .seq(0).epoch(2).leaseSentNs(77).joiner(-1);
        config.membersCount(2).next().nodeId(0).next().nodeId(2);
        final int length = 8 + config.encodedLength() - 2;
        assertEquals("Message schema=102 template=9 length=" + length + " malformed", printer.print(buffer, 0, length));
    }
}
