package lab.quorum;

import lab.core.codec.Status;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripted scenarios: one client, single operations, the replicas' state checked in between.
 */
class QuorumReplicaTest
{
    private static final long KEY = 0;

    @Test
    void shouldCompleteDynamoOperationsInTwoHopsWithClientCoordinator()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3);
        assertEquals(Status.NOT_FOUND, quorum.get(KEY).status());
        assertEquals(2, quorum.put(KEY, 11).hops());
        final ScriptedQuorum.Result read = quorum.get(KEY);
        assertEquals(2, read.hops());
        assertEquals(11, read.value());
    }

    @Test
    void shouldCompleteAbdOperationsInFourHops()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "quorum-mode", "abd");
        assertEquals(4, quorum.put(KEY, 11).hops());
        final ScriptedQuorum.Result read = quorum.get(KEY);
        assertEquals(4, read.hops());
        assertEquals(11, read.value());
    }

    @Test
    void shouldCompleteThroughReplicaCoordinatorInFourHops()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "coordinator", "replica");
        assertEquals(4, quorum.put(KEY, 11).hops());
        assertEquals(11, quorum.get(KEY).value());
        assertEquals(4, quorum.get(KEY).hops());
    }

    @Test
    void shouldOrderAbdWritesAboveEveryTimestampAMajorityHolds()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "quorum-mode", "abd");
        final long first = quorum.put(KEY, 11).ts();
        final long second = quorum.put(KEY, 12).ts();
        assertTrue(second > first);
        assertEquals(12, quorum.get(KEY).value());
    }

    @Test
    void shouldWriteBackTheNewestValueToAMajorityBeforeAnAbdReadReturns()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "quorum-mode", "abd");
        quorum.network.partition(2);
        final long ts = quorum.put(KEY, 11).ts(); // on replicas 0 and 1
        quorum.network.heal();
        quorum.network.partition(0);
        assertEquals(11, quorum.get(KEY).value()); // reads from 1 and 2, writes back to both
        assertEquals(ts, quorum.tsAt(2, KEY));
    }

    @Test
    void shouldPushTheNewestVersionToAStaleReplicaTheReadSaw()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "r", "3", "w", "2");
        quorum.network.partition(2);
        final long ts = quorum.put(KEY, 11).ts();
        quorum.network.heal();
        assertEquals(0, quorum.tsAt(2, KEY));
        final ScriptedQuorum.Result read = quorum.get(KEY);
        assertEquals(2, read.hops(), "read repair is off the critical path");
        quorum.runFor(MS);
        assertEquals(ts, quorum.tsAt(2, KEY));
    }

    @Test
    void shouldRepairBeforeAnsweringWhenReadRepairIsSynchronous()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "r", "3", "w", "2", "read-repair", "sync");
        quorum.network.partition(2);
        final long ts = quorum.put(KEY, 11).ts();
        quorum.network.heal();
        final ScriptedQuorum.Result read = quorum.get(KEY);
        assertEquals(4, read.hops(), "the repair is on the critical path");
        assertEquals(ts, quorum.tsAt(2, KEY));
        assertEquals(2, quorum.get(KEY).hops(), "nothing left to repair");
    }

    @Test
    void shouldLeaveStaleReplicaAloneWhenReadRepairIsOff()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "r", "3", "w", "2", "read-repair", "off");
        quorum.network.partition(2);
        quorum.put(KEY, 11);
        quorum.network.heal();
        quorum.get(KEY);
        quorum.runFor(MS);
        assertEquals(0, quorum.tsAt(2, KEY));
    }

    @Test
    void shouldHoldWriteForAnUnreachableHomeReplicaOnASpareAndHandItOff()
    {
        // key 0's home replicas are 0, 1, 2; replica 3 is the spare
        final ScriptedQuorum quorum = new ScriptedQuorum(4, "n", "3", "w", "3", "r", "1", "sloppy-quorum", "true");
        quorum.network.partition(2);
        final long ts = quorum.put(KEY, 11).ts();
        assertEquals(1, quorum.replicas[3].hintCount());
        assertEquals(0, quorum.tsAt(3, KEY), "a hint is not the spare's own data");
        quorum.network.heal();
        quorum.runFor(50 * MS);
        assertEquals(ts, quorum.tsAt(2, KEY));
        assertEquals(0, quorum.replicas[3].hintCount());
    }

    @Test
    // With volatile storage a restart is amnesia: the replica must copy its peers before it serves.
    void shouldNotAnswerReadsWhileRecoveringAndCopyPeersStateFirst()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "quorum-storage", "volatile");
        final long ts = quorum.put(KEY, 11).ts();
        quorum.crash(0);
        quorum.restart(0);
        assertEquals("recovering", quorum.replicas[0].role().name());
        assertEquals(0, quorum.tsAt(0, KEY));
        quorum.runFor(5 * MS);
        assertEquals("replica", quorum.replicas[0].role().name());
        assertEquals(ts, quorum.tsAt(0, KEY));
    }

    @Test
    void shouldStayRecoveringWhileTooFewPeersCanBeCopied()
    {
        final ScriptedQuorum quorum = new ScriptedQuorum(3, "quorum-storage", "volatile");
        quorum.put(KEY, 11);
        quorum.crash(1);
        quorum.crash(0);
        quorum.restart(0);
        quorum.runFor(300 * MS);
        assertEquals("recovering", quorum.replicas[0].role().name(), "one peer may miss a write acknowledged by two");
        quorum.restart(1);
        quorum.runFor(300 * MS);
        assertEquals("recovering", quorum.replicas[1].role().name(), "recovering replicas serve no copies");
    }

    @Test
    void shouldOrderTimestampsByLamportClockThenNodeId()
    {
        assertTrue(Timestamps.of(2, 0) > Timestamps.of(1, 5));
        assertTrue(Timestamps.of(2, 5) > Timestamps.of(2, 4));
        assertEquals(7, Timestamps.lamport(Timestamps.of(7, 3)));
        assertEquals(3, Timestamps.node(Timestamps.of(7, 3)));
        assertNotEquals(0, Timestamps.of(0, 1));
    }
}
