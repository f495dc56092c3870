package lab.core.detect;

import java.util.Arrays;

/**
 * The lab's original detector: a peer is suspected once it has been silent for longer than a fixed timeout
 * ({@code nowNs - lastHeard > timeout}, so at exactly the timeout it is not yet). Chandra and Toueg's "eventually
 * perfect" detector when the timeout exceeds the worst delay; every pause longer than it is a false suspicion.
 */
public final class TimeoutDetector implements FailureDetector
{
    private final long timeoutNs;
    private final long[] lastHeardNs;

    public TimeoutDetector(final int peers, final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("fd-timeout must be > 0");
        }
        this.timeoutNs = timeoutNs;
        this.lastHeardNs = new long[peers];
        Arrays.fill(lastHeardNs, Long.MIN_VALUE);
    }

    public long timeoutNs()
    {
        return timeoutNs;
    }

    public void heartbeat(final int peer, final long nowNs)
    {
        lastHeardNs[peer] = nowNs;
    }

    public void heard(final int peer, final long nowNs)
    {
        lastHeardNs[peer] = nowNs;
    }

    public void reset(final int peer, final long nowNs)
    {
        lastHeardNs[peer] = nowNs;
    }

    public boolean suspected(final int peer, final long nowNs)
    {
        final long last = lastHeardNs[peer];
        return last != Long.MIN_VALUE && nowNs - last > timeoutNs;
    }

    public double phi(final int peer, final long nowNs)
    {
        return suspected(peer, nowNs) ? Double.POSITIVE_INFINITY : 0.0;
    }

    public long lastHeardNs(final int peer)
    {
        return lastHeardNs[peer];
    }
}
