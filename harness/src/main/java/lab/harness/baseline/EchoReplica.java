package lab.harness.baseline;

import lab.core.Outbox;
import lab.core.Replica;
import lab.core.WireCheck;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;

/**
 * Baseline "echo": answers every request at once with an empty OK, touching no store. Its latency is the raw
 * request/response round trip of the transport, the floor under every protocol.
 */
public final class EchoReplica implements Replica
{
    private final ClientMessages messages = new ClientMessages();
    private final WireCheck wire = new WireCheck("node 0 (echo replica)");

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        final ClientRequestDecoder request = messages.onlyRequest(wire, fromNode, buffer, offset, length);
        if (request == null)
        {
            return;
        }
        final int replyLength = messages.encodeEmptyResponse(
            request.depth() + 1, request.clientId(), request.seq(), Status.OK, 0);
        out.send(fromNode, messages.buffer(), 0, replyLength);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
    }

    public long malformedMessages()
    {
        return wire.count();
    }

    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("malformed_messages", wire.count());
    }

    public lab.core.Role role()
    {
        return ECHO;
    }

    private static final lab.core.Role ECHO = lab.core.Role.serving("echo");
}
