package lab.harness.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A role's CPU demand with a cost per message type received, fitted to runs whose mix of types varies (read ratios):
 * busy time = c x duty cycles + sum over types t of a_t x (messages of type t received) + s x messages sent + b x bytes
 * handled (in and out). A duty cycle's busy time is one clock difference over all its messages, so a type's cost is
 * never measured alone: it is what separates runs with more of one type from runs with more of another.
 *
 * <p>The fit: non-negative least squares ({@link Nnls}) on the error per message handled, as {@link DemandFit} weighs
 * it. Types the runs cannot separate (a chain node receives one Ack per Forward whatever the mix: their counts are
 * proportional in every run) are merged first into one cost for all of them, and the fit says so, rather than
 * splitting their cost arbitrarily: a type whose counts over the runs are (within {@link #COLLINEAR}) a combination of
 * the cycles and the types before it joins the type it is most alike. Sends and bytes come after the types: where the
 * runs cannot tell a type's cost from the bytes or sends it brings, the type keeps it. Types too rare to fit
 * ({@link #RARE}) are listed and get no cost. The spread of each cost is its standard deviation between the
 * calibration's repeats (each fitted alone with the same merged groups); NaN with one repeat.
 */
public final class TypedDemandFit
{
    /**
     * Relative residual under which a type's column is taken for a combination of the others: counts that follow one
     * another to 1% over runs at read ratios 0 to 0.95 are the protocol's arithmetic, not a mix the runs varied.
     */
    static final double COLLINEAR = 0.01;

    /**
     * A type that is under this share of the role's messages received in every run is not fitted: a handful of
     * control messages (a Config, a Hello) among thousands cannot be told from the noise of the busy-time totals, and a
     * coefficient for them would only absorb it. Such types are listed as rare; a prediction charges them the role's
     * per-message figure.
     */
    static final double RARE = 0.01;

    /**
     * One run of one role (its nodes summed).
     *
     * @param repeat    which repeat of the calibration the run belongs to (for the spread between repeats).
     * @param cycles    duty cycles that moved messages.
     * @param inByType  messages received by type name.
     * @param sent      messages sent.
     * @param bytes     bytes received and sent.
     * @param busyNs    CPU demand: busy time (x the node thread's CPU share where measured).
     */
    public record Sample(int repeat, double cycles, Map<String, Long> inByType, double sent, double bytes,
        double busyNs)
    {
        double messages()
        {
            return sent + inByType.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The fitted demand.
     *
     * @param cycleNs     c: per duty cycle that moved messages.
     * @param sentNs      s: per message sent.
     * @param byteNs      b: per byte received or sent.
     * @param typeNs      a_t: per message received of each type the runs had (merged types share one figure).
     * @param typeSpreadNs per type, the standard deviation of a_t between repeats; NaN with one repeat.
     * @param merged      groups of types the runs could not separate (each group shares one a_t); empty if none.
     * @param rare        types seen too seldom to fit ({@link #RARE}): no a_t; empty if none.
     * @param rmsErrorPct root mean square of (fitted - measured) / measured over the samples, in percent.
     * @param maxErrorPct the largest |(fitted - measured) / measured|, in percent.
     * @param samples     how many samples it was fitted to.
     */
    public record Fit(double cycleNs, double sentNs, double byteNs, Map<String, Double> typeNs,
        Map<String, Double> typeSpreadNs, List<List<String>> merged, List<String> rare, double rmsErrorPct,
        double maxErrorPct, int samples)
    {
        /**
         * @return the service time of a message of {@code type} this role receives, as the simulator's CPU draws it:
         * c + a_t for one that starts a duty cycle, a_t for one that joins a busy CPU, b per byte, s and b for what
         * the node sends per message received; null for a type the fit has no figure for.
         */
        public ServiceTime serviceTime(final String type, final double cv)
        {
            final Double a = typeNs.get(type);
            return a == null ? null : new ServiceTime(cycleNs + a, cv, a, byteNs, sentNs, true);
        }

        public Map<String, Object> toJson()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("ns_per_cycle", Calibration.round(cycleNs));
            m.put("ns_per_message_sent", Calibration.round(sentNs));
            m.put("ns_per_byte", Math.round(byteNs * 1000) / 1000.0);
            final Map<String, Object> types = new LinkedHashMap<>();
            typeNs.forEach((type, ns) ->
            {
                final Map<String, Object> t = new LinkedHashMap<>();
                t.put("ns_per_message_in", Calibration.round(ns));
                final double spread = typeSpreadNs.getOrDefault(type, Double.NaN);
                t.put("spread_ns_between_repeats", Double.isNaN(spread) ? null : Calibration.round(spread));
                types.put(type, t);
            });
            m.put("types", types);
            final List<String> merged = new ArrayList<>();
            for (final List<String> group : this.merged)
            {
                merged.add(String.join(" + ", group));
            }
            m.put("merged", merged);
            if (!merged.isEmpty())
            {
                m.put("merged_note", "the runs' counts of these types follow one another (the protocol's " +
                    "arithmetic, whatever the read ratio): one cost is fitted for each group, not split between them");
            }
            m.put("rare", rare);
            if (!rare.isEmpty())
            {
                m.put("rare_note", "under " + Math.round(RARE * 100) + "% of the role's messages received in every " +
                    "run: not fitted (too few to tell from the noise); a prediction charges them the role's figure");
            }
            m.put("rms_error_pct", Calibration.round(rmsErrorPct));
            m.put("max_error_pct", Calibration.round(maxErrorPct));
            m.put("samples", samples);
            return m;
        }

        static Fit fromJson(final Map<?, ?> m)
        {
            final Map<String, Double> types = new LinkedHashMap<>();
            final Map<String, Double> spreads = new LinkedHashMap<>();
            ((Map<?, ?>)m.get("types")).forEach((k, v) ->
            {
                final Map<?, ?> t = (Map<?, ?>)v;
                types.put(String.valueOf(k), Calibration.num(t, "ns_per_message_in"));
                spreads.put(String.valueOf(k), t.get("spread_ns_between_repeats") instanceof Number n ?
                    n.doubleValue() : Double.NaN);
            });
            final List<List<String>> merged = new ArrayList<>();
            if (m.get("merged") instanceof List<?> groups)
            {
                for (final Object g : groups)
                {
                    merged.add(List.of(String.valueOf(g).split(" \\+ ")));
                }
            }
            final List<String> rare = new ArrayList<>();
            if (m.get("rare") instanceof List<?> names)
            {
                names.forEach(n -> rare.add(String.valueOf(n)));
            }
            return new Fit(Calibration.num(m, "ns_per_cycle"), Calibration.num(m, "ns_per_message_sent"),
                Calibration.num(m, "ns_per_byte"), types, spreads, merged, rare, Calibration.num(m, "rms_error_pct"),
                Calibration.num(m, "max_error_pct"), (int)Calibration.num(m, "samples"));
        }
    }

    private TypedDemandFit()
    {
    }

    /**
     * @return the fit, or null when no sample has busy time and messages.
     */
    public static Fit fit(final List<Sample> all)
    {
        final List<Sample> samples = all.stream().filter(s -> s.busyNs() > 0 && s.messages() > 0).toList();
        if (samples.isEmpty())
        {
            return null;
        }
        final TreeSet<String> seen = new TreeSet<>();
        final TreeSet<String> common = new TreeSet<>();
        for (final Sample s : samples)
        {
            final double in = s.inByType().values().stream().mapToLong(Long::longValue).sum();
            s.inByType().forEach((t, n) ->
            {
                if (n > 0)
                {
                    seen.add(t);
                }
                if (n >= RARE * in)
                {
                    common.add(t);
                }
            });
        }
        final List<String> rare = new ArrayList<>(seen);
        rare.removeAll(common);
        final List<List<String>> groups = groups(samples, new ArrayList<>(common));
        final double[] coef = solve(samples, groups);
        final Map<String, Double> typeNs = new TreeMap<>();
        for (int g = 0; g < groups.size(); g++)
        {
            for (final String t : groups.get(g))
            {
                typeNs.put(t, coef[3 + g]);
            }
        }
        final Map<String, Double> spread = spreadBetweenRepeats(samples, groups);
        double max = 0;
        double squares = 0;
        for (final Sample s : samples)
        {
            final double e = (predicted(s, groups, coef) - s.busyNs()) / s.busyNs();
            max = Math.max(max, Math.abs(e));
            squares += e * e;
        }
        final List<List<String>> merged = groups.stream().filter(g -> g.size() > 1).toList();
        return new Fit(coef[0], coef[1], coef[2], typeNs, spread, merged, rare,
            100 * Math.sqrt(squares / samples.size()), 100 * max, samples.size());
    }

    /**
     * Columns: cycles, then one per group of types (the sum of its types' counts), then sent and bytes last (where
     * the runs cannot tell a type's messages from the bytes or sends they bring, the type keeps the cost: the
     * per-type figure is what the fit is for); rows weighted by 1 / messages handled (the error per message).
     */
    private static double[][] design(final List<Sample> samples, final List<List<String>> groups)
    {
        final int k = groups.size();
        final double[][] a = new double[samples.size()][3 + k];
        for (int i = 0; i < samples.size(); i++)
        {
            final Sample s = samples.get(i);
            final double w = 1 / s.messages();
            a[i][0] = w * s.cycles();
            for (int g = 0; g < k; g++)
            {
                double n = 0;
                for (final String t : groups.get(g))
                {
                    n += s.inByType().getOrDefault(t, 0L);
                }
                a[i][1 + g] = w * n;
            }
            a[i][1 + k] = w * s.sent();
            a[i][2 + k] = w * s.bytes();
        }
        return a;
    }

    /**
     * @return the coefficients (cycle, sent, byte, then one per group), each >= 0.
     */
    static double[] solve(final List<Sample> samples, final List<List<String>> groups)
    {
        final double[][] a = design(samples, groups);
        final double[] b = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++)
        {
            b[i] = samples.get(i).busyNs() / samples.get(i).messages();
        }
        // Columns scaled to unit norm (bytes are hundreds of times the counts), solved, scaled back.
        final int n = a.length == 0 ? 0 : a[0].length;
        final double[] norm = new double[n];
        for (int j = 0; j < n; j++)
        {
            for (final double[] row : a)
            {
                norm[j] += row[j] * row[j];
            }
            norm[j] = Math.sqrt(norm[j]);
            for (final double[] row : a)
            {
                row[j] = norm[j] > 0 ? row[j] / norm[j] : 0;
            }
        }
        final double[] x = Nnls.solve(a, b);
        for (int j = 0; j < n; j++)
        {
            x[j] = norm[j] > 0 ? x[j] / norm[j] : 0;
        }
        final int k = groups.size();
        final double[] coef = new double[3 + k];
        coef[0] = x[0];
        coef[1] = x[1 + k];
        coef[2] = x[2 + k];
        System.arraycopy(x, 1, coef, 3, k);
        return coef;
    }

    /**
     * Merges types the samples cannot separate: in order of how many messages they count (the common types first),
     * a type whose column is within {@link #COLLINEAR} of the span of cycles and the groups kept so far
     * joins the kept group it is most alike (largest |cosine|), or, with none kept yet, the next one kept.
     */
    static List<List<String>> groups(final List<Sample> samples, final List<String> types)
    {
        final List<String> byCount = new ArrayList<>(types);
        byCount.sort((x, y) ->
        {
            final long nx = samples.stream().mapToLong(s -> s.inByType().getOrDefault(x, 0L)).sum();
            final long ny = samples.stream().mapToLong(s -> s.inByType().getOrDefault(y, 0L)).sum();
            return nx != ny ? Long.compare(ny, nx) : x.compareTo(y);
        });
        final List<double[]> basis = new ArrayList<>(); // orthonormal, of the columns kept
        final List<List<String>> groups = new ArrayList<>();
        final List<double[]> groupColumns = new ArrayList<>();
        final List<String> pending = new ArrayList<>();
        addToBasis(basis, column(design(samples, List.of()), 0));
        for (final String type : byCount)
        {
            final double[] col = column(design(samples, List.of(List.of(type))), 1);
            if (addToBasis(basis, col))
            {
                final List<String> group = new ArrayList<>(pending);
                group.add(type);
                pending.clear();
                groups.add(group);
                groupColumns.add(col);
                continue;
            }
            int best = -1;
            double bestCos = -1;
            for (int g = 0; g < groups.size(); g++)
            {
                final double c = Math.abs(cosine(col, groupColumns.get(g)));
                if (c > bestCos)
                {
                    bestCos = c;
                    best = g;
                }
            }
            if (best < 0)
            {
                pending.add(type);
            }
            else
            {
                groups.get(best).add(type);
            }
        }
        if (!pending.isEmpty())
        {
            // No type is independent of the cycles: one cost for all of them.
            if (groups.isEmpty())
            {
                groups.add(new ArrayList<>(pending));
            }
            else
            {
                groups.get(0).addAll(pending);
            }
        }
        for (final List<String> g : groups)
        {
            g.sort(null);
        }
        return groups;
    }

    /**
     * Gram-Schmidt step: adds the part of {@code col} outside the basis when it is more than {@link #COLLINEAR} of
     * its norm.
     *
     * @return whether it was added (the column is not a combination of the basis).
     */
    private static boolean addToBasis(final List<double[]> basis, final double[] col)
    {
        final double norm = norm(col);
        if (norm == 0)
        {
            return false;
        }
        final double[] r = col.clone();
        for (int pass = 0; pass < 2; pass++) // twice: classical Gram-Schmidt loses orthogonality once
        {
            for (final double[] q : basis)
            {
                double dot = 0;
                for (int i = 0; i < r.length; i++)
                {
                    dot += q[i] * r[i];
                }
                for (int i = 0; i < r.length; i++)
                {
                    r[i] -= dot * q[i];
                }
            }
        }
        final double rest = norm(r);
        if (rest <= COLLINEAR * norm)
        {
            return false;
        }
        for (int i = 0; i < r.length; i++)
        {
            r[i] /= rest;
        }
        basis.add(r);
        return true;
    }

    private static Map<String, Double> spreadBetweenRepeats(final List<Sample> samples,
        final List<List<String>> groups)
    {
        final TreeMap<Integer, List<Sample>> byRepeat = new TreeMap<>();
        samples.forEach(s -> byRepeat.computeIfAbsent(s.repeat(), k -> new ArrayList<>()).add(s));
        final Map<String, Double> spread = new TreeMap<>();
        final double[] sum = new double[groups.size()];
        final double[] squares = new double[groups.size()];
        for (final List<Sample> repeat : byRepeat.values())
        {
            final double[] x = solve(repeat, groups);
            for (int g = 0; g < groups.size(); g++)
            {
                sum[g] += x[3 + g];
                squares[g] += x[3 + g] * x[3 + g];
            }
        }
        final int n = byRepeat.size();
        for (int g = 0; g < groups.size(); g++)
        {
            final double mean = sum[g] / n;
            final double sd = n > 1 ? Math.sqrt(Math.max(0, (squares[g] - n * mean * mean) / (n - 1))) : Double.NaN;
            for (final String t : groups.get(g))
            {
                spread.put(t, sd);
            }
        }
        return spread;
    }

    private static double predicted(final Sample s, final List<List<String>> groups, final double[] coef)
    {
        double d = coef[0] * s.cycles() + coef[1] * s.sent() + coef[2] * s.bytes();
        for (int g = 0; g < groups.size(); g++)
        {
            for (final String t : groups.get(g))
            {
                d += coef[3 + g] * s.inByType().getOrDefault(t, 0L);
            }
        }
        return d;
    }

    private static double[] column(final double[][] a, final int j)
    {
        final double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++)
        {
            c[i] = a[i][j];
        }
        return c;
    }

    private static double norm(final double[] v)
    {
        double s = 0;
        for (final double x : v)
        {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double cosine(final double[] x, final double[] y)
    {
        double dot = 0;
        for (int i = 0; i < x.length; i++)
        {
            dot += x[i] * y[i];
        }
        final double n = norm(x) * norm(y);
        return n == 0 ? 0 : dot / n;
    }
}
