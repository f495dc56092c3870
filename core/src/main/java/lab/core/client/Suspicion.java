package lab.core.client;

/**
 * Which replicas a client avoids for now: one that let an operation time out is suspected for
 * {@link ClientPolicy#suspectNs()}, or until anything is heard from it. A client with a choice of replica (CRAQ
 * reads, a key's home replicas) asks {@link #firstUnsuspectedOnRing} so that a crashed replica costs one timeout per
 * suspicion, not one per operation sent to it. One array of deadlines: nothing is allocated after construction.
 */
public final class Suspicion
{
    private final long suspectNs;
    private final long[] suspectedUntilNs;

    public Suspicion(final ClientPolicy policy, final int replicas)
    {
        this.suspectNs = policy.suspectNs();
        this.suspectedUntilNs = new long[replicas];
    }

    /**
     * The replica let an operation time out at {@code nowNs}. Ignores a node that is not a replica.
     */
    public void timedOut(final int replica, final long nowNs)
    {
        if (replica >= 0 && replica < suspectedUntilNs.length)
        {
            suspectedUntilNs[replica] = nowNs + suspectNs;
        }
    }

    /**
     * A message came from the replica: it is alive, whatever it timed out on before.
     */
    public void heard(final int replica)
    {
        if (replica >= 0 && replica < suspectedUntilNs.length)
        {
            suspectedUntilNs[replica] = 0;
        }
    }

    public boolean suspected(final int replica, final long nowNs)
    {
        return nowNs < suspectedUntilNs[replica];
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
