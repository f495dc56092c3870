package lab.raft;

import java.util.ArrayList;
import java.util.List;

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
    private final FollowerAck ack = new FollowerAck(new RaftPublisher(), storage.log());

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
        ack.hold(0, 3, 2, 10, 5, 100, 1, out);
        ack.hold(0, 5, 2, 12, 10, 90, 4, out);
        ack.hold(0, 2, 2, 11, 10, 120, 2, out); // reordered: a lower match does not take it back
        assertEquals(0, sent.size());
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
    }

    @Test
    void anotherLeaderOrTermSendsWhatIsHeldFirst()
    {
        ack.hold(0, 2, 2, 10, 5, 100, 0, out);
        ack.hold(1, 2, 3, 4, 4, 200, 0, out); // a new leader in a new term
        assertEquals(1, sent.size());
        assertEquals(0, to.get(0));
        assertEquals(10, sent.get(0).matchIndex());
        ack.hold(1, 2, 4, 6, 6, 300, 0, out); // same node, newer term
        assertEquals(2, sent.size());
        assertEquals(3, sent.get(1).term());
        ack.release(out);
        assertEquals(3, sent.size());
        assertEquals(4, sent.get(2).term());
        assertEquals(3, ack.sent());
    }
}
