package lab.core.storage;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's contract: records come back as written, across segments; a bad record at the end of the last
 * segment (a torn write: any prefix, garbage after it, a flipped bit) is cut, counted and followed by new records;
 * a bad record before valid data or in an older segment is refused unless the caller claims no durability; a
 * failing disk's {@link DiskFailure} reaches the caller.
 */
class RecordJournalTest
{
    private static final String PREFIX = "j-";
    private static final String SUFFIX = ".log";
    private static final String FIRST = "j-0000000000.log";
    private static final byte DATA = 1;
    private static final byte START = 2;

    /** A record as recovery handed it over. */
    private record Read(byte type, byte[] payload)
    {
    }

    private static RecordJournal journal(final Disk disk, final long segmentBytes, final boolean fsync)
    {
        return new RecordJournal(disk, PREFIX, SUFFIX, segmentBytes, 1 << 24, fsync, "test journal", null);
    }

    private static byte[] payload(final int i)
    {
        final byte[] bytes = new byte[3 + (i * 7) % 29];
        for (int b = 0; b < bytes.length; b++)
        {
            bytes[b] = (byte)(i * 31 + b);
        }
        return bytes;
    }

    private static void stage(final RecordJournal journal, final byte type, final byte[] payload)
    {
        final int o = journal.stage(type, payload.length);
        journal.staging().putBytes(o, payload);
    }

    private static List<Read> recover(final RecordJournal journal, final boolean refuseCorruption)
    {
        final List<Read> reads = new ArrayList<>();
        journal.recover((type, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            reads.add(new Read(type, bytes));
        }, RecordJournal.RecordCheck.ANY, refuseCorruption);
        return reads;
    }

    /**
     * Records 1..count, each synced on its own (one write per record) in one segment.
     *
     * @return each record's offset, [0] the end of the file.
     */
    private static long[] writeSynced(final Disk disk, final int count)
    {
        final RecordJournal journal = journal(disk, RecordJournal.ONE_SEGMENT, true);
        final long[] at = new long[count + 1];
        for (int i = 1; i <= count; i++)
        {
            at[i] = disk.exists(FIRST) ? disk.open(FIRST).size() : 0;
            stage(journal, DATA, payload(i));
            journal.sync();
        }
        at[0] = disk.open(FIRST).size();
        journal.close();
        return at;
    }

