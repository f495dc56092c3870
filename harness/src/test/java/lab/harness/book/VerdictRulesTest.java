package lab.harness.book;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each experiment's verdict rule, on figures made for the purpose: every rule can say each of its verdicts, so
 * none is a check that cannot fail.
 */
class VerdictRulesTest
{
    @Test
    void hopsHoldWhenCountsMatchAndTheChainFallsBehindWithN()
    {
        final Map<String, Double> p50 = Map.of("chain@3", 2000.0, "primary-backup@3", 2000.0,
            "chain@5", 3000.0, "primary-backup@5", 2000.0, "chain@7", 4000.0, "primary-backup@7", 2010.0);
        assertEquals(Verdict.HOLDS, HopsExperiment.verdict(List.of(), p50, new int[] {3, 5, 7}).verdict());
    }

    @Test
    void hopsDoNotHoldOnAMismatchedCount()
    {
        final Finding f = HopsExperiment.verdict(List.of("chain N=5: writes 5.00 (theory 6)"),
            Map.of(), new int[] {3, 5});
        assertEquals(Verdict.DOES_NOT_HOLD, f.verdict());
        assertTrue(f.why().contains("chain N=5"), f.why());
    }

    @Test
    void hopsDoNotHoldWhenTheChainIsNotSlowerAtTheLargestN()
    {
        final Map<String, Double> p50 = Map.of("chain@3", 2000.0, "primary-backup@3", 2000.0,
            "chain@5", 1900.0, "primary-backup@5", 2000.0);
        assertEquals(Verdict.DOES_NOT_HOLD, HopsExperiment.verdict(List.of(), p50, new int[] {3, 5}).verdict());
    }

    @Test
    void hopTolerance()
    {
        assertTrue(HopsExperiment.matches(4.05, 4));
        assertTrue(!HopsExperiment.matches(4.5, 4));
    }

    private static List<LoadExperiment.Balance> balances(final String pbBusiest, final double craq)
    {
        return List.of(new LoadExperiment.Balance("primary-backup@3", pbBusiest, 2.5),
            new LoadExperiment.Balance("chain@3", "tail", 2.2), new LoadExperiment.Balance("craq@3", "middle", craq),
            new LoadExperiment.Balance("raft lease@3", "leader", 2.7),
            new LoadExperiment.Balance("dynamo@3", "replica", 1.0));
    }

    @Test
    void loadRule()
    {
        assertEquals(Verdict.HOLDS, LoadExperiment.verdict(balances("primary", 1.1), new int[] {3}).verdict());
        final Finding backup = LoadExperiment.verdict(balances("backup", 1.1), new int[] {3});
        assertEquals(Verdict.DOES_NOT_HOLD, backup.verdict());
        assertTrue(backup.why().contains("not the primary"), backup.why());
        assertEquals(Verdict.DOES_NOT_HOLD, LoadExperiment.verdict(balances("primary", 2.3), new int[] {3}).verdict());
    }

    private static QuorumOverlapExperiment.Point point(final int r, final int w, final String repair, final long stale)
    {
        return new QuorumOverlapExperiment.Point(r, w, repair, 10_000, stale);
    }

    @Test
    void quorumOverlapRule()
    {
        final List<QuorumOverlapExperiment.Point> holds = List.of(point(2, 2, "off", 0), point(2, 1, "off", 40),
            point(1, 1, "off", 90), point(2, 1, "async", 10), point(2, 1, "sync", 0));
        assertEquals(Verdict.HOLDS, QuorumOverlapExperiment.verdict(holds).verdict());
        final List<QuorumOverlapExperiment.Point> strongStale = List.of(point(2, 2, "off", 1), point(2, 1, "off", 40),
            point(2, 1, "async", 10));
        assertEquals(Verdict.DOES_NOT_HOLD, QuorumOverlapExperiment.verdict(strongStale).verdict());
        final List<QuorumOverlapExperiment.Point> noneStale = List.of(point(2, 2, "off", 0), point(2, 1, "off", 0),
            point(2, 1, "async", 0));
        assertEquals(Verdict.UNDECIDED, QuorumOverlapExperiment.verdict(noneStale).verdict());
        final List<QuorumOverlapExperiment.Point> repairWithinNoise = List.of(point(2, 2, "off", 0),
            point(2, 1, "off", 32), point(2, 1, "async", 29));
        final Finding noise = QuorumOverlapExperiment.verdict(repairWithinNoise);
        assertEquals(Verdict.UNDECIDED, noise.verdict(), noise.why());
        assertTrue(noise.why().contains("within the noise"), noise.why());
        final List<QuorumOverlapExperiment.Point> repairWorse = List.of(point(2, 2, "off", 0),
            point(2, 1, "off", 10), point(2, 1, "async", 40));
        assertEquals(Verdict.DOES_NOT_HOLD, QuorumOverlapExperiment.verdict(repairWorse).verdict());
    }

