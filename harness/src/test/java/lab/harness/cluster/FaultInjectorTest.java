package lab.harness.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.sim.SimNetwork;
import lab.harness.workload.LoadGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault schedule carried out on a scripted {@link FaultTarget}: which node is crashed, how its successor is
 * noticed, what a restart is given, and what the results say. The same injector drives in-process and
 * multi-process runs; only the target differs.
 */
class FaultInjectorTest
{
    private static final long START_NS = 1_000_000_000L;
    private static final long SEED = 42;

    /**
     * Roles set by the test; crash and restart are recorded.
     */
    private static final class ScriptedTarget implements FaultTarget
    {
        final String[] roles;
        final boolean[] down;
        final List<String> actions = new ArrayList<>();

        ScriptedTarget(final String... roles)
        {
            this.roles = roles;
            this.down = new boolean[roles.length];
        }

        public int replicas()
        {
            return roles.length;
        }

        public String role(final int node)
        {
            return down[node] ? null : roles[node];
        }

        public boolean crashed(final int node)
        {
            return down[node];
        }

        public void crash(final int node)
        {
            down[node] = true;
            actions.add("crash " + node);
        }

        public void restart(final int node, final long seed)
        {
            down[node] = false;
            roles[node] = "follower";
            actions.add("restart " + node + " seed " + seed);
        }

        public Map<String, Object> report()
        {
            return Map.of("killed", List.of(Map.of("node", 1, "pid", 1234)));
        }
    }

    private static long at(final long ms)
    {
        return START_NS + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private static List<Map<String, Object>> events(final FaultInjector injector)
    {
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> events =
            (List<Map<String, Object>>)injector.report(new LoadGenerator[0], List.of(), 0).get("events");
        return events;
    }

    @Test
    void shouldCrashTheReplicaThatHoldsTheRoleWhenItsTimeComes()
    {
        final ScriptedTarget target = new ScriptedTarget("follower", "leader", "follower");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("crash:leader@1s"), target, START_NS, SEED);

        injector.poll(at(999));
        assertEquals(List.of(), target.actions);
        injector.poll(at(1000));
        assertEquals(List.of("crash 1"), target.actions);
        assertEquals(Map.of("t_s", 1.0, "event", "crash leader", "node", 1), events(injector).get(0));
    }

    @Test
    void shouldReportTheTimeUntilAnotherLiveReplicaHoldsTheCrashedRole()
    {
        final ScriptedTarget target = new ScriptedTarget("follower", "leader", "follower");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("crash:leader@1s"), target, START_NS, SEED);
        injector.poll(at(1000));
        injector.poll(at(1100));
        assertTrue(injector.active(), "still waiting for a new leader");

        target.roles[2] = "leader";
        injector.poll(at(1250));

        assertTrue(!injector.active(), "new leader seen");
        assertEquals(Map.of("t_s", 1.25, "event", "new leader", "node", 2), events(injector).get(1));
        assertEquals(250.0, injector.report(new LoadGenerator[0], List.of(), 0).get("time_to_new_role_holder_ms"));
    }

    @Test
    void shouldRestartTheLastCrashedNodeWithASeedDerivedFromTheRun()
    {
        final ScriptedTarget target = new ScriptedTarget("primary", "backup", "backup");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("crash:leader@1s,restart@2s"), target, START_NS, SEED);
        injector.poll(at(1000));
        injector.poll(at(2000));

        assertEquals(List.of("crash 0", "restart 0 seed " + SimNetwork.deriveSeed(SEED, 10_000 + 1)),
            target.actions);
    }

    @Test
    void shouldSayWhichRolesAreKnownWhenNoLiveReplicaHoldsTheTargetRole()
    {
        final ScriptedTarget target = new ScriptedTarget("follower", null, "candidate");
        target.down[1] = true;
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("crash:leader@0s"), target, START_NS, SEED);
        injector.poll(at(0));

        assertEquals(List.of(), target.actions);
        assertEquals("crash:leader@0s: no live replica has role leader (roles now: node0 follower, node1 down, " +
            "node2 candidate)", events(injector).get(0).get("event"));
    }

    @Test
    void shouldAddWhatTheTargetKnowsAboutHowItCarriedOutTheFaults()
    {
        final ScriptedTarget target = new ScriptedTarget("leader", "follower", "follower");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("crash:node1@0s"), target, START_NS, SEED);
        injector.poll(at(0));

        final Map<String, Object> report = injector.report(new LoadGenerator[0], List.of(), 0);
        assertEquals(Arrays.asList("events", "unavailability_ms", "time_to_new_role_holder_ms",
            "write_latency_before", "write_latency_during", "write_latency_after", "killed"),
            new ArrayList<>(report.keySet()));
    }
}
