package lab.primarybackup;

import java.util.ArrayList;
import java.util.List;

import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.session.ClientSessionTable.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two indexes of a replica's writes, the store and the sessions kept in step: a primary applies at commit, a
 * backup at receipt, a snapshot replaces the whole.
 */
class WriteLogTest
{
    private static final long SESSION = ClientSessions.sessionId(1, 0);
    private final EntryRing ring = new EntryRing(4);
    private final WriteLog log = new WriteLog(ring, new PrimaryBackupPublisher(0, 3));
    private final List<Integer> sentTo = new ArrayList<>();
    private final Outbox out = (to, buffer, offset, length) -> sentTo.add(to);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[8]);

    @Test
    void aPrimaryAppliesAndAnswersAWriteOnlyAtItsCommit()
    {
        log.bootstrap();
        value.putLong(0, 77);
        assertEquals(1, log.propose(SESSION, 1, 1, 0, 5, value, 0, 8));
        assertEquals(2, log.propose(SESSION, 2, 1, 0, 6, value, 0, 8));
        assertEquals(2, log.lastIndex());
        assertEquals(0, log.commitIndex());
        assertNull(log.store().get(5), "proposed, not applied");
        assertEquals(Outcome.PROPOSED, log.sessions().check(SESSION, 2));

        log.commitThrough(1, out);
        assertEquals(1, log.commitIndex());
        assertEquals(77, log.store().get(5).value().getLong(0));
        assertEquals(1, log.store().get(5).version());
        assertNull(log.store().get(6));
        assertEquals(List.of(1), sentTo, "the client of index 1 (node 1) is answered");

        log.commitThrough(2, out);
        assertEquals(2, log.commitIndex());
        assertEquals(2, log.store().get(6).version());
        assertEquals(Outcome.COMMITTED, log.sessions().check(SESSION, 2));
        assertEquals(2, log.sessions().committedVersion());
    }

    @Test
    void theRingBoundsWhatIsProposedAndNotCommitted()
    {
        log.bootstrap();
        for (int i = 1; i <= 4; i++)
        {
            assertFalse(log.full());
            log.propose(ClientSessions.sessionId(1, i), 1, 1, 0, i, value, 0, 8);
        }
        assertTrue(log.full());
        log.commitThrough(1, out);
        assertFalse(log.full());
    }

    @Test
    void aPrimaryLeavingItsViewDropsWhatItDidNotCommit()
    {
        log.bootstrap();
        log.propose(SESSION, 1, 1, 0, 5, value, 0, 8);
        log.commitThrough(1, out);
        log.propose(SESSION, 2, 1, 0, 6, value, 0, 8);
        log.abandonUncommitted();
        assertEquals(1, log.lastIndex());
        assertEquals(1, log.commitIndex());
        assertEquals(Outcome.NEW, log.sessions().check(SESSION, 2), "its retry is ordered again");
        assertEquals(2, log.propose(SESSION, 2, 2, 0, 6, value, 0, 8), "the next write takes the dropped index");
    }

    @Test
    void aBackupAppliesTheNextEntryOnlyAndItIsCommittedWhenItLeadsAView()
    {
        value.putLong(0, 9);
        log.applyNext(2, SESSION, 2, 6, value, 0, 8);
        assertEquals(0, log.lastIndex(), "past a gap: nothing");
        log.applyNext(1, SESSION, 1, 5, value, 0, 8);
        log.applyNext(1, SESSION, 1, 5, value, 0, 8);
        assertEquals(1, log.lastIndex(), "a duplicate changes nothing");
        assertEquals(9, log.store().get(5).value().getLong(0), "applied at receipt");
        assertEquals(0, log.commitIndex());
        assertEquals(Outcome.PROPOSED, log.sessions().check(SESSION, 1), "applied, not known committed");

        log.startView();
        assertEquals(1, log.commitIndex());
        assertEquals(Outcome.COMMITTED, log.sessions().check(SESSION, 1));
        assertEquals(2, log.propose(SESSION, 2, 2, 0, 6, value, 0, 8), "the new view's entries follow");
        assertTrue(ring.holdsFrom(2, 2));
        assertFalse(ring.holdsFrom(1, 2), "entries of the old view are not in the ring");
    }

    @Test
    void anInstalledSnapshotIsHeldAndCommittedThroughItsIndex()
    {
        log.installed(12);
        assertEquals(12, log.lastIndex());
        assertEquals(12, log.commitIndex());
        assertEquals(12, log.sessions().committedThrough());
    }
}
