package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Lawson-Hanson non-negative least squares against problems whose answer is known.
 */
class NnlsTest
{
    @Test
    void recoversNonNegativeCoefficientsFromExactData()
    {
        final Random random = new Random(3);
        final double[] truth = {1.5, 0, 2.25, 0.125};
        final double[][] a = new double[12][4];
        final double[] b = new double[12];
        for (int i = 0; i < a.length; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                a[i][j] = random.nextDouble();
                b[i] += a[i][j] * truth[j];
            }
        }
        assertArrayEquals(truth, Nnls.solve(a, b), 1e-9);
    }

    @Test
    void aCoefficientThatWouldBeNegativeIsZeroAndTheOthersRefit()
    {
        // b = A (2, -1) fits exactly with a negative x2. With x >= 0: x2 = 0 and x1 = the mean of b, here 0.
        final double[][] a = {{1, 1}, {1, 2}, {1, 3}};
        final double[] b = {1, 0, -1};
        assertArrayEquals(new double[]{0, 0}, Nnls.solve(a, b), 1e-12);
        // b = A (4, -0.5): again x2 = 0, and x1 = the mean of b, 3.
        final double[] c = {3.5, 3, 2.5};
        assertArrayEquals(new double[]{3, 0}, Nnls.solve(a, c), 1e-12);
    }

    @Test
    void theIdentityClipsAtZero()
    {
        final double[][] a = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        assertArrayEquals(new double[]{2, 0, 0.5}, Nnls.solve(a, new double[]{2, -3, 0.5}), 1e-12);
    }

    @Test
    void aDuplicatedColumnDoesNotCycleAndStillFits()
    {
        final double[][] a = {{1, 1, 0}, {2, 2, 1}, {3, 3, 1}};
        final double[] b = {2, 5, 7};
        final double[] x = Nnls.solve(a, b);
        assertEquals(2, x[0] + x[1], 1e-9, "the two equal columns share the figure");
        assertEquals(1, x[2], 1e-9);
    }
}
