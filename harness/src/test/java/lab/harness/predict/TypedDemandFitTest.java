package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The per-type demand fit recovers the costs that made synthetic runs, and merges types the runs cannot separate.
 */
class TypedDemandFitTest
{
    private static final double CYCLE = 900;
    private static final double SENT = 150;
    private static final double BYTE = 0.4;
    private static final double REQUEST = 300;
    private static final double RESPONSE = 700;

    /**
     * A leader-like role: per operation one client request in; per write two append responses in; sends one append
     * per follower per burst and one answer per operation. Loads change the cycles per message, read ratios the mix.
     */
    private static List<TypedDemandFit.Sample> leaderRuns(final int repeats, final double noise)
    {
        final List<TypedDemandFit.Sample> samples = new ArrayList<>();
        final java.util.Random random = new java.util.Random(5);
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            for (final double reads : new double[]{0, 0.5, 0.95})
            {
                for (final int batch : new int[]{1, 4, 16})
                {
                    final long ops = 10_000;
                    final long writes = Math.round(ops * (1 - reads));
                    final long requests = ops;
                    final long responses = 2 * writes / batch + (batch == 1 ? 0 : writes / 7);
                    final double sent = ops + 2.0 * writes / batch;
                    final double cycles = (requests + responses) / (double)batch;
                    // An append carries the burst's entries: bytes are not a fixed size per message type.
                    final double bytes = 64 * requests + 40 * responses + 50 * ops +
                        2.0 * writes / batch * (60 + 70 * batch);
                    final double busy = CYCLE * cycles + REQUEST * requests + RESPONSE * responses + SENT * sent +
                        BYTE * bytes;
                    samples.add(new TypedDemandFit.Sample(repeat, cycles, Map.of("client.ClientRequest", requests,
                        "raft.AppendResponse", responses), sent, bytes, busy * (1 + noise * random.nextGaussian())));
                }
            }
        }
        return samples;
    }

    @Test
    void recoversTheCostsThatMadeTheRuns()
    {
        final TypedDemandFit.Fit fit = TypedDemandFit.fit(leaderRuns(2, 0));
        assertEquals(CYCLE, fit.cycleNs(), 1e-6 * CYCLE);
        assertEquals(SENT, fit.sentNs(), 1e-6 * CYCLE);
        assertEquals(BYTE, fit.byteNs(), 1e-6);
        assertEquals(REQUEST, fit.typeNs().get("client.ClientRequest"), 1e-6 * CYCLE);
        assertEquals(RESPONSE, fit.typeNs().get("raft.AppendResponse"), 1e-6 * CYCLE);
        assertTrue(fit.merged().isEmpty(), fit.merged().toString());
        assertTrue(fit.rmsErrorPct() < 1e-6, String.valueOf(fit.rmsErrorPct()));
        assertEquals(0, fit.typeSpreadNs().get("raft.AppendResponse"), 1e-6, "two exact repeats agree");
        assertEquals(18, fit.samples());
    }

    @Test
    void noisyRunsGiveASpreadBetweenRepeats()
    {
        final TypedDemandFit.Fit fit = TypedDemandFit.fit(leaderRuns(3, 0.02));
        // 2% noise on five unknowns moves the figures a lot: the spread between repeats says by how much.
        final double spread = fit.typeSpreadNs().get("client.ClientRequest");
        assertTrue(spread > 0, fit.toString());
        assertEquals(REQUEST, fit.typeNs().get("client.ClientRequest"), 3 * spread, fit.toString());
        assertEquals(RESPONSE, fit.typeNs().get("raft.AppendResponse"),
            3 * fit.typeSpreadNs().get("raft.AppendResponse"), fit.toString());
        final TypedDemandFit.Fit one = TypedDemandFit.fit(leaderRuns(1, 0));
        assertTrue(Double.isNaN(one.typeSpreadNs().get("client.ClientRequest")), "one repeat: no spread");
    }

    @Test
    void typesWhoseCountsFollowOneAnotherAreMergedAndSaidSo()
    {
        // A chain middle node: one Ack in per Forward in, whatever the read ratio.
        final List<TypedDemandFit.Sample> samples = new ArrayList<>();
        for (final double reads : new double[]{0, 0.5, 0.95})
        {
            for (final int batch : new int[]{1, 8})
            {
                final long writes = Math.round(10_000 * (1 - reads));
                final double cycles = 2.0 * writes / batch;
                final double busy = CYCLE * cycles + 500 * writes + 200 * writes + SENT * 2 * writes;
                samples.add(new TypedDemandFit.Sample(0, cycles, Map.of("chain.Forward", writes, "chain.Ack",
                    writes), 2 * writes, 0, busy));
            }
        }
        final TypedDemandFit.Fit fit = TypedDemandFit.fit(samples);
        assertEquals(List.of(List.of("chain.Ack", "chain.Forward")), fit.merged());
        assertEquals(fit.typeNs().get("chain.Ack"), fit.typeNs().get("chain.Forward"));
        // One cost per message of the group: the fit's demand still matches every run.
        assertTrue(fit.rmsErrorPct() < 1e-6, fit.toString());
        final Map<String, Object> json = fit.toJson();
        assertEquals(List.of("chain.Ack + chain.Forward"), json.get("merged"));
        assertTrue(String.valueOf(json.get("merged_note")).contains("one cost"), json.toString());
    }

    @Test
    void aTypeTooRareToFitIsListedAndGetsNoFigure()
    {
        final List<TypedDemandFit.Sample> samples = new ArrayList<>();
        for (final TypedDemandFit.Sample s : leaderRuns(1, 0))
        {
            final Map<String, Long> in = new java.util.TreeMap<>(s.inByType());
            in.put("raft.RequestVote", 3L); // a few per run among thousands: 1 ms each would be 0.03% of the time
            samples.add(new TypedDemandFit.Sample(s.repeat(), s.cycles(), in, s.sent(), s.bytes(),
                s.busyNs() + 3 * 1_000_000));
        }
        final TypedDemandFit.Fit fit = TypedDemandFit.fit(samples);
        assertEquals(List.of("raft.RequestVote"), fit.rare());
        assertNull(fit.serviceTime("raft.RequestVote", 0), "no figure: the role's figure is charged instead");
        assertTrue(fit.serviceTime("raft.AppendResponse", 0) != null);
    }

    @Test
    void jsonRoundTripKeepsEveryFigure()
    {
        final TypedDemandFit.Fit fit = TypedDemandFit.fit(leaderRuns(2, 0.01));
        final TypedDemandFit.Fit back = TypedDemandFit.Fit.fromJson(fit.toJson());
        assertEquals(fit.toJson(), back.toJson());
        assertNull(TypedDemandFit.fit(List.of()));
    }
}
