package lab.primarybackup;

import java.util.Map;
import java.util.Random;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit rules of the two view policies, on a primary (replica 0) with backups 1 and 2: which backups a commit
 * waits for and when writes stop.
 */
class ViewPoliciesTest
{
    private static PrimaryBackupConfig config(final String views)
    {
        return new PrimaryBackupConfig(new ProtocolSettings(3, 1, 1, Map.of("pb-views", views)));
    }

    @Test
    void majorityViewsWaitForTheInSyncBackupsAndKeepAMajorityInSync()
    {
        final PrimaryBackupConfig config = config("majority");
        final PrimaryBackupReplica replica = new PrimaryBackupReplica(0, 3, config, new Random(1), false);
        final Backups backups = new Backups(0, 3);
        final MajorityViews views = new MajorityViews(0, 3, config, replica,
            new ViewElection(0, 3, config.primaryTimeoutNs, new Random(1), replica, new PrimaryBackupPublisher(0, 3)),
            backups);
        backups.bootstrap();
        backups.of(1).matchIndex = 7;
        backups.of(2).matchIndex = 5;
        assertEquals(5, views.commitThrough(9), "every in-sync backup");
        assertTrue(views.mayDropSilentBackup(), "two in sync: one may go, a majority stays");

        backups.of(2).inSync = false;
        assertEquals(7, views.commitThrough(9), "a dropped backup is not waited for");
        assertTrue(views.enoughInSync());
        assertFalse(views.mayDropSilentBackup(), "never below a majority");

        backups.of(1).inSync = false;
        assertFalse(views.enoughInSync(), "the primary alone is no majority: no writes");
    }

    @Test
    void serviceViewsWaitForEveryBackupOfTheViewAndDropNone()
    {
        final PrimaryBackupConfig config = config("config-service");
        final PrimaryBackupReplica replica = new PrimaryBackupReplica(0, 3, config, new Random(1), false);
        final Backups backups = new Backups(0, 3);
        final ServiceViews views =
            new ServiceViews(0, 3, config, replica, backups, new PrimaryBackupPublisher(0, 3), false);
        assertFalse(views.onBecomePrimary(0), "two backups in the first view: established once they hold the state");
        backups.of(1).matchIndex = 7;
        backups.of(2).matchIndex = 5;
        assertEquals(5, views.commitThrough(9), "every backup of the view, in sync or not");
        assertTrue(views.enoughInSync());
        assertFalse(views.mayDropSilentBackup(), "only the service removes a backup");
        assertFalse(views.lostQuorum(Long.MAX_VALUE / 2), "no check-quorum: the service replaces a primary");
        assertFalse(views.established(6), "backup 2 does not hold index 6");
        assertTrue(views.established(5));
    }
}
