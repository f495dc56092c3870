package lab.quorum;

import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.TargetedClient;
import lab.core.client.Hedging;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;

/**
 * The client of replica-coordinator mode. It sends each operation to the key's first home replica (Dynamo's
 * preference list) that it does not suspect, so that writes of a key take their timestamps from one clock while that
 * replica is up; when turned away (the replica is recovering and has not started the operation) it goes on to the
 * next home replica at once, and once round the ring it waits for the retry timeout.
 *
 * <p>On a timeout it suspects the replica for {@code client-suspect} (or until it hears from it) and new operations
 * start elsewhere. Where the timed-out operation is resent depends on the mode. Dynamo: to the next replica, which
 * runs it again (last writer wins: a duplicate write is harmless there). ABD: to the same replica only. A second coordinator would give the write
 * a second timestamp while the first may still be spreading its own; the value could then be read, overwritten by
 * a later acknowledged write and read again, which no single write explains. So an ABD write whose coordinator went
 * silent ends as a timeout (indeterminate: it may or may not have taken effect), never as two writes.
 */
final class ReplicaCoordinatedClient extends TargetedClient
{
    private final QuorumConfig config;
    private final int[] firstChoice;

    ReplicaCoordinatedClient(final int clientNode, final QuorumConfig config, final ProtocolSettings settings)
    {
        super(clientNode, settings, config.client, Hedging.parse(config.hedge));
        this.config = config;
        firstChoice = new int[settings.slotsPerClient()];
    }

    public void submit(
        final int slot, final long seq, final OpType opType, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        firstChoice[slot] = -1;
        super.submit(slot, seq, opType, key, value, valueOffset, valueLength, nowNs, out);
    }

    protected int targetFor(final int slot, final OpType type, final long key, final int attempt)
    {
        if (firstChoice[slot] < 0)
        {
            // Chosen once per operation: a resend after a timeout must not move an ABD write to another replica.
            // The key's home replicas are the ring from home(key, 0); the base class suspects one that timed out.
            firstChoice[slot] = suspicion.firstUnsuspectedOnRing(config.home(key, 0), config.n, nowNs());
        }
        return config.home(key, firstChoice[slot] + attempt);
    }

    /**
     * A GET's hedged copy goes to the key's next home replica, which coordinates the read itself (a read is safe to
     * run twice: it writes back, at most, a version it read).
     */
    protected int hedgeTarget(final int slot, final long key, final int attempt, final int primary)
    {
        if (config.n < 2 || firstChoice[slot] < 0)
        {
            return -1;
        }
        return config.home(key, (firstChoice[slot] + attempt + 1) % config.n);
    }

    protected void onTargetTimeout(final OpType type, final int failedTarget)
    {
        // Suspected by the base class; no leader to guess: the next operation of the key picks its replica itself.
    }

    protected boolean moveOnTimeout(final int slot, final OpType type)
    {
        return !config.abd() || type != OpType.PUT;
    }

    protected boolean resendAfterRedirect(final int attempt)
    {
        return attempt % config.replicas != 0;
    }
}