    @Test
    void readRepairReductionIsATwoProportionTest()
    {
        // 40 against 10 stale in 10,000 reads each: z = 0.003 / sqrt(0.0025 x 0.9975 x 2e-4) = 4.25.
        assertEquals(4.25, QuorumOverlapExperiment.reductionZ(point(2, 1, "off", 40), point(2, 1, "async", 10)), 0.01);
        assertTrue(Double.isNaN(QuorumOverlapExperiment.reductionZ(point(2, 1, "off", 0), point(2, 1, "async", 0))));
    }

    @Test
    void raftBatchingRule()
    {
        final int[] batches = {1, 64};
        assertEquals(Verdict.HOLDS, RaftBatchingExperiment.verdict(batches,
            List.of(new double[] {1, 4.2}, new double[] {64, 2.2}),
            List.of(new double[] {1, 100_000}, new double[] {64, 300_000})).verdict());
        assertEquals(Verdict.DOES_NOT_HOLD, RaftBatchingExperiment.verdict(batches,
            List.of(new double[] {1, 4.2}, new double[] {64, 3.9}),
            List.of(new double[] {1, 100_000}, new double[] {64, 300_000})).verdict());
        assertEquals(Verdict.DOES_NOT_HOLD, RaftBatchingExperiment.verdict(batches,
            List.of(new double[] {1, 4.2}, new double[] {64, 2.2}),
            List.of(new double[] {1, 100_000}, new double[] {64, 90_000})).verdict());
    }

    @Test
    void linearizabilityRule()
    {
        assertEquals(Verdict.HOLDS, LinearizabilityExperiment.verdict(0, 7, 10).verdict());
        assertEquals(Verdict.DOES_NOT_HOLD, LinearizabilityExperiment.verdict(1, 7, 10).verdict());
        assertEquals(Verdict.UNDECIDED, LinearizabilityExperiment.verdict(0, 0, 10).verdict());
    }

    @Test
    void craqScalingIsUndecidedWithoutACorePerNodeAndSaysItIsAPrediction()
    {
        final List<double[]> craq = List.of(new double[] {3, 1e6}, new double[] {5, 1.5e6}, new double[] {7, 2e6});
        final List<double[]> tail = List.of(new double[] {3, 5e5}, new double[] {5, 5e5}, new double[] {7, 5e5});
        final Finding f = CraqScalingExperiment.verdict(false, craq, tail, List.of(), 2);
        assertEquals(Verdict.UNDECIDED, f.verdict());
        assertTrue(f.why().contains("PREDICTED"), f.why());
        assertEquals(Verdict.HOLDS, CraqScalingExperiment.verdict(true, craq, tail,
            List.of(new double[] {3, 1e6}, new double[] {7, 1.8e6}), 16).verdict());
        assertEquals(Verdict.DOES_NOT_HOLD, CraqScalingExperiment.verdict(true, craq, tail,
            List.of(new double[] {3, 1e6}, new double[] {7, 1.05e6}), 16).verdict());
    }

    @Test
    void backupReadsRule()
    {
        final List<BackupReadsExperiment.Point> staleAtBackup = List.of(
            new BackupReadsExperiment.Point("primary", "ipc", 1000, 0),
            new BackupReadsExperiment.Point("backup", "ipc", 1000, 3));
        assertEquals(Verdict.HOLDS, BackupReadsExperiment.verdict(staleAtBackup, Map.of()).verdict());
        final List<BackupReadsExperiment.Point> clean = List.of(
            new BackupReadsExperiment.Point("primary", "ipc", 1000, 0),
            new BackupReadsExperiment.Point("backup", "ipc", 1000, 0));
        assertEquals(Verdict.HOLDS, BackupReadsExperiment.verdict(clean, Map.of("backup", 2)).verdict());
        assertEquals(Verdict.UNDECIDED, BackupReadsExperiment.verdict(clean, Map.of("backup", 0)).verdict());
        assertEquals(Verdict.DOES_NOT_HOLD,
            BackupReadsExperiment.verdict(clean, Map.of("primary", 1, "backup", 3)).verdict());
    }

