package lab.raft;

import lab.harness.api.ClientSession;
import lab.harness.api.KvStore;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The state machine as bytes, for snapshots: {@code [entries int][sessions int]}, then per entry
 * {@code [key long][version long][length int][bytes]}, then per session {@code [id long][seq long][version long]}.
 * Sessions travel with the state so that a write retried after a snapshot is still applied once.
 */
final class SnapshotCodec
{
    private final ExpandableArrayBuffer out;
    private int position;
    private final KvStore.EntryVisitor writer = this::writeEntry;

    SnapshotCodec(final ExpandableArrayBuffer out)
    {
        this.out = out;
    }

    ExpandableArrayBuffer buffer()
    {
        return out;
    }

    int write(final KvStore store, final Long2ObjectHashMap<ClientSession> sessions)
    {
        position = 8;
        store.forEach(writer);
        int p = position;
        final Long2ObjectHashMap<ClientSession>.EntryIterator it = sessions.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            final ClientSession s = it.getValue();
            out.putLong(p, it.getLongKey());
            out.putLong(p + 8, s.seq);
            out.putLong(p + 16, s.version);
            p += 24;
        }
        out.putInt(0, store.size());
        out.putInt(4, sessions.size());
        return p;
    }

    private void writeEntry(final KvStore.Entry e)
    {
        final int p = position;
        out.putLong(p, e.key());
        out.putLong(p + 8, e.version());
        out.putInt(p + 16, e.length());
        out.putBytes(p + 20, e.value(), 0, e.length());
        position = p + 20 + e.length();
    }

    static void read(final DirectBuffer in, final int offset, final int length, final KvStore store,
        final Long2ObjectHashMap<ClientSession> sessions)
    {
        store.clear();
        sessions.clear();
        if (length == 0)
        {
            return;
        }
        final int entries = in.getInt(offset);
        final int sessionCount = in.getInt(offset + 4);
        int p = offset + 8;
        for (int i = 0; i < entries; i++)
        {
            final int valueLength = in.getInt(p + 16);
            store.put(in.getLong(p), in, p + 20, valueLength, in.getLong(p + 8));
            p += 20 + valueLength;
        }
        for (int i = 0; i < sessionCount; i++)
        {
            sessions.put(in.getLong(p), new ClientSession(in.getLong(p + 8), in.getLong(p + 16)));
            p += 24;
        }
        if (p != offset + length)
        {
            throw new IllegalStateException("corrupt snapshot: read " + (p - offset) + " of " + length + " bytes");
        }
    }
}
