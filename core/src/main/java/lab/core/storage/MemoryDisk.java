package lab.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A {@link Disk} in memory on which every write is durable at once (nothing is lost in a crash that keeps this
 * object): for tests, and for a node whose "disk" the driver keeps across the restarts of one process.
 */
public final class MemoryDisk implements Disk
{
    private final TreeMap<String, Content> files = new TreeMap<>();

    /**
     * A file's bytes: what every handle on the name shares.
     */
    private static final class Content
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
        long size;
    }

    private final class Handle implements DiskFile
    {
        private final String name;
        private final Content content;

        Handle(final String name, final Content content)
        {
            this.name = name;
            this.content = content;
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
        }

        public void sync()
        {
        }

        public void close()
        {
        }
    }

    public DiskFile open(final String name)
    {
        return new Handle(name, files.computeIfAbsent(name, n -> new Content()));
    }

    public DiskFile create(final String name)
    {
        final Content content = new Content();
        files.put(name, content);
        return new Handle(name, content);
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

    /**
     * Nothing to do: memory has no power cut to survive.
     */
    public void syncDirectory()
    {
    }
}
