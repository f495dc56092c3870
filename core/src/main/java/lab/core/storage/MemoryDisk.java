package lab.core.storage;

/**
 * A {@link Disk} in memory on which every write is durable at once (nothing is lost in a crash that keeps this
 * object): for tests, and for a node whose "disk" the driver keeps across the restarts of one process.
 */
public final class MemoryDisk extends MemoryFolder<MemoryFolder.Bytes>
{
    private static final class DurableHandle extends Handle<Bytes>
    {
        DurableHandle(final String name, final Bytes content)
        {
            super(name, content);
        }

        public void sync()
        {
            // every write is durable at once
        }
    }

    protected Bytes newContent()
    {
        return new Bytes();
    }

    protected DiskFile handle(final String name, final Bytes content)
    {
        return new DurableHandle(name, content);
    }

    /**
     * Nothing to do: memory has no power cut to survive.
     */
    public void syncDirectory()
    {
    }
}
