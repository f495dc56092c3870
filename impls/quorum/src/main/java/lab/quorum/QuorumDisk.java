package lab.quorum;

import lab.core.KvStore;
import org.agrona.collections.Long2LongHashMap;

/**
 * What a quorum replica keeps across a crash with {@code quorum-storage=durable}, as if written to disk before it
 * answers: the versions it stored, and, as a replica coordinator, the last ABD write each client session asked it to
 * run. With volatile storage a restart gets a fresh one.
 */
final class QuorumDisk
{
    private final KvStore store = new KvStore();
    private final Long2LongHashMap startedWrites = new Long2LongHashMap(0);

    KvStore store()
    {
        return store;
    }

    /**
     * @return the seq of the last write this coordinator started for the session, 0 if none.
     */
    long startedWrite(final long sessionId)
    {
        return startedWrites.get(sessionId);
    }

    void recordStartedWrite(final long sessionId, final long seq)
    {
        startedWrites.put(sessionId, seq);
    }
}
