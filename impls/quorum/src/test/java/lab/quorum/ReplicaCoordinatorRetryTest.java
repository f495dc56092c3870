package lab.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica-coordinated ABD write must run at most once: a second run would give the same write a second, higher
 * timestamp while the first may still be landing, so its value could reappear over writes acknowledged after it.
 */
class ReplicaCoordinatorRetryTest
{
    private static final long KEY = 0; // home replicas 0, 1, 2 in that order
    /** Session 0 of client node 3, which sends the requests: a client speaks for its own sessions only. */
    private static final long SESSION = 3L << 20;

    private static final class CapturingOutbox implements Outbox
    {
        final List<Integer> destinations = new ArrayList<>();

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            destinations.add(toNode);
        }
    }

    private static final ClientListener IGNORE = (slot, seq, status, hops, version, value, offset, length) ->
    {
    };

    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(16);

    private static ProtocolSettings settings(final String mode)
    {
        return new ProtocolSettings(3, 1, 1, Map.of("quorum-mode", mode, "coordinator", "replica"));
    }

    private static ClientProtocol client(final String mode)
    {
        final ProtocolSettings settings = settings(mode);
        return new QuorumFactory().newClient(settings.clientNode(0), settings, new Random(1));
    }

    private static void request(final Replica replica, final long seq, final long nowNs, final Outbox out)
    {
        final ClientMessages messages = new ClientMessages();
        final int length = messages.encodeRequest(1, SESSION, seq, OpType.PUT, KEY, new ExpandableArrayBuffer(8), 0, 8);
        replica.onMessage(3, messages.buffer(), 0, length, nowNs, out);
    }

    @Test
    void shouldResendATimedOutAbdWriteToTheSameCoordinator()
    {
        final ClientProtocol client = client("abd");
        final CapturingOutbox out = new CapturingOutbox();
        client.submit(0, 1, OpType.PUT, KEY, value, 0, 8, 0, out);
        client.onTick(250 * MS, out, IGNORE);
        client.onTick(500 * MS, out, IGNORE);
        assertEquals(List.of(0, 0, 0), out.destinations);
    }

    @Test
    void shouldResendATimedOutDynamoWriteToTheNextHomeReplica()
    {
        final ClientProtocol client = client("dynamo");
        final CapturingOutbox out = new CapturingOutbox();
        client.submit(0, 1, OpType.PUT, KEY, value, 0, 8, 0, out);
        client.onTick(250 * MS, out, IGNORE);
        assertEquals(List.of(0, 1), out.destinations);
    }

    @Test
    void shouldStartNewOperationsAwayFromACoordinatorThatTimedOut()
    {
        final ClientProtocol client = client("abd");
        final CapturingOutbox out = new CapturingOutbox();
        client.submit(0, 1, OpType.PUT, KEY, value, 0, 8, 0, out);
        client.onTick(250 * MS, out, IGNORE);
        client.abandon(0); // the harness gave up on it
        client.submit(0, 2, OpType.PUT, KEY, value, 0, 8, 300 * MS, out);
        assertEquals(List.of(0, 0, 1), out.destinations);
    }

    @Test
    void shouldNotRunAgainAnAbdWriteItStartedBeforeARestart()
    {
        final ProtocolSettings settings = settings("abd");
        final QuorumFactory factory = new QuorumFactory();
        final CapturingOutbox beforeCrash = new CapturingOutbox();
        request(factory.newReplica(0, settings, new Random(1), false), 1, 0, beforeCrash);
        assertEquals(List.of(1, 2), beforeCrash.destinations, "the read phase asks the other home replicas");

        final Replica restarted = factory.newReplica(0, settings, new Random(2), true);
        final CapturingOutbox resent = new CapturingOutbox();
        request(restarted, 1, 300 * MS, resent);
        assertTrue(resent.destinations.isEmpty(), "the resent write is not run a second time");

        final CapturingOutbox next = new CapturingOutbox();
        request(restarted, 2, 400 * MS, next);
        assertNotEquals(List.of(), next.destinations, "the session's next write runs");
    }

    @Test
    void shouldNotRunAgainAnAbdWriteThatExpiredUnfinished()
    {
        final ProtocolSettings settings = settings("abd");
        final Replica coordinator = new QuorumFactory().newReplica(0, settings, new Random(1), false);
        request(coordinator, 1, 0, new CapturingOutbox()); // no replica answers
        coordinator.onTick(10_000 * MS, new CapturingOutbox()); // long past its expiry
        final CapturingOutbox resent = new CapturingOutbox();
        request(coordinator, 1, 10_001 * MS, resent);
        assertTrue(resent.destinations.isEmpty());
    }

    @Test
    void shouldRejectAbdWithReplicaCoordinatorOnVolatileStorage()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1,
            Map.of("quorum-mode", "abd", "coordinator", "replica", "quorum-storage", "volatile"));
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> new QuorumFactory().validate(settings));
        assertTrue(error.getMessage().contains("quorum-storage=durable"), error.getMessage());
    }
}
