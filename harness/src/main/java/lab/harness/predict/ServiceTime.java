package lab.harness.predict;

import java.util.Random;

/**
 * How long a node's CPU is busy with one received message: a mean and a spread (coefficient of variation), and the
 * mean when the message finds the CPU already busy. A duty cycle that wakes for one message pays the whole cycle (poll,
 * clock read, the idle loop's cold caches) for it; one that finds several waiting shares that cost among them, and
 * measured busy time per message at saturation is several times below the figure at low load. With no
 * spread every message costs the mean (a deterministic server, M/D/1 under Poisson arrivals); with a spread the cost is
 * drawn from a log-normal of that mean and coefficient of variation (positive, skewed to the right like measured
 * handler times).
 *
 * <p>A load-dependent demand ({@link DemandFit}) adds what depends on the message and on what the node sends: each
 * byte received costs {@code perByteNs}, and the handler's sends cost {@code perSentNs} per message and
 * {@code perByteNs} per byte. The sends are not known before the handler runs, so a message is charged the node's
 * running ratio of messages (and bytes) sent per message received: a batching node (a Raft leader under load) sends
 * fewer messages per input, and is charged less.
 *
 * @param meanNs    mean service time of a message that arrives at an idle CPU.
 * @param cv        standard deviation / mean; 0 for a fixed cost.
 * @param batchedNs mean service time of a message that arrives while the CPU is busy (handled in a batch).
 * <p>Which figure a message pays: without a fit, {@code batchedNs} when the CPU was busy at its arrival (the
 * calibration's loaded figure is a mean over a shared thread under load); with a fit ({@code perNode}), when it
 * arrived by the start of its own node's latest duty cycle (it is in the node's subscription when the node polls),
 * since the fitted cycle cost is per node: on a shared core each node's agent runs its own duty cycle, a message
 * waiting behind another node's is still the first of its node's cycle, and one that arrives while its node's cycle
 * runs belongs to the next.
 *
 * @param perByteNs what each byte received or sent adds; 0 for a cost that does not depend on size.
 * @param perSentNs what each message sent adds; 0 where sends are already in the means.
 * @param perNode   a fitted demand: batched per node, sends charged at the node's ratio (see above).
 */
public record ServiceTime(double meanNs, double cv, double batchedNs, double perByteNs, double perSentNs,
    boolean perNode)
{
    public ServiceTime(final double meanNs, final double cv)
    {
        this(meanNs, cv, meanNs);
    }

    public ServiceTime(final double meanNs, final double cv, final double batchedNs)
    {
        this(meanNs, cv, batchedNs, 0, 0, false);
    }

    public ServiceTime
    {
        check(meanNs, "a service time must be >= 0 ns");
        check(batchedNs, "a batched service time must be >= 0 ns");
        check(perByteNs, "a service time per byte must be >= 0 ns");
        check(perSentNs, "a service time per message sent must be >= 0 ns");
        check(cv, "a service time's spread must be >= 0");
    }

    private static void check(final double x, final String what)
    {
        if (!(x >= 0) || Double.isInfinite(x))
        {
            throw new IllegalArgumentException(what + ", got " + x);
        }
    }

    public static ServiceTime fixed(final double meanNs)
    {
        return new ServiceTime(meanNs, 0);
    }

    /**
     * @return one draw for a message that arrives at an idle CPU, in whole nanoseconds.
     */
    public long sampleNs(final Random random)
    {
        return sampleNs(random, false);
    }

    /**
     * @param batched whether the message arrived while the CPU was busy.
     * @return one draw, in whole nanoseconds (the random source is used only when there is a spread).
     */
    public long sampleNs(final Random random, final boolean batched)
    {
        return sampleNs(random, batched, 0, 0, 0);
    }

    /**
     * @param batched       whether the message arrived while the CPU was busy.
     * @param length        the message's bytes.
     * @param sentPerIn     messages the node sends per message it receives (its running ratio).
     * @param sentBytesPerIn bytes it sends per message it receives.
     * @return one draw, in whole nanoseconds (the random source is used only when there is a spread).
     */
    public long sampleNs(final Random random, final boolean batched, final int length, final double sentPerIn,
        final double sentBytesPerIn)
    {
        final double meanNs = (batched ? this.batchedNs : this.meanNs) + perByteNs * (length + sentBytesPerIn) +
            perSentNs * sentPerIn;
        if (cv == 0 || meanNs == 0)
        {
            return Math.round(meanNs);
        }
        // Log-normal with E = mean and CV = cv: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
        final double sigma2 = Math.log(1 + cv * cv);
        final double mu = Math.log(meanNs) - sigma2 / 2;
        return Math.round(Math.exp(mu + Math.sqrt(sigma2) * random.nextGaussian()));
    }
}