    @Test
    void failoverRule()
    {
        final long[] timeouts = {150, 600};
        assertEquals(Verdict.HOLDS, FailoverExperiment.verdict(List.of(new FailoverExperiment.Point("raft", 150, 390),
            new FailoverExperiment.Point("raft", 600, 1100)), timeouts).verdict());
        final Finding tooFast = FailoverExperiment.verdict(List.of(new FailoverExperiment.Point("raft", 150, 90),
            new FailoverExperiment.Point("raft", 600, 1100)), timeouts);
        assertEquals(Verdict.DOES_NOT_HOLD, tooFast.verdict());
        assertTrue(tooFast.why().contains("under its 150 ms timeout"), tooFast.why());
        assertEquals(Verdict.DOES_NOT_HOLD, FailoverExperiment.verdict(List.of(
            new FailoverExperiment.Point("pb", 150, 700), new FailoverExperiment.Point("pb", 600, 650)), timeouts)
            .verdict());
    }

    private static SlowReplicaExperiment.Point slow(final String label, final int n, final boolean all,
        final double before, final double during)
    {
        return new SlowReplicaExperiment.Point(label, n, "slow", all, before, during, "node 1: follower");
    }

    private static List<SlowReplicaExperiment.Point> slowPoints(final double raft5, final double raft3,
        final double chain5)
    {
        return List.of(slow("chain", 3, true, 30, 1000), slow("chain", 5, true, 30, chain5),
            slow("primary-backup", 5, true, 30, 900), slow("raft lease", 3, false, 80, raft3),
            slow("raft lease", 5, false, 80, raft5), slow("abd", 5, false, 40, 45));
    }

    @Test
    void slowReplicaRule()
    {
        final Finding holds = SlowReplicaExperiment.verdict(slowPoints(100, 100, 2000));
        assertEquals(Verdict.HOLDS, holds.verdict(), holds.why());
        // Raft at N = 3 is shown, not judged: a stalled Raft at N = 3 is a finding beside a verdict that holds
        final Finding raft3 = SlowReplicaExperiment.verdict(slowPoints(100, 80_000, 2000));
        assertEquals(Verdict.HOLDS, raft3.verdict(), raft3.why());
        assertTrue(raft3.why().contains("Outside the rule, Raft at N = 3: raft lease N=3 slow 1000.0x"), raft3.why());
        final Finding raft5 = SlowReplicaExperiment.verdict(slowPoints(800, 100, 2000));
        assertEquals(Verdict.DOES_NOT_HOLD, raft5.verdict());
        assertTrue(raft5.why().contains("raft lease N=5 slow 10.0x: a majority protocol slowed down"), raft5.why());
        final Finding chain = SlowReplicaExperiment.verdict(slowPoints(100, 100, 60));
        assertEquals(Verdict.DOES_NOT_HOLD, chain.verdict());
        assertTrue(chain.why().contains("chain N=5 slow 2.0x: did not stall"), chain.why());
        // no write completed during the fault: an infinite ratio is a stall
        assertEquals(Verdict.HOLDS, SlowReplicaExperiment.verdict(slowPoints(100, 100,
            Double.POSITIVE_INFINITY)).verdict());
        assertEquals(Verdict.UNDECIDED, SlowReplicaExperiment.verdict(List.of(slow("raft lease", 3, false, 80, 90)))
            .verdict());
        // no write before the fault: nothing to compare with
        final Finding unmeasured = SlowReplicaExperiment.verdict(List.of(slow("chain", 3, true, Double.NaN, 900),
            slow("abd", 3, false, 40, 45)));
        assertEquals(Verdict.UNDECIDED, unmeasured.verdict(), unmeasured.why());
        assertTrue(unmeasured.why().contains("no write completed before the fault"), unmeasured.why());
    }

    private static lab.harness.cluster.FaultPhase phase(final double from, final double to, final double measured)
    {
        return new lab.harness.cluster.FaultPhase("slow:middle=1ms@2s", "during", from, to, measured, 500, 1000,
            30, 90, 120, 200, 0, 0, 0, 0, 0, null, 3);
    }

