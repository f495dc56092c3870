package lab.chain;

import lab.harness.api.KvStore;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Serialized replica state for the state transfer to a joining tail: [entries int][sessions int] then per entry
 * [key long][version long][length int][bytes], then per session [id long][seq long][version long].
 * Sessions whose write is newer than the snapshot are included too: the writes that follow the snapshot set them
 * again, and a client never retries an older write once it has sent a newer one.
 */
final class SnapshotFormat
{
    private SnapshotFormat()
    {
    }

    static int write(final KvStore store, final Long2ObjectHashMap<Session> sessions, final ExpandableArrayBuffer out)
    {
        final int[] position = {8};
        store.forEach(e ->
        {
            final int p = position[0];
            out.putLong(p, e.key());
            out.putLong(p + 8, e.version());
            out.putInt(p + 16, e.length());
            out.putBytes(p + 20, e.value(), 0, e.length());
            position[0] = p + 20 + e.length();
        });
        int p = position[0];
        for (final Long2ObjectHashMap<Session>.EntryIterator it = sessions.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Session s = it.getValue();
            out.putLong(p, it.getLongKey());
            out.putLong(p + 8, s.seq);
            out.putLong(p + 16, s.version);
            p += 24;
        }
        out.putInt(0, store.size());
        out.putInt(4, sessions.size());
        return p;
    }

    static void read(final ExpandableArrayBuffer in, final int length, final KvStore store,
        final Long2ObjectHashMap<Session> sessions)
    {
        store.clear();
        sessions.clear();
        final int entries = in.getInt(0);
        final int sessionCount = in.getInt(4);
        int p = 8;
        for (int i = 0; i < entries; i++)
        {
            final long key = in.getLong(p);
            final long version = in.getLong(p + 8);
            final int valueLength = in.getInt(p + 16);
            store.put(key, in, p + 20, valueLength, version);
            p += 20 + valueLength;
        }
        for (int i = 0; i < sessionCount; i++)
        {
            sessions.put(in.getLong(p), new Session(in.getLong(p + 8), in.getLong(p + 16)));
            p += 24;
        }
        if (p != length)
        {
            throw new IllegalStateException("corrupt snapshot: read " + p + " of " + length + " bytes");
        }
    }
}
