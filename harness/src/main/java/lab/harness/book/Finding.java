package lab.harness.book;

/**
 * A verdict and why: the rule applied and the figures it was applied to.
 *
 * @param verdict holds, does not hold, or cannot be decided here.
 * @param why     one or two sentences a reader can check against the table.
 */
public record Finding(Verdict verdict, String why)
{
    public static Finding holds(final String why)
    {
        return new Finding(Verdict.HOLDS, why);
    }

    public static Finding doesNotHold(final String why)
    {
        return new Finding(Verdict.DOES_NOT_HOLD, why);
    }

    public static Finding undecided(final String why)
    {
        return new Finding(Verdict.UNDECIDED, why);
    }
}
