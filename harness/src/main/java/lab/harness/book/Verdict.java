package lab.harness.book;

/**
 * What an experiment found about its claim. A verdict is computed from the measurement by the rule the experiment
 * states beside it, never written by hand.
 */
public enum Verdict
{
    /** The measurement agrees with the claim, by the stated rule. */
    HOLDS("holds"),
    /** The measurement contradicts the claim, by the stated rule. */
    DOES_NOT_HOLD("does not hold"),
    /** This machine cannot decide it (too few cores, too noisy, a fault the run could not cause): the reason says which. */
    UNDECIDED("cannot be decided here");

    private final String label;

    Verdict(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }
}
