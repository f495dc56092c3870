package lab.harness.predict;

import lab.harness.metrics.TrafficCounters;
import lab.harness.sim.SimNetwork;

/**
 * What a prediction adds to the simulator: the link model for every message sent, the CPU model for every message
 * received.
 */
public final class SimTiming implements SimNetwork.Timing
{
    private final LinkModel links;
    private final NodeCpus cpus;
    private final TrafficCounters[] busyInto;
    /** Where the visit running now reports its messages' handled times (set for the call). */
    private SimNetwork.Handled handled;
    private final NodeCpus.Served onServed = this::served;

    public SimTiming(final LinkModel links, final NodeCpus cpus)
    {
        this(links, cpus, null);
    }

    /**
     * @param busyInto per node, the counters its simulated busy time is charged to (the accounting a real run has,
     *                 so the capacity model reads a predicted run as it reads a measured one); null for none.
     */
    public SimTiming(final LinkModel links, final NodeCpus cpus, final TrafficCounters[] busyInto)
    {
        this.links = links;
        this.cpus = cpus;
        this.busyInto = busyInto;
    }

    public long linkDelayNs(final int from, final int to, final int length, final long nowNs)
    {
        cpus.onSent(from, length);
        return links.delayNs(from, to, length, nowNs);
    }

    public long handledAtNs(final int node, final int from, final int type, final int length, final long arrivalNs)
    {
        final long before = cpus.busyNs(node);
        final long doneNs = cpus.handledAtNs(node, arrivalNs, length, type);
        if (doneNs == QUEUED)
        {
            return doneNs; // charged when a visit takes it (served); NodeCpus.QUEUED is the network's QUEUED
        }
        if (busyInto != null)
        {
            final long serviceNs = cpus.busyNs(node) - before;
            busyInto[node].onBusy(doneNs - serviceNs, serviceNs, false, cpus.lastStartedCycle());
        }
        return doneNs;
    }

    @Override
    public long nextVisitNs()
    {
        return cpus.nextVisitNs();
    }

    @Override
    public void visit(final long nowNs, final SimNetwork.Handled handled)
    {
        this.handled = handled;
        cpus.visit(nowNs, onServed);
        this.handled = null;
    }

    private void served(final int node, final long startNs, final long serviceNs, final boolean startsCycle)
    {
        if (busyInto != null)
        {
            busyInto[node].onBusy(startNs, serviceNs, false, startsCycle);
        }
        handled.at(node, startNs + serviceNs);
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
