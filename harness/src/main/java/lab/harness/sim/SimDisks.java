package lab.harness.sim;

import lab.core.storage.Disk;
import lab.core.storage.DiskProvider;

/**
 * Every node's {@link SimDisk} in one simulated run, each drawing from its own stream of the run's seed. A node
 * asking again (a restart) gets the same disk with whatever its crash left on it. The folder a protocol names is
 * ignored: each node has a disk of its own.
 */
public final class SimDisks implements DiskProvider
{
    private final long seed;
    private final boolean garbage;
    private final java.util.TreeMap<Integer, SimDisk> disks = new java.util.TreeMap<>();

    /**
     * @param seed    the run's seed.
     * @param garbage see {@link SimDisk#SimDisk}.
     */
    public SimDisks(final long seed, final boolean garbage)
    {
        this.seed = seed;
        this.garbage = garbage;
    }

    public synchronized Disk disk(final String directory, final int nodeId)
    {
        return of(nodeId);
    }

    /**
     * @return the node's disk, made on first use.
     */
    public synchronized SimDisk of(final int nodeId)
    {
        return disks.computeIfAbsent(nodeId,
            n -> new SimDisk(new java.util.Random(SimNetwork.deriveSeed(seed, 30_000 + n)), garbage));
    }

    /**
     * @return failed syncs over every node's disk.
     */
    public synchronized long failedSyncs()
    {
        long n = 0;
        for (final SimDisk d : disks.values())
        {
            n += d.failedSyncs();
        }
        return n;
    }

    /**
     * @return unsynced writes lost or torn over every node's disk.
     */
    public synchronized long lostWrites()
    {
        long n = 0;
        for (final SimDisk d : disks.values())
        {
            n += d.lostWrites();
        }
        return n;
    }
}
