package lab.harness.predict;

import java.util.Random;

/**
 * The simulated links: per pair of nodes a one-way latency plus uniform jitter, and per node an egress link of a
 * given bandwidth. A message leaves its node when the node's link has serialized everything queued before it
 * (bytes / bandwidth each, FIFO), then travels the pair's latency. Loss is the simulator's ({@code SimConfig}).
 */
public final class LinkModel
{
    private final long[][] latencyNs;
    private final long jitterNs;
    private final double bytesPerNs;
    private final long[] egressFreeAtNs;
    private final Random random;

    /**
     * @param latencyNs      per pair [from][to] one-way latency.
     * @param jitterNs       uniform extra delay in [0, jitterNs) per message.
     * @param bytesPerSecond egress bandwidth of every node; infinite for no serialization delay.
     * @param random         the source of jitter (seeded by the run).
     */
    public LinkModel(final long[][] latencyNs, final long jitterNs, final double bytesPerSecond, final Random random)
    {
        if (!(bytesPerSecond > 0))
        {
            throw new IllegalArgumentException("bandwidth must be > 0, got " + bytesPerSecond + " bytes/s");
        }
        if (jitterNs < 0)
        {
            throw new IllegalArgumentException("jitter must be >= 0, got " + jitterNs + " ns");
        }
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        this.bytesPerNs = bytesPerSecond / 1e9;
        this.egressFreeAtNs = new long[latencyNs.length];
        this.random = random;
    }

    /**
     * @return the delay from now until a message of {@code length} bytes sent now from {@code from} arrives at
     * {@code to}: waiting for the sender's link, serialization, latency and jitter.
     */
    public long delayNs(final int from, final int to, final int length, final long nowNs)
    {
        long departNs = nowNs;
        if (!Double.isInfinite(bytesPerNs))
        {
            departNs = Math.max(nowNs, egressFreeAtNs[from]) + (long)Math.ceil(length / bytesPerNs);
            egressFreeAtNs[from] = departNs;
        }
        final long jitter = jitterNs > 0 ? (long)(random.nextDouble() * jitterNs) : 0;
        return departNs - nowNs + latencyNs[from][to] + jitter;
    }

    public long latencyNs(final int from, final int to)
    {
        return latencyNs[from][to];
    }
}
