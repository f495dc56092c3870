package lab.primarybackup;

import java.util.ArrayDeque;

import lab.core.Outbox;
import lab.core.ReplicaState;
import lab.core.WireCheck;
import lab.core.session.ClientSessionTable;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.SnapshotAckDecoder;
import lab.primarybackup.codec.SnapshotChunkDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PB's glue to the shared snapshot transfer: chunks and acknowledgements in PB's messages, the view as the term, a
 * state of several chunks sent in one burst, a lost chunk resent after the retry interval, the snapshot installed only
 * whole (the mechanism's own rules are specified in core's tests).
 */
class PrimaryBackupStateTransferTest
{
    private static final long RETRY = 100;
    private static final int KEYS = 100;
    private static final int VALUE = 1024; // 100 KiB of values: four chunks

    /** Messages one side sends, copied, in order. */
    private static final class Queue implements Outbox
    {
        final ArrayDeque<UnsafeBuffer> messages = new ArrayDeque<>();

        public void send(final int toNode, final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(new UnsafeBuffer(copy));
        }
    }

    private final ReplicaState primaryState = new ReplicaState();
    private final ReplicaState backupState = new ReplicaState();
    private final Queue toBackup = new Queue();
    private final Queue toPrimary = new Queue();
    private final PrimaryBackupStateTransfer primary = new PrimaryBackupStateTransfer(0, 2,
        new ClientSessionTable(primaryState), new PrimaryBackupPublisher(0, 2), new WireCheck("primary"), RETRY);
    private final PrimaryBackupStateTransfer backup = new PrimaryBackupStateTransfer(1, 2,
        new ClientSessionTable(backupState), new PrimaryBackupPublisher(1, 2), new WireCheck("backup"), RETRY);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SnapshotChunkDecoder chunk = new SnapshotChunkDecoder();
    private final SnapshotAckDecoder ack = new SnapshotAckDecoder();

    PrimaryBackupStateTransferTest()
    {
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(VALUE);
        for (int k = 0; k < KEYS; k++)
        {
            value.putLong(0, k * 7L);
            primaryState.store().put(k, value, 0, VALUE, k + 1);
        }
    }

    /**
     * Delivers the next chunk to the backup.
     *
     * @return whether it completed the transfer.
     */
    private boolean deliverChunk()
    {
        final UnsafeBuffer m = toBackup.messages.poll();
        chunk.wrapAndApplyHeader(m, 0, header);
        assertEquals(SnapshotChunkDecoder.TEMPLATE_ID, header.templateId());
        final int bytesOffset = chunk.limit() + SnapshotChunkDecoder.bytesHeaderLength();
        return backup.onChunk(0, chunk.view(), chunk.snapshotIndex(), chunk.transferId(),
            chunk.chunkOffset() / PrimaryBackupStateTransfer.CHUNK_BYTES, chunk.totalLength(), chunk.checksum(), m,
            bytesOffset, chunk.bytesLength(), backupState, toPrimary);
    }

    private void deliverAcks(final long nowNs)
    {
        UnsafeBuffer m;
        while ((m = toPrimary.messages.poll()) != null)
        {
            ack.wrapAndApplyHeader(m, 0, header);
            primary.onAck(toBackup, 1, ack.view(), ack.transferId(), ack.receivedChunks(), nowNs);
        }
    }

    @Test
    void aStateOfSeveralChunksGoesOutInOneBurstAndIsInstalledWholeWithoutAnAckOfTheLastChunk()
    {
        primary.start(toBackup, 1, 3, KEYS, 0);
        assertEquals(4, toBackup.messages.size(), "every chunk at once");
        assertFalse(deliverChunk());
        assertFalse(deliverChunk());
        assertFalse(deliverChunk());
        assertNull(backupState.store().get(5), "nothing installed before the last chunk");
        assertTrue(deliverChunk());
        assertEquals(KEYS, backup.installedIndex());
        assertEquals(35, backupState.store().get(5).value().getLong(0));
        assertEquals(3, toPrimary.messages.size(), "the chunks before the last are acknowledged with SnapshotAck");
        deliverAcks(1);
        assertTrue(toBackup.messages.isEmpty(), "nothing to resend");
    }

    @Test
    void aLostChunkIsResentAfterTheRetryIntervalFromTheFirstChunkTheBackupLacks()
    {
        primary.start(toBackup, 1, 3, KEYS, 0);
        assertFalse(deliverChunk());
        toBackup.messages.poll(); // chunk 1 lost
        assertFalse(deliverChunk());
        assertFalse(deliverChunk());
        deliverAcks(1);
        assertTrue(toBackup.messages.isEmpty());
        primary.onTick(toBackup, 1, RETRY / 2);
        assertTrue(toBackup.messages.isEmpty(), "not before the retry interval");
        primary.onTick(toBackup, 1, 1 + RETRY);
        assertEquals(3, toBackup.messages.size(), "go back to chunk 1");
        assertTrue(deliverChunk(), "chunk 1 fills the gap: the chunks after it were kept");
        assertEquals(35, backupState.store().get(5).value().getLong(0));
    }

    @Test
    void aTransferDoneStopsResending()
    {
        primary.start(toBackup, 1, 3, KEYS, 0);
        toBackup.messages.clear();
        primary.done(1);
        primary.onTick(toBackup, 1, 10 * RETRY);
        assertTrue(toBackup.messages.isEmpty());
    }
}
