package lab.core.storage;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One open file of a {@link Disk}. Writes are durable only after {@link #sync()} returns: until then a crash of the
 * machine (not of the process) may lose them, or keep a torn prefix of them. Methods throw {@link DiskFailure} on
 * an I/O error.
 *
 * <p>A real disk writes straight from a buffer that wraps direct memory (an Agrona buffer over a direct
 * {@link java.nio.ByteBuffer}) without copying; pass such buffers on hot paths.
 */
public interface DiskFile
{
    String name();

    /**
     * @return bytes in the file, written ones included whether synced or not.
     */
    long size();

    /**
     * Writes {@code length} bytes at the end of the file.
     */
    void append(DirectBuffer source, int offset, int length);

    /**
     * Writes {@code length} bytes at {@code position} (at most {@link #size()}), overwriting what is there.
     */
    void write(long position, DirectBuffer source, int offset, int length);

    /**
     * Reads up to {@code length} bytes from {@code position}.
     *
     * @return the bytes read: fewer than asked only at the end of the file (0 at or past it).
     */
    int read(long position, MutableDirectBuffer destination, int offset, int length);

    /**
     * Cuts the file to {@code size} bytes (not more than it holds); durable after the next {@link #sync()}.
     */
    void truncate(long size);

    /**
     * Makes every write to this file so far durable (fsync). A failed sync throws {@link DiskFailure}, and what was
     * not synced may then be lost whatever later syncs say (Linux marks the pages clean after reporting the error
     * once: PostgreSQL's "fsyncgate"), so the caller must stop and recover from what is durable: crash the node.
     */
    void sync();

    /**
     * Releases the handle. What was written stays written (and as durable as it was).
     */
    void close();
}
