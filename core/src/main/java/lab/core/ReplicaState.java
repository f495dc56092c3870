package lab.core;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A replica's state machine state: the key-value store and the client sessions that make retried writes apply once.
 * It installs a state transfer by reading it into a spare copy and swapping, so until the last byte has arrived the
 * old state stays whole: a replica never votes or serves with half a state.
 */
public final class ReplicaState
{
    private KvStore store = new KvStore();
    private KvStore spareStore = new KvStore();
    private Long2ObjectHashMap<ClientSession> sessions = new Long2ObjectHashMap<>();
    private Long2ObjectHashMap<ClientSession> spareSessions = new Long2ObjectHashMap<>();

    public KvStore store()
    {
        return store;
    }

    public Long2ObjectHashMap<ClientSession> sessions()
    {
        return sessions;
    }

    /**
     * @return the session of this client, or null if it never wrote.
     */
    public ClientSession session(final long clientId)
    {
        return sessions.get(clientId);
    }

    /**
     * Records that the client's write {@code seq} got {@code version} (a session is allocated once per client). A
     * session never moves back to an older write (a late duplicate).
     */
    public void recordWrite(final long clientId, final long seq, final long version)
    {
        final ClientSession session = sessions.get(clientId);
        if (session == null)
        {
            sessions.put(clientId, new ClientSession(seq, version));
        }
        else if (seq >= session.seq)
        {
            session.seq = seq;
            session.version = version;
        }
    }

    /**
     * @see StateSnapshot#write
     */
    public int writeSnapshot(final long maxSessionVersion, final ExpandableArrayBuffer out)
    {
        return StateSnapshot.write(store, sessions, maxSessionVersion, out);
    }

    /**
     * Replaces the state with a complete snapshot.
     *
     * @return false, with the state untouched, when the bytes are not one whole snapshot
     * ({@link StateSnapshot#isWhole}): the transfer was corrupted or forged.
     */
    public boolean installSnapshot(final DirectBuffer in, final int length)
    {
        if (!StateSnapshot.isWhole(in, length))
        {
            return false;
        }
        StateSnapshot.read(in, length, spareStore, spareSessions);
        final KvStore oldStore = store;
        store = spareStore;
        spareStore = oldStore;
        final Long2ObjectHashMap<ClientSession> oldSessions = sessions;
        sessions = spareSessions;
        spareSessions = oldSessions;
        spareStore.clear();
        spareSessions.clear();
        return true;
    }

    public void clear()
    {
        store.clear();
        sessions.clear();
    }
}
