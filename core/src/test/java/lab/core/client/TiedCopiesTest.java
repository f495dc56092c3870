package lab.core.client;

import java.util.LinkedHashMap;
import java.util.Map;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tied requests' shared rules: the replica-side table of started and cancelled copies ({@link TiedCopies}) and
 * the client-side setting ({@link TiedReads}).
 */
class TiedCopiesTest
{
    private static final int CLIENT = 7;
    private static final long SESSION = 70;

    @Test
    void shouldServeACopyNoCancelReachedAndCancelThePeerOnce()
    {
        final TiedCopies replica = new TiedCopies(1, 16);
        assertTrue(replica.admit(CLIENT, SESSION, 1));
        assertTrue(replica.started(CLIENT, SESSION, 1), "the first start sends the peer a cancel");
        assertTrue(replica.admit(CLIENT, SESSION, 1), "a repeated copy of a started read is served again");
        assertFalse(replica.started(CLIENT, SESSION, 1), "but cancels nothing twice");
        assertEquals(1, replica.cancelsSent());
        assertEquals(0, replica.copiesDropped());
    }

    @Test
    void shouldDropACopyWhosePeerCancelledItFirst()
    {
        final TiedCopies replica = new TiedCopies(2, 16);
        replica.onCancel(1, CLIENT, SESSION, 5);
        assertFalse(replica.admit(CLIENT, SESSION, 5));
        assertFalse(replica.admit(CLIENT, SESSION, 5), "a duplicate of a dropped copy is dropped too");
        assertTrue(replica.admit(CLIENT, SESSION, 6), "another read of the session is not cancelled");
        assertTrue(replica.admit(CLIENT + 1, SESSION, 5), "nor the same read sent by another coordinator");
        assertEquals(2, replica.copiesDropped());
        assertEquals(0, replica.cancelsSent());
    }

    @Test
    void shouldCountAReadBothCopiesServedOnceWhenTheCancelsCross()
    {
        final TiedCopies low = new TiedCopies(0, 16);
        final TiedCopies high = new TiedCopies(2, 16);
        assertTrue(low.admit(CLIENT, SESSION, 9));
        assertTrue(low.started(CLIENT, SESSION, 9));
        assertTrue(high.admit(CLIENT, SESSION, 9));
        assertTrue(high.started(CLIENT, SESSION, 9));
        low.onCancel(2, CLIENT, SESSION, 9);
        high.onCancel(0, CLIENT, SESSION, 9);
        assertEquals(1, low.bothServed() + high.bothServed(), "one read, counted by the lower node id");
        assertEquals(1, low.bothServed());
    }

    @Test
    void shouldEvictTheOldestEntryFirstAndCountAForgottenCancel()
    {
        final TiedCopies replica = new TiedCopies(1, 2);
        replica.onCancel(0, CLIENT, SESSION, 1);
        replica.started(CLIENT, SESSION, 2);
        replica.started(CLIENT, SESSION, 3); // evicts the cancel of seq 1, not yet used
        assertEquals(1, replica.cancelsEvicted());
        assertTrue(replica.admit(CLIENT, SESSION, 1), "a forgotten cancel drops nothing: the copy is served");
        replica.onCancel(0, CLIENT, SESSION, 4); // evicts the started seq 2: not a cancel, not counted
        assertEquals(1, replica.cancelsEvicted());
        assertFalse(replica.admit(CLIENT, SESSION, 4));
        replica.started(CLIENT, SESSION, 5); // evicts seq 3
        replica.started(CLIENT, SESSION, 6); // evicts the used cancel of seq 4: not counted
        assertEquals(1, replica.cancelsEvicted());
        final Map<String, Long> counters = new LinkedHashMap<>();
        replica.addCounters(counters);
        assertEquals(Map.of(TiedCopies.CANCELS_SENT, 4L, TiedCopies.COPIES_DROPPED, 1L, TiedCopies.BOTH_SERVED, 0L,
            TiedCopies.CANCELS_EVICTED, 1L), counters);
    }

    @Test
    void shouldForgetDeterministically()
    {
        final long[] first = run();
        final long[] second = run();
        assertEquals(first[0], second[0]);
        assertEquals(first[1], second[1]);
        assertTrue(first[1] > 0, "a table smaller than the reads in flight forgets some cancels");
    }

    private static long[] run()
    {
        final TiedCopies replica = new TiedCopies(1, 64);
        final java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++)
        {
            final long seq = random.nextInt(500);
            if (random.nextBoolean())
            {
                replica.onCancel(0, CLIENT, SESSION, seq);
            }
            else if (replica.admit(CLIENT, SESSION, seq))
            {
                replica.started(CLIENT, SESSION, seq);
            }
        }
        return new long[]{replica.copiesDropped(), replica.cancelsEvicted()};
    }

    @Test
    void shouldReadTheSettingAndRefuseItWithAHedge()
    {
        assertFalse(TiedReads.from(new ProtocolSettings(3, 1, 1, Map.of())).enabled());
        assertTrue(TiedReads.from(new ProtocolSettings(3, 1, 1, Map.of(ClientPolicy.TIED, "true"))).enabled());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> TiedReads.from(new ProtocolSettings(3, 1, 1, Map.of(ClientPolicy.TIED, "yes"))));
        assertEquals("tied must be true or false, got 'yes'", bad.getMessage());
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
            () -> TiedReads.from(new ProtocolSettings(3, 1, 1, Map.of(ClientPolicy.TIED, "true",
                ClientPolicy.HEDGE, "1ms"))));
        assertTrue(both.getMessage().startsWith("tied and hedge are two ways"), both.getMessage());
        assertFalse(TiedReads.from(new ProtocolSettings(3, 1, 1, Map.of(ClientPolicy.TIED, "false",
            ClientPolicy.HEDGE, "1ms"))).enabled(), "a hedge alone is fine");
    }

    @Test
    void shouldCountTiedCopiesAndReads()
    {
        final TiedReads tied = TiedReads.of(true);
        tied.copySent();
        tied.readCompleted();
        tied.readCompleted();
        assertEquals(1, tied.copiesSent());
        assertEquals(2, tied.readsCompleted());
        assertEquals("tied=true", tied.toString());
    }
}
