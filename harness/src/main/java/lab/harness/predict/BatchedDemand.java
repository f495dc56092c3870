package lab.harness.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;

/**
 * The capacity model's demand per operation at the load a prediction is for, for protocols whose demand per operation
 * falls with load (Raft batches a burst into one append per follower and one acknowledgement per burst).
 *
 * <p>Per role, a {@link DemandFit} (per duty cycle, message and byte handled) fitted to runs at other loads; applied
 * to what each node handled per operation at the predicted load (its cycles, messages and bytes in and out), it gives each
 * node's demand D_i there, and 1 / sum D_i (every node on one core) and 1 / max D_i (a core per node). The counts at
 * a load are the protocol's batching (how many messages and cycles an operation takes there); the costs are the
 * machine's, measured elsewhere.
 *
 * @param byRole the fitted demand per role ("leader", "follower", "client", ...).
 */
public record BatchedDemand(Map<String, DemandFit.Fit> byRole)
{
    /**
     * The demand at one load.
     *
     * @param sumNsPerOp  sum over the nodes of their demand per operation (ns).
     * @param maxNsPerOp  the largest node's demand per operation (ns).
     * @param sharedCore  1 / sum D_i, operations per second with every node on one core; null when not computable.
     * @param oneCorePerNode 1 / max D_i; null when not computable.
     * @param note        why not, or null.
     */
    public record AtLoad(double sumNsPerOp, double maxNsPerOp, Double sharedCore, Double oneCorePerNode, String note)
    {
    }

    /**
     * @return per role, the fit over every run given (one sample per role per run: its nodes summed, busy time x the
     * run's node-thread CPU share).
     */
    public static BatchedDemand fit(final List<RunResult> runs)
    {
        final List<List<NodeLoad>> nodes = new ArrayList<>();
        final double[] shares = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++)
        {
            final double share = CapacityModel.of(runs.get(i), null).cpuShare();
            shares[i] = Double.isNaN(share) ? 1 : share;
            nodes.add(runs.get(i).load().nodes());
        }
        return fitNodes(nodes, shares);
    }

    /**
     * @param runs   per run, its nodes' loads.
     * @param shares per run, the node thread's CPU share (busy time x share is CPU demand).
     * @return per role, the fit over the runs.
     */
    public static BatchedDemand fitNodes(final List<List<NodeLoad>> runs, final double[] shares)
    {
        final Map<String, List<DemandFit.Sample>> samples = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++)
        {
            addSamples(samples, runs.get(i), shares[i]);
        }
        final Map<String, DemandFit.Fit> fits = new TreeMap<>();
        samples.forEach((role, s) -> fits.put(role, DemandFit.fit(s)));
        return new BatchedDemand(fits);
    }

    /**
     * Adds one sample per role (its nodes summed) of a run's nodes.
     */
    static void addSamples(final Map<String, List<DemandFit.Sample>> samples, final List<NodeLoad> nodes,
        final double cpuShare)
    {
        final Map<String, double[]> byRole = new TreeMap<>();
        for (final NodeLoad n : nodes)
        {
            if (!n.busyMeasured() || n.messagesIn() == 0)
            {
                continue;
            }
            final double[] s = byRole.computeIfAbsent(roleOf(n), k -> new double[4]);
            s[0] += n.busyCycles();
            s[1] += n.messagesIn() + n.messagesOut();
            s[2] += n.bytesIn() + n.bytesOut();
            s[3] += cpuShare * n.busyNs();
        }
        byRole.forEach((role, s) -> samples.computeIfAbsent(role, k -> new ArrayList<>())
            .add(new DemandFit.Sample(s[0], s[1], s[2], s[3])));
    }

    static String roleOf(final NodeLoad n)
    {
        return n.client() ? "client" : n.role();
    }

    /**
     * @param nodes what each node handled at the load predicted for (cycles, messages and bytes in and out).
     * @param ops   operations completed there.
     * @return the demand there; the bounds are null (with the note) when a node that received messages has a role
     * with no fit, or nothing completed.
     */
    public AtLoad at(final List<NodeLoad> nodes, final long ops)
    {
        if (ops <= 0)
        {
            return new AtLoad(0, 0, null, null, "no completed operations");
        }
        double sum = 0;
        double max = 0;
        for (final NodeLoad n : nodes)
        {
            if (n.messagesIn() == 0)
            {
                continue;
            }
            final DemandFit.Fit fit = byRole.get(roleOf(n));
            if (fit == null || n.busyCycles() < 0)
            {
                return new AtLoad(0, 0, null, null, fit == null ? "no demand fit for role " + roleOf(n) :
                    "node " + n.id() + ": duty cycles not measured");
            }
            final double d = fit.demandNs(n.busyCycles(), n.messagesIn() + n.messagesOut(), n.bytesIn() + n.bytesOut()) /
                ops;
            sum += d;
            if (!n.client())
            {
                max = Math.max(max, d);
            }
        }
        return new AtLoad(sum, max, sum > 0 ? 1e9 / sum : null, max > 0 ? 1e9 / max : null,
            sum > 0 ? null : "no demand");
    }
}
