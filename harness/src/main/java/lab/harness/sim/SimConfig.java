package lab.harness.sim;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the simulated network. Mutable between steps so that a test can change faults as time passes.
 */
public final class SimConfig
{
    /** Every endpoint's {@code onTick} runs at this period of simulated time. */
    public long tickIntervalNs = TimeUnit.MICROSECONDS.toNanos(100);
    /** One-way latency of every link unless a link has its own. */
    public long latencyNs = TimeUnit.MICROSECONDS.toNanos(50);
    /** Uniform extra delay in [0, jitterNs) per message; links stay FIFO unless reordering is on. */
    public long jitterNs = TimeUnit.MICROSECONDS.toNanos(10);
    /** Probability that a message is lost. */
    public double lossRate;
    /** Probability that a message is delivered twice. */
    public double duplicateRate;
    /** Probability that a message is held back by up to {@link #reorderDelayNs}, overtaken by later ones. */
    public double reorderRate;
    public long reorderDelayNs = TimeUnit.MILLISECONDS.toNanos(2);
    /** A node whose inbound messages all arrive {@link #slowNodeDelayNs} late (a slow replica); -1 for none. */
    public int slowNode = -1;
    public long slowNodeDelayNs;

    /**
     * @return a new SimConfig with these settings: a run's configuration keeps its own, and a network that changes
     * its settings as simulated time passes changes only its own.
     */
    public SimConfig copy()
    {
        final SimConfig c = new SimConfig();
        c.tickIntervalNs = tickIntervalNs;
        c.latencyNs = latencyNs;
        c.jitterNs = jitterNs;
        c.lossRate = lossRate;
        c.duplicateRate = duplicateRate;
        c.reorderRate = reorderRate;
        c.reorderDelayNs = reorderDelayNs;
        c.slowNode = slowNode;
        c.slowNodeDelayNs = slowNodeDelayNs;
        return c;
    }

    public SimConfig latency(final long latencyNs, final long jitterNs)
    {
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        return this;
    }

    /**
     * Every message into {@code node} takes {@code extraNs} longer than the link latency: a replica that is slow to
     * answer, as the nodes that talk to it see it (a one-way delay, not a busy CPU: messages do not queue).
     */
    public SimConfig slowNode(final int node, final long extraNs)
    {
        this.slowNode = node;
        this.slowNodeDelayNs = extraNs;
        return this;
    }

    public SimConfig loss(final double rate)
    {
        this.lossRate = rate;
        return this;
    }

    public SimConfig duplication(final double rate)
    {
        this.duplicateRate = rate;
        return this;
    }

    public SimConfig reordering(final double rate, final long maxDelayNs)
    {
        this.reorderRate = rate;
        this.reorderDelayNs = maxDelayNs;
        return this;
    }

    @Override
    public String toString()
    {
        return "tick=" + tickIntervalNs + "ns latency=" + latencyNs + "ns jitter=" + jitterNs + "ns loss=" + lossRate +
            " dup=" + duplicateRate + " reorder=" + reorderRate + "/" + reorderDelayNs + "ns" +
            (slowNode >= 0 ? " slow-node=" + slowNode + "+" + slowNodeDelayNs + "ns" : "");
    }
}
