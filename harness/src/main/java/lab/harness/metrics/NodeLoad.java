package lab.harness.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node did in the measured window: messages in and out, bytes out, and its busy time (see
 * {@link BusyClock}), summed from the node's own counters after its thread stopped.
 *
 * @param id           node id.
 * @param role         the replica's role at the end of the run ("primary", "tail", ...), "control" or "client".
 * @param client       whether the node is a client (a load generator), not part of the replicated service.
 * @param messagesIn   messages it received in the window.
 * @param messagesOut  messages it sent in the window.
 * @param bytesOut     bytes it sent in the window.
 * @param bytesIn      bytes it received in the window (its messages' own bytes, without the transport's frame).
 * @param clientMessagesOut of {@code messagesOut}, those between a client and a server (a server's replies to
 *                     clients, a client's requests).
 * @param busyNs       time its cycles that moved messages ran in the window; -1 where not measured.
 * @param busyCycles   the duty cycles {@code busyNs} sums (a burst of messages handled in one cycle is one).
 * @param backgroundNs time its cycles with no message in or out (timer checks) ran; -1 where not measured.
 * @param messagesInByType  of {@code messagesIn}, how many of each type ({@link lab.core.MessageTypes} names), the
 *                     types seen only; empty where not counted.
 * @param messagesOutByType the same for {@code messagesOut}.
 */
public record NodeLoad(int id, String role, boolean client, long messagesIn, long messagesOut, long bytesOut,
    long bytesIn, long clientMessagesOut, long busyNs, long busyCycles, long backgroundNs,
    Map<String, Long> messagesInByType, Map<String, Long> messagesOutByType)
{
    public NodeLoad
    {
        messagesInByType = Collections.unmodifiableMap(new LinkedHashMap<>(messagesInByType));
        messagesOutByType = Collections.unmodifiableMap(new LinkedHashMap<>(messagesOutByType));
    }

    /**
     * A node's load without counts by type.
     */
    public NodeLoad(final int id, final String role, final boolean client, final long messagesIn,
        final long messagesOut, final long bytesOut, final long bytesIn, final long clientMessagesOut,
        final long busyNs, final long busyCycles, final long backgroundNs)
    {
        this(id, role, client, messagesIn, messagesOut, bytesOut, bytesIn, clientMessagesOut, busyNs, busyCycles,
            backgroundNs, Map.of(), Map.of());
    }

    public boolean busyMeasured()
    {
        return busyNs >= 0;
    }

    /**
     * @return the node's load from its counters; busy time only when {@code busyMeasured}.
     */
    public static NodeLoad of(final int id, final String role, final boolean client, final TrafficCounters t,
        final boolean busyMeasured)
    {
        return new NodeLoad(id, role, client, t.messagesReceived(), t.totalMessages(), t.totalBytes(),
            t.bytesReceived(), t.clientReplicaMessages(), busyMeasured ? t.busyNs() : -1,
            busyMeasured ? t.busyCycles() : -1, busyMeasured ? t.backgroundNs() : -1, t.receivedByType(),
            t.sentByType());
    }
}
