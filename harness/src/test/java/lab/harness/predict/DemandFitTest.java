package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The load-dependent demand fit on synthetic runs with known costs: it finds them, says how well it fits, never
 * returns a negative cost, and predicts a load it was not fitted to.
 */
class DemandFitTest
{
    private static final double C = 1_500; // ns per duty cycle
    private static final double A = 400;   // ns per message
    private static final double B = 2.5;   // ns per byte

    /**
     * A Raft-follower-like node over {@code ops} operations, one append per cycle carrying {@code batch} entries of
     * {@code entryBytes} and one acknowledgement back: the bigger the batch, the fewer cycles and messages per op.
     */
    private static DemandFit.Sample follower(final long ops, final int batch, final double noise)
    {
        final double appends = (double)ops / batch;
        final double cycles = appends;
        final double messages = 2 * appends;
        final double bytes = appends * (60 + 90.0 * batch) + appends * 40;
        return new DemandFit.Sample(cycles, messages, bytes, (C * cycles + A * messages + B * bytes) * (1 + noise));
    }

    @Test
    void findsKnownCostsExactly()
    {
        final List<DemandFit.Sample> samples = new ArrayList<>();
        for (final int batch : new int[]{1, 4, 16})
        {
            samples.add(follower(100_000, batch, 0));
        }
        // Cycles and messages move together in these runs (2 messages per cycle): give one run a second message
        // per cycle more, as a node that answers more than one peer does, so that the three terms are separable.
        samples.add(new DemandFit.Sample(1_000, 3_000, 150_000, C * 1_000 + A * 3_000 + B * 150_000));
        final DemandFit.Fit fit = DemandFit.fit(samples);
        assertEquals(C, fit.cycleNs(), C * 1e-6);
        assertEquals(A, fit.messageNs(), A * 1e-6);
        assertEquals(B, fit.byteNs(), B * 1e-6);
        assertEquals(0, fit.rmsErrorPct(), 1e-6);
        assertEquals(0, fit.maxErrorPct(), 1e-6);
        assertEquals(4, fit.samples());
    }

    @Test
    void termsTheRunsCannotSeparateAreLeftOutAndTheDemandStillHolds()
    {
        // Two messages per cycle in every run: c and 2a are one cost to these runs.
        final List<DemandFit.Sample> samples = new ArrayList<>();
        for (final int batch : new int[]{1, 2, 8, 32})
        {
            samples.add(follower(50_000, batch, 0));
        }
        final DemandFit.Fit fit = DemandFit.fit(samples);
        assertTrue(fit.cycleNs() == 0 || fit.messageNs() == 0, "one of the two collinear terms is left out: " + fit);
        assertEquals(0, fit.rmsErrorPct(), 1e-6, fit.toString());
        final DemandFit.Sample unseen = follower(50_000, 12, 0);
        assertEquals(unseen.busyNs(), fit.demandNs(unseen.cycles(), unseen.messages(), unseen.bytes()),
            unseen.busyNs() * 1e-9);
    }

    @Test
    void noisyRunsGiveTheCostsWithinTheNoiseAndTheFitErrorSaysHowMuch()
    {
        final Random random = new Random(42);
        final List<DemandFit.Sample> samples = new ArrayList<>();
        for (int repeat = 0; repeat < 5; repeat++)
        {
            for (final int batch : new int[]{1, 4, 16})
            {
                samples.add(follower(100_000, batch, 0.03 * (2 * random.nextDouble() - 1)));
            }
        }
        final DemandFit.Fit fit = DemandFit.fit(samples);
        // c and a are one cost to these runs (2 messages per cycle): check their sum per cycle and b.
        assertEquals(C + 2 * A, fit.cycleNs() + 2 * fit.messageNs(), (C + 2 * A) * 0.05, fit.toString());
        assertEquals(B, fit.byteNs(), B * 0.05, fit.toString());
        assertTrue(fit.rmsErrorPct() > 0.3 && fit.rmsErrorPct() < 3, "rms within the +-3% noise: " + fit);
        assertTrue(fit.maxErrorPct() <= 3.5, fit.toString());
        // A load between the fitted ones: within the noise.
        final DemandFit.Sample unseen = follower(100_000, 8, 0);
        assertEquals(unseen.busyNs(), fit.demandNs(unseen.cycles(), unseen.messages(), unseen.bytes()),
            unseen.busyNs() * 0.03);
    }

    @Test
    void aCostThatFallsWithSizeIsNotGivenANegativeCoefficient()
    {
        // Per message 2,000 ns at 50 bytes, 1,000 ns at 500 bytes: a negative cost per byte fits exactly, and is
        // not allowed; the best non-negative fit is kept and its error reported.
        final List<DemandFit.Sample> samples = List.of(
            new DemandFit.Sample(1_000, 1_000, 50_000, 2_000_000),
            new DemandFit.Sample(1_000, 1_000, 500_000, 1_000_000));
        final DemandFit.Fit fit = DemandFit.fit(samples);
        assertTrue(fit.cycleNs() >= 0 && fit.messageNs() >= 0 && fit.byteNs() >= 0, fit.toString());
        assertTrue(fit.rmsErrorPct() > 10, "the misfit shows: " + fit);
    }

    @Test
    void theSameSamplesGiveTheSameFit()
    {
        final Random random = new Random(7);
        final List<DemandFit.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 9; i++)
        {
            samples.add(follower(10_000 + i, 1 + i % 3 * 5, 0.1 * random.nextDouble()));
        }
        assertEquals(DemandFit.fit(samples), DemandFit.fit(new ArrayList<>(samples)));
    }

    @Test
    void nothingMeasuredIsNoFit()
    {
        assertNull(DemandFit.fit(List.of()));
        assertNull(DemandFit.fit(List.of(new DemandFit.Sample(10, 10, 100, 0))));
    }

    @Test
    void theServiceTimeChargesACycleOnlyToAMessageThatStartsOne()
    {
        final DemandFit.Fit fit = new DemandFit.Fit(C, A, B, 0, 0, 3);
        final ServiceTime s = fit.serviceTime(0);
        final Random random = new Random(1);
        // A 100-byte message; the node sends 0.5 messages of 40 bytes per message it receives.
        assertEquals(Math.round(C + A + B * (100 + 20) + A * 0.5), s.sampleNs(random, false, 100, 0.5, 20));
        assertEquals(Math.round(A + B * (100 + 20) + A * 0.5), s.sampleNs(random, true, 100, 0.5, 20));
    }
}
