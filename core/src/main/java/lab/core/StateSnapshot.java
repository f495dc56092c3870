package lab.core;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A replica's state serialized for state transfer (a new primary's backups, a chain node joining at the tail):
 * [entries int][sessions int], then per entry [key long][version long][length int][bytes], then per session
 * [id long][seq long][version long]. Allocation happens only here, at a state transfer, never per message.
 */
public final class StateSnapshot
{
    private StateSnapshot()
    {
    }

    /**
     * @param maxSessionVersion sessions whose write is newer than this are left out (their write is not in the
     *                          snapshot); {@link Long#MAX_VALUE} keeps them all.
     * @return the serialized length, from offset 0 of {@code out}.
     */
    public static int write(final KvStore store, final Long2ObjectHashMap<ClientSession> sessions,
        final long maxSessionVersion, final ExpandableArrayBuffer out)
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
        int sessionCount = 0;
        int p = position[0];
        for (final Long2ObjectHashMap<ClientSession>.EntryIterator it = sessions.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final ClientSession s = it.getValue();
            if (s.version <= maxSessionVersion)
            {
                out.putLong(p, it.getLongKey());
                out.putLong(p + 8, s.seq);
                out.putLong(p + 16, s.version);
                p += 24;
                sessionCount++;
            }
        }
        out.putInt(0, store.size());
        out.putInt(4, sessionCount);
        return p;
    }

    /**
     * @return whether {@code length} bytes of {@code in} are exactly one whole snapshot: counts not negative, every
     * entry and session inside the length, nothing after the last. A state transfer arrives in chunks that each passed
     * the decoder's checks, but only the whole can be checked; a replica installs nothing that fails.
     */
    public static boolean isWhole(final DirectBuffer in, final int length)
    {
        if (length < 8 || length > in.capacity())
        {
            return false;
        }
        final int entries = in.getInt(0);
        final int sessionCount = in.getInt(4);
        if (entries < 0 || sessionCount < 0)
        {
            return false;
        }
        long p = 8;
        for (int i = 0; i < entries; i++)
        {
            if (p + 20 > length)
            {
                return false;
            }
            final int valueLength = in.getInt((int)p + 16);
            if (valueLength < 0 || p + 20 + valueLength > length)
            {
                return false;
            }
            p += 20 + valueLength;
        }
        return p + 24L * sessionCount == length;
    }

    /**
     * Replaces {@code store} and {@code sessions} with the snapshot's content.
     *
     * @throws IllegalStateException when the bytes are not a whole snapshot.
     */
    public static void read(final DirectBuffer in, final int length, final KvStore store,
        final Long2ObjectHashMap<ClientSession> sessions)
    {
        store.clear();
        sessions.clear();
        final int entries = in.getInt(0);
        final int sessionCount = in.getInt(4);
        int p = 8;
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
        if (p != length)
        {
            throw new IllegalStateException("corrupt snapshot: read " + p + " of " + length + " bytes");
        }
    }
}
