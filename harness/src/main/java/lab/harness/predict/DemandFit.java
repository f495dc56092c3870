package lab.harness.predict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's CPU demand as a function of what it handled, fitted to measured runs at several loads: busy time =
 * c x duty cycles + a x messages handled + b x bytes handled (received and sent: encoding and offering a message
 * costs as decoding it does).
 *
 * <p>Why three terms: a protocol that batches (Raft sends one append per follower for a burst of writes and one
 * acknowledgement per burst) changes, with the load, both how many messages a node handles per operation and how
 * large they are, and how many messages share one duty cycle (poll, clock read, flush). Demand per operation measured
 * at one load is then wrong at another: a follower's cost per append grows with the entries it carries (bytes), the
 * leader's cost per message falls as bursts share a cycle (cycles). Fitted over runs at two or more loads, the terms
 * give the demand at any load from the counts there; in the simulator a message that starts a cycle costs c + a +
 * b x its bytes and one that joins a busy CPU a + b x its bytes, plus a and b for what the node sends per message it
 * receives ({@link ServiceTime}).
 *
 * <p>The fit: least squares on the error per message handled (each run weighs the same, whatever its length; with
 * the message term alone it is the mean over runs of busy time per message, the figure the calibration had before),
 * every coefficient >= 0: every subset of the three terms is fitted and the best one with no negative coefficient kept
 * (a term the runs cannot tell apart from another, e.g. cycles and messages when every cycle handles one message, is
 * left out rather than given an arbitrary share). Deterministic: the same samples give the same fit.
 */
public final class DemandFit
{
    /** Relative tolerance under which a subset with fewer terms is preferred (the extra term explains nothing). */
    private static final double SAME_ERROR = 1e-9;

    /**
     * One measured run of one node (or of all nodes of a role, summed).
     *
     * @param cycles   duty cycles that moved messages.
     * @param messages messages received and sent.
     * @param bytes    bytes received and sent.
     * @param busyNs   CPU demand: busy time (x the node thread's CPU share where measured).
     */
    public record Sample(double cycles, double messages, double bytes, double busyNs)
    {
        double term(final int k)
        {
            return k == 0 ? cycles : k == 1 ? messages : bytes;
        }
    }

    /**
     * The fitted demand.
     *
     * @param cycleNs     c: per duty cycle that moved messages.
     * @param messageNs   a: per message received or sent.
     * @param byteNs      b: per byte received or sent.
     * @param rmsErrorPct root mean square of (fitted - measured) / measured over the samples, in percent.
     * @param maxErrorPct the largest |(fitted - measured) / measured|, in percent.
     * @param samples     how many samples it was fitted to.
     */
    public record Fit(double cycleNs, double messageNs, double byteNs, double rmsErrorPct, double maxErrorPct,
        int samples)
    {
        /**
         * @return the demand of handling {@code cycles}, {@code messages} and {@code bytes}.
         */
        public double demandNs(final double cycles, final double messages, final double bytes)
        {
            return cycleNs * cycles + messageNs * messages + byteNs * bytes;
        }

        /**
         * @return the service time of a message this node receives, as the simulator's CPU draws it: a mean of
         * c + a (a message that starts a duty cycle) or a (one that joins a busy CPU), plus b per byte, plus a and
         * b for what the node sends per message received.
         */
        public ServiceTime serviceTime(final double cv)
        {
            return new ServiceTime(cycleNs + messageNs, cv, messageNs, byteNs, messageNs, true);
        }

        public Map<String, Object> toJson()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("ns_per_cycle", Calibration.round(cycleNs));
            m.put("ns_per_message", Calibration.round(messageNs));
            m.put("ns_per_byte", Math.round(byteNs * 1000) / 1000.0);
            m.put("rms_error_pct", Calibration.round(rmsErrorPct));
            m.put("max_error_pct", Calibration.round(maxErrorPct));
            m.put("samples", samples);
            return m;
        }

