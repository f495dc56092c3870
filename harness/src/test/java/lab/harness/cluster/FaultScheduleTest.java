package lab.harness.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fault grammar of real runs: every kind parses to its event, a partition's sides may use commas, a repeated
 * pause expands to its pauses and resumes, and each fault's window ends at the event that ends it.
 */
class FaultScheduleTest
{
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void shouldParseEveryKindWithItsTargetAndAmount()
    {
        final FaultSchedule schedule = FaultSchedule.parse("loss:node1=5%@1s, delay:follower=2ms@2s, slow:2=1ms@3s, " +
            "clear:node1@4s, partition:node0,node1|node2@5s, heal@6s, isolate:leader@7s, pause:node2@8s, " +
            "resume:node2@9s, crash:leader@10s, restart@11s");
        final List<FaultSchedule.Event> e = schedule.events();
        assertEquals(11, e.size());
        assertEquals(new FaultSchedule.Event(S, FaultSchedule.Kind.LOSS, "node1", List.of(), 0, 5.0, "loss:node1=5%@1s"),
            e.get(0));
        assertEquals(2 * MS, e.get(1).amountNs());
        assertEquals("follower", e.get(1).target());
        assertEquals(FaultSchedule.Kind.SLOW, e.get(2).kind());
        assertEquals(List.of(List.of("node0", "node1"), List.of("node2")), e.get(4).groups());
        assertEquals(FaultSchedule.Kind.HEAL, e.get(5).kind());
        assertEquals(FaultSchedule.Kind.RESTART, e.get(10).kind());
    }

    @Test
    void shouldEndEachWindowAtTheEventThatEndsItsFault()
    {
        final FaultSchedule schedule = FaultSchedule.parse("slow:middle=1ms@2s,isolate:node0@3s,clear:middle@4s," +
            "heal@5s,loss:node2=1@6s");
        assertEquals(List.of(
            new FaultSchedule.Window("slow:middle=1ms@2s", 2 * S, 4 * S),
            new FaultSchedule.Window("isolate:node0@3s", 3 * S, 5 * S),
            new FaultSchedule.Window("loss:node2=1@6s", 6 * S, -1)), schedule.windows());
    }

    @Test
    void shouldExpandARepeatedPauseIntoPausesAndResumesWithOneWindow()
    {
        final FaultSchedule schedule = FaultSchedule.parse("pause:follower=50ms@2s..2500ms/every=200ms");
        final List<FaultSchedule.Event> e = schedule.events();
        assertEquals(6, e.size(), "pauses at 2.0, 2.2, 2.4 s, each resumed 50 ms later");
        assertEquals(2 * S, e.get(0).atNs());
        assertEquals(FaultSchedule.Kind.RESUME, e.get(1).kind());
        assertEquals(2 * S + 50 * MS, e.get(1).atNs());
        assertEquals(2 * S + 400 * MS, e.get(4).atNs());
        assertEquals(List.of(new FaultSchedule.Window("pause:follower=50ms@2s..2500ms/every=200ms", 2 * S,
            2500 * MS)), schedule.windows());
    }

    @Test
    void shouldAcceptAResumeOfANodeNamedEitherWay()
    {
        assertEquals(2, FaultSchedule.parse("pause:2@1s,resume:node2@2s").events().size());
        assertThrows(IllegalArgumentException.class, () -> FaultSchedule.parse("pause:node2@3s,resume:node2@2s"));
    }

    @Test
    void shouldListEveryTargetTheEventsName()
    {
        assertEquals(List.of("leader", "node0", "node1", "tail"),
            List.copyOf(FaultSchedule.parse("isolate:leader@1s,partition:node0|node1+tail@2s").targets()));
    }
}
