package lab.raft;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.TargetedClient;
import lab.core.storage.DiskProvider;

/**
 * {@code --protocol raft}. The factory owns each node's storage, so that a replica the simulator restarts
 * ({@code restarted = true}, same factory instance) recovers what its crashed predecessor persisted: the same
 * {@link MemoryStorage} object (the simulator's model of a disk), or the node's files with {@code raft-log=file}
 * (under {@code raft-dir}, by default a temporary folder deleted when the run ends) on the {@link lab.core.storage.Disk}
 * the driver provides ({@link DiskProvider#of}: real files, or under torture the simulator's disk).
 *
 * <p>There is deliberately no mode in which a restarted node forgets its term, vote and log: it could vote twice
 * in one term (two leaders) and, having acknowledged entries it no longer holds, leave a committed write on less
 * than a majority.
 */
public final class RaftFactory implements ProtocolFactory
{
    /** Every message of the Raft schema (for {@link lab.core.MessageTypes}; the control plane borrows them). */
    public static final List<Class<?>> MESSAGE_DECODERS = List.of(
        lab.raft.codec.AppendEntriesDecoder.class,
        lab.raft.codec.AppendResponseDecoder.class,
        lab.raft.codec.RequestVoteDecoder.class,
        lab.raft.codec.VoteDecoder.class,
        lab.raft.codec.InstallSnapshotDecoder.class,
        lab.raft.codec.InstallSnapshotResponseDecoder.class);

    private final Map<Integer, RaftStorage> storages = new HashMap<>();
    /** Where this run's nodes get their disks, from the first durable node on until {@link #runEnded()}. */
    private DiskProvider disks;

    public String name()
    {
        return "raft";
    }

    @Override
    public java.util.Set<String> roleNames()
    {
        return java.util.Set.of("leader", "follower", "candidate", "pre-candidate");
    }

    public void validate(final ProtocolSettings settings)
    {
        new RaftConfig(settings);
    }

    public synchronized Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        final RaftConfig config = new RaftConfig(settings);
        final RaftStorage previous = storages.get(nodeId);
        final RaftStorage storage;
        if (config.logKind == RaftConfig.LogKind.MEMORY)
        {
            storage = restarted && previous != null ? previous : new MemoryStorage(config.logCapacity);
        }
        else
        {
            if (previous != null)
            {
                previous.close(); // the crashed process's file handle
            }
            if (disks == null)
            {
                disks = DiskProvider.of(settings);
            }
            storage = new FileStorage(disks.disk(config.dir, nodeId), nodeId, config.logCapacity, config.fsync,
                !restarted);
        }
        storages.put(nodeId, storage);
        return new RaftReplica(nodeId, settings.replicas(), config, random, storage, restarted);
    }

    public String processRestartProblem(final ProtocolSettings settings)
    {
        final RaftConfig config = new RaftConfig(settings);
        if (config.logKind == RaftConfig.LogKind.MEMORY)
        {
            return "raft keeps term, vote and log in the node's memory (raft-log=memory), which kill -9 takes with " +
                "it, and a node restarted without them could vote twice in a term: use --opt raft-log=file " +
                "--opt raft-dir=DIR";
        }
        if (config.dir.isEmpty())
        {
            return "raft-log=file without raft-dir keeps each node's log in a temporary folder of the node's own " +
                "process, which its new process does not find: name a folder, --opt raft-dir=DIR";
        }
        return null;
    }

    public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
    {
        final RaftConfig config = new RaftConfig(settings);
        return new TargetedClient(clientNode, settings, config.client);
    }

    public HopTheory theory(final ProtocolSettings settings)
    {
        final RaftConfig config = new RaftConfig(settings);
        if (settings.replicas() == 1)
        {
            return new HopTheory(2, 2, "single node: commits and reads at once");
        }
        final boolean lease = config.reads == RaftConfig.Reads.LEASE;
        return new HopTheory(4, lease ? 2 : 4, "write: client->leader->followers->leader->client; read " +
            (lease ? "under the leader's lease (4 when the lease has lapsed)" : "after a ReadIndex heartbeat round"));
    }

    /**
     * Closes the nodes' storage and deletes the run's temporary folder (never a folder the user named): deleted
     * files' dirty pages are dropped instead of written back while the next run of a --repeat measures.
     */
    public synchronized void runEnded()
    {
        for (final RaftStorage storage : storages.values())
        {
            storage.close();
        }
        storages.clear();
        if (disks != null)
        {
            disks.runEnded();
        }
        disks = null;
    }

    public MessagePrinter printer()
    {
        return new RaftMessagePrinter();
    }

    @Override
    public List<Class<?>> messageDecoders()
    {
        return MESSAGE_DECODERS;
    }
}
