package lab.harness.predict;

/**
 * Non-negative least squares, min |A x - b| subject to x >= 0, by the Lawson-Hanson active-set algorithm (Lawson and
 * Hanson, "Solving Least Squares Problems", 1974, chapter 23): the variables held at zero are the active set; each
 * step frees the one whose gradient most wants to grow, solves the unconstrained problem on the free ones, and
 * steps back along the segment to the first one that would go negative. It ends with the exact constrained optimum
 * after finitely many steps.
 *
 * <p>Written here, not taken from a library: the build is offline, and of the libraries that have one (ojAlgo) none
 * is in the local Maven repository; commons-math3 has no NNLS. The problems are tiny (a few runs, a dozen unknowns),
 * so the unconstrained solves are plain Householder QR. Deterministic: same input, same answer.
 */
public final class Nnls
{
    private Nnls()
    {
    }

    /**
     * @param a rows x columns, not changed.
     * @param b rows.
     * @return x >= 0 minimizing |A x - b|; for columns the rows cannot tell apart the solution is one of several
     * with the same residual (merge such columns before, see {@link TypedDemandFit}).
     */
    public static double[] solve(final double[][] a, final double[] b)
    {
        final int m = a.length;
        final int n = m == 0 ? 0 : a[0].length;
        final double[] x = new double[n];
        if (n == 0)
        {
            return x;
        }
        final boolean[] free = new boolean[n];
        // A column freed and at once dropped again (it depends on the free ones: its solve gives it nothing) is not
        // freed again, or the algorithm would cycle on it.
        final boolean[] dependent = new boolean[n];
        double maxAbs = 0;
        for (final double[] row : a)
        {
            for (final double v : row)
            {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        final double tol = 10 * Math.ulp(1.0) * maxAbs * Math.max(m, n);
        final double[] w = new double[n];
        for (int iteration = 0; iteration < 3 * n + 10; iteration++)
        {
            gradient(a, b, x, w);
            int t = -1;
            for (int j = 0; j < n; j++)
            {
                if (!free[j] && !dependent[j] && w[j] > tol && (t < 0 || w[j] > w[t]))
                {
                    t = j;
                }
            }
            if (t < 0)
            {
                break;
            }
            free[t] = true;
            while (true)
            {
                final double[] s = leastSquares(a, b, free);
                boolean positive = true;
                for (int j = 0; j < n; j++)
                {
                    positive &= !free[j] || s[j] > 0;
                }
                if (positive)
                {
                    System.arraycopy(s, 0, x, 0, n);
                    break;
                }
                double alpha = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++)
                {
                    if (free[j] && s[j] <= 0)
                    {
                        alpha = Math.min(alpha, x[j] - s[j] > 0 ? x[j] / (x[j] - s[j]) : 0);
                    }
                }
                boolean anyFree = false;
                for (int j = 0; j < n; j++)
                {
                    x[j] += alpha * (s[j] - x[j]);
                    if (free[j] && x[j] <= tol)
                    {
                        free[j] = false;
                        x[j] = 0;
                    }
                    anyFree |= free[j];
                }
                if (!anyFree)
                {
                    break;
                }
            }
            dependent[t] = !free[t];
        }
        return x;
    }

    /** w = A^T (b - A x). */
    private static void gradient(final double[][] a, final double[] b, final double[] x, final double[] w)
    {
        java.util.Arrays.fill(w, 0);
        for (int i = 0; i < a.length; i++)
        {
            double r = b[i];
            for (int j = 0; j < x.length; j++)
            {
                r -= a[i][j] * x[j];
            }
            for (int j = 0; j < x.length; j++)
            {
                w[j] += a[i][j] * r;
            }
        }
    }

    /**
     * @return the least-squares solution over the free columns (0 for the others), by Householder QR; a column
     * that is (numerically) a combination of the ones before it gets 0.
     */
    static double[] leastSquares(final double[][] a, final double[] b, final boolean[] free)
    {
        final int m = a.length;
        final int n = free.length;
        int k = 0;
        final int[] cols = new int[n];
        for (int j = 0; j < n; j++)
        {
            if (free[j])
            {
                cols[k++] = j;
            }
        }
        final double[][] r = new double[m][k];
        final double[] y = b.clone();
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < k; c++)
            {
                r[i][c] = a[i][cols[c]];
            }
        }
        final double[] diag = new double[k];
        double scale = 0;
        for (int c = 0; c < k && c < m; c++)
        {
            double norm = 0;
            for (int i = c; i < m; i++)
            {
                norm += r[i][c] * r[i][c];
            }
            norm = Math.sqrt(norm);
            scale = Math.max(scale, norm);
            if (norm == 0)
            {
                diag[c] = 0;
                continue;
            }
            final double alpha = r[c][c] > 0 ? -norm : norm;
            final double[] v = new double[m];
            v[c] = r[c][c] - alpha;
            for (int i = c + 1; i < m; i++)
            {
                v[i] = r[i][c];
            }
            double vv = 0;
            for (int i = c; i < m; i++)
            {
                vv += v[i] * v[i];
            }
            if (vv == 0)
            {
                diag[c] = r[c][c];
                continue;
            }
            for (int cc = c; cc < k; cc++)
            {
                double dot = 0;
                for (int i = c; i < m; i++)
                {
                    dot += v[i] * r[i][cc];
                }
                final double f = 2 * dot / vv;
                for (int i = c; i < m; i++)
                {
                    r[i][cc] -= f * v[i];
                }
            }
            double dot = 0;
            for (int i = c; i < m; i++)
            {
                dot += v[i] * y[i];
            }
            final double f = 2 * dot / vv;
            for (int i = c; i < m; i++)
            {
                y[i] -= f * v[i];
            }
            diag[c] = r[c][c];
        }
        final double[] z = new double[k];
        for (int c = Math.min(k, m) - 1; c >= 0; c--)
        {
            if (Math.abs(diag[c]) <= 1e-12 * scale)
            {
                z[c] = 0; // dependent on the columns before it: no information of its own
                continue;
            }
            double sum = y[c];
            for (int cc = c + 1; cc < k; cc++)
            {
                sum -= r[c][cc] * z[cc];
            }
            z[c] = sum / r[c][c];
        }
        final double[] s = new double[n];
        for (int c = 0; c < k; c++)
        {
            s[cols[c]] = z[c];
        }
        return s;
    }
}
