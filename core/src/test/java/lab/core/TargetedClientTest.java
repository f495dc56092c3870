package lab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lab.core.client.ClientPolicy;
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
}
