package lab.harness.check;

import java.util.Objects;

/**
 * The verdict of a {@link LinearizabilityChecker} on a whole history.
 *
 * @param verdict           linearizable, not, or unknown because a key's search budget ran out.
 * @param key               the key the verdict is about when it is not {@link Verdict#LINEARIZABLE}, else
 *                          {@link #NO_KEY}.
 * @param explanation       what was found, naming the key and the operations involved.
 * @param operationsChecked operations searched before the verdict; failed and indeterminate reads, and writes that
 *                          nothing can observe, are not counted as they constrain nothing.
 */
public record CheckResult(Verdict verdict, long key, String explanation, int operationsChecked)
{
    /**
     * {@link #key()} when the verdict is not about one key.
     */
    public static final long NO_KEY = Long.MIN_VALUE;

    public enum Verdict
    {
        LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN
    }

    public CheckResult
    {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }

    /**
     * @return true only when the history was shown linearizable, not when the search gave up.
     */
    public boolean linearizable()
    {
        return Verdict.LINEARIZABLE == verdict;
    }
}