        static Fit fromJson(final Map<?, ?> m)
        {
            return new Fit(Calibration.num(m, "ns_per_cycle"), Calibration.num(m, "ns_per_message"),
                Calibration.num(m, "ns_per_byte"), Calibration.num(m, "rms_error_pct"),
                Calibration.num(m, "max_error_pct"), (int)Calibration.num(m, "samples"));
        }
    }

    private DemandFit()
    {
    }

    /**
     * @return the best non-negative fit, or null when there is none (no sample with busy time > 0).
     */
    public static Fit fit(final List<Sample> samples)
    {
        final List<Sample> usable = samples.stream().filter(s -> s.busyNs() > 0 && s.messages() > 0).toList();
        if (usable.isEmpty())
        {
            return null;
        }
        double[] best = null;
        double bestSse = Double.POSITIVE_INFINITY;
        int bestTerms = 0;
        // Subsets in order of size, so that at equal error the smaller one (found first) stays.
        final int[] subsets = {0b010, 0b001, 0b100, 0b011, 0b110, 0b101, 0b111};
        for (final int subset : subsets)
        {
            final double[] coef = solve(usable, subset);
            if (coef == null)
            {
                continue;
            }
            final double sse = sse(usable, coef);
            final int terms = Integer.bitCount(subset);
            if (best == null || sse < bestSse * (1 - SAME_ERROR) - 1e-9 ||
                (terms < bestTerms && sse <= bestSse * (1 + SAME_ERROR)))
            {
                best = coef;
                bestSse = sse;
                bestTerms = terms;
            }
        }
        if (best == null)
        {
            return null;
        }
        double max = 0;
        double squares = 0;
        for (final Sample s : usable)
        {
            final double e = relativeError(s, best);
            max = Math.max(max, Math.abs(e));
            squares += e * e;
        }
        return new Fit(best[0], best[1], best[2], 100 * Math.sqrt(squares / usable.size()), 100 * max,
            usable.size());
    }

    /**
     * Weighted least squares (weight 1 / messages^2, i.e. the error per message handled) over the terms in {@code subset} (bit k: term
     * k of {@link Sample#term}).
     *
     * @return the three coefficients (0 for a term left out), or null when the normal equations are singular or a
     * coefficient comes out negative.
     */
    static double[] solve(final List<Sample> samples, final int subset)
    {
        final int[] terms = new int[Integer.bitCount(subset)];
        for (int k = 0, j = 0; k < 3; k++)
        {
            if ((subset & (1 << k)) != 0)
            {
                terms[j++] = k;
            }
        }
        final int n = terms.length;
        final double[][] m = new double[n][n + 1];
        for (final Sample s : samples)
        {
            final double w = 1 / (s.messages() * s.messages());
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    m[i][j] += w * s.term(terms[i]) * s.term(terms[j]);
                }
                m[i][n] += w * s.term(terms[i]) * s.busyNs();
            }
        }
        // Gaussian elimination with partial pivoting; a pivot tiny against its column's scale is a singular system
        // (two terms the samples cannot tell apart).
        final double[] scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            scale[i] = Math.abs(m[i][i]);
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col]))
                {
                    pivot = r;
                }
            }
            final double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            if (!(Math.abs(m[col][col]) > 1e-6 * scale[col]))
            {
                return null;
            }
            for (int r = 0; r < n; r++)
            {
                if (r != col)
                {
                    final double f = m[r][col] / m[col][col];
                    for (int c = col; c <= n; c++)
                    {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        final double[] coef = new double[3];
        for (int i = 0; i < n; i++)
        {
            final double x = m[i][n] / m[i][i];
            if (x < 0 || Double.isNaN(x))
            {
                return null;
            }
            coef[terms[i]] = x;
        }
        return coef;
    }

    /** @return the sum of squared errors per message handled (what the fit minimizes). */
    private static double sse(final List<Sample> samples, final double[] coef)
    {
        double sum = 0;
        for (final Sample s : samples)
        {
            final double e = (coef[0] * s.cycles() + coef[1] * s.messages() + coef[2] * s.bytes() - s.busyNs()) /
                s.messages();
            sum += e * e;
        }
        return sum;
    }

    private static double relativeError(final Sample s, final double[] coef)
    {
        return (coef[0] * s.cycles() + coef[1] * s.messages() + coef[2] * s.bytes() - s.busyNs()) / s.busyNs();
    }
}
