package lab.core.client;

import java.util.Arrays;

import lab.core.detect.FailureDetector;

/**
 * A client's failure detector over the replicas: which replicas it avoids for now. It is a timeout detector fed by
 * replies, whose timer is the operation's own: a client gets no heartbeats, and a replica owes it a reply only while
 * an operation waits on it, so the only silence that means anything is an operation that timed out
 * ({@link #timedOut}, at {@link ClientPolicy#retryNs()}). Such a replica is suspected for
 * {@link ClientPolicy#suspectNs()}, or until anything is heard from it ({@link #heard}). Phi accrual does not fit
 * here: the spacing of replies follows the client's own load, not the replica's health (see
 * {@link lab.core.detect.DetectorSettings#checkClientDetector}).
 *
 * <p>A client with a choice of replica (CRAQ reads, a key's home replicas) asks {@link #firstUnsuspectedOnRing} so
 * that a crashed replica costs one timeout per suspicion, not one per operation sent to it. Arrays only: nothing is
 * allocated after construction.
 */
public final class Suspicion implements FailureDetector
{
    private final long suspectNs;
    private final long[] suspectedUntilNs;
    private final long[] lastHeardNs;

    public Suspicion(final ClientPolicy policy, final int replicas)
    {
        this.suspectNs = policy.suspectNs();
        this.suspectedUntilNs = new long[replicas];
        this.lastHeardNs = new long[replicas];
        Arrays.fill(lastHeardNs, Long.MIN_VALUE);
    }

    private boolean isReplica(final int replica)
    {
        return replica >= 0 && replica < suspectedUntilNs.length;
    }

    /**
     * The replica let an operation time out at {@code nowNs}: the client's evidence of its silence. Ignores a node
     * that is not a replica.
     */
    public void timedOut(final int replica, final long nowNs)
    {
        if (isReplica(replica))
        {
            suspectedUntilNs[replica] = nowNs + suspectNs;
        }
    }

    /**
     * A message came from the replica: it is alive, whatever it timed out on before. Ignores a node that is not a
     * replica.
     */
    public void heard(final int replica, final long nowNs)
    {
        if (isReplica(replica))
        {
            suspectedUntilNs[replica] = 0;
            lastHeardNs[replica] = nowNs;
        }
    }

    /**
     * Clients get no heartbeats; a message that is one proves the replica alive like any other.
     */
    public void heartbeat(final int replica, final long nowNs)
    {
        heard(replica, nowNs);
    }

    /**
     * Watching afresh: nothing held against the replica.
     */
    public void reset(final int replica, final long nowNs)
    {
        heard(replica, nowNs);
    }

    public boolean suspected(final int replica, final long nowNs)
    {
        return nowNs < suspectedUntilNs[replica];
    }

    public double phi(final int replica, final long nowNs)
    {
        return suspected(replica, nowNs) ? Double.POSITIVE_INFINITY : 0.0;
    }

    public long lastHeardNs(final int replica)
    {
        return lastHeardNs[replica];
    }

    /**
     * The client's candidates are {@code count} replicas in ring order from {@code start}: a key's home replicas
     * (Dynamo's preference list), or every replica from a random first one (CRAQ reads).
     *
     * @return the offset {@code i} (0 .. count-1) of the first candidate, replica {@code (start + i) mod replicas},
     * not suspected at {@code nowNs}; 0 when all are (one must be tried, and the first is the client's preference).
     */
    public int firstUnsuspectedOnRing(final int start, final int count, final long nowNs)
    {
        final int replicas = suspectedUntilNs.length;
        for (int i = 0; i < count; i++)
        {
            if (!suspected((start + i) % replicas, nowNs))
            {
                return i;
            }
        }
        return 0;
    }
}
