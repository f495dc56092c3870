package lab.primarybackup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.Outbox;
import lab.core.ProtocolSettings;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code failure-detector=phi} a backup stands long before {@code pb-primary-timeout}; the promise the read
 * lease rests on (no vote within the primary timeout of hearing from the primary) must hold for it all the same.
 */
class PhiDetectorVoteTest
{
    private static final long MS = 1_000_000;

    private static final class Deliveries implements Outbox
    {
        final List<int[]> to = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            to.add(new int[]{toNode});
            messages.add(copy);
        }
    }

    @Test
    void shouldStandOnAPhiSuspicionButRefuseVotesWithinThePrimaryTimeout()
    {
        int stoodEarly = 0;
        for (int seed = 3; seed < 13; seed++)
        {
            stoodEarly += standAndCheck(seed) ? 1 : 0;
        }
        assertTrue(stoodEarly > 0, "phi (about 35 ms) plus a jitter below 150 ms: some seeds stand early");
    }

    /**
     * @return whether backup 2 stood before the primary timeout (then it was checked to refuse votes).
     */
    private static boolean standAndCheck(final int seed)
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of("failure-detector", "phi"));
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        final PrimaryBackupReplica primary = new PrimaryBackupReplica(0, 3, config, new Random(1), false);
        final PrimaryBackupReplica[] backups = {null, new PrimaryBackupReplica(1, 3, config, new Random(2), false),
            new PrimaryBackupReplica(2, 3, config, new Random(seed), false)};

        long now = 0;
        for (; now <= 500 * MS; now += MS)
        {
            final Deliveries out = new Deliveries();
            primary.onTick(now, out);
            for (int i = 0; i < out.messages.size(); i++)
            {
                final int to = out.to.get(i)[0];
                final byte[] m = out.messages.get(i);
                final Deliveries acks = new Deliveries();
                backups[to].onMessage(0, new UnsafeBuffer(m), 0, m.length, now, acks);
                for (int j = 0; j < acks.messages.size(); j++)
                {
                    final byte[] ack = acks.messages.get(j);
                    if (acks.to.get(j)[0] == 0)
                    {
                        primary.onMessage(to, new UnsafeBuffer(ack), 0, ack.length, now, new Deliveries());
                    }
                }
            }
            backups[1].onTick(now, new Deliveries());
            backups[2].onTick(now, new Deliveries());
        }
        assertEquals(Role.BACKUP, backups[2].roleState(), "regular heartbeats: no suspicion");

        // the primary falls silent (crashed, or paused): phi suspects within a few heartbeat intervals, and the
        // backup stands a random jitter (below the primary timeout) later
        final long lastHeard = now - MS;
        for (; now < lastHeard + 400 * MS && backups[2].roleState() == Role.BACKUP; now += MS)
        {
            backups[2].onTick(now, new Deliveries());
        }
        final long stood = now - MS;
        assertEquals(Role.PRE_CANDIDATE, backups[2].roleState(), "stood");
        assertFalse(backups[2].primaryAlive(lastHeard + 151 * MS), "votes after the primary timeout");
        if (stood - lastHeard < 150 * MS)
        {
            assertTrue(backups[2].primaryAlive(stood), "stood early, yet votes no one in within the timeout");
            return true;
        }
        return false;
    }
}
