package lab.primarybackup;

import lab.core.codec.OpType;
import lab.core.ProtocolSettings;
import lab.core.TargetedClient;
import lab.core.client.ClientPolicy;

/**
 * The client of {@code pb-reads=backup}: writes go to the primary as always; each read goes to a backup, spread by
 * key over the replicas other than the primary it believes in, and to the next one on a retry.
 */
final class BackupReadingClient extends TargetedClient
{
    private final int replicas;

    BackupReadingClient(final int clientNode, final ProtocolSettings settings, final ClientPolicy policy)
    {
        super(clientNode, settings, policy);
        this.replicas = settings.replicas();
    }

    protected int targetFor(final int slot, final OpType type, final long key, final int attempt)
    {
        final int primary = targetFor(type);
        if (type != OpType.GET || replicas < 2)
        {
            return primary;
        }
        final int k = (int)Math.floorMod(key + attempt, (long)(replicas - 1));
        return k >= primary ? k + 1 : k;
    }
}
