package lab.primarybackup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The primary as a state machine driven by hand (no network).
 */
class PrimaryBackupReplicaTest
{
    private static final int CLIENT = 3;

    private static final class CapturingOutbox implements Outbox
    {
        final List<int[]> destinations = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            destinations.add(new int[]{toNode});
            messages.add(copy);
        }
    }

    private final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of());
    private final PrimaryBackupReplica primary =
        new PrimaryBackupReplica(0, 3, new PrimaryBackupConfig(settings), new Random(1), false);
    private final ClientMessages client = new ClientMessages();
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(16);

    private void put(final long seq, final CapturingOutbox out)
    {
        final int length = client.encodeRequest(1, ClientSessions.sessionId(CLIENT, 0), seq, OpType.PUT, 7, value, 0, 16);
        primary.onMessage(CLIENT, client.buffer(), 0, length, 0, out);
    }

    private void ackFromBothBackups(final CapturingOutbox out)
    {
        // Forward every Replicate the primary sent to its backups and feed their acks back.
        final PrimaryBackupReplica b1 = new PrimaryBackupReplica(1, 3, new PrimaryBackupConfig(settings), new Random(2), false);
        final PrimaryBackupReplica b2 = new PrimaryBackupReplica(2, 3, new PrimaryBackupConfig(settings), new Random(3), false);
        final CapturingOutbox acks = new CapturingOutbox();
        for (int i = 0; i < out.messages.size(); i++)
        {
            final int to = out.destinations.get(i)[0];
            final byte[] m = out.messages.get(i);
            if (to == 1)
            {
                b1.onMessage(0, new UnsafeBuffer(m), 0, m.length, 0, acks);
            }
            else if (to == 2)
            {
                b2.onMessage(0, new UnsafeBuffer(m), 0, m.length, 0, acks);
            }
        }
        for (int i = 0; i < acks.messages.size(); i++)
        {
            final byte[] m = acks.messages.get(i);
            primary.onMessage(i % 2 == 0 ? 1 : 2, new UnsafeBuffer(m), 0, m.length, 0, out);
        }
    }

    private List<Status> repliesToClient(final CapturingOutbox out)
    {
        final List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < out.messages.size(); i++)
        {
            if (out.destinations.get(i)[0] == CLIENT)
            {
                final byte[] m = out.messages.get(i);
                final ClientResponseDecoder r = client.wrapResponse(new UnsafeBuffer(m), 0);
                statuses.add(r.status());
            }
        }
        return statuses;
    }

    @Test
    void shouldApplyARetriedWriteOnce()
    {
        final CapturingOutbox out = new CapturingOutbox();
        put(1, out);
        put(1, out); // the client's retry while the first is still being replicated
        assertEquals(1, primary.lastIndex(), "the retry must not be appended again");
        ackFromBothBackups(out);
        assertEquals(1, primary.commitIndex());
        put(1, out); // a retry after commit is answered from the session, not applied again
        assertEquals(1, primary.lastIndex());
        assertEquals(List.of(Status.OK, Status.OK), repliesToClient(out));
    }

    @Test
    void shouldNotAnswerAWriteBeforeEveryInSyncBackupAcknowledgedIt()
    {
        final CapturingOutbox out = new CapturingOutbox();
        put(1, out);
        assertEquals(0, primary.commitIndex());
        assertEquals(List.of(), repliesToClient(out));
    }

    @Test
    void shouldRedirectClientsFromABackupToThePrimary()
    {
        final PrimaryBackupReplica backup =
            new PrimaryBackupReplica(1, 3, new PrimaryBackupConfig(settings), new Random(2), false);
        final CapturingOutbox out = new CapturingOutbox();
        final int length = client.encodeRequest(1, ClientSessions.sessionId(CLIENT, 0), 1, OpType.GET, 7, value, 0, 0);
        backup.onMessage(CLIENT, client.buffer(), 0, length, 0, out);
        final byte[] m = out.messages.get(0);
        final ClientResponseDecoder r = client.wrapResponse(new UnsafeBuffer(m), 0);
        assertEquals(Status.REDIRECT, r.status());
        assertEquals(0, r.leaderHint());
    }

    @Test
    void shouldIgnoreMalformedAndForeignMessages()
    {
        final CapturingOutbox out = new CapturingOutbox();
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
        garbage.setMemory(0, 64, (byte)0x5A);
        primary.onMessage(1, garbage, 0, 64, 0, out);
        assertEquals(0, out.messages.size());
        assertEquals(0, primary.lastIndex());
    }
}
