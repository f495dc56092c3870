package lab.quorum;

import lab.harness.api.ProtocolSettings;
import lab.harness.api.TargetedClient;
import lab.harness.codec.OpType;

/**
 * The client of replica-coordinator mode: it sends each operation to the key's first home replica (Dynamo's
 * preference list), so that all writes of a key take their timestamps from one Lamport clock, and when turned away
 * (the replica is recovering) or on a timeout resends the same (session, seq) to the next replica on the ring; once
 * round the ring it waits for the retry timeout.
 */
final class ReplicaCoordinatedClient extends TargetedClient
{
    private final QuorumConfig config;

    ReplicaCoordinatedClient(final int clientNode, final QuorumConfig config, final ProtocolSettings settings)
    {
        super(clientNode, settings, config.clientRetryNs, config.clientRetryNs);
        this.config = config;
    }

    protected int targetFor(final int slot, final OpType type, final long key, final int attempt)
    {
        return config.home(key, attempt);
    }

    protected boolean resendAfterRedirect(final int attempt)
    {
        return attempt % config.replicas != 0;
    }
}
