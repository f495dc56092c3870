package lab.primarybackup;

import lab.core.HopDepth;

/**
 * A primary's view of all its backups: one {@link BackupProgress} per replica (its own entry unused), and the
 * questions the primary's rules ask of the in-sync set. Loops over a preallocated array: nothing allocated.
 */
final class Backups
{
    private final int self;
    private final BackupProgress[] progress;

    Backups(final int self, final int replicas)
    {
        this.self = self;
        progress = new BackupProgress[replicas];
        for (int b = 0; b < replicas; b++)
        {
            progress[b] = new BackupProgress();
        }
    }

    BackupProgress of(final int replica)
    {
        return progress[replica];
    }

    int size()
    {
        return progress.length;
    }

    /**
     * The clock starts with the first event: a backup counts as heard from and progressing at that moment.
     */
    void startClock(final long nowNs)
    {
        for (final BackupProgress p : progress)
        {
            p.lastHeardNs = nowNs;
            p.progressAtNs = nowNs;
        }
    }

    /**
     * The bootstrap primary of view 1: every backup starts in sync with the empty state.
     */
    void bootstrap()
    {
        for (int b = 0; b < progress.length; b++)
        {
            progress[b].inSync = b != self;
        }
    }

    int inSyncCount()
    {
        int count = 0;
        for (final BackupProgress p : progress)
        {
            if (p.inSync)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @return the highest index every in-sync backup has, at most {@code lastIndex}.
     */
    long inSyncMatch(final long lastIndex)
    {
        long match = lastIndex;
        for (final BackupProgress p : progress)
        {
            if (p.inSync)
            {
                match = Math.min(match, p.matchIndex);
            }
        }
        return match;
    }

    /**
     * @return the number of replicas (this one included) whose log reaches {@code index}.
     */
    int reaching(final long index)
    {
        int count = 1;
        for (int b = 0; b < progress.length; b++)
        {
            if (b != self && progress[b].matchIndex >= index)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @return the hop depth a commit that no ack triggered (the in-sync set shrank) continues: the deepest last ack
     * of the in-sync set, whose entries it commits; 1 (as an ack that started a path) when the set is empty.
     */
    int deepestAckDepth()
    {
        boolean any = false;
        int depth = 0;
        for (final BackupProgress p : progress)
        {
            if (p.inSync)
            {
                any = true;
                depth = Math.max(depth, p.lastAckDepth);
            }
        }
        return any ? depth : HopDepth.PATH_START;
    }

    /**
     * The service's view (pb-views=config-service): exactly these backups are required.
     */
    void require(final int[] members, final int count)
    {
        for (int b = 0; b < progress.length; b++)
        {
            progress[b].required = false;
        }
        for (int i = 0; i < count; i++)
        {
            progress[members[i]].required = members[i] != self;
        }
    }

    /**
     * @return the highest index every required backup has, at most {@code lastIndex} (pb-views=config-service).
     */
    long requiredMatch(final long lastIndex)
    {
        long match = lastIndex;
        for (final BackupProgress p : progress)
        {
            if (p.required)
            {
                match = Math.min(match, p.matchIndex);
            }
        }
        return match;
    }
}
