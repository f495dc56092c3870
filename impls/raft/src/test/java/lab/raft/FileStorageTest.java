package lab.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStorageTest
{
    private static final UnsafeBuffer VALUE = new UnsafeBuffer(new byte[]{1, 2, 3, 4, 5});

    @TempDir
    Path dir;

    private static void append(final FileStorage storage, final long term, final long seq)
    {
        final long index = storage.log().append(term, 7, seq, seq * 10, VALUE, 0, 5, 1);
        storage.appended(index);
    }

    @Test
    void shouldRecoverTermVoteAndEntriesAfterRestart()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, true);
        storage.saveHardState(3, 2);
        append(storage, 3, 1);
        append(storage, 3, 2);
        storage.sync();
        storage.close();

        final FileStorage recovered = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false);
        assertEquals(3, recovered.term());
        assertEquals(2, recovered.votedFor());
        assertEquals(2, recovered.log().lastIndex());
        assertEquals(20, recovered.log().key(2));
        assertEquals(5, recovered.log().value(2).getByte(4));
    }

    @Test
    void shouldForgetWhatWasNeverSyncedBeforeACrash()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.BATCH, true);
        append(storage, 1, 1);
        storage.sync();
        append(storage, 1, 2);
        storage.close();

        assertEquals(1, new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.BATCH, false).log().lastIndex());
    }

    @Test
    void shouldReplayATruncationOfAConflictingSuffix()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.ALWAYS, true);
        append(storage, 1, 1);
        append(storage, 1, 2);
        append(storage, 1, 3);
        storage.log().truncateFrom(2);
        storage.truncated(2);
        append(storage, 2, 4);
        storage.sync();
        storage.close();

        final RaftLog log = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.ALWAYS, false).log();
        assertEquals(2, log.lastIndex());
        assertEquals(2, log.termAt(2));
        assertEquals(4, log.seq(2));
    }

    @Test
    void shouldIgnoreATornRecordAtTheEndOfTheLog() throws IOException
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, true);
        append(storage, 1, 1);
        append(storage, 1, 2);
        storage.sync();
        storage.close();
        final Path file = dir.resolve("raft-0-0000000000.seg");
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3)); // killed mid-write

        assertEquals(1, new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false).log().lastIndex());
    }

    @Test
    void shouldRecoverFromTheSnapshotAndTheEntriesAfterIt()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.BATCH, true);
        storage.saveHardState(2, 0);
        for (int i = 1; i <= 10; i++)
        {
            append(storage, 2, i);
        }
        storage.log().compactTo(8, 2);
        storage.saveSnapshot(VALUE, 0, 5);
        append(storage, 2, 11);
        storage.sync();
        storage.close();

        final FileStorage recovered = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.BATCH, false);
        assertEquals(8, recovered.log().snapshotIndex());
        assertEquals(2, recovered.log().snapshotTerm());
        assertEquals(11, recovered.log().lastIndex());
        assertEquals(11, recovered.log().seq(11));
        assertEquals(5, recovered.snapshotLength());
        assertEquals(2, recovered.term());
    }

    @Test
    void shouldDeleteTheSegmentsASnapshotCoversAndRecoverFromTheRest() throws Exception
    {
        final int segmentBytes = 200; // a new segment after about four entries
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, true, segmentBytes);
        storage.saveHardState(4, 1);
        for (int i = 1; i <= 20; i++)
        {
            append(storage, 4, i);
            storage.sync();
        }
        final long before = segments();
        storage.log().compactTo(16, 4);
        storage.saveSnapshot(VALUE, 0, 5);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (segments() >= before && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(segments() < before, "covered segments deleted: " + before + " -> " + segments());
        append(storage, 4, 21);
        storage.sync();
        storage.close();

        final FileStorage recovered = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false, segmentBytes);
        assertEquals(16, recovered.log().snapshotIndex());
        assertEquals(21, recovered.log().lastIndex());
        assertEquals(17, recovered.log().seq(17));
        assertEquals(4, recovered.term());
        assertEquals(1, recovered.votedFor());
    }

    @Test
    void shouldRecoverTheNewerOfTheTwoSnapshotFiles()
    {
        final FileStorage storage = snapshotsAt8And12();
        storage.close();

        final FileStorage recovered = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false);
        assertEquals(12, recovered.log().snapshotIndex());
        assertEquals(3, recovered.snapshotLength());
        assertEquals(9, recovered.snapshot().getByte(0));
        assertEquals(14, recovered.log().lastIndex());
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewerIsTorn() throws IOException
    {
        final FileStorage storage = snapshotsAt8And12();
        storage.close();
        final Path newer = dir.resolve("raft-0.snap.1");
        final byte[] bytes = Files.readAllBytes(newer);
        bytes[bytes.length - 1] ^= 1; // a crash in the middle of overwriting it
        Files.write(newer, bytes);

        final FileStorage recovered = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false);
        assertEquals(8, recovered.log().snapshotIndex());
        assertEquals(5, recovered.snapshotLength());
        assertEquals(1, recovered.snapshot().getByte(0));
        assertEquals(14, recovered.log().lastIndex()); // the log still holds what the older snapshot does not cover
        assertEquals(9, recovered.log().seq(9));
    }

    /**
     * Entries 1..14 of term 2; a snapshot of 5 bytes at 8, then one of 3 bytes at 12.
     */
    private FileStorage snapshotsAt8And12()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, true);
        storage.saveHardState(2, 0);
        for (int i = 1; i <= 14; i++)
        {
            append(storage, 2, i);
        }
        storage.sync();
        storage.log().compactTo(8, 2);
        storage.saveSnapshot(VALUE, 0, 5);
        storage.log().compactTo(12, 2);
        storage.saveSnapshot(new UnsafeBuffer(new byte[]{9, 9, 9}), 0, 3);
        return storage;
    }

    private long segments() throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg")).count();
        }
    }

    @Test
    void shouldDropEntriesBeyondAnInstalledSnapshotThatTheLeaderDoesNotHave()
    {
        final FileStorage storage = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, true);
        for (int i = 1; i <= 10; i++)
        {
            append(storage, 1, i); // a stale suffix, from a term the new leader overwrote
        }
        storage.sync();
        storage.log().resetTo(5, 2);
        storage.saveSnapshot(VALUE, 0, 5);
        storage.close();

        final RaftLog log = new FileStorage(new lab.harness.storage.FileDisk(dir), 0, 64, FileStorage.Fsync.NONE, false).log();
        assertEquals(5, log.snapshotIndex());
        assertEquals(5, log.lastIndex(), "entries 6..10 of the old term must not come back");
    }
}
