package lab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lab.core.client.ClientPolicy;
import lab.core.client.Hedging;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shared client policy as a protocol's client applies it to responses: redirect to the hint, back off when turned
 * away without one, move round the replicas on a timeout.
 */
class TargetedClientTest
{
    private static final long MS = 1_000_000L;
    private static final int CLIENT = 3;

    private final List<Integer> sentTo = new ArrayList<>();
    private final Outbox out = (to, buffer, offset, length) -> sentTo.add(to);
    private final List<Status> completed = new ArrayList<>();
    private final ClientListener listener = (slot, seq, status, hops, version, value, offset, length) ->
        completed.add(status);
    private final ClientMessages replica = new ClientMessages();
    private final TargetedClient client = new TargetedClient(CLIENT, new ProtocolSettings(3, 1, 1, Map.of()),
        ClientPolicy.from(new ProtocolSettings(3, 1, 1, Map.of())));

    private void submit(final long nowNs)
    {
        client.submit(0, 1, OpType.PUT, 42, new UnsafeBuffer(new byte[8]), 0, 8, nowNs, out);
    }

    private void answer(final int from, final Status status, final int hint, final long nowNs)
    {
        final int length = replica.encodeEmptyResponse(2, ClientSessions.sessionId(CLIENT, 0), 1, status, hint);
        client.onMessage(from, replica.buffer(), 0, length, nowNs, out, listener);
    }

    @Test
    void shouldResendToTheHintAtOnce()
    {
        submit(0);
        answer(0, Status.REDIRECT, 2, MS);

        assertEquals(List.of(0, 2), sentTo);
        answer(2, Status.OK, -1, 2 * MS);
        assertEquals(List.of(Status.OK), completed);
    }

    @Test
    void shouldBackOffWhenTurnedAwayWithoutAHint()
    {
        submit(0);
        answer(0, Status.UNAVAILABLE, -1, MS);
        client.onTick(MS + 5 * MS - 1, out, listener);
        assertEquals(List.of(0), sentTo);

        client.onTick(MS + 5 * MS, out, listener);
        assertEquals(List.of(0, 0), sentTo, "the same replica, after client-backoff");
    }

    @Test
    void shouldTryTheNextReplicaWhenTheTargetTimesOut()
    {
        submit(0);
        client.onTick(200 * MS - 1, out, listener);
        assertEquals(List.of(0), sentTo);

        client.onTick(200 * MS, out, listener);
        client.onTick(400 * MS, out, listener);
        client.onTick(600 * MS, out, listener);
        assertEquals(List.of(0, 1, 2, 0), sentTo, "round-robin after each client-retry");
    }

    /**
     * A client that may hedge its GETs to the replica after the one it asked.
     */
    private static final class HedgingClient extends TargetedClient
    {
        HedgingClient(final String hedge)
        {
            super(CLIENT, new ProtocolSettings(3, 1, 1, Map.of()),
                ClientPolicy.from(new ProtocolSettings(3, 1, 1, Map.of())), Hedging.parse(hedge));
        }

        protected int hedgeTarget(final int slot, final long key, final int attempt, final int primary)
        {
            return (primary + 1) % replicas;
        }
    }

    private final HedgingClient hedged = new HedgingClient("2ms");

    private void get(final TargetedClient c, final long nowNs)
    {
        c.submit(0, 1, OpType.GET, 42, new UnsafeBuffer(new byte[0]), 0, 0, nowNs, out);
    }

    private void answer(final TargetedClient c, final int from, final Status status, final long nowNs)
    {
        final int length = replica.encodeEmptyResponse(2, ClientSessions.sessionId(CLIENT, 0), 1, status, -1);
        c.onMessage(from, replica.buffer(), 0, length, nowNs, out, listener);
    }

    @Test
    void shouldSendAnUnansweredGetToOneMoreReplicaAfterTheHedgeDelayAndTakeTheFirstAnswer()
    {
        get(hedged, 0);
        hedged.onTick(2 * MS - 1, out, listener);
        assertEquals(List.of(0), sentTo);

        hedged.onTick(2 * MS, out, listener);
        hedged.onTick(3 * MS, out, listener);
        assertEquals(List.of(0, 1), sentTo, "one copy, once");
        assertEquals(1, hedged.hedging().copiesSent());

        answer(hedged, 1, Status.NOT_FOUND, 3 * MS);
        answer(hedged, 0, Status.NOT_FOUND, 9 * MS);
        assertEquals(List.of(Status.NOT_FOUND), completed, "the late first copy's answer is ignored");
        assertEquals(1, hedged.hedging().readsCompleted());
    }

    @Test
    void shouldNotHedgeWritesNorReadsAnsweredInTime()
    {
        client.submit(0, 1, OpType.PUT, 42, new UnsafeBuffer(new byte[8]), 0, 8, 0, out);
        get(hedged, 0);
        answer(hedged, 0, Status.OK, MS);
        hedged.onTick(10 * MS, out, listener);

        assertEquals(List.of(0, 0), sentTo);
        assertEquals(0, hedged.hedging().copiesSent());
    }

    @Test
    void shouldIgnoreTheHedgedCopyBeingTurnedAway()
    {
        get(hedged, 0);
        hedged.onTick(2 * MS, out, listener);
        answer(hedged, 1, Status.UNAVAILABLE, 3 * MS);
        hedged.onTick(3 * MS + 5 * MS, out, listener);

        assertEquals(List.of(0, 1), sentTo, "no backoff resend: the first copy may still answer");
        answer(hedged, 0, Status.OK, 9 * MS);
        assertEquals(List.of(Status.OK), completed);
    }

    @Test
    void shouldNeverHedgeWhenOff()
    {
        final HedgingClient off = new HedgingClient("off");
        get(off, 0);
        off.onTick(100 * MS, out, listener);

        assertEquals(List.of(0), sentTo);
    }
}
