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
        return new TargetedClient(clientNode, settings, config.client);
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final int writeHops = settings.replicas() == 1 ? 2 : 4;
        return new HopTheory(writeHops, 2, "write: client->primary->backups->primary->client; read at the primary");
    }

    public MessagePrinter printer()
    {
        return new PrimaryBackupMessagePrinter();
    }
}
