package lab.core;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The replicated state machine of every protocol: a map from long keys to byte values with a version each.
 * A key's value buffer is allocated once, when the key is first written, and reused afterwards, so steady-state
 * writes allocate nothing.
 */
public final class KvStore
{
    /**
     * One key's current value.
     */
    public static final class Entry
    {
        private final long key;
        private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
        private int length;
        private long version;

        Entry(final long key)
        {
            this.key = key;
        }

        public long key()
        {
            return key;
        }

        public DirectBuffer value()
        {
            return value;
        }

        public int length()
        {
            return length;
        }

        public long version()
        {
            return version;
        }
    }

    /**
     * Visits entries, e.g. to stream a snapshot.
     */
    @FunctionalInterface
    public interface EntryVisitor
    {
        void visit(Entry entry);
    }

    private final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();

    public Entry get(final long key)
    {
        return entries.get(key);
    }

    public void put(final long key, final DirectBuffer src, final int offset, final int length, final long version)
    {
        Entry entry = entries.get(key);
        if (entry == null)
        {
            entry = new Entry(key);
            entries.put(key, entry);
        }
        entry.value.putBytes(0, src, offset, length);
        entry.length = length;
        entry.version = version;
    }

    public int size()
    {
        return entries.size();
    }

    public void clear()
    {
        entries.clear();
    }

    public void forEach(final EntryVisitor visitor)
    {
        for (final Entry e : entries.values())
        {
            visitor.visit(e);
        }
    }

    /**
     * Copies a value into {@code dst}.
     *
     * @return its length, or -1 if the key was never written.
     */
    public int copyValue(final long key, final MutableDirectBuffer dst, final int dstOffset)
    {
        final Entry entry = entries.get(key);
        if (entry == null)
        {
            return -1;
        }
        dst.putBytes(dstOffset, entry.value, 0, entry.length);
        return entry.length;
    }
}
