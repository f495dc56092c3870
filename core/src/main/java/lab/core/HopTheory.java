package lab.core;

/**
 * Critical-path hop counts the theory predicts for a configuration (README.md's table, from the course notes), shown beside the measured
 * ones.
 *
 * @param writeHops hops of a PUT.
 * @param readHops  hops of a GET (the common case where there are several, e.g. CRAQ clean reads).
 * @param note      how to read the figures, e.g. "reads 2 clean, 4 dirty".
 */
public record HopTheory(int writeHops, int readHops, String note)
{
}
