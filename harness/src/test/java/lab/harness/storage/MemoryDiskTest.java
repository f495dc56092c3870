package lab.harness.storage;

import lab.core.storage.Disk;
import lab.core.storage.MemoryDisk;

class MemoryDiskTest extends DiskContract
{
    Disk disk()
    {
        return new MemoryDisk();
    }
}
