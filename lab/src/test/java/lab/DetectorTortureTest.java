package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.Torture;
import lab.harness.cluster.TortureMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every strong mode of a protocol that watches peers with a failure detector, with the phi accrual detector in place
 * of its fixed timeouts: linearizable, no acknowledged write lost, live once faults heal. The CI slice is a few
 * seeds per mode ({@code -Dlab.torture.detector.seeds=N}; {@code lab torture ... --opt failure-detector=phi} runs
 * the full count). The default detector (timeout) is TortureTest's.
 */
class DetectorTortureTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SEEDS = Integer.getInteger("lab.torture.detector.seeds", 10);
    private static final int THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "primary-backup, ''",
        "chain, chain-ack=tail;reads=tail",
        "chain, chain-ack=head;reads=tail",
        "chain, chain-ack=tail;reads=craq",
        "chain, chain-ack=head;reads=craq",
        "raft, raft-reads=lease",
        "raft, raft-reads=read-index"})
    void shouldPassTortureWithThePhiAccrualDetector(final String protocol, final String optionList)
    {
        final Map<String, String> options = new TreeMap<>();
        for (final String kv : optionList.split(";"))
        {
            if (!kv.isBlank())
            {
                options.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        options.put("failure-detector", "phi");
        final List<Torture.Outcome> outcomes = TortureMatrix.runSeeds(
            () -> new Torture(protocol, 3, options, 800 * MS, 1000 * MS), 1, SEEDS, THREADS);
        final List<String> failed = new ArrayList<>();
        for (final Torture.Outcome o : outcomes)
        {
            if (!o.passed())
            {
                failed.add("seed " + o.seed() + ": " + o.problem());
            }
        }
        assertEquals(SEEDS, outcomes.size());
        assertEquals(List.of(), failed);
    }
}
