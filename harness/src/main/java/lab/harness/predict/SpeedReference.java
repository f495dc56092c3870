package lab.harness.predict;

import java.util.List;
import java.util.Map;

import lab.harness.metrics.NodeLoad;

/**
 * How fast the machine was during one round of a validation, relative to the demand a prediction was made from.
 *
 * <p>Why: on a shared VM the same configuration measured minutes apart runs up to 1.8 x slower (neighbours, CPU
 * frequency, caches; the node thread's CPU share stays 1.00, so it is not preemption). A prediction made from costs
 * measured at one time and set beside a saturation run at another then measures the drift as much as the model. Runs
 * of the same round made just before the saturation run, whose demand the model knows (low-load reference runs), say
 * how fast the machine was then: the speed factor k = their measured CPU demand / the demand the prediction's costs
 * give for the same counts. k > 1: the machine was slower than when the costs were measured, and the speed-adjusted
 * prediction is prediction / k. The saturation run itself never enters k.
 *
 * <p>Pure arithmetic: no runs, no clocks.
 */
public final class SpeedReference
{
    /**
     * Rounds of the saturation checks ({@code validate-model}, {@code predict --validate}) unless told otherwise.
     * Three, not five: a round of {@code validate-model}'s throughput part (every protocol's three fit runs, twin and
     * saturation run at 2 s + 1 s each, 20 runs) took 74 s (five rounds: 371 s, on 2 cores at load average 8-9), about
     * 60 s on the quiet machine, so five rounds take 5-6 minutes against the 4 it is meant to stay under; three
     * already give a median that one odd round cannot move. Pass {@code --rounds 5} where the time is there.
     */
    public static final int DEFAULT_ROUNDS = 3;

    private SpeedReference()
    {
    }

    /**
     * @param measuredNs  CPU demand the reference runs measured (> 0).
     * @param referenceNs the demand the prediction's costs give for the same work (> 0).
     * @return measured / reference; NaN when either is not a positive number.
     */
    public static double factor(final double measuredNs, final double referenceNs)
    {
        return measuredNs > 0 && referenceNs > 0 && Double.isFinite(measuredNs) && Double.isFinite(referenceNs) ?
            measuredNs / referenceNs : Double.NaN;
    }

    /**
     * The speed factor against a fitted demand: over every node of the runs that received messages with its busy time
     * measured and whose role has a fit, the sum of its CPU demand (busy time x the run's CPU share) against the sum of
     * the fit's demand for the duty cycles, messages and bytes it handled. Nodes of a role without a fit are left out
     * of both sums.
     *
     * @param fit    the demand per role the prediction is made from.
     * @param runs   per reference run, its nodes' loads.
     * @param shares per run, the node thread's CPU share (NaN: not measured, taken as 1).
     * @return k; NaN when no node could be compared.
     */
    public static double factor(final BatchedDemand fit, final List<List<NodeLoad>> runs, final double[] shares)
    {
        if (runs.size() != shares.length)
        {
            throw new IllegalArgumentException(runs.size() + " runs but " + shares.length + " CPU shares");
        }
        double measured = 0;
        double fitted = 0;
        for (int i = 0; i < runs.size(); i++)
        {
            final double share = Double.isNaN(shares[i]) ? 1 : shares[i];
            for (final NodeLoad n : runs.get(i))
            {
                final DemandFit.Fit f = fit.byRole().get(BatchedDemand.roleOf(n));
                if (f == null || !n.busyMeasured() || n.messagesIn() == 0 || n.busyCycles() < 0)
                {
                    continue;
                }
                measured += share * n.busyNs();
                fitted += f.demandNs(n.busyCycles(), n.messagesIn() + n.messagesOut(), n.bytesIn() + n.bytesOut());
            }
        }
        return factor(measured, fitted);
    }

    /**
     * The speed factor against a calibration's low-load figures: a run of the calibration's own shape (1 client x 1
     * in flight, its replica count) measured now, role by role, against the same role's figures in the calibration.
     * Both sides are measurements of the same shape (no model in between): CPU demand per operation = CPU ns per
     * message received x messages received per operation, summed over the roles both have.
     *
     * @param target  the calibrated protocol.
     * @param perRole per role of the run now: {CPU ns per message received, messages received per operation}.
     * @return k; NaN when no role is in both.
     */
    public static double factor(final Calibration.Target target, final Map<String, double[]> perRole)
    {
        double measured = 0;
        double calibrated = 0;
        for (final Map.Entry<String, double[]> e : perRole.entrySet())
        {
            final Calibration.Role role = target.roles().get(e.getKey());
            if (role == null)
            {
                continue;
            }
            measured += e.getValue()[0] * e.getValue()[1];
            calibrated += role.serviceNs() * role.messagesInPerOp();
        }
        return factor(measured, calibrated);
    }

    /**
     * @return the throughput predicted from costs measured at speed 1, on a machine k times slower: predicted / k
     * (demand scales with k, throughput with 1 / demand); NaN when k is not a positive number.
     */
    public static double adjusted(final double predicted, final double k)
    {
        return k > 0 && Double.isFinite(k) ? predicted / k : Double.NaN;
    }

    /**
     * @return (value - reference) / reference; NaN when the reference is 0 or either is NaN.
     */
    public static double relativeError(final double value, final double reference)
    {
        return reference != 0 && !Double.isNaN(value) && !Double.isNaN(reference) ?
            (value - reference) / reference : Double.NaN;
    }

    /**
     * Round by round, {@link #relativeError} of value i against reference i: the errors of paired figures (a round's
     * measurement and the prediction adjusted to that round's speed), whose median ({@link Spread#of}) is the error
     * over rounds. Pairing is the point: the median of each side taken apart can come from different rounds, whose
     * speeds differ, which brings the drift back.
     *
     * @return one error per round (NaN where either figure is NaN).
     */
    public static double[] pairedErrors(final double[] values, final double[] references)
    {
        if (values.length != references.length)
        {
            throw new IllegalArgumentException(values.length + " values but " + references.length + " references");
        }
        final double[] errors = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            errors[i] = relativeError(values[i], references[i]);
        }
        return errors;
    }
}
