package lab.core.client;

import lab.core.ProtocolSettings;

/**
 * How every protocol's client retries, backs off and suspects replicas: one set of option names and one set of
 * defaults, read from {@link ProtocolSettings} here and nowhere else, so that a failover figure compares protocols
 * and not two differently tuned clients.
 *
 * <ul>
 *   <li>{@code client-retry} (200 ms): an operation not answered this long after it was sent is resent (to the next
 *   replica where the client may move it). Longer than the protocols' failure detection (primary-backup's primary
 *   timeout and the chain's failure timeout are 150 ms, Raft's election timeout 150 to 300 ms), so a client rarely
 *   gives up on a role holder before the protocol itself would; short enough that a crashed one costs the client about as much
 *   as it costs the protocol. It was already the default of primary-backup, chain and quorum, so their figures do
 *   not move; Raft's was 300 ms. The price: when the replica asked next still names the crashed role holder (a Raft
 *   follower before the election ends), its {@code REDIRECT} sends the client back there for a second timeout, so a
 *   leader crash costs Raft's client about 400 ms of unavailability where 300 ms cost about 300 (measured over IPC,
 *   {@code crash:leader@2s}); primary-backup pays the same at 200 ms. Not following a hint to a suspected replica
 *   would remove it, but must give up the suspicion soon enough for a healed partition (the torture's liveness
 *   phase), which this class does not do yet.</li>
 *   <li>{@code client-backoff} (5 ms) and {@code client-backoff-max} (the same): after a replica turned an
 *   operation away ({@code UNAVAILABLE}, or a {@code REDIRECT} without a usable hint) the client waits this long
 *   before it asks again, doubling for each turn-away in a row up to the maximum. By default it does not grow: the
 *   lab measures how soon a protocol serves again, which a fixed short poll resolves to within 5 ms at the cost of a
 *   few messages per outage; a client that backed off exponentially would add its own, up to the cap, to every
 *   unavailability window. It was the default of primary-backup and chain; Raft's was 2 ms, the quorum
 *   replica-coordinator client's was its retry timeout (reached only with one replica, where no hint is usable).</li>
 *   <li>{@code client-suspect} (1 s): a replica that let an operation time out is avoided, by clients that choose
 *   among replicas (CRAQ reads, a quorum key's home replicas), for this long or until it is heard from again, so
 *   that a crashed replica costs one timeout per suspicion rather than one per operation sent to it. Five client
 *   retries: long enough that a crashed replica costs little, short enough that a restarted one gets load back within
 *   a second. It was the quorum client's default; CRAQ's was ten retry timeouts (2 s).</li>
 * </ul>
 *
 * <p>No jitter: runs replay from their seed, and the lab's clients are few and their slots independent, so the
 * synchronised retry storms that jitter breaks up against a real service do not arise here.
 */
public final class ClientPolicy
{
    public static final String RETRY = "client-retry";
    public static final String BACKOFF = "client-backoff";
    public static final String BACKOFF_MAX = "client-backoff-max";
    public static final String SUSPECT = "client-suspect";
    /**
     * {@code hedge} ({@code off}): send a read not answered after this delay, or after the running percentile of
     * recent reads ({@code p95}), to one more replica. Read by {@link Hedging#from}, and only by protocols whose reads
     * more than one replica can answer (CRAQ, the quorum store): elsewhere the run refuses it as an unknown option.
     */
    public static final String HEDGE = "hedge";
    /**
     * {@code tied} ({@code false}): send a read to two replicas at once, each copy naming the other; the one that
     * starts serving first cancels the other's copy ({@link TiedReads} on the client, {@link TiedCopies} on the
     * replicas). Read only by protocols whose reads more than one replica can answer, like {@link #HEDGE}.
     */
    public static final String TIED = "tied";

    public static final String DEFAULT_RETRY = "200ms";
    public static final String DEFAULT_BACKOFF = "5ms";
    public static final String DEFAULT_SUSPECT = "1s";

    private final long retryNs;
    private final long backoffNs;
    private final long backoffMaxNs;
    private final long suspectNs;

    /**
     * @throws IllegalArgumentException for a retry or backoff that is not positive, a maximum below the backoff, or
     *                                  a negative suspicion.
     */
    public ClientPolicy(final long retryNs, final long backoffNs, final long backoffMaxNs, final long suspectNs)
    {
        if (retryNs <= 0 || backoffNs <= 0)
        {
            throw new IllegalArgumentException(RETRY + " and " + BACKOFF + " must be > 0");
        }
        if (backoffMaxNs < backoffNs)
        {
            throw new IllegalArgumentException(BACKOFF_MAX + " must be >= " + BACKOFF);
        }
        if (suspectNs < 0)
        {
            throw new IllegalArgumentException(SUSPECT + " must be >= 0");
        }
        this.retryNs = retryNs;
        this.backoffNs = backoffNs;
        this.backoffMaxNs = backoffMaxNs;
        this.suspectNs = suspectNs;
    }

    /**
     * Reads every client option with its default (so each is printed with the run's results).
     */
    public static ClientPolicy from(final ProtocolSettings settings)
    {
        final long retryNs = settings.durationNsOption(RETRY, DEFAULT_RETRY);
        final String backoff = settings.option(BACKOFF, DEFAULT_BACKOFF);
        final long backoffNs = settings.durationNsOption(BACKOFF, backoff);
        final long backoffMaxNs = settings.durationNsOption(BACKOFF_MAX, backoff);
        final long suspectNs = settings.durationNsOption(SUSPECT, DEFAULT_SUSPECT);
        return new ClientPolicy(retryNs, backoffNs, backoffMaxNs, suspectNs);
    }

    /**
     * @return how long an operation waits for an answer before it is resent.
     */
    public long retryNs()
    {
        return retryNs;
    }

    /**
     * @return how long a replica that timed out is avoided.
     */
    public long suspectNs()
    {
        return suspectNs;
    }

    /**
     * @param turnedAwayInARow how many times in a row this operation was turned away, this time included (1, 2, ...).
     * @return how long to wait before asking again: {@code client-backoff} doubled for each turn-away after the first,
     * never above {@code client-backoff-max}.
     */
    public long backoffNs(final int turnedAwayInARow)
    {
        long wait = backoffNs;
        for (int i = 1; i < turnedAwayInARow && wait < backoffMaxNs; i++)
        {
            wait <<= 1;
        }
        return Math.min(wait, backoffMaxNs);
    }

    public String toString()
    {
        return RETRY + "=" + retryNs + "ns " + BACKOFF + "=" + backoffNs + "ns " + BACKOFF_MAX + "=" + backoffMaxNs +
            "ns " + SUSPECT + "=" + suspectNs + "ns";
    }
}
