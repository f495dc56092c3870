package lab.primarybackup;

import java.util.List;

import lab.core.ClientSessions;
import lab.core.MessagePrinter;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import lab.harness.sim.PrinterCoverage;
import lab.primarybackup.codec.AckEncoder;
import lab.primarybackup.codec.BooleanType;
import lab.primarybackup.codec.HeartbeatEncoder;
import lab.primarybackup.codec.MessageHeaderEncoder;
import lab.primarybackup.codec.ReplicateEncoder;
import lab.primarybackup.codec.ServiceHeartbeatEncoder;
import lab.primarybackup.codec.ViewEncoder;
import lab.primarybackup.codec.SnapshotAckEncoder;
import lab.primarybackup.codec.SnapshotChunkEncoder;
import lab.primarybackup.codec.VoteEncoder;
import lab.primarybackup.codec.VoteRequestEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrimaryBackupMessagePrinterTest
{
    private final MessagePrinter printer = new PrimaryBackupFactory().printer();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final long session = ClientSessions.sessionId(3, 1);

    private String print(final int encodedLength)
    {
        return printer.print(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encodedLength);
    }

    @Test
    void shouldPrintEveryMessageOfTheSchema()
    {
        assertEquals(List.of(), PrinterCoverage.unprinted(printer, "codecs/primary-backup-codecs.xml",
            "lab.primarybackup.codec"));
    }

    @Test
    void shouldPrintEachMessage()
    {
        assertEquals("Replicate view=2 index=17 commit=16 key=42 value=16B session=3/1 seq=7 depth=2",
            print(new ReplicateEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(session).seq(7)
                .view(2).index(17).commitIndex(16).leaseNs(99).key(42)
                .putValue(new UnsafeBuffer(new byte[16]), 0, 16).encodedLength()));
        assertEquals("Ack view=2 last=17 session=3/1 seq=7 depth=3",
            print(new AckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(3).clientId(session).seq(7)
                .view(2).lastIndex(17).leaseNs(99).needSnapshot(BooleanType.FALSE).encodedLength()));
        assertEquals("Ack view=2 last=0 needSnapshot=true depth=2",
            print(new AckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .view(2).lastIndex(0).leaseNs(99).needSnapshot(BooleanType.TRUE).encodedLength()));
        assertEquals("Heartbeat view=2 last=17 commit=17 depth=1",
            print(new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .view(2).lastIndex(17).commitIndex(17).leaseNs(5).encodedLength()));
        assertEquals("PreVoteRequest view=3 candidate=1 last=17/2 depth=1",
            print(new VoteRequestEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .view(3).candidate(1).lastEntryView(2).lastIndex(17).preVote(BooleanType.TRUE).encodedLength()));
        assertEquals("VoteRequest view=3 candidate=1 last=17/2 depth=1",
            print(new VoteRequestEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .view(3).candidate(1).lastEntryView(2).lastIndex(17).preVote(BooleanType.FALSE).encodedLength()));
        assertEquals("PreVote view=3 granted=true depth=2",
            print(new VoteEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .view(3).granted(BooleanType.TRUE).preVote(BooleanType.TRUE).encodedLength()));
        assertEquals("Vote view=3 granted=false depth=2",
            print(new VoteEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .view(3).granted(BooleanType.FALSE).preVote(BooleanType.FALSE).encodedLength()));
        assertEquals("SnapshotChunk view=3 index=40 transfer=2 chunk=0+100/100 depth=2",
            print(new SnapshotChunkEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
                .view(3).snapshotIndex(40).chunkOffset(0).totalLength(100).transferId(2).checksum(-5)
                .putBytes(new UnsafeBuffer(new byte[100]), 0, 100).encodedLength()));
        assertEquals("SnapshotAck view=3 transfer=2 received=1 depth=1",
            print(new SnapshotAckEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .view(3).transferId(2).receivedChunks(1).encodedLength()));
    }

    @Test
    void shouldPrintClientMessagesAndForeignOnes()
    {
        final ClientMessages client = new ClientMessages();
        final int length = client.encodeRequest(1, session, 7, OpType.GET, 42, new UnsafeBuffer(new byte[0]), 0, 0);
        assertEquals("ClientRequest GET key=42 session=3/1 seq=7 depth=1", printer.print(client.buffer(), 0, length));
        final int heartbeat = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0)
            .seq(0).view(2).lastIndex(17).commitIndex(17).leaseNs(5).encodedLength();
        buffer.putShort(4, (short)199); // a schema nobody here speaks (103, Raft's, is the view service's)
        assertEquals("Message schema=199 template=3 length=" + (8 + heartbeat), print(heartbeat));
    }

    @Test
    void shouldPrintTheViewServicesMessages()
    {
        assertEquals("ServiceHeartbeat view=4 synced=3 depth=1",
            print(new ServiceHeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
                .view(4).syncedView(3).sentNs(123).encodedLength()));
        final ViewEncoder view = new ViewEncoder().wrapAndApplyHeader(buffer, 0, header).depth(2).clientId(0).seq(0)
            .view(4).primary(1).leaseSentNs(123);
        view.backupsCount(2).next().nodeId(2).joinedView(1).next().nodeId(0).joinedView(4);
        assertEquals("View view=4 primary=1 backups=[2@1,0@4] lease depth=2", print(view.encodedLength()));
        final ViewEncoder push = new ViewEncoder().wrapAndApplyHeader(buffer, 0, header).depth(1).clientId(0).seq(0)
            .view(5).primary(2).leaseSentNs(Long.MIN_VALUE);
        push.backupsCount(0);
        assertEquals("View view=5 primary=2 backups=[] depth=1", print(push.encodedLength()));
    }
}
