package lab.primarybackup;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupsTest
{
    private final Backups backups = new Backups(0, 3);

    @Test
    void theBootstrapPrimaryHasEveryOtherReplicaInSync()
    {
        backups.bootstrap();
        assertFalse(backups.of(0).inSync);
        assertEquals(2, backups.inSyncCount());
    }

    @Test
    void aCommitWaitsForTheSlowestInSyncBackupOnly()
    {
        backups.bootstrap();
        backups.of(1).matchIndex = 7;
        backups.of(2).matchIndex = 5;
        assertEquals(5, backups.inSyncMatch(9));
        backups.of(2).inSync = false;
        assertEquals(7, backups.inSyncMatch(9));
        backups.of(1).inSync = false;
        assertEquals(9, backups.inSyncMatch(9), "nobody to wait for: the primary's own last index");
    }

    @Test
    void aNewViewForgetsWhatWasKnownOfEachBackup()
    {
        backups.bootstrap();
        backups.of(1).matchIndex = 7;
        backups.of(1).snapshotting = true;
        backups.of(1).resetForView(42);
        assertEquals(-1, backups.of(1).matchIndex);
        assertFalse(backups.of(1).inSync);
        assertFalse(backups.of(1).snapshotting);
        assertEquals(42, backups.of(1).lastHeardNs);
        assertEquals(42, backups.of(1).progressAtNs);
    }

    @Test
    void reachingCountsThePrimaryAndEveryBackupAtOrPastTheIndex()
    {
        backups.of(1).matchIndex = 4;
        backups.of(2).matchIndex = 3;
        assertEquals(3, backups.reaching(3));
        assertEquals(2, backups.reaching(4));
        assertEquals(1, backups.reaching(5));
    }

    @Test
    void aCommitNoAckTriggeredContinuesTheDeepestInSyncAck()
    {
        assertEquals(1, backups.deepestAckDepth(), "no backup in sync: as an ack that started a path");
        backups.bootstrap();
        assertEquals(0, backups.deepestAckDepth(), "in sync, nothing acknowledged yet");
        backups.of(1).lastAckDepth = 3;
        backups.of(2).lastAckDepth = 5;
        assertEquals(5, backups.deepestAckDepth());
        backups.of(2).inSync = false;
        assertEquals(3, backups.deepestAckDepth());
    }

    @Test
    void aSnapshotTakesTheBackupOutOfSyncWithItsMatchUnknown()
    {
        final BackupProgress b = backups.of(1);
        b.inSync = true;
        b.matchIndex = 10;
        b.snapshotStarted(9);
        assertTrue(b.snapshotting);
        assertFalse(b.inSync);
        assertEquals(-1, b.matchIndex);
        assertEquals(9, b.snapshotIndex);
    }

    @Test
    void aBackupIsBehindWhenItLacksEntriesAndWasQuietLongEnough()
    {
        final BackupProgress b = backups.of(1);
        b.matchIndex = 3;
        b.progressAtNs = 100;
        assertFalse(b.behind(3, 1_000, 20), "has everything");
        assertFalse(b.behind(5, 110, 20), "progressed recently");
        assertTrue(b.behind(5, 121, 20));
        b.matchIndex = -1;
        assertFalse(b.behind(5, 1_000, 20), "unknown: a snapshot is on its way");
    }
}
