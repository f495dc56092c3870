package lab.harness.metrics;

/**
 * Whether a time falls in the measured window, computed without a branch.
 *
 * <p>Why: hot paths (every send, every completed operation) ask this all the time. Written as an {@code if}, the
 * "inside" side is never taken during warm-up, so the JIT compiles it as an uncommon trap, and the first operation of
 * the window deoptimizes the node thread's whole compiled duty cycle. On 2 cores the recompilation then competes with
 * the load for CPU and the window opens with a second of stalls that belong to the harness, not to the protocol. As
 * arithmetic, the same machine code serves warm-up and window.
 */
public final class MeasurementWindow
{
    /** Bounds of "no window": far enough from any nanoTime that the subtractions below cannot overflow. */
    public static final long OPEN_START_NS = Long.MIN_VALUE / 4;
    public static final long OPEN_END_NS = Long.MAX_VALUE / 4;

    private MeasurementWindow()
    {
    }

    /**
     * @return 1 when {@code t} is before {@code startNs} or at or after {@code endNs}, else 0.
     */
    public static int outside(final long t, final long startNs, final long endNs)
    {
        return (int)(((t - startNs) | (endNs - 1 - t)) >>> 63);
    }

    /**
     * @return 1 when {@code t} is before {@code startNs}, else 0.
     */
    public static int before(final long t, final long startNs)
    {
        return (int)((t - startNs) >>> 63);
    }
}
