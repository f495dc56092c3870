package lab.core.storage;

import java.util.List;

/**
 * A node's folder of named files, the only way a protocol reaches durable storage: the protocol decides what to
 * write and when to sync (at {@code flush}, before it sends what depends on it), the driver decides what the disk
 * is: real files ({@code lab.harness.storage.FileDisk}), memory ({@link MemoryDisk}), or the simulator's disk that
 * loses or tears what was not synced when its node loses power ({@code lab.harness.sim.SimDisk}). So the same
 * protocol code runs over all three, and a protocol never opens a file on its own.
 *
 * <p>Names are flat (no folders). Several nodes may share one folder (one process running a whole cluster), so a
 * protocol prefixes its names with the node id.
 */
public interface Disk
{
    /**
     * @return the file of that name, created empty if there is none; its writes go after what it holds.
     */
    DiskFile open(String name);

    /**
     * @return an empty file of that name, replacing whatever the name held.
     */
    DiskFile create(String name);

    boolean exists(String name);

    /**
     * @return the names that start with {@code prefix}, sorted.
     */
    List<String> list(String prefix);

    /**
     * Removes the file (a handle still open on it must not be used again); nothing happens if there is none.
     */
    void delete(String name);

    /**
     * Makes the folder's names durable (fsync of the directory): a file created, replaced or deleted since the last
     * call may, after a power cut, be missing again, or back, whatever syncs of its contents said. A protocol that
     * counts a new file's records as durable calls this after creating it and before it relies on them. A delete in
     * the background ({@link #deleteInBackground}) is made durable by a later call once it is done. Throws
     * {@link DiskFailure} on an I/O error.
     */
    void syncDirectory();

    /**
     * Removes a file the caller will never open again under this name, possibly later and on another thread: a
     * real disk frees a large file's pages off the caller's thread (deleting a 1 GB segment on the node thread
     * stalled it for milliseconds). Disks without that cost delete at once.
     */
    default void deleteInBackground(final String name)
    {
        delete(name);
    }
}
