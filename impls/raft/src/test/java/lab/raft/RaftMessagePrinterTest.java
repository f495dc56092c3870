package lab.raft;

import java.util.List;

import lab.core.ClientSessions;
import lab.core.MessagePrinter;
import lab.harness.sim.PrinterCoverage;
import lab.raft.codec.AppendEntriesEncoder;
import lab.raft.codec.AppendResponseEncoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.InstallSnapshotEncoder;
import lab.raft.codec.InstallSnapshotResponseEncoder;
import lab.raft.codec.MessageHeaderEncoder;
import lab.raft.codec.RequestVoteEncoder;
import lab.raft.codec.VoteEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RaftMessagePrinterTest
{
    private final MessagePrinter printer = new RaftFactory().printer();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final long session = ClientSessions.sessionId(4, 2);

    private String print(final int encodedLength)
    {
        return printer.print(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encodedLength);
    }

    @Test
    void shouldPrintEveryMessageOfTheSchema()
    {
        assertEquals(List.of(), PrinterCoverage.unprinted(printer, "codecs/raft-codecs.xml", "lab.raft.codec"));
    }

    @Test
    void shouldPrintAppendEntries()
    {
        final AppendEntriesEncoder m = new AppendEntriesEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(session).seq(7).term(3).prevLogIndex(17).prevLogTerm(3).leaderCommit(16)
            .sentNs(123_456).readRound(0);
        final AppendEntriesEncoder.EntriesEncoder entries = m.entriesCount(2);
        entries.next().entryTerm(3).entryClientId(session).entrySeq(7).key(42).putValue(new UnsafeBuffer(new byte[16]), 0, 16);
        entries.next().entryTerm(3).entryClientId(session).entrySeq(8).key(43).putValue(new UnsafeBuffer(new byte[16]), 0, 16);
        assertEquals("AppendEntries term=3 prev=17/3 entries=2 commit=16 session=4/2 seq=7 depth=2",
            print(m.encodedLength()));
        final AppendEntriesEncoder heartbeat = new AppendEntriesEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(3).prevLogIndex(18).prevLogTerm(3).leaderCommit(18).sentNs(5).readRound(4);
        heartbeat.entriesCount(0);
        assertEquals("AppendEntries term=3 prev=18/3 entries=0 commit=18 read=4 depth=1",
            print(heartbeat.encodedLength()));
    }

    @Test
    void shouldPrintAppendResponses()
    {
        AppendResponseEncoder m = new AppendResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(3).clientId(session).seq(7).term(3).success(BooleanType.TRUE).matchIndex(19).prevLogIndex(17)
            .conflictIndex(0).conflictTerm(-1).lastIndex(19).sentNs(9).readRound(0);
        assertEquals("AppendResponse term=3 ok match=19 last=19 session=4/2 seq=7 depth=3", print(m.encodedLength()));
        m = new AppendResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(0).seq(0).term(3).success(BooleanType.FALSE).matchIndex(0).prevLogIndex(17)
            .conflictIndex(12).conflictTerm(2).lastIndex(14).sentNs(9).readRound(5);
        assertEquals("AppendResponse term=3 reject prev=17 conflict=12/2 last=14 read=5 depth=2",
            print(m.encodedLength()));
    }

    @Test
    void shouldPrintVotesAndPreVotes()
    {
        RequestVoteEncoder request = new RequestVoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(1).lastLogIndex(0).lastLogTerm(0).preVote(BooleanType.TRUE);
        assertEquals("PreVote term=1 last=0/0 depth=1", print(request.encodedLength()));
        request = new RequestVoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(4).lastLogIndex(9).lastLogTerm(3).preVote(BooleanType.FALSE);
        assertEquals("RequestVote term=4 last=9/3 depth=1", print(request.encodedLength()));
        VoteEncoder vote = new VoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(0).seq(0).term(1).granted(BooleanType.TRUE).preVote(BooleanType.TRUE);
        assertEquals("PreVoteResponse term=1 granted=true depth=2", print(vote.encodedLength()));
        vote = new VoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(0).seq(0).term(4).granted(BooleanType.FALSE).preVote(BooleanType.FALSE);
        assertEquals("Vote term=4 granted=false depth=2", print(vote.encodedLength()));
    }

    @Test
    void shouldPrintInstallSnapshot()
    {
        final InstallSnapshotEncoder m = new InstallSnapshotEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(5).lastIncludedIndex(100).lastIncludedTerm(4).chunkOffset(512)
            .totalLength(2048).transferId(3).checksum(0x1234).putBytes(new UnsafeBuffer(new byte[512]), 0, 512);
        assertEquals("InstallSnapshot term=5 last=100/4 transfer=3 chunk=512+512/2048 depth=1",
            print(m.encodedLength()));
    }

    @Test
    void shouldPrintInstallSnapshotResponse()
    {
        final InstallSnapshotResponseEncoder m = new InstallSnapshotResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(0).seq(0).term(5).transferId(3).receivedChunks(2);
        assertEquals("InstallSnapshotResponse term=5 transfer=3 received=2 depth=2", print(m.encodedLength()));
    }

    @Test
    void shouldPrintAForeignOrTruncatedMessageAsItsHeader()
    {
        final RequestVoteEncoder request = new RequestVoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(1).lastLogIndex(0).lastLogTerm(0).preVote(BooleanType.TRUE);
        assertEquals("Message schema=103 template=3 length=20 malformed", printer.print(buffer, 0, 20));
        buffer.putShort(2, (short)77);
        assertEquals("Message schema=103 template=77 length=" + (8 + request.encodedLength()),
            print(request.encodedLength()));
        buffer.putShort(4, (short)101);
        assertEquals("Message schema=101 template=77 length=" + (8 + request.encodedLength()),
            print(request.encodedLength()));
    }
}
