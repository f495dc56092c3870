package lab.harness.predict;

import lab.harness.sim.SimNetwork;

/**
 * What a prediction adds to the simulator: the link model for every message sent, the CPU model for every message
 * received.
 */
public final class SimTiming implements SimNetwork.Timing
{
    private final LinkModel links;
    private final NodeCpus cpus;

    public SimTiming(final LinkModel links, final NodeCpus cpus)
    {
        this.links = links;
        this.cpus = cpus;
    }

    public long linkDelayNs(final int from, final int to, final int length, final long nowNs)
    {
        return links.delayNs(from, to, length, nowNs);
    }

    public long handledAtNs(final int node, final int from, final int length, final long arrivalNs)
    {
        return cpus.handledAtNs(node, arrivalNs);
    }

    public LinkModel links()
    {
        return links;
    }

    public NodeCpus cpus()
    {
        return cpus;
    }
}
