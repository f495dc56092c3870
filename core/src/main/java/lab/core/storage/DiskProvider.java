package lab.core.storage;

import java.util.ServiceLoader;

import lab.core.ProtocolSettings;

/**
 * Where a protocol's nodes get their {@link Disk}: set by the driver on {@link ProtocolSettings#diskProvider} (the
 * simulator's disks for torture), else the one registered with {@link ServiceLoader} (the harness's real files,
 * {@code lab.harness.storage.FileDiskProvider}), so that a protocol module never depends on how files are written.
 */
public interface DiskProvider
{
    /**
     * @param directory a folder the user named (e.g. option {@code raft-dir}), or "" for a temporary folder of this
     *                  provider that {@link #runEnded()} deletes.
     * @param nodeId    the node the disk is for: asked again for the same node (a restart in the same run), the
     *                  provider gives a disk holding what the node left on it.
     */
    Disk disk(String directory, int nodeId);

    /**
     * The run is over and its nodes stopped: delete temporary folders (never one the user named).
     */
    default void runEnded()
    {
    }

    /**
     * @return the settings' provider, else the first one registered with {@link ServiceLoader}.
     * @throws IllegalStateException when there is neither.
     */
    static DiskProvider of(final ProtocolSettings settings)
    {
        if (settings.diskProvider() != null)
        {
            return settings.diskProvider();
        }
        return ServiceLoader.load(DiskProvider.class).findFirst().orElseThrow(() -> new IllegalStateException(
            "no disk for a durable log: nothing set ProtocolSettings.diskProvider and no " +
            DiskProvider.class.getName() + " is registered (the harness registers real files)"));
    }
}
