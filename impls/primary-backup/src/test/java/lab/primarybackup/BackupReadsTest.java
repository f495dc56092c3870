package lab.primarybackup;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import lab.core.ProtocolSettings;
import lab.core.codec.OpType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pb-reads=backup}: the weak mode is declared weak, measured for stale reads, warned about, and its client
 * sends reads to backups only (writes to the primary).
 */
class BackupReadsTest
{
    private static ProtocolSettings settings(final String reads)
    {
        return new ProtocolSettings(3, 1, 1, Map.of("pb-reads", reads));
    }

    @Test
    void backupReadsAreAWeakModeWithAWarning()
    {
        final PrimaryBackupFactory factory = new PrimaryBackupFactory();
        assertFalse(factory.linearizable(settings("backup")));
        assertTrue(factory.measuresStaleReads(settings("backup")));
        assertTrue(factory.warnings(settings("backup")).contains("not linearizable"));
        assertTrue(factory.linearizable(settings("primary")));
        assertEquals("", factory.warnings(settings("primary")));
    }

    @Test
    void readsGoToEveryBackupAndNeverToThePrimaryWritesToThePrimary()
    {
        final ProtocolSettings s = settings("backup");
        final BackupReadingClient client = (BackupReadingClient)new PrimaryBackupFactory().newClient(3, s,
            new java.util.Random(1));
        final int primary = client.targetFor(0, OpType.PUT, 0, 0);
        final Set<Integer> readTargets = new HashSet<>();
        for (long key = 0; key < 20; key++)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                final int target = client.targetFor(0, OpType.GET, key, attempt);
                assertTrue(target >= 0 && target < 3 && target != primary, "read to " + target);
                readTargets.add(target);
            }
        }
        assertEquals(2, readTargets.size(), "both backups serve reads");
        assertEquals(primary, client.targetFor(0, OpType.PUT, 7, 1));
    }

    @Test
    void theOptionIsChecked()
    {
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new PrimaryBackupFactory().validate(settings("tail")));
        assertTrue(ex.getMessage().contains("pb-reads"), ex.getMessage());
    }
}
