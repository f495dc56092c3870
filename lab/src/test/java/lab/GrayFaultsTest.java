package lab;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.FaultPhase;
import lab.harness.cluster.FaultSchedule;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.multiprocess.ProcessRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults beyond crash on real runs, carried out: in one process at the node agents' receive edges, and with
 * {@code --processes} through FAULT control messages and SIGSTOP / SIGCONT of a node's JVM. What is checked is that
 * each fault happened (the receive edges' counts, the signals and their exit codes, the events) and that every
 * fault window is measured before, during and after; no timing is asserted (the machine is shared).
 */
class GrayFaultsTest
{
    private static RunConfig config(final String protocol, final String faults)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(3);
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(500));
        config.durationNs(TimeUnit.MILLISECONDS.toNanos(3500));
        config.intervalNs(TimeUnit.MILLISECONDS.toNanos(100));
        config.faults(FaultSchedule.parse(faults));
        return config.build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(final RunResult result)
    {
        return (List<Map<String, Object>>)result.faults().get("events");
    }

    @SuppressWarnings("unchecked")
    private static List<FaultPhase> phases(final RunResult result)
    {
        return (List<FaultPhase>)result.faults().get("phases");
    }

    @Test
    void shouldCutLoseDelayAndSlowAtTheReceiveEdgesInOneProcess()
    {
        final RunResult result = LabRunner.run(config("chain", "partition:head|tail@1s,heal@1300ms," +
            "loss:tail=30@1500ms,delay:head=2ms@1500ms,clear:tail@2s,clear:head@2s,slow:middle=1ms@2500ms," +
            "isolate:node0@3s,heal@3200ms,clear:middle@3500ms"));

        @SuppressWarnings("unchecked")
        final Map<String, Long> edge = (Map<String, Long>)result.faults().get("receive_edge");
        assertTrue(edge.get("dropped_cut") > 0, "partition and isolate dropped messages: " + edge);
        assertTrue(edge.get("dropped_loss") > 0, "loss dropped messages: " + edge);
        assertTrue(edge.get("held_delay_or_slow") > 0, "delay and slow held messages: " + edge);
        assertEquals(10, events(result).size(), "every event applied: " + events(result));
        assertEquals(3 * 5, phases(result).size(), "before, during, after of 5 windows: " + phases(result));
        assertTrue(result.writes().count() > 0, "writes completed");
    }

    @Test
    void shouldPauseANodeProcessWithSigstopAndSendItsRulesAsControlMessages()
    {
        final Set<String> dirsBefore = NodeProcesses.aeronDirs();
        final RunConfig.Builder config = config("primary-backup", "pause:backup=50ms@1s..2s/every=200ms," +
            "slow:backup=1ms@2500ms,isolate:node2@3s,heal@3300ms,clear:backup@3500ms").toBuilder();
        // Four JVMs share 2 cores: timeouts long enough that a starved node is not taken for a crashed one.
        config.options().putAll(Map.of("pb-backup-timeout", "400ms", "pb-primary-timeout", "600ms",
            "pb-lease-drift", "100ms"));
        final ProcessRun.Options options = new ProcessRun.Options();
        options.readyTimeoutNs = TimeUnit.SECONDS.toNanos(90); // four JVMs starting on a busy 2-core machine
        final RunResult result = ProcessRun.runLocal(config.build(), options);

        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> signals = (List<Map<String, Object>>)result.faults().get("signals");
        assertEquals(10, signals.size(), "5 pauses and 5 resumes: " + signals);
        assertEquals("SIGSTOP", signals.get(0).get("signal"));
        assertEquals("SIGCONT", signals.get(1).get("signal"));
        assertTrue(((Number)result.faults().get("fault_rule_messages")).longValue() >= 4,
            "slow, isolate (every replica's rules), heal and clear went out as FAULT messages: " + result.faults());
        assertEquals(3 * 3, phases(result).size(), phases(result).toString());
        assertTrue(result.writes().count() > 0, "writes completed");
        NodeProcesses.assertClean(dirsBefore);
    }
}
