package lab;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.FaultSchedule;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.multiprocess.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --processes --fault "crash:leader@1.5s,restart@2s"} on primary-backup: the primary's JVM is killed with
 * SIGKILL, a backup takes over, a new JVM brings the node back, and the run reports what the crash cost as an
 * in-process run does. One run (about 10 s) serves every test of its behaviour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiProcessFaultTest
{
    private static final double CRASH_S = 1.5;
    private static final double END_S = 6.0;

    private Set<String> dirsBefore;
    private RunResult result;
    private Map<String, Object> faults;

    @BeforeAll
    void runWithACrashAndARestart()
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("primary-backup");
        config.replicas(3);
        config.warmupNs(TimeUnit.MILLISECONDS.toNanos(500));
        config.durationNs(TimeUnit.MILLISECONDS.toNanos((long)(END_S * 1000) - 500));
        config.intervalNs(TimeUnit.MILLISECONDS.toNanos(100));
        // Four JVMs share 2 cores: timeouts long enough that a starved node is not taken for a crashed one, short
        // enough that the failover fits the run.
        config.options().putAll(Map.of("pb-backup-timeout", "400ms", "pb-primary-timeout", "600ms",
            "pb-lease-drift", "100ms"));
        config.faults(FaultSchedule.parse("crash:leader@" + CRASH_S + "s,restart@2s"));
        dirsBefore = NodeProcesses.aeronDirs();
        result = ProcessRun.runLocal(config.build(), new ProcessRun.Options());
        faults = result.faults();
    }

    @Test
    void shouldKillTheLeadersProcessWithSigkill()
    {
        final Map<String, Object> killed = only("killed");
        assertEquals(crashedNode(), killed.get("node"));
        assertEquals(137, killed.get("exit_code"), "128 + SIGKILL (9)");
        assertEquals("SIGKILL", killed.get("signal"));
        final long pid = ((Number)killed.get("pid")).longValue();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is gone");
    }

    @Test
    void shouldReportAFiniteUnavailabilityWindowThatStartsAtTheCrash()
    {
        final double ms = ((Number)faults.get("unavailability_ms")).doubleValue();
        final double from = ((Number)faults.get("unavailability_from_s")).doubleValue();
        final double to = ((Number)faults.get("unavailability_to_s")).doubleValue();
        assertTrue(ms > 0 && Double.isFinite(ms), faults.toString());
        assertTrue(from > CRASH_S - 0.5 && from < CRASH_S + 0.5, "starts near the crash: " + faults);
        assertTrue(to > from && to < END_S, "ends inside the run: " + faults);
    }

    @Test
    void shouldSeeAnotherReplicaTakeTheCrashedRole()
    {
        final Map<String, Object> successor = events().stream()
            .filter(e -> "new leader".equals(e.get("event"))).findFirst().orElseThrow(() ->
                new AssertionError("no new leader in " + events()));
        assertNotEquals(crashedNode(), successor.get("node"));
        assertTrue(((Number)faults.get("time_to_new_role_holder_ms")).doubleValue() > 0, faults.toString());
    }

    @Test
    void shouldBringTheKilledNodeBackInANewProcess()
    {
        final Map<String, Object> relaunched = only("relaunched");
        assertEquals(crashedNode(), relaunched.get("node"));
        assertNotEquals(only("killed").get("pid"), relaunched.get("pid"));
        assertTrue(relaunched.containsKey("running_after_ms"), "it ran the rest of the run: " + relaunched);
    }

    @Test
    void shouldSayThatTheKilledProcessTookItsMessageCountsWithIt()
    {
        assertEquals(false, result.transportStats().get("traffic_complete"));
        assertTrue(String.valueOf(result.transportStats().get("traffic_note")).contains("killed"));
    }

    @Test
    void shouldLeaveNoNodeProcessAndNoAeronDirectory()
    {
        NodeProcesses.assertClean(dirsBefore);
    }

    @Test
    void shouldRefuseToRestartARaftNodeWhoseLogDiesWithItsProcess()
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol("raft");
        config.faults(FaultSchedule.parse("crash:leader@1s,restart@2s"));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ProcessRun.runLocal(config.build(), new ProcessRun.Options()));
        assertTrue(ex.getMessage().startsWith("--fault restart with --processes: raft keeps term, vote and log in " +
            "the node's memory"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("use --opt raft-log=file --opt raft-dir=DIR"), ex.getMessage());
    }

    private int crashedNode()
    {
        return (Integer)events().get(0).get("node");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> events()
    {
        return (List<Map<String, Object>>)faults.get("events");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> only(final String key)
    {
        final List<Map<String, Object>> list = (List<Map<String, Object>>)faults.get(key);
        assertEquals(1, list.size(), key + ": " + list);
        return list.get(0);
    }
}
