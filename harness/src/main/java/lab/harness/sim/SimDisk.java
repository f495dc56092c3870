package lab.harness.sim;

import java.util.Random;

import lab.core.storage.DiskFailure;
import lab.core.storage.DiskFile;
import lab.core.storage.MemoryFolder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The simulator's disk: each file keeps what was synced apart from what was written since, so that a simulated
 * power cut ({@link #powerCut()}) can lose the unsynced writes, or tear them, and a sync can fail
 * ({@link #failNextSync()}). Every decision draws from the {@link Random} it is given, made from the run's seed, so
 * one seed replays the same losses and tears.
 *
 * <p>What a power cut leaves of a file's unsynced writes, in the order they were made: all of them, none of them, or
 * the first k whole and a prefix of the next one (a torn write), the rest lost. With {@code garbage} on, a torn
 * write is followed by random bytes up to the next {@value #SECTOR}-byte boundary of the file (a sector the drive
 * was writing when the power went); off, the file ends where the tear is (the file size a journaling file system
 * such as ext4 in data=ordered mode commits only with the data it covers).
 *
 * <p>A failed sync throws {@link DiskFailure} after the file has lost or torn its unsynced writes as in a power cut
 * (Linux reports a write-back error once and may drop the dirty pages); the driver must crash the node: the
 * simulator crashes it and restarts it from what its disk kept ({@link SimNetwork#onDiskFailure}).
 *
 * <p>Names are at risk too, as in a real folder: creating, replacing and deleting a file is durable only after
 * {@link #syncDirectory()} (fsync of the directory). A power cut puts the folder back to its names as last synced:
 * a file created since is gone whatever syncs of its contents said, a file deleted since is back with its durable
 * bytes. (A real file system may also keep such a change; losing it is the case a protocol must survive.)
 */
public final class SimDisk extends MemoryFolder<SimDisk.Content>
{
    /** The unit a torn write's garbage fills up to. */
    public static final int SECTOR = 512;

    private final Random random;
    private final boolean garbage;
    /** The folder's names as of the last {@link #syncDirectory()}: what a power cut leaves. */
    private java.util.TreeMap<String, Content> durableNames = new java.util.TreeMap<>();
    private long directorySyncs;
    private boolean failNextSync;
    private long powerCuts;
    private long lostWrites;
    private long tornWrites;
    private long failedSyncs;

    /**
     * One file's bytes: what reads see ({@link Bytes}), what is durable, and the writes in between.
     */
    static final class Content extends MemoryFolder.Bytes
    {
        final ExpandableArrayBuffer durable = new ExpandableArrayBuffer(256);
        long durableSize;
        /** The bytes of the unsynced writes, one after another. */
        final ExpandableArrayBuffer journal = new ExpandableArrayBuffer(256);
        int journalLength;
        /** Per unsynced write: where it went, its length (-1: a truncation to position) and its journal offset. */
        long[] positions = new long[16];
        int[] lengths = new int[16];
        int[] journalOffsets = new int[16];
        int writes;

        void record(final long position, final int length, final DirectBuffer source, final int offset)
        {
            if (writes == positions.length)
            {
                positions = java.util.Arrays.copyOf(positions, writes * 2);
                lengths = java.util.Arrays.copyOf(lengths, writes * 2);
                journalOffsets = java.util.Arrays.copyOf(journalOffsets, writes * 2);
            }
            positions[writes] = position;
            lengths[writes] = length;
            journalOffsets[writes] = journalLength;
            if (length > 0)
            {
                journal.putBytes(journalLength, source, offset, length);
                journalLength += length;
            }
            writes++;
        }

        /**
         * Applies unsynced write {@code i}, or its first {@code keep} bytes, to the durable bytes.
         */
        void makeDurable(final int i, final int keep)
        {
            if (lengths[i] < 0)
            {
                durableSize = positions[i];
                return;
            }
            durable.putBytes(Math.toIntExact(positions[i]), journal, journalOffsets[i], keep);
            durableSize = Math.max(durableSize, positions[i] + keep);
        }

        /**
         * Forgets the unsynced writes: reads see the durable bytes again.
         */
        void resetToDurable()
        {
            bytes.putBytes(0, durable, 0, (int)durableSize);
            size = durableSize;
            writes = 0;
            journalLength = 0;
        }
    }

    private final class Handle extends MemoryFolder.Handle<Content>
    {
        Handle(final String name, final Content content)
        {
            super(name, content);
        }

        protected void written(final long position, final DirectBuffer source, final int offset, final int length)
        {
            content.record(position, length, source, offset);
        }

        protected void truncated(final long size)
        {
            content.record(size, -1, null, 0);
        }

        public void sync()
        {
            if (failNextSync)
            {
                failNextSync = false;
                failedSyncs++;
                cut(content);
                throw new DiskFailure("simulated fsync failure of " + name);
            }
            for (int i = 0; i < content.writes; i++)
            {
                content.makeDurable(i, content.lengths[i]);
            }
            content.writes = 0;
            content.journalLength = 0;
        }
    }

    /**
     * @param random  the run's seeded source of every loss, tear and garbage byte.
     * @param garbage whether a torn write may leave random bytes up to a sector boundary after its prefix.
     */
    public SimDisk(final Random random, final boolean garbage)
    {
        this.random = random;
        this.garbage = garbage;
    }

    protected Content newContent()
    {
        return new Content();
    }

    protected DiskFile handle(final String name, final Content content)
    {
        return new Handle(name, content);
    }

    /**
     * Makes the current names durable; fails instead, once, after {@link #failNextSync()} (the folder is then put
     * back to its durable names, as a power cut would).
     */
    public void syncDirectory()
    {
        if (failNextSync)
        {
            failNextSync = false;
            failedSyncs++;
            restoreNames(durableNames);
            throw new DiskFailure("simulated fsync failure of the directory");
        }
        directorySyncs++;
        durableNames = names();
    }

    public long directorySyncs()
    {
        return directorySyncs;
    }

    /**
     * The next sync of any file of this disk fails (once).
     */
    public void failNextSync()
    {
        failNextSync = true;
    }

    /**
     * The machine loses power: every file keeps what was synced and, drawn from the seed, all, none or a torn
     * prefix of what was written since. Handles open before stay usable on what is left (a restarted node opens new
     * ones).
     */
    public void powerCut()
    {
        powerCuts++;
        // Every content a name points at, now or as last synced, in name order (the seed decides the same way).
        final java.util.Set<Content> contents = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (final Content content : contents())
        {
            if (contents.add(content))
            {
                cut(content);
            }
        }
        for (final Content content : durableNames.values())
        {
            if (contents.add(content))
            {
                cut(content);
            }
        }
        restoreNames(durableNames);
    }

    private void cut(final Content content)
    {
        if (content.writes == 0)
        {
            return;
        }
        // 0 .. writes whole writes survive; if fewer than all, the next one may be torn.
        final int whole = random.nextInt(content.writes + 1);
        for (int i = 0; i < whole; i++)
        {
            content.makeDurable(i, content.lengths[i]);
        }
        if (whole < content.writes)
        {
            lostWrites += content.writes - whole;
            final int length = content.lengths[whole];
            if (length > 0 && random.nextBoolean())
            {
                tornWrites++;
                final int keep = random.nextInt(length);
                content.makeDurable(whole, keep);
                final long end = content.positions[whole] + keep;
                if (garbage && random.nextBoolean())
                {
                    final long boundary = (end / SECTOR + 1) * SECTOR;
                    for (long p = end; p < boundary; p++)
                    {
                        content.durable.putByte((int)p, (byte)random.nextInt(256));
                    }
                    content.durableSize = Math.max(content.durableSize, boundary);
                }
            }
        }
        content.resetToDurable();
    }

    public long powerCuts()
    {
        return powerCuts;
    }

    /**
     * @return unsynced writes lost whole or in part (torn) in power cuts and failed syncs.
     */
    public long lostWrites()
    {
        return lostWrites;
    }

    public long tornWrites()
    {
        return tornWrites;
    }

    public long failedSyncs()
    {
        return failedSyncs;
    }
}
