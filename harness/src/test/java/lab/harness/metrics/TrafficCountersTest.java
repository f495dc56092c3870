package lab.harness.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import lab.core.MessageTypes;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.ClientResponseDecoder;
import org.junit.jupiter.api.Test;

/**
 * What the load-dependent demand is fitted to: bytes received and busy duty cycles, counted inside the window only,
 * timer-only cycles apart.
 */
class TrafficCountersTest
{
    @Test
    void bytesReceivedAndBusyCyclesCountInsideTheWindowOnly()
    {
        final TrafficCounters t = new TrafficCounters(3);
        t.window(1_000, 2_000);
        t.onReceive(500, MessageTypes.OTHER, 40);      // before the window
        t.onReceive(1_500, MessageTypes.OTHER, 100);
        t.onReceive(1_600, MessageTypes.OTHER, 60);
        t.onReceive(2_500, MessageTypes.OTHER, 7);     // after it
        t.onBusy(1_100, 300, false);
        t.onBusy(1_400, 200, false);
        t.onBusy(1_700, 50, true); // a timer check: background, not a busy cycle
        t.onBusy(2_100, 300, false);
        assertEquals(2, t.messagesReceived());
        assertEquals(160, t.bytesReceived());
        assertEquals(500, t.busyNs());
        assertEquals(2, t.busyCycles());
        assertEquals(50, t.backgroundNs());

        final TrafficCounters sum = new TrafficCounters(3);
        sum.add(t);
        sum.addLoad(3, 30, 900, 4, 10);
        assertEquals(5, sum.messagesReceived());
        assertEquals(190, sum.bytesReceived());
        assertEquals(1_400, sum.busyNs());
        assertEquals(6, sum.busyCycles());
        assertEquals(60, sum.backgroundNs());

        final NodeLoad load = NodeLoad.of(1, "follower", false, t, true);
        assertEquals(160, load.bytesIn());
        assertEquals(2, load.busyCycles());
        assertEquals(-1, NodeLoad.of(1, "follower", false, t, false).busyCycles());
    }

    @Test
    void busyTimeThatJoinsACycleAddsNoCycle()
    {
        // The simulator charges per message; a message that joined its node's busy cycle adds time, not a cycle.
        final TrafficCounters t = new TrafficCounters(3);
        t.onBusy(100, 300, false, true);
        t.onBusy(400, 100, false, false);
        t.onBusy(500, 100, false, false);
        t.onBusy(900, 300, false, true);
        assertEquals(800, t.busyNs());
        assertEquals(2, t.busyCycles());
    }

    @Test
    void messagesByTypeCountInAndOutInsideTheWindowOnly()
    {
        final MessageTypes types = MessageTypes.lab();
        final int request = types.indexOf(ClientRequestDecoder.SCHEMA_ID, ClientRequestDecoder.TEMPLATE_ID);
        final int response = types.indexOf(ClientResponseDecoder.SCHEMA_ID, ClientResponseDecoder.TEMPLATE_ID);
        final TrafficCounters t = new TrafficCounters(3);
        t.window(1_000, 2_000);
        t.onReceive(500, request, 40);          // before the window
        t.onReceive(1_500, request, 40);
        t.onReceive(1_600, request, 40);
        t.onReceive(1_700, MessageTypes.OTHER, 3);
        t.onSend(0, 5, response, 30, 1_550);
        t.onSend(0, 5, response, 30, 2_500);    // after it
        assertEquals(Map.of("client.ClientRequest", 2L, "other", 1L), t.receivedByType());
        assertEquals(Map.of("client.ClientResponse", 1L), t.sentByType());

        final NodeLoad load = NodeLoad.of(0, "primary", false, t, true);
        assertEquals(Map.of("client.ClientRequest", 2L, "other", 1L), load.messagesInByType());
        assertEquals(Map.of("client.ClientResponse", 1L), load.messagesOutByType());

        // Summed counters and a report from another process (by name) add up; an unknown name counts as other.
        final TrafficCounters sum = new TrafficCounters(3);
        sum.add(t);
        sum.addByType(Map.of("client.ClientRequest", 5L, "nosuch.Type", 2L), Map.of("client.ClientResponse", 4L));
        assertEquals(Map.of("client.ClientRequest", 7L, "other", 3L), sum.receivedByType());
        assertEquals(Map.of("client.ClientResponse", 5L), sum.sentByType());
    }
}
