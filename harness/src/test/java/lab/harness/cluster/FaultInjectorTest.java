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

        public int members()
        {
            return roles.length + 1; // one client after the replicas
        }

        public void edge(final int node, final lab.harness.aeron.ReceiveEdgeFaults.Rules rules)
        {
            actions.add("edge " + node + " cut " + Long.toBinaryString(rules.blockedFrom()) + " loss " +
                rules.lossRate() + " delay " + rules.delayNs() + " slow " + rules.slowNs());
        }

        public void pause(final int node)
        {
            actions.add("pause " + node);
        }

        public void resume(final int node)
        {
            actions.add("resume " + node);
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

    @Test
    void shouldCutBothSidesOfAPartitionAndHealThem()
    {
        final ScriptedTarget target = new ScriptedTarget("leader", "follower", "follower");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("partition:leader|node1+node2@1s,heal@2s"), target, START_NS, SEED);
        injector.poll(at(1000));
        assertEquals(List.of("edge 0 cut 110 loss 0.0 delay 0 slow 0", "edge 1 cut 1 loss 0.0 delay 0 slow 0",
            "edge 2 cut 1 loss 0.0 delay 0 slow 0"), target.actions, "the client (node 3) keeps every link");
        target.actions.clear();
        injector.poll(at(2000));
        assertEquals(List.of("edge 0 cut 0 loss 0.0 delay 0 slow 0", "edge 1 cut 0 loss 0.0 delay 0 slow 0",
            "edge 2 cut 0 loss 0.0 delay 0 slow 0"), target.actions);
    }

    @Test
    void shouldIsolateANodeFromEveryOtherNodeClientsIncluded()
    {
        final ScriptedTarget target = new ScriptedTarget("leader", "follower", "follower");
        final FaultInjector injector =
            new FaultInjector(FaultSchedule.parse("isolate:follower@1s"), target, START_NS, SEED);
        injector.poll(at(1000));
        assertEquals(List.of("edge 0 cut 10 loss 0.0 delay 0 slow 0", "edge 1 cut 1101 loss 0.0 delay 0 slow 0",
            "edge 2 cut 10 loss 0.0 delay 0 slow 0", "edge 3 cut 10 loss 0.0 delay 0 slow 0"), target.actions);
    }

    @Test
    void shouldClearTheNodeARoleResolvedToEvenAfterTheRoleMoved()
    {
        final ScriptedTarget target = new ScriptedTarget("leader", "follower", "follower");
        final FaultInjector injector = new FaultInjector(
            FaultSchedule.parse("slow:follower=1ms@1s,loss:follower=50@1500ms,clear:follower@2s"), target, START_NS,
            SEED);
        injector.poll(at(1000));
        target.roles[1] = "leader"; // the slow follower was elected meanwhile
        target.roles[0] = "follower";
        injector.poll(at(1500));
        injector.poll(at(2000));
        assertEquals(List.of("edge 1 cut 0 loss 0.0 delay 0 slow 1000000", "edge 1 cut 0 loss 0.5 delay 0 slow 1000000",
            "edge 1 cut 0 loss 0.0 delay 0 slow 0"), target.actions);
    }

    @Test
    void shouldPauseAndResumeTheSameNodeAndResumeWhatIsStillPausedAtTheEnd()
    {
        final ScriptedTarget target = new ScriptedTarget("leader", "follower", "follower");
        final FaultInjector injector = new FaultInjector(
            FaultSchedule.parse("pause:follower=50ms@1s..1300ms/every=200ms,pause:node2@1400ms"), target, START_NS,
            SEED);
        for (long ms = 1000; ms <= 1400; ms += 10)
        {
            injector.poll(at(ms));
        }
        injector.endFaults(at(1500));
        assertEquals(List.of("pause 1", "resume 1", "pause 1", "resume 1", "pause 2", "resume 2"), target.actions);
        final List<Map<String, Object>> events = events(injector);
        assertEquals("pause follower for 50 ms (repeated: pause:follower=50ms@1s..1300ms/every=200ms)",
            events.get(0).get("event"));
        assertEquals(true, events.get(2).get("repeat"), "the second pause of a repeated pause is marked");
    }
}
