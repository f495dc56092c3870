package lab.harness.book;

/**
 * One claim of the course notes as a runnable experiment. An experiment owns its setup, runs what it needs on the
 * {@link Bench} (real runs over Aeron, simulations, calibrated predictions) and computes its verdict from what it
 * measured by a rule it states.
 */
public interface Experiment
{
    /**
     * @return the name used on the command line.
     */
    String name();

    /**
     * @return the course-notes topic it comes from, e.g. "chain replication".
     */
    String topic();

    /**
     * @return the claim, in one sentence.
     */
    String claim();

    /**
     * @return about how long it runs on this machine, e.g. "40 s".
     */
    String duration(boolean quick);

    /**
     * Runs it.
     *
     * @throws Exception a failure to run (not a claim that does not hold: that is a verdict).
     */
    ExperimentReport run(Bench bench) throws Exception;
}
