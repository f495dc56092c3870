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
import lab.primarybackup.codec.AckDecoder;
import lab.primarybackup.codec.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hop depths a primary-backup replica stamps at its edge ({@link lab.core.HopDepth}): a write is answered one
 * hop after the ack that commits it, and a write that no ack commits (the in-sync set shrank at a tick) continues
 * the path of the deepest ack its commit rests on.
 */
class PrimaryBackupHopDepthTest
{
    private static final int CLIENT = 3;
    private static final long MS = 1_000_000L;

    private static final class Captured implements Outbox
    {
        final List<Integer> to = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            to.add(toNode);
            messages.add(copy);
        }

        List<byte[]> to(final int node)
        {
            final List<byte[]> found = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++)
            {
                if (to.get(i) == node)
                {
                    found.add(messages.get(i));
                }
            }
            return found;
        }
    }

    private final PrimaryBackupConfig config = new PrimaryBackupConfig(new ProtocolSettings(3, 1, 1, Map.of()));
    private final PrimaryBackupReplica primary = new PrimaryBackupReplica(0, 3, config, new Random(1), false);
    private final PrimaryBackupReplica backup = new PrimaryBackupReplica(1, 3, config, new Random(2), false);
    private final ClientMessages client = new ClientMessages();

    private Captured put(final long nowNs)
    {
        final Captured out = new Captured();
        final int length = client.encodeRequest(1, ClientSessions.sessionId(CLIENT, 0), 1, OpType.PUT, 7,
            new ExpandableArrayBuffer(16), 0, 16);
        primary.onMessage(CLIENT, client.buffer(), 0, length, nowNs, out);
        return out;
    }

    /** Backup 1 acknowledges the primary's entry: its ack, one hop after the entry. */
    private byte[] ackOfBackup1(final Captured fromPrimary, final long nowNs)
    {
        final Captured acks = new Captured();
        for (final byte[] m : fromPrimary.to(1))
        {
            backup.onMessage(0, new UnsafeBuffer(m), 0, m.length, nowNs, acks);
        }
        assertEquals(1, acks.messages.size());
        return acks.messages.get(0);
    }

    private static int depth(final byte[] ack)
    {
        return new AckDecoder().wrapAndApplyHeader(new UnsafeBuffer(ack), 0, new MessageHeaderDecoder()).depth();
    }

    private int depthOfTheOneAnswer(final Captured out)
    {
        final List<byte[]> answers = out.to(CLIENT);
        assertEquals(1, answers.size());
        final ClientResponseDecoder r = client.wrapResponse(new UnsafeBuffer(answers.get(0)), 0);
        return r.depth();
    }

    @Test
    void aWriteCommittedByTheLastAckIsAnsweredOneHopAfterIt()
    {
        final Captured out = put(0);
        final byte[] ack1 = ackOfBackup1(out, 0);
        assertEquals(3, depth(ack1), "request 1, entry 2, ack 3");
        primary.onMessage(1, new UnsafeBuffer(ack1), 0, ack1.length, 0, out);
        assertEquals(0, out.to(CLIENT).size(), "backup 2 is in sync: the write waits for it");

        final PrimaryBackupReplica backup2 = new PrimaryBackupReplica(2, 3, config, new Random(3), false);
        final Captured acks = new Captured();
        for (final byte[] m : out.to(2))
        {
            backup2.onMessage(0, new UnsafeBuffer(m), 0, m.length, 0, acks);
        }
        final byte[] ack2 = acks.messages.get(0);
        final Captured answer = new Captured();
        primary.onMessage(2, new UnsafeBuffer(ack2), 0, ack2.length, 0, answer);
        assertEquals(4, depthOfTheOneAnswer(answer));
    }

    @Test
    void aWriteCommittedWhenASilentBackupIsDroppedContinuesTheAckItRestsOn()
    {
        final Captured out = put(0);
        // backup 2 never answers; backup 1 answers just before the tick that drops backup 2 (silent for longer
        // than pb-backup-timeout), so backup 1 stays in sync and its ack is what the commit rests on
        final long tickNs = config.backupTimeoutNs + 10 * MS;
        final byte[] ack1 = ackOfBackup1(out, tickNs);
        primary.onMessage(1, new UnsafeBuffer(ack1), 0, ack1.length, tickNs, out);
        assertEquals(0, out.to(CLIENT).size());

        final Captured tick = new Captured();
        primary.onTick(tickNs, tick);
        assertEquals(1, primary.commitIndex(), "committed once backup 2 left the in-sync set");
        assertEquals(depth(ack1) + 1, depthOfTheOneAnswer(tick), "one hop after backup 1's ack, not a new path");
    }
}
