package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.Torture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every strong protocol mode under many seeded fault schedules (crashes and restarts of the current primary, leader,
 * head, tail or any replica, isolation of a minority, 1-10% loss, duplication, reordering): each history must be
 * linearizable, no read stale, and operations must complete once faults heal. -Dlab.torture.seeds=N sets the count.
 */
class TortureTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SEEDS = Integer.getInteger("lab.torture.seeds", 1000);
    private static final int THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private static List<Torture.Outcome> torture(final String protocol, final int replicas,
        final Map<String, String> options, final int seeds) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<List<Torture.Outcome>>> parts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                parts.add(pool.submit(() ->
                {
                    // One Torture per thread: the checker is not thread-safe.
                    final Torture torture = new Torture(protocol, replicas, options, 800 * MS, 1000 * MS);
                    final List<Torture.Outcome> outcomes = new ArrayList<>();
                    for (long seed = 1 + thread; seed <= seeds; seed += THREADS)
                    {
                        outcomes.add(torture.run(seed));
                    }
                    return outcomes;
                }));
            }
            final List<Torture.Outcome> all = new ArrayList<>();
            for (final Future<List<Torture.Outcome>> part : parts)
            {
                all.addAll(part.get(15, TimeUnit.MINUTES));
            }
            return all;
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static String failures(final String protocol, final int replicas, final Map<String, String> options,
        final List<Torture.Outcome> outcomes)
    {
        final Torture replay = new Torture(protocol, replicas, options, 800 * MS, 1000 * MS);
        final StringBuilder sb = new StringBuilder();
        for (final Torture.Outcome o : outcomes)
        {
            if (!o.passed() && sb.length() < 4000)
            {
                sb.append("\nseed ").append(o.seed()).append(": ").append(o.problem()).append("\n  faults: ")
                    .append(o.faults()).append("\n  replay: ").append(replay.replayCommand(o.seed()));
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "primary-backup, ''",
        "chain, chain-ack=tail;reads=craq",
        "chain, chain-ack=head;reads=tail",
        "raft, raft-reads=lease",
        "raft, raft-reads=read-index",
        "quorum, quorum-mode=abd",
        "quorum, quorum-mode=abd;coordinator=replica"})
    void shouldStayLinearizableAndLoseNoAcknowledgedWriteUnderSeededFaults(final String protocol,
        final String optionList) throws Exception
    {
        final Map<String, String> options = new java.util.TreeMap<>();
        for (final String kv : optionList.split(";"))
        {
            if (!kv.isBlank())
            {
                options.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        // Every strong mode runs the whole budget (issue 7: each strong mode passes >= 1,000 schedules).
        final int seeds = SEEDS;
        final List<Torture.Outcome> outcomes = torture(protocol, 3, options, seeds);
        assertEquals(seeds, outcomes.size());
        final long passed = outcomes.stream().filter(Torture.Outcome::passed).count();
        assertEquals(seeds, passed, failures(protocol, 3, options, outcomes));
    }

    @Test
    void shouldCatchAPrimaryBackupThatAcknowledgesWritesBeforeReplicatingThem() throws Exception
    {
        final List<Torture.Outcome> outcomes = torture("broken-primary-backup", 3, Map.of(), 20);
        final long failed = outcomes.stream().filter(o -> !o.passed()).count();
        assertTrue(failed > 0, "the broken variant passed every seed: the checks cannot fail");
        assertTrue(outcomes.stream().anyMatch(o -> o.problem().startsWith("stale reads") ||
            o.problem().startsWith("not linearizable")), failures("broken-primary-backup", 3, Map.of(), outcomes));
    }
}
