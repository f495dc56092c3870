package lab.harness.detect;

import java.util.Random;

/**
 * What heartbeats go through in {@code bin/lab detectors}: a one-way delay plus an exponential jitter (so a few
 * arrive very late, and they may overtake each other), independent loss, and GC-like pauses of the sender: a
 * Poisson process of pauses (mean {@code pauseEveryNs} apart), each uniformly {@code pauseMinNs..pauseMaxNs}
 * long, during which the paused process neither sends nor answers; its timers fire when it resumes.
 */
public record NetworkConditions(long heartbeatIntervalNs, long delayNs, long jitterNs, double loss, long pauseEveryNs,
    long pauseMinNs, long pauseMaxNs)
{
    /**
     * @throws IllegalArgumentException for an interval that is not > 0, a negative delay or jitter, a loss outside
     *                                  [0, 1), pauses that are not > 0 apart or a pause range that is inverted.
     */
    public NetworkConditions
    {
        if (heartbeatIntervalNs <= 0)
        {
            throw new IllegalArgumentException("--heartbeat-interval must be > 0");
        }
        if (delayNs < 0 || jitterNs < 0)
        {
            throw new IllegalArgumentException("--delay and --jitter must be >= 0");
        }
        if (!(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("--loss must be in [0, 1), got " + loss);
        }
        if (pauseEveryNs <= 0 || pauseMinNs < 0 || pauseMaxNs < pauseMinNs)
        {
            throw new IllegalArgumentException("--pause-every must be > 0 and --pause min..max a range >= 0");
        }
    }

    /**
     * @return the arrival time of a message sent at {@code sentNs}, or -1 when it is lost.
     */
    long arrival(final long sentNs, final Random random)
    {
        if (loss > 0 && random.nextDouble() < loss)
        {
            return -1;
        }
        final long jitter = jitterNs == 0 ? 0 : (long)(-Math.log(1.0 - random.nextDouble()) * jitterNs);
        return sentNs + delayNs + jitter;
    }

    /**
     * @return the gap from one pause's end to the next pause's start (exponential: pauses are a Poisson process).
     */
    long nextPauseGap(final Random random)
    {
        return 1 + (long)(-Math.log(1.0 - random.nextDouble()) * pauseEveryNs);
    }

    long pauseLength(final Random random)
    {
        return pauseMinNs + (long)(random.nextDouble() * (pauseMaxNs - pauseMinNs));
    }

    /**
     * The pauses of one process, drawn as time goes on: {@link #resumeAt} tells when a process that wants to act at
     * a time actually does.
     */
    static final class Pauses
    {
        private final NetworkConditions conditions;
        private final Random random;
        private long pauseStartNs;
        private long pauseEndNs;

        Pauses(final NetworkConditions conditions, final Random random, final long fromNs)
        {
            this.conditions = conditions;
            this.random = random;
            pauseStartNs = fromNs + conditions.nextPauseGap(random);
            pauseEndNs = pauseStartNs + conditions.pauseLength(random);
        }

        /**
         * @param nowNs non-decreasing from call to call.
         * @return {@code nowNs}, or the end of the pause it falls in.
         */
        long resumeAt(final long nowNs)
        {
            while (nowNs >= pauseEndNs)
            {
                pauseStartNs = pauseEndNs + conditions.nextPauseGap(random);
                pauseEndNs = pauseStartNs + conditions.pauseLength(random);
            }
            return nowNs >= pauseStartNs ? pauseEndNs : nowNs;
        }
    }
}
