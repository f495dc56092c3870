package lab.core.client;

import lab.core.Durations;
import lab.core.ProtocolSettings;

/**
 * When a client sends a read that has not been answered yet to one more replica (a hedged request, Dean and Barroso,
 * "The Tail at Scale", CACM 2013): after a fixed delay ({@code hedge=2ms}), or after the running percentile of the
 * client's recent read latencies ({@code hedge=p95}), so that only the slowest few percent of reads pay an extra
 * message. The first sufficient answer completes the read; the others arrive late and are ignored.
 *
 * <p>Only protocols whose reads may be answered by more than one replica read {@value ClientPolicy#HEDGE} (CRAQ
 * reads, the quorum store's reads); elsewhere the option is unknown and the run refuses it before it starts.
 *
 * <p>Pure: the caller gives every time ({@code nowNs}) and every latency; the percentile comes from a bounded ring of
 * the latest {@value #WINDOW} read latencies ({@link RecentLatencies}). Until {@value #MIN_SAMPLES} reads completed,
 * a percentile hedge has nothing to go by and does not hedge. It also counts what it cost: hedged copies sent, and
 * reads completed, for the run's figures.
 */
public final class Hedging
{
    /** Latencies a percentile hedge looks back over. */
    static final int WINDOW = 512;
    /** Reads a percentile hedge waits for before it hedges at all. */
    static final int MIN_SAMPLES = 20;
    /** Samples between two recomputations of the percentile. */
    static final int REFRESH = 16;

    /** No hedge: {@link #hedgeAtNs} is never reached. */
    public static final long NEVER = Long.MAX_VALUE;

    private final long fixedDelayNs;
    private final double percentile;
    private final RecentLatencies recent;
    private long copiesSent;
    private long readsCompleted;

    private Hedging(final long fixedDelayNs, final double percentile)
    {
        this.fixedDelayNs = fixedDelayNs;
        this.percentile = percentile;
        this.recent = percentile > 0 ? new RecentLatencies(WINDOW, REFRESH) : null;
    }

    /**
     * @return no hedging.
     */
    public static Hedging off()
    {
        return new Hedging(0, 0);
    }

    /**
     * Reads {@value ClientPolicy#HEDGE} ({@code off} by default). For protocols whose reads can be hedged only.
     */
    public static Hedging from(final ProtocolSettings settings)
    {
        return parse(settings.option(ClientPolicy.HEDGE, "off"));
    }

    /**
     * @param spec {@code off}, a duration above zero ({@code 500us}, {@code 2ms}) or {@code p<percentile>} with the
     *             percentile in (0, 100) ({@code p95}, {@code p99.9}).
     * @throws IllegalArgumentException for anything else, with one line that says what is accepted.
     */
    public static Hedging parse(final String spec)
    {
        final String s = spec.trim();
        if ("off".equals(s))
        {
            return off();
        }
        if (s.startsWith("p"))
        {
            final double p;
            try
            {
                p = Double.parseDouble(s.substring(1));
            }
            catch (final NumberFormatException e)
            {
                throw bad(spec);
            }
            if (!(p > 0 && p < 100))
            {
                throw new IllegalArgumentException(
                    ClientPolicy.HEDGE + " percentile must be in (0, 100), got " + spec);
            }
            return new Hedging(0, p);
        }
        final long ns;
        try
        {
            ns = Durations.parseNs(s);
        }
        catch (final IllegalArgumentException e)
        {
            throw bad(spec);
        }
        if (ns <= 0)
        {
            throw new IllegalArgumentException(ClientPolicy.HEDGE + " delay must be > 0, got " + spec);
        }
        return new Hedging(ns, 0);
    }

    private static IllegalArgumentException bad(final String spec)
    {
        return new IllegalArgumentException(ClientPolicy.HEDGE + " must be off, a duration (e.g. 2ms) or " +
            "p<percentile> (e.g. p95), got '" + spec + "'");
    }

    public boolean enabled()
    {
        return fixedDelayNs > 0 || percentile > 0;
    }

    /**
     * @return when a read sent at {@code sentNs} and not answered yet goes to one more replica; {@link #NEVER} when
     * hedging is off, or a percentile hedge has too few samples yet.
     */
    public long hedgeAtNs(final long sentNs)
    {
        if (fixedDelayNs > 0)
        {
            return sentNs + fixedDelayNs;
        }
        if (recent == null || recent.size() < MIN_SAMPLES)
        {
            return NEVER;
        }
        return sentNs + Math.max(1, recent.percentile(percentile));
    }

    /**
     * A read completed {@code latencyNs} after it was sent (hedged or not): the percentile follows it.
     */
    public void readCompleted(final long latencyNs)
    {
        readsCompleted++;
        if (recent != null)
        {
            recent.record(latencyNs);
        }
    }

    /**
     * One hedged copy of a read was sent.
     */
    public void copySent()
    {
        copiesSent++;
    }

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
        return ClientPolicy.HEDGE + "=" + (fixedDelayNs > 0 ? fixedDelayNs + "ns" : percentile > 0 ? "p" + percentile :
            "off");
    }
}
