package lab.primarybackup;

import lab.core.Outbox;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.ReplicateDecoder;
import org.agrona.ExpandableArrayBuffer;

/**
 * The primary's recent log entries, each kept as the encoded Replicate message that carried it, in a ring of
 * {@code pendingCapacity} slots (a power of two): applied from there at commit, resent from there to a backup that
 * fell behind. An entry's buffer is allocated the first time its slot is used, then reused. Entries from before
 * the current reign ({@link #startAt}) or overwritten by newer ones are gone: such a backup gets a snapshot.
 */
final class EntryRing
{
    private final ExpandableArrayBuffer[] entries;
    private final int[] lengths;
    private final int mask;
    private long firstIndex;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplicateDecoder entryDecoder = new ReplicateDecoder();

    EntryRing(final int capacity)
    {
        entries = new ExpandableArrayBuffer[capacity];
        lengths = new int[capacity];
        mask = capacity - 1;
    }

    int capacity()
    {
        return entries.length;
    }

    /**
     * A new reign: entries start at {@code index}.
     */
    void startAt(final long index)
    {
        firstIndex = index;
    }

    /**
     * @return the buffer to encode entry {@code index} into; {@link #written} then records its length.
     */
    ExpandableArrayBuffer slot(final long index)
    {
        final int slot = (int)(index & mask);
        ExpandableArrayBuffer entry = entries[slot];
        if (entry == null)
        {
            entry = new ExpandableArrayBuffer(256);
            entries[slot] = entry;
        }
        return entry;
    }

    void written(final long index, final int length)
    {
        lengths[(int)(index & mask)] = length;
    }

    /**
     * @return whether the entries from {@code from} to {@code lastIndex} are all still here.
     */
    boolean holdsFrom(final long from, final long lastIndex)
    {
        return from >= firstIndex && from > lastIndex - entries.length;
    }

    void send(final Outbox out, final int to, final long index)
    {
        final int slot = (int)(index & mask);
        out.send(to, entries[slot], 0, lengths[slot]);
    }

    /**
     * @return entry {@code index} decoded (the flyweight is reused: valid until the next call).
     */
    ReplicateDecoder entry(final long index)
    {
        final ExpandableArrayBuffer entry = entries[(int)(index & mask)];
        return entryDecoder.wrapAndApplyHeader(entry, 0, headerDecoder.wrap(entry, 0));
    }
}
