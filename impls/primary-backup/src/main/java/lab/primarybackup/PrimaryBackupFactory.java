package lab.primarybackup;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.TargetedClient;

/**
 * {@code --protocol primary-backup}.
 */
public final class PrimaryBackupFactory implements ProtocolFactory
{
    public String name()
    {
        return "primary-backup";
    }

    @Override
    public java.util.Set<String> roleNames()
    {
        return java.util.Set.of("primary", "backup", "pre_candidate", "candidate", "recovering");
    }

    public void validate(final ProtocolSettings settings)
    {
        new PrimaryBackupConfig(settings);
    }

    public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        return new PrimaryBackupReplica(nodeId, settings.replicas(), new PrimaryBackupConfig(settings), random,
            restarted);
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        final PrimaryBackupConfig config = new PrimaryBackupConfig(settings);
        return config.backupReads ? new BackupReadingClient(clientNode, settings, config.client) :
            new TargetedClient(clientNode, settings, config.client);
    }

    public boolean linearizable(final ProtocolSettings settings)
    {
        return !new PrimaryBackupConfig(settings).backupReads;
    }

    public boolean measuresStaleReads(final ProtocolSettings settings)
    {
        return new PrimaryBackupConfig(settings).backupReads;
    }

    public String warnings(final ProtocolSettings settings)
    {
        return new PrimaryBackupConfig(settings).backupReads && settings.replicas() > 1 ? "pb-reads=backup: reads " +
            "are answered by a backup from what it has applied: they may be stale or return a write never " +
            "acknowledged (a weak mode, not linearizable)" : "";
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final int writeHops = settings.replicas() == 1 ? 2 : 4;
        return new HopTheory(writeHops, 2, "write: client->primary->backups->primary->client; read at the " +
            (new PrimaryBackupConfig(settings).backupReads && settings.replicas() > 1 ? "backup (weak)" : "primary"));
    }

    public MessagePrinter printer()
    {
        return new PrimaryBackupMessagePrinter();
    }
}