    @Test
    void aStarvedRunDoesNotMeasureItsPhases()
    {
        assertTrue(SlowReplicaExperiment.covered(phase(2, 4, 2.0)));
        assertTrue(SlowReplicaExperiment.covered(phase(2, 4, 1.2)));
        assertFalse(SlowReplicaExperiment.covered(phase(1, 2, 0.0)), "no interval in the phase");
        assertFalse(SlowReplicaExperiment.covered(phase(2, 4, 3.3)), "intervals stretched by a starved runner");
    }

    private static List<DetectorsExperiment.Point> detectors(final double phiFalseAt8)
    {
        return List.of(new DetectorsExperiment.Point("timeout", "30ms", 28, 150),
            new DetectorsExperiment.Point("timeout", "250ms", 248, 0),
            new DetectorsExperiment.Point("phi", "4", 26, 184), new DetectorsExperiment.Point("phi", "8", 34,
                phiFalseAt8), new DetectorsExperiment.Point("phi", "16", 43, 110));
    }

    @Test
    void detectorsRule()
    {
        assertEquals(Verdict.HOLDS, DetectorsExperiment.verdict(detectors(121)).verdict());
        final Finding wrong = DetectorsExperiment.verdict(detectors(200));
        assertEquals(Verdict.DOES_NOT_HOLD, wrong.verdict());
        assertTrue(wrong.why().contains("phi 8 suspected more than 4"), wrong.why());
        final Finding slower = DetectorsExperiment.verdict(List.of(new DetectorsExperiment.Point("timeout", "30ms", 28,
            150), new DetectorsExperiment.Point("timeout", "50ms", 20, 100)));
        assertEquals(Verdict.DOES_NOT_HOLD, slower.verdict());
        assertTrue(slower.why().contains("detected sooner"), slower.why());
        // a sweep whose false suspicions never move shows no trade-off
        final Finding flat = DetectorsExperiment.verdict(List.of(new DetectorsExperiment.Point("swim", "200ms", 230, 0),
            new DetectorsExperiment.Point("swim", "500ms", 533, 0)));
        assertEquals(Verdict.UNDECIDED, flat.verdict());
        assertTrue(flat.why().contains("swim"), flat.why());
    }

    private static HedgingExperiment.Point hedge(final String store, final String policy, final double msgs,
        final double p99)
    {
        return new HedgingExperiment.Point(store, policy, true, msgs, p99);
    }

    @Test
    void hedgingRule()
    {
        // the lab's own shape: ABD's ask-all is the best tail at the most messages; CRAQ's hedges cut its tail
        final List<HedgingExperiment.Point> measured = List.of(hedge("abd", "off", 12.0, 235),
            hedge("abd", "hedge p50", 10.06, 2234), hedge("abd", "hedge 300us", 11.35, 616),
            hedge("craq", "off", 4.74, 2118), hedge("craq", "hedge p50", 4.88, 319),
            hedge("craq", "hedge 300us", 4.90, 507),
            new HedgingExperiment.Point("craq", "off", false, 4.08, 119));
        assertEquals(Verdict.HOLDS, HedgingExperiment.verdict(measured).verdict());
        final Finding free = HedgingExperiment.verdict(List.of(hedge("craq", "off", 4.9, 2118),
            hedge("craq", "hedge 300us", 4.1, 500)));
        assertEquals(Verdict.DOES_NOT_HOLD, free.verdict());
        assertTrue(free.why().contains("craq's best tail came with fewer messages"), free.why());
        // messages within 2% are the same load
        assertEquals(Verdict.HOLDS, HedgingExperiment.verdict(List.of(hedge("craq", "off", 4.90, 2118),
            hedge("craq", "hedge 300us", 4.85, 500))).verdict());
        final Finding noTail = HedgingExperiment.verdict(List.of(hedge("abd", "off", 12, 235),
            hedge("abd", "hedge 300us", 10, 300)));
        assertEquals(Verdict.UNDECIDED, noTail.verdict());
        assertEquals(Verdict.UNDECIDED, HedgingExperiment.verdict(List.of(new HedgingExperiment.Point("abd", "off",
            false, 12, 230))).verdict());
    }

    @Test
    void spreadIsTheMedianAndRange()
    {
        final Spread s = Spread.of(3, 1, 2);
        assertEquals(2, s.median());
        assertEquals("2 (1-3)", s.format("%.0f"));
        assertEquals("5", Spread.of(5).format("%.0f"));
        assertEquals(2.5, Spread.of(1, 2, 3, 4).median());
    }
}
