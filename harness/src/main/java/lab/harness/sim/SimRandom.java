package lab.harness.sim;

import java.util.Random;

/**
 * {@link Random}'s generator without its atomic seed: the same 48-bit linear congruential generator, scrambled the
 * same way from the seed, so every draw ({@code nextDouble}, {@code nextInt(bound)}, {@code nextGaussian}, ...) is
 * the one a {@code new Random(seed)} gives, while each step is a plain field update instead of a compare-and-set
 * loop on an {@code AtomicLong}. The simulator draws on one thread several times per message (loss, jitter, service
 * times), and those compare-and-sets were a visible part of a predicted run's profile. Not for use by two threads.
 */
public final class SimRandom extends Random
{
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    // No initializer: Random's constructor calls setSeed before this class's field initializers would run, and an
    // initializer would then overwrite the seeded state.
    private long state;

    public SimRandom(final long seed)
    {
        super(seed);
    }

    @Override
    public synchronized void setSeed(final long seed)
    {
        state = (seed ^ MULTIPLIER) & MASK;
        super.setSeed(seed); // also clears the spare Gaussian, as Random's does
    }

    @Override
    protected int next(final int bits)
    {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int)(state >>> (48 - bits));
    }
}
