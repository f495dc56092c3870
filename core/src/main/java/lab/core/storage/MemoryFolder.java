package lab.core.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What every {@link Disk} kept in memory shares: a sorted folder of named files, each file's bytes, and a handle that
 * reads and writes them within the {@link DiskFile} contract's bounds. {@link MemoryDisk} (every write durable at
 * once) and the simulator's {@code lab.harness.sim.SimDisk} (which keeps unsynced writes apart, to lose or tear them
 * in a power cut) differ only in what their files keep besides the bytes and in what a write, a truncation and a
 * sync do: the hooks of {@link Handle}.
 *
 * @param <C> a file's content: its bytes and whatever else the disk keeps per file.
 */
public abstract class MemoryFolder<C extends MemoryFolder.Bytes> implements Disk
{
    private final TreeMap<String, C> files = new TreeMap<>();

    /**
     * A file's bytes, as reads see them: what every handle on the name shares.
     */
    public static class Bytes
    {
        public final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
        public long size;
    }

    /**
     * A handle on one file's content. Subclasses add {@link #sync()} and may watch writes and truncations.
     */
    public abstract static class Handle<C extends Bytes> implements DiskFile
    {
        protected final String name;
        protected final C content;

        protected Handle(final String name, final C content)
        {
            this.name = name;
            this.content = content;
        }

        /**
         * A write of {@code length} bytes from {@code source} at {@code position} has just been applied.
         */
        protected void written(final long position, final DirectBuffer source, final int offset, final int length)
        {
        }

        /**
         * The file has just been cut to {@code size}.
         */
        protected void truncated(final long size)
        {
        }

        public String name()
        {
            return name;
        }

        public long size()
        {
            return content.size;
        }

        public void append(final DirectBuffer source, final int offset, final int length)
        {
            write(content.size, source, offset, length);
        }

        public void write(final long position, final DirectBuffer source, final int offset, final int length)
        {
            if (position < 0 || position > content.size)
            {
                throw new IllegalArgumentException("write at " + position + " past the end of " + name + " (" +
                    content.size + " bytes)");
            }
            content.bytes.putBytes(Math.toIntExact(position), source, offset, length);
            content.size = Math.max(content.size, position + length);
            written(position, source, offset, length);
        }

        public int read(final long position, final MutableDirectBuffer destination, final int offset,
            final int length)
        {
            final int n = (int)Math.max(0, Math.min(length, content.size - position));
            if (n > 0)
            {
                destination.putBytes(offset, content.bytes, (int)position, n);
            }
            return n;
        }

        public void truncate(final long size)
        {
            if (size < 0 || size > content.size)
            {
                throw new IllegalArgumentException("truncate " + name + " to " + size + " of " + content.size);
            }
            content.size = size;
            truncated(size);
        }

        public void close()
        {
        }
    }

    /**
     * @return the content of a new, empty file.
     */
    protected abstract C newContent();

    /**
     * @return a handle on {@code content}, the file named {@code name}.
     */
    protected abstract DiskFile handle(String name, C content);

    /**
     * @return every file's content, in name order.
     */
    protected final Collection<C> contents()
    {
        return files.values();
    }

    /**
     * @return a copy of the folder's names and the contents they point at now.
     */
    protected final TreeMap<String, C> names()
    {
        return new TreeMap<>(files);
    }

    /**
     * Puts the folder back to these names (a simulated disk's power cut restores the names last synced).
     */
    protected final void restoreNames(final java.util.Map<String, C> names)
    {
        files.clear();
        files.putAll(names);
    }

    public DiskFile open(final String name)
    {
        return handle(name, files.computeIfAbsent(name, n -> newContent()));
    }

    public DiskFile create(final String name)
    {
        final C content = newContent();
        files.put(name, content);
        return handle(name, content);
    }

    public boolean exists(final String name)
    {
        return files.containsKey(name);
    }

    public List<String> list(final String prefix)
    {
        final List<String> names = new ArrayList<>();
        for (final String name : files.tailMap(prefix, true).keySet())
        {
            if (!name.startsWith(prefix))
            {
                break;
            }
            names.add(name);
        }
        return names;
    }

    public void delete(final String name)
    {
        files.remove(name);
    }
}
