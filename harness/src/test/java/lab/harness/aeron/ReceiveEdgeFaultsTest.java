package lab.harness.aeron;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive edge's fault rules on a scripted clock: cut senders and loss drop, delay and a slow CPU hold and
 * release in order at the times the rules say, and a clear does not let a message overtake the queue.
 */
class ReceiveEdgeFaultsTest
{
    private static final long MS = 1_000_000L;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[] {1, 2, 3, 4});
    private final List<String> delivered = new ArrayList<>();
    private final ReceiveEdgeFaults.Next next =
        (from, buffer, offset, length, nowNs) -> delivered.add(from + "@" + nowNs / MS + ":" + buffer.getByte(offset));

    @Test
    void shouldPassEverythingOnAtOnceWithoutRules()
    {
        final ReceiveEdgeFaults edge = new ReceiveEdgeFaults(new Random(1));
        assertFalse(edge.onReceive(3, message, 0, 4, 0));
        assertEquals(0, edge.held());
    }

    @Test
    void shouldDropWhatComesFromACutSenderOnly()
    {
        final ReceiveEdgeFaults edge = new ReceiveEdgeFaults(new Random(1));
        edge.rules(ReceiveEdgeFaults.Rules.NONE.withBlocked(1L << 2));
        assertTrue(edge.onReceive(2, message, 0, 4, 0), "from the other side of the cut: taken (dropped)");
        assertFalse(edge.onReceive(1, message, 0, 4, 0), "from this side: passed on");
        assertEquals(1, edge.cut());
    }

    @Test
    void shouldLoseTheGivenShareOfMessages()
    {
        final ReceiveEdgeFaults edge = new ReceiveEdgeFaults(new Random(7));
        edge.rules(ReceiveEdgeFaults.Rules.NONE.withLoss(0.25));
        int passed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            passed += edge.onReceive(0, message, 0, 4, 0) ? 0 : 1;
        }
        assertEquals(10_000 - passed, edge.lost());
        assertTrue(edge.lost() > 2300 && edge.lost() < 2700, "about 25% lost: " + edge.lost());
        edge.rules(ReceiveEdgeFaults.Rules.NONE.withLoss(1));
        assertTrue(edge.onReceive(0, message, 0, 4, 0));
    }

    @Test
    void shouldServeOneMessagePerServiceTimeOnASlowNode()
    {
        final ReceiveEdgeFaults edge = new ReceiveEdgeFaults(new Random(1));
        edge.rules(ReceiveEdgeFaults.Rules.NONE.withSlow(MS));
        for (int i = 0; i < 3; i++)
        {
            assertTrue(edge.onReceive(i, message, 0, 4, 0));
        }
        assertEquals(0, edge.deliverDue(next, MS - 1));
        assertEquals(1, edge.deliverDue(next, MS));
        assertEquals(2, edge.deliverDue(next, 3 * MS));
        assertEquals(List.of("0@1:1", "1@3:1", "2@3:1"), delivered, "released at 1, 2 and 3 ms, in order");
        assertTrue(edge.onReceive(5, message, 0, 4, 10 * MS), "an idle slow node still takes its service time");
        assertEquals(0, edge.deliverDue(next, 10 * MS));
        assertEquals(1, edge.deliverDue(next, 11 * MS));
    }

    @Test
    void shouldAddTheDelayAndDrainInOrderOnceCleared()
    {
        final ReceiveEdgeFaults edge = new ReceiveEdgeFaults(new Random(1));
        edge.rules(ReceiveEdgeFaults.Rules.NONE.withDelay(5 * MS));
        assertTrue(edge.onReceive(0, message, 0, 4, 0));
        assertTrue(edge.onReceive(1, message, 0, 4, MS));
        assertEquals(0, edge.deliverDue(next, 4 * MS));
        assertEquals(1, edge.deliverDue(next, 5 * MS));
        edge.rules(ReceiveEdgeFaults.Rules.NONE);
        assertTrue(edge.onReceive(2, message, 0, 4, 5 * MS), "behind a held message: queued, not overtaking");
        assertEquals(2, edge.deliverDue(next, 5 * MS), "cleared: what is held goes now, in order");
        assertEquals(List.of("0@5:1", "1@5:1", "2@5:1"), delivered);
        assertFalse(edge.onReceive(1, message, 0, 4, 6 * MS), "queue empty, no rule: passed on");
    }

    @Test
    void shouldCarryItsRulesAsControlFields()
    {
        final ReceiveEdgeFaults.Rules rules = new ReceiveEdgeFaults.Rules(0b101, 0.5, 3 * MS, MS);
        assertEquals(rules, ReceiveEdgeFaults.Rules.fromFields(rules.fields()));
    }
}
