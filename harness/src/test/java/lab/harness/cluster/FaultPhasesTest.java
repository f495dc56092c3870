package lab.harness.cluster;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The timeline's intervals added up per fault phase: each interval goes to the phase its middle lies in, the
 * percentiles are those of the phase's own histogram, stale reads and write gaps are counted inside it.
 */
class FaultPhasesTest
{
    private static final long MS = 1_000_000L;

    private static Histogram latencies(final long count, final long ns)
    {
        final Histogram h = new Histogram(3);
        h.recordValueWithCount(ns, count);
        return h;
    }

    @Test
    void shouldMeasureBeforeDuringAndAfterAFaultWindow()
    {
        final FaultSchedule schedule = FaultSchedule.parse("slow:node1=1ms@2s,clear:node1@4s");
        final FaultPhases phases = new FaultPhases(schedule, 0, 1000 * MS, 6000 * MS);
        for (long t = 0; t < 6000; t += 100)
        {
            final long latencyNs = t < 1000 ? 5_000_000 : t < 2000 ? 10_000 : t < 4000 ? 1_000_000 : 20_000;
            phases.onInterval(t * MS, (t + 100) * MS, latencies(10, latencyNs / 2), latencies(10, latencyNs));
        }
        final LongArrayList stale = new LongArrayList();
        stale.addLong(2500 * MS);
        stale.addLong(4500 * MS);
        stale.addLong(4600 * MS);
        final List<FaultPhase> p = phases.phases(stale, List.of(List.of(new long[] {3000 * MS, 3300 * MS})));

        assertEquals(3, p.size());
        assertEquals("before", p.get(0).phase());
        assertEquals(1.0, p.get(0).fromS(), "the warm-up is not a phase");
        assertEquals(100, p.get(0).writes());
        assertEquals(10.0, p.get(0).writeP50Us(), 0.1);
        assertEquals(200, p.get(0).opsPerS());
        assertEquals(0.0, p.get(0).longestWriteGapMs());

        assertEquals("during", p.get(1).phase());
        assertEquals(2.0, p.get(1).fromS());
        assertEquals(4.0, p.get(1).toS());
        assertEquals(200, p.get(1).writes());
        assertEquals(1000.0, p.get(1).writeP99Us(), 1.0);
        assertEquals(500.0, p.get(1).readP50Us(), 0.5);
        assertEquals(1L, p.get(1).staleReads());
        assertEquals(300.0, p.get(1).longestWriteGapMs());

        assertEquals("after", p.get(2).phase());
        assertEquals(6.0, p.get(2).toS());
        assertEquals(20.0, p.get(2).writeMaxUs(), 0.1);
        assertEquals(2L, p.get(2).staleReads());
    }

    @Test
    void shouldSayStaleReadsWereNotMeasuredAndFindGapsNoClientFilled()
    {
        final FaultPhases phases = new FaultPhases(FaultSchedule.parse("isolate:node0@1s"), 0, 0, 2000 * MS);
        assertNull(phases.phases(null, List.of()).get(1).staleReads());
        assertEquals(List.of(), FaultPhases.intersection(List.of(List.of(new long[] {0, 10}),
            List.of(new long[] {20, 30}))), "one client wrote while the other waited: no outage");
        assertEquals(5, FaultPhases.intersection(List.of(List.of(new long[] {0, 10}),
            List.of(new long[] {5, 30}))).get(0)[1] - 5);
    }
}
