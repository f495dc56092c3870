package lab;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.Outbox;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.primarybackup.PrimaryBackupFactory;
import org.agrona.DirectBuffer;

/**
 * A deliberately broken primary-backup, kept only as a test fixture: the primary acknowledges a write as soon as
 * it receives it, before replicating or applying it. The torture checks must catch it.
 */
public final class BrokenPrimaryBackupFactory implements ProtocolFactory
{
    private final PrimaryBackupFactory correct = new PrimaryBackupFactory();

    public String name()
    {
        return "broken-primary-backup";
    }

    public void validate(final ProtocolSettings settings)
    {
        correct.validate(settings);
    }

    public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        final Replica replica = correct.newReplica(nodeId, settings, random, restarted);
        final ClientMessages messages = new ClientMessages();
        return new Replica()
        {
            public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
                final long nowNs, final Outbox out)
            {
                if (replica.role().is("primary") &&
                    messages.templateId(buffer, offset) == ClientRequestDecoder.TEMPLATE_ID)
                {
                    final ClientRequestDecoder request = messages.wrapRequest(buffer, offset);
                    if (request.opType() == OpType.PUT)
                    {
                        final int reply = messages.encodeEmptyResponse(
                            request.depth() + 1, request.clientId(), request.seq(), Status.OK, nodeId);
                        out.send(fromNode, messages.buffer(), 0, reply); // the bug: ack before replicating
                    }
                }
                replica.onMessage(fromNode, buffer, offset, length, nowNs, out);
            }

            public void onTick(final long nowNs, final Outbox out)
            {
                replica.onTick(nowNs, out);
            }

            public void flush(final long nowNs, final Outbox out)
            {
                replica.flush(nowNs, out);
            }

            public lab.core.Role role()
            {
                return replica.role();
            }
        };
    }

    public lab.core.MessagePrinter printer()
    {
        return correct.printer();
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        return correct.newClient(clientNode, settings, random);
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        return correct.theory(settings);
    }
}
