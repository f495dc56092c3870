package lab.raft;

import java.util.ArrayList;
import java.util.List;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One acknowledgement per burst of appends from the same leader in the same term.
 */
class FollowerAckTest
{
    private final List<Integer> to = new ArrayList<>();
    private final List<AppendResponseDecoder> sent = new ArrayList<>();
    private final Outbox out = (toNode, buffer, offset, length) ->
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, buffer, offset, length);
        to.add(toNode);
        sent.add(new AppendResponseDecoder().wrapAndApplyHeader(copy, 0, new MessageHeaderDecoder()));
    };
    private final MemoryStorage storage = new MemoryStorage(64);
    private final HopDepth hops = new HopDepth();
    private final FollowerAck ack = new FollowerAck(new RaftPublisher(hops), hops, storage.log());

    @Test
    void nothingHeldNothingSent()
    {
        ack.release(out);
        assertEquals(0, sent.size());
        assertEquals(0, ack.sent());
    }

    @Test
    void oneAnswerCarriesTheHighestMatchDepthSendTimeAndRound()
    {
        hops.received(2);
        ack.hold(0, 2, 10, 5, 100, 1, out);
        hops.received(4);
        ack.hold(0, 2, 12, 10, 90, 4, out);
        hops.received(1);
        ack.hold(0, 2, 11, 10, 120, 2, out); // reordered: a lower match does not take it back
        assertEquals(0, sent.size());
        hops.startPath(); // released at flush: the answer resumes the deepest append's path, 4 + 1
        ack.release(out);
        assertEquals(1, sent.size());
        final AppendResponseDecoder m = sent.get(0);
        assertEquals(0, to.get(0));
        assertEquals(5, m.depth());
        assertEquals(2, m.term());
        assertEquals(BooleanType.TRUE, m.success());
        assertEquals(12, m.matchIndex());
        assertEquals(10, m.prevLogIndex());
        assertEquals(120, m.sentNs());
        assertEquals(4, m.readRound());
        assertEquals(-1, m.conflictTerm());
        assertEquals(1, ack.sent());
        ack.release(out);
        assertEquals(1, sent.size()); // released once
        assertEquals(0, hops.input(), "the input being handled when it went is handled on");
    }

    @Test
    void anotherLeaderOrTermSendsWhatIsHeldFirst()
    {
        hops.received(1);
        ack.hold(0, 2, 10, 5, 100, 0, out);
        hops.received(6);
        ack.hold(1, 3, 4, 4, 200, 0, out); // a new leader in a new term
        assertEquals(1, sent.size());
        assertEquals(0, to.get(0));
        assertEquals(10, sent.get(0).matchIndex());
        assertEquals(2, sent.get(0).depth(), "the answer released first keeps its own path");
        ack.hold(1, 4, 6, 6, 300, 0, out); // same node, newer term
        assertEquals(2, sent.size());
        assertEquals(3, sent.get(1).term());
        assertEquals(7, sent.get(1).depth());
        assertEquals(6, hops.input(), "releasing the held answer leaves the input being handled as it was");
        ack.release(out);
        assertEquals(3, sent.size());
        assertEquals(4, sent.get(2).term());
        assertEquals(3, ack.sent());
    }
}
