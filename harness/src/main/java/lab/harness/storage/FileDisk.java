package lab.harness.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import lab.core.storage.Disk;
import lab.core.storage.DiskFailure;
import lab.core.storage.DiskFile;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A {@link Disk} over a real folder: one {@link FileChannel} per open file, {@code force(false)} (fdatasync) for
 * {@link DiskFile#sync()}. A buffer that wraps a direct {@link ByteBuffer} is written and read in place (no copy, no
 * allocation: the Raft log's staging buffer is one); others go through a direct scratch buffer.
 *
 * <p>Not thread-safe, except that {@link #deleteInBackground} hands the close and unlink to one daemon thread shared
 * by every FileDisk, so that the kernel frees a large file's pages off the node thread. The name itself goes at
 * once, on the caller's thread: the file is first renamed to a name of its own ({@value #TRASH_PREFIX}...), which no
 * listing with a protocol's prefix shows, and only that name is unlinked later. Deleting the name later raced with
 * a node restarted on the same folder: its recovery listed a segment the old instance's pending delete then removed
 * (a {@code NoSuchFileException} under load), or a fresh node created a segment of the same name and the pending
 * delete removed the new file.
 */
public final class FileDisk implements Disk
{
    private static final ExecutorService JANITOR = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "disk-janitor");
        t.setDaemon(true);
        return t;
    });

    /** Names of files renamed for a background delete: no protocol prefix starts with it. */
    static final String TRASH_PREFIX = ".deleting-";
    private static final java.util.concurrent.atomic.AtomicLong TRASHED = new java.util.concurrent.atomic.AtomicLong();

    private final Path dir;
    private final java.util.concurrent.Executor janitor;
    private final List<Handle> handles = new ArrayList<>();
    private ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);

    public FileDisk(final Path dir)
    {
        this(dir, JANITOR);
    }

    /**
     * @param janitor runs the background unlinks ({@link #deleteInBackground}); a test passes its own to decide
     * when they happen.
     */
    public FileDisk(final Path dir, final java.util.concurrent.Executor janitor)
    {
        this.dir = dir;
        this.janitor = janitor;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new DiskFailure("cannot create " + dir, ex);
        }
        // What a process that died before its janitor ran left (a live disk's pending one may go early: its janitor
        // then finds nothing to unlink).
        try (Stream<Path> files = Files.list(dir))
        {
            files.filter(p -> p.getFileName().toString().startsWith(TRASH_PREFIX)).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            // a leftover only costs disk space
        }
    }

    public Path dir()
    {
        return dir;
    }

    private final class Handle implements DiskFile
    {
        private final String name;
        private final FileChannel channel;
        private long size;

        Handle(final String name, final boolean truncate) throws IOException
        {
            this.name = name;
            channel = truncate ?
                FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING) :
                FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            size = channel.size();
        }

        public String name()
        {
            return name;
        }

        public long size()
        {
            return size;
        }

        public void append(final DirectBuffer source, final int offset, final int length)
        {
            write(size, source, offset, length);
        }

        public void write(final long position, final DirectBuffer source, final int offset, final int length)
        {
            final ByteBuffer bytes = outgoing(source, offset, length);
            try
            {
                long p = position;
                while (bytes.hasRemaining())
                {
                    p += channel.write(bytes, p);
                }
                size = Math.max(size, p);
            }
            catch (final IOException ex)
            {
                throw new DiskFailure("write " + dir.resolve(name), ex);
            }
        }

        public int read(final long position, final MutableDirectBuffer destination, final int offset,
            final int length)
        {
            final ByteBuffer direct = destination.byteBuffer();
            final boolean inPlace = direct != null && direct.isDirect();
            final ByteBuffer bytes;
            if (inPlace)
            {
                final int start = destination.wrapAdjustment() + offset;
                bytes = direct.clear().position(start).limit(start + length);
            }
            else
            {
                bytes = scratch(length);
            }
            try
            {
                int n = 0;
                while (bytes.hasRemaining())
                {
                    final int r = channel.read(bytes, position + n);
                    if (r < 0)
                    {
                        break;
                    }
                    n += r;
                }
                if (!inPlace && n > 0)
                {
                    destination.putBytes(offset, bytes.flip(), 0, n);
                }
                return n;
            }
            catch (final IOException ex)
            {
                throw new DiskFailure("read " + dir.resolve(name), ex);
            }
        }

        public void truncate(final long newSize)
        {
            try
            {
                channel.truncate(newSize);
                size = newSize;
            }
            catch (final IOException ex)
            {
                throw new DiskFailure("truncate " + dir.resolve(name), ex);
            }
        }

        public void sync()
        {
            try
            {
                channel.force(false);
            }
            catch (final IOException ex)
            {
                throw new DiskFailure("fsync " + dir.resolve(name), ex);
            }
        }

        public void close()
        {
            handles.remove(this);
            closeChannel();
        }

        void closeChannel()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // closing after a crash or at shutdown: nothing left to save
            }
        }
    }

    /**
     * @return the bytes to write as a ByteBuffer, positioned: the source's own when it wraps direct memory.
     */
    private ByteBuffer outgoing(final DirectBuffer source, final int offset, final int length)
    {
        final ByteBuffer direct = source.byteBuffer();
        if (direct != null && direct.isDirect())
        {
            final int start = source.wrapAdjustment() + offset;
            return direct.clear().position(start).limit(start + length);
        }
        final ByteBuffer bytes = scratch(length);
        source.getBytes(offset, bytes, 0, length);
        return bytes;
    }

    private ByteBuffer scratch(final int length)
    {
        if (scratch.capacity() < length)
        {
            scratch = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1);
        }
        return scratch.clear().limit(length);
    }

    public DiskFile open(final String name)
    {
        return track(name, false);
    }

    public DiskFile create(final String name)
    {
        return track(name, true);
    }

    private DiskFile track(final String name, final boolean truncate)
    {
        try
        {
            final Handle handle = new Handle(name, truncate);
            handles.add(handle);
            return handle;
        }
        catch (final IOException ex)
        {
            throw new DiskFailure("open " + dir.resolve(name), ex);
        }
    }

    public boolean exists(final String name)
    {
        return Files.exists(dir.resolve(name));
    }

    public List<String> list(final String prefix)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new DiskFailure("list " + dir, ex);
        }
    }

    public void delete(final String name)
    {
        closeHandles(name).forEach(Handle::closeChannel);
        try
        {
            Files.deleteIfExists(dir.resolve(name));
        }
        catch (final IOException ex)
        {
            throw new DiskFailure("delete " + dir.resolve(name), ex);
        }
    }

    public void deleteInBackground(final String name)
    {
        final List<Handle> open = closeHandles(name);
        final Path trash = dir.resolve(TRASH_PREFIX + TRASHED.incrementAndGet() + "-" + name);
        try
        {
            // The name goes now (a rename is metadata only); the pages are freed by the unlink, off this thread.
            Files.move(dir.resolve(name), trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            open.forEach(Handle::closeChannel);
            return; // nothing of that name
        }
        catch (final IOException ex)
        {
            open.forEach(Handle::closeChannel);
            throw new DiskFailure("delete " + dir.resolve(name), ex);
        }
        janitor.execute(() ->
        {
            open.forEach(Handle::closeChannel);
            trash.toFile().delete(); // a file that cannot be deleted only costs disk space
        });
    }

    /**
     * {@code fsync} of the folder itself, so that files created, renamed or deleted in it stay so after a power cut.
     */
    public void syncDirectory()
    {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ))
        {
            folder.force(true);
        }
        catch (final IOException ex)
        {
            throw new DiskFailure("fsync " + dir, ex);
        }
    }

    private List<Handle> closeHandles(final String name)
    {
        final List<Handle> open = new ArrayList<>();
        handles.removeIf(h ->
        {
            final boolean match = h.name.equals(name);
            if (match)
            {
                open.add(h);
            }
            return match;
        });
        return open;
    }
}
