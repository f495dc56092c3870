package lab.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import lab.harness.storage.FileDisk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every log record carries a CRC32C checked at recovery: a torn or corrupted tail of the last segment is cut at the
 * first bad record (and counted); a bad record before valid data, or in an older segment, is corruption of synced
 * data and stops recovery unless fsync is none.
 */
class FileStorageChecksumTest
{
    private static final UnsafeBuffer VALUE = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5});
    private static final String SEGMENT = "raft-0-0000000000.seg";

    @TempDir
    Path dir;

    private static void append(final FileStorage storage, final long seq)
    {
        storage.appended(storage.log().append(1, 7, seq, seq * 10, VALUE, 0, 5, 1));
    }

    /**
     * Entries 1..count of term 1, synced one at a time (one record per write), in one segment.
     *
     * @return each entry's record offset in the segment, [0] the end of the file.
     */
    private long[] writeEntries(final FileStorage.Fsync fsync, final int count) throws IOException
    {
        final FileStorage storage = new FileStorage(new FileDisk(dir), 0, 64, fsync, true);
        final long[] offsets = new long[count + 1];
        for (int i = 1; i <= count; i++)
        {
            offsets[i] = Files.size(dir.resolve(SEGMENT));
            append(storage, i);
            storage.sync();
        }
        offsets[0] = Files.size(dir.resolve(SEGMENT));
        storage.close();
        return offsets;
    }

    private FileStorage recover(final FileStorage.Fsync fsync)
    {
        return new FileStorage(new FileDisk(dir), 0, 64, fsync, false);
    }

    private void overwrite(final String name, final long offset, final byte[] bytes) throws IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve(name),
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.wrap(bytes), offset);
        }
    }

    @ParameterizedTest
    @EnumSource(FileStorage.Fsync.class)
    void aTornLastRecordWithGarbageAfterItIsCutAndCounted(final FileStorage.Fsync fsync) throws IOException
    {
        final long[] at = writeEntries(fsync, 5);
        // A power cut tore entry 5's write: a prefix of it, then garbage up to the end of a 512-byte sector.
        final byte[] garbage = new byte[(int)(512 - (at[5] + 20) % 512)];
        new java.util.Random(3).nextBytes(garbage);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve(SEGMENT),
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(at[5] + 20);
            channel.write(java.nio.ByteBuffer.wrap(garbage), at[5] + 20);
        }

        final FileStorage recovered = recover(fsync);
        assertEquals(4, recovered.log().lastIndex(), "entries 1..4 whole, the torn one cut");
        assertEquals(1, recovered.tornTails());
        assertEquals(at[5], Files.size(dir.resolve(SEGMENT)), "the file is cut at the bad record");
        recovered.close();
        assertEquals(0, recover(fsync).tornTails(), "and stays cut: the next recovery finds nothing to cut");
    }

    @ParameterizedTest
    @EnumSource(FileStorage.Fsync.class)
    void aCorruptedLastRecordIsCutLikeATornOne(final FileStorage.Fsync fsync) throws IOException
    {
        final long[] at = writeEntries(fsync, 5);
        overwrite(SEGMENT, at[5] + 30, new byte[] {(byte)0x5a}); // a flipped byte inside the value-free header

        final FileStorage recovered = recover(fsync);
        assertEquals(4, recovered.log().lastIndex());
        assertEquals(1, recovered.tornTails());
    }

    @ParameterizedTest
    @EnumSource(value = FileStorage.Fsync.class, names = {"ALWAYS", "BATCH"})
    void aBadRecordBeforeValidOnesIsAnErrorNotSilentLoss(final FileStorage.Fsync fsync) throws IOException
    {
        final long[] at = writeEntries(fsync, 5);
        overwrite(SEGMENT, at[3] + 30, new byte[] {(byte)0x5a}); // entry 3 of 5: entries 4 and 5 were synced after

        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> recover(fsync));
        assertTrue(error.getMessage().contains("byte " + at[3] + " of " + SEGMENT), error.getMessage());
        assertEquals(at[0], Files.size(dir.resolve(SEGMENT)), "nothing cut");
    }

    @Test
    void withoutFsyncABadRecordEndsTheLogThere() throws IOException
    {
        final long[] at = writeEntries(FileStorage.Fsync.NONE, 5);
        overwrite(SEGMENT, at[3] + 30, new byte[] {(byte)0x5a});

        final FileStorage recovered = recover(FileStorage.Fsync.NONE);
        assertEquals(2, recovered.log().lastIndex(), "fsync=none claims no durability: cut, not refused");
        assertEquals(1, recovered.tornTails());
    }

    @ParameterizedTest
    @EnumSource(value = FileStorage.Fsync.class, names = {"ALWAYS", "BATCH"})
    void aBadRecordInAnOlderSegmentIsAnError(final FileStorage.Fsync fsync) throws IOException
    {
        final FileStorage storage = new FileStorage(new FileDisk(dir), 0, 64, fsync, true, 200);
        for (int i = 1; i <= 12; i++)
        {
            append(storage, i);
            storage.sync();
        }
        storage.close();
        final long last = Files.size(dir.resolve(SEGMENT));
        overwrite(SEGMENT, last - 10, new byte[] {(byte)0x5a}); // the end of the first of several segments

        final IllegalStateException error = assertThrows(IllegalStateException.class, () ->
            new FileStorage(new FileDisk(dir), 0, 64, fsync, false, 200));
        assertTrue(error.getMessage().contains("before the segments after it"), error.getMessage());
    }

    @Test
    void aTruncationRecordIsCheckedToo() throws IOException
    {
        final FileStorage storage = new FileStorage(new FileDisk(dir), 0, 64, FileStorage.Fsync.BATCH, true);
        append(storage, 1);
        append(storage, 2);
        storage.log().truncateFrom(2);
        storage.truncated(2);
        storage.sync();
        storage.close();
        // The truncation (the last record, 17 bytes) with a wrong byte: cut, so entry 2 is back as it was written
        // before the truncation, which was torn and so never synced.
        overwrite(SEGMENT, Files.size(dir.resolve(SEGMENT)) - 3, new byte[] {(byte)0xff});
        final FileStorage cut = recover(FileStorage.Fsync.BATCH);
        assertEquals(1, cut.tornTails());
        assertEquals(2, cut.log().lastIndex());
    }

    @Test
    void aHardStateRecordIsCheckedToo() throws IOException
    {
        writeEntries(FileStorage.Fsync.BATCH, 2);
        overwrite(SEGMENT, 12, new byte[] {(byte)0x77}); // the segment's first record, its term
        assertThrows(IllegalStateException.class, () -> recover(FileStorage.Fsync.BATCH), "entries follow it");
    }
}