    private static void flipBit(final Disk disk, final String name, final long position, final int bit)
    {
        final DiskFile file = disk.open(name);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[1]);
        file.read(position, b, 0, 1);
        b.putByte(0, (byte)(b.getByte(0) ^ (1 << bit)));
        file.write(position, b, 0, 1);
    }

    private static void assertPayloads(final List<Read> reads, final int count)
    {
        assertEquals(count, reads.size());
        for (int i = 1; i <= count; i++)
        {
            assertEquals(DATA, reads.get(i - 1).type());
            assertArrayEquals(payload(i), reads.get(i - 1).payload(), "record " + i);
        }
    }

    @Test
    void anEmptyFolderRecoversNothingAndAnEmptySegmentIsNoTornTail()
    {
        final MemoryDisk disk = new MemoryDisk();
        final RecordJournal none = journal(disk, RecordJournal.ONE_SEGMENT, true);
        final List<RecordJournal.Recovery> recoveries = new ArrayList<>();
        recoveries.add(none.recover((t, b, o, l) -> { }, RecordJournal.RecordCheck.ANY, true));
        assertEquals(new RecordJournal.Recovery(0, 0, 0, 0), recoveries.get(0));

        disk.create(FIRST).close(); // created, nothing written before the crash
        assertEquals(new RecordJournal.Recovery(1, 0, 0, 0),
            journal(disk, RecordJournal.ONE_SEGMENT, true).recover((t, b, o, l) -> { },
                RecordJournal.RecordCheck.ANY, true));
    }

    @Test
    void recordsComeBackAsWrittenAcrossSegmentsEachStartingWithItsStartRecords()
    {
        final MemoryDisk disk = new MemoryDisk();
        final UnsafeBuffer startPayload = new UnsafeBuffer(new byte[] {42});
        final RecordJournal journal = new RecordJournal(disk, PREFIX, SUFFIX, 100, 1 << 24, true, "test journal",
            j -> j.appendNow(START, startPayload, 0, 1));
        for (int i = 1; i <= 40; i++)
        {
            stage(journal, DATA, payload(i));
            if (i % 3 == 0)
            {
                journal.sync();
            }
        }
        journal.sync();
        assertTrue(journal.segmentCount() > 3, "segments: " + journal.segmentCount());
        assertEquals(14, journal.writes(), "one write per sync with records staged; start records not counted");
        journal.close();

        final List<Read> reads = recover(journal(disk, 100, true), true);
        final List<Read> data = new ArrayList<>();
        int starts = 0;
        for (final Read read : reads)
        {
            if (read.type() == START)
            {
                starts++;
                assertArrayEquals(new byte[] {42}, read.payload());
            }
            else
            {
                data.add(read);
            }
        }
        assertEquals(disk.list(PREFIX).size(), starts, "every segment begins with the start record");
        assertPayloads(data, 40);
    }

    @Test
    void aRecordLargerThanTheRecoveryWindowComesBack()
    {
        final MemoryDisk disk = new MemoryDisk();
        final RecordJournal journal = journal(disk, RecordJournal.ONE_SEGMENT, true);
        final byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        stage(journal, DATA, payload(1));
        stage(journal, DATA, big);
        stage(journal, DATA, payload(3));
        journal.sync();
        final List<Read> reads = recover(journal(disk, RecordJournal.ONE_SEGMENT, true), true);
        assertEquals(3, reads.size());
        assertArrayEquals(big, reads.get(1).payload());
        assertArrayEquals(payload(3), reads.get(2).payload());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTornLastRecordIsCutAtEveryByteOffsetAndNewRecordsFollowTheWholeOnes(final boolean refuseCorruption)
    {
        final long[] probe = writeSynced(new MemoryDisk(), 4);
        final int lastLength = (int)(probe[0] - probe[4]);
        for (int kept = 0; kept < lastLength; kept++)
        {
            final MemoryDisk disk = new MemoryDisk();
            final long[] at = writeSynced(disk, 4);
            disk.open(FIRST).truncate(at[4] + kept);

            final RecordJournal recovered = journal(disk, RecordJournal.ONE_SEGMENT, true);
            final List<Read> reads = recover(recovered, refuseCorruption);
            assertPayloads(reads, 3);
            assertEquals(kept == 0 ? 0 : 1, recovered.tornTails(), "kept " + kept + " bytes of the last record");
            assertEquals(at[4], disk.open(FIRST).size(), "cut at the torn record");

            stage(recovered, DATA, payload(4));
            recovered.sync();
            final RecordJournal again = journal(disk, RecordJournal.ONE_SEGMENT, true);
            assertPayloads(recover(again, true), 4);
            assertEquals(0, again.tornTails(), "nothing left to cut");
        }
    }

    @Test
    void aTornRecordWithGarbageUpToTheSectorIsCut()
    {
        final long[] probe = writeSynced(new MemoryDisk(), 5);
        for (int kept = 1; kept < probe[0] - probe[5]; kept++)
        {
            final MemoryDisk disk = new MemoryDisk();
            final long[] at = writeSynced(disk, 5);
            final DiskFile file = disk.open(FIRST);
            file.truncate(at[5] + kept);
            final byte[] garbage = new byte[512 - (int)((at[5] + kept) % 512)];
            new java.util.Random(kept).nextBytes(garbage);
            file.append(new UnsafeBuffer(garbage), 0, garbage.length);

            final RecordJournal recovered = journal(disk, RecordJournal.ONE_SEGMENT, true);
            assertPayloads(recover(recovered, true), 4);
            assertEquals(1, recovered.tornTails());
            assertEquals(at[5], file.size());
        }
    }

    @Test
    void everyFlippedBitOfTheLastRecordMakesItATornTail()
    {
        final int lastLength = (int)(writeSynced(new MemoryDisk(), 4)[0] - writeSynced(new MemoryDisk(), 4)[4]);
        for (int bit = 0; bit < lastLength * 8; bit++)
        {
            final MemoryDisk disk = new MemoryDisk();
            final long[] at = writeSynced(disk, 4);
            flipBit(disk, FIRST, at[4] + bit / 8, bit % 8);
            final RecordJournal recovered = journal(disk, RecordJournal.ONE_SEGMENT, true);
            assertPayloads(recover(recovered, true), 3);
            assertEquals(1, recovered.tornTails(), "bit " + bit);
            assertEquals(at[4], disk.open(FIRST).size());
        }
    }

    @Test
    void aBadRecordBeforeValidOnesIsRefusedWithFsyncAndCutWithout()
    {
        final int length = (int)(writeSynced(new MemoryDisk(), 4)[3] - writeSynced(new MemoryDisk(), 4)[2]);
        for (int bit = 0; bit < length * 8; bit++)
        {
            final MemoryDisk disk = new MemoryDisk();
            final long[] at = writeSynced(disk, 4);
            flipBit(disk, FIRST, at[2] + bit / 8, bit % 8);
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> recover(journal(disk, RecordJournal.ONE_SEGMENT, true), true), "bit " + bit);
            assertTrue(refused.getMessage().contains("byte " + at[2] + " of " + FIRST + " before a valid record"),
                refused.getMessage());
            assertEquals(at[0], disk.open(FIRST).size(), "nothing cut");

            final RecordJournal cut = journal(disk, RecordJournal.ONE_SEGMENT, false);
            assertPayloads(recover(cut, false), 1);
            assertEquals(1, cut.tornTails());
            assertEquals(at[2], disk.open(FIRST).size());
        }
    }

    @Test
    void aBadRecordInAnOlderSegmentIsRefused()
    {
        final MemoryDisk disk = new MemoryDisk();
        final RecordJournal journal = journal(disk, 60, true);
        for (int i = 1; i <= 10; i++)
        {
            stage(journal, DATA, payload(i));
            journal.sync();
        }
        final List<String> names = disk.list(PREFIX);
        assertTrue(names.size() >= 2);
        final long lastByte = disk.open(names.get(0)).size() - 1;
        flipBit(disk, names.get(0), lastByte, 0);

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> recover(journal(disk, 60, true), true));
        assertTrue(refused.getMessage().contains("before the segments after it"), refused.getMessage());
    }

    @Test
    void aRecordWhoseShapeTheCallerRejectsIsBadLikeATornOne()
    {
        final MemoryDisk disk = new MemoryDisk();
        writeSynced(disk, 3);
        final RecordJournal journal = journal(disk, RecordJournal.ONE_SEGMENT, true);
        final int[] seen = new int[1];
        journal.recover((t, b, o, l) -> seen[0]++, (type, buffer, offset, length) -> length != payload(3).length,
            true);
        assertEquals(2, seen[0], "the last record's checksum is right, its shape is not: cut as a torn tail");
        assertEquals(1, journal.tornTails());
    }

    @Test
    void releaseDeletesTheOldestCoveredSegmentsNeverTheCurrentOne()
    {
        final MemoryDisk disk = new MemoryDisk();
        final RecordJournal journal = journal(disk, 40, true);
        for (int i = 1; i <= 8; i++)
        {
            stage(journal, DATA, payload(i));
            journal.mark(i);
            journal.sync();
        }
        final int segments = journal.segmentCount();
        assertTrue(segments >= 4, "segments: " + segments);
        journal.releaseUpTo(0);
        assertEquals(segments, journal.segmentCount(), "nothing covered");
        journal.releaseUpTo(100);
        assertEquals(1, journal.segmentCount(), "all but the current one");
        assertEquals(1, disk.list(PREFIX).size());
        journal.close();
        final String left = disk.list(PREFIX).get(0);

        // Recovered segments are released only once marked, and the first write goes to a new segment.
        final RecordJournal recovered = journal(disk, 40, true);
        recover(recovered, true);
        stage(recovered, DATA, payload(9));
        recovered.sync();
        assertEquals(2, recovered.segmentCount());
        recovered.releaseUpTo(Long.MAX_VALUE - 1);
        assertEquals(2, recovered.segmentCount(), "not marked yet");
        recovered.markRecovered(8);
        recovered.releaseUpTo(8);
        assertEquals(1, recovered.segmentCount());
        assertEquals(1, disk.list(PREFIX).size());
        assertFalse(disk.exists(left));
    }

    @Test
    void deleteAllEmptiesTheJournalAndNumberingStartsOver()
    {
        final MemoryDisk disk = new MemoryDisk();
        final RecordJournal journal = journal(disk, 40, true);
        for (int i = 1; i <= 6; i++)
        {
            stage(journal, DATA, payload(i));
            journal.sync();
        }
        disk.create("j-notes.txt").close(); // not a segment name: left alone
        final RecordJournal fresh = journal(disk, 40, true);
        fresh.deleteAll();
        assertEquals(List.of("j-notes.txt"), disk.list(PREFIX));
        stage(fresh, DATA, payload(1));
        fresh.sync();
        assertTrue(disk.exists(FIRST));
    }

    @Test
    void aFailedSyncReachesTheCaller()
    {
        final FailingDisk disk = new FailingDisk();
        final RecordJournal journal = journal(disk, RecordJournal.ONE_SEGMENT, true);
        stage(journal, DATA, payload(1));
        journal.sync();
        stage(journal, DATA, payload(2));
        disk.failNextSync = true;
        assertThrows(DiskFailure.class, journal::sync);

        disk.failNextSync = true;
        assertThrows(DiskFailure.class, () -> journal(disk, 40, true).startSegment(),
            "a new segment's name is synced before its records count");
        disk.delete("j-0000000001.log");

        disk.open(FIRST).truncate(disk.open(FIRST).size() - 3);
        disk.failNextSync = true;
        final RecordJournal recovering = journal(disk, RecordJournal.ONE_SEGMENT, true);
        assertThrows(DiskFailure.class, () -> recover(recovering, true), "the cut of a torn tail is synced");
        assertEquals(0, recovering.tornTails(), "not counted as cut");
    }

    @Test
    void withoutFsyncSyncOnlyWrites()
    {
        final FailingDisk disk = new FailingDisk();
        final RecordJournal journal = journal(disk, 40, false);
        for (int i = 1; i <= 6; i++)
        {
            stage(journal, DATA, payload(i));
            journal.sync();
        }
        assertPayloads(recover(journal(disk, 40, false), false), 6);
        journal.releaseUpTo(Long.MAX_VALUE);
        assertEquals(1, disk.list(PREFIX).size(), "released all but the current segment");
        assertEquals(0, disk.syncs, "no file or folder synced");
    }

    /**
     * A {@link MemoryDisk} that counts syncs and fails the next one when asked, as a disk's I/O error would.
     */
    private static final class FailingDisk implements Disk
    {
        private final MemoryDisk disk = new MemoryDisk();
        boolean failNextSync;
        int syncs;

        private void sync()
        {
            syncs++;
            if (failNextSync)
            {
                failNextSync = false;
                throw new DiskFailure("injected fsync failure");
            }
        }

        public DiskFile open(final String name)
        {
            return wrap(disk.open(name));
        }

        public DiskFile create(final String name)
        {
            return wrap(disk.create(name));
        }

        public boolean exists(final String name)
        {
            return disk.exists(name);
        }

        public List<String> list(final String prefix)
        {
            return disk.list(prefix);
        }

        public void delete(final String name)
        {
            disk.delete(name);
        }

        public void syncDirectory()
        {
            sync();
        }

        private DiskFile wrap(final DiskFile file)
        {
            return new DiskFile()
            {
                public String name()
                {
                    return file.name();
                }

                public long size()
                {
                    return file.size();
                }

                public void append(final DirectBuffer source, final int offset, final int length)
                {
                    file.append(source, offset, length);
                }

                public void write(final long position, final DirectBuffer source, final int offset, final int length)
                {
                    file.write(position, source, offset, length);
                }

                public int read(final long position, final MutableDirectBuffer destination, final int offset,
                    final int length)
                {
                    return file.read(position, destination, offset, length);
                }

                public void truncate(final long size)
                {
                    file.truncate(size);
                }

                public void sync()
                {
                    FailingDisk.this.sync();
                }

                public void close()
                {
                    file.close();
                }
            };
        }
    }
}
