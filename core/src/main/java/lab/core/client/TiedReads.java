package lab.core.client;

import lab.core.ProtocolSettings;

/**
 * The client side of tied requests (Dean and Barroso, "The Tail at Scale", CACM 2013): a read goes to two replicas at
 * once, each copy naming the other as its tied peer. The replica that starts serving its copy first sends the other
 * a cancel ({@link TiedCopies}), so the second copy costs a message, rarely a second service. Unlike a hedge, no
 * copy waits for a timer: a replica whose queue is long (a slow CPU, a pause) simply starts later and is cancelled by
 * its peer, which is why tying helps exactly where the delay sits before the replica takes the request.
 *
 * <p>{@value ClientPolicy#TIED} ({@code false}) is read only by protocols whose reads more than one replica can
 * answer (CRAQ reads, the quorum store's reads). It is refused together with {@value ClientPolicy#HEDGE}: both spend
 * the one extra copy a read may send, one at once and one later, and a read that did both would measure neither.
 *
 * <p>Pure: it holds the setting and counts what tying cost (tied pairs sent, reads completed) for the run's figures.
 * A resend after a timeout or a turn-away is not tied again: a copy that a cancel dropped is gone, and a resend is
 * what recovers from a pair where neither copy was served (both replicas down, or a cancel from a replica that then
 * could not answer).
 */
public final class TiedReads
{
    private final boolean enabled;
    private long copiesSent;
    private long readsCompleted;

    private TiedReads(final boolean enabled)
    {
        this.enabled = enabled;
    }

    /**
     * @return reads are not tied.
     */
    public static TiedReads off()
    {
        return new TiedReads(false);
    }

    /**
     * @return a client's own counters for a setting read once by the protocol's configuration.
     */
    public static TiedReads of(final boolean enabled)
    {
        return new TiedReads(enabled);
    }

    /**
     * Reads {@value ClientPolicy#TIED} ({@code false} by default). For protocols whose reads can be tied only.
     *
     * @throws IllegalArgumentException for a value other than true or false, or tied reads together with a hedge.
     */
    public static TiedReads from(final ProtocolSettings settings)
    {
        final TiedReads tied = parse(settings.option(ClientPolicy.TIED, "false"));
        if (tied.enabled() && Hedging.from(settings).enabled())
        {
            throw new IllegalArgumentException(ClientPolicy.TIED + " and " + ClientPolicy.HEDGE + " are two ways to " +
                "send a read's extra copy (at once, or after a delay): choose one");
        }
        return tied;
    }

    /**
     * @param spec {@code true} or {@code false}.
     */
    public static TiedReads parse(final String spec)
    {
        final String s = spec.trim();
        if ("true".equals(s))
        {
            return new TiedReads(true);
        }
        if ("false".equals(s))
        {
            return off();
        }
        throw new IllegalArgumentException(ClientPolicy.TIED + " must be true or false, got '" + spec + "'");
    }

    public boolean enabled()
    {
        return enabled;
    }

    /**
     * A read went to a second replica, tied to the first: one copy more than an untied read.
     */
    public void copySent()
    {
        copiesSent++;
    }

    /**
     * A read (tied or, after a resend, not) completed.
     */
    public void readCompleted()
    {
        readsCompleted++;
    }

    /**
     * @return tied copies sent: one per tied read, the copy beyond the one an untied read sends.
     */
    public long copiesSent()
    {
        return copiesSent;
    }

    public long readsCompleted()
    {
        return readsCompleted;
    }

    public String toString()
    {
        return ClientPolicy.TIED + "=" + enabled;
    }
}
