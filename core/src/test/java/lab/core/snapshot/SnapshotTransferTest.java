package lab.core.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import lab.core.KvStore;
import lab.core.ReplicaState;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Specification of the shared state transfer ({@link SnapshotSender}, {@link SnapshotReceiver}): a snapshot arrives
 * whole and verified over a link that loses, duplicates and reorders, chunks of an older transfer are ignored, and a
 * sender or receiver that restarts mid-transfer still ends with the right state installed.
 */
class SnapshotTransferTest
{
    private static final int CHUNK = 64;
    private static final long RESEND_NS = 1_000;
    private static final long STEP_NS = 100;

    /** A chunk in flight, with its bytes copied (the sender's buffer may change before it arrives). */
    private record Chunk(long term, long id, long position, int index, int length, int checksum, byte[] bytes)
    {
    }

    private record Ack(long term, long id, int received)
    {
    }

    /** Two endpoints and a link that can lose, duplicate and reorder, driven in steps of {@link #STEP_NS}. */
    private static final class Link
    {
        final Random random;
        final double loss;
        final double duplication;
        final boolean reorder;
        final List<Chunk> chunks = new ArrayList<>();
        final List<Ack> acks = new ArrayList<>();
        long nowNs;
        int chunksSent;
        int acksSent;

        Link(final long seed, final double loss, final double duplication, final boolean reorder)
        {
            this.random = new Random(seed);
            this.loss = loss;
            this.duplication = duplication;
            this.reorder = reorder;
        }

        void send(final SnapshotSender sender)
        {
            int index;
            while ((index = sender.nextChunk(nowNs)) >= 0)
            {
                final byte[] bytes = new byte[sender.chunkLength(index)];
                sender.bytes().getBytes(sender.chunkOffset(index), bytes);
                chunksSent++;
                offer(chunks, new Chunk(sender.term(), sender.transferId(), sender.position(), index,
                    sender.length(), sender.checksum(), bytes));
            }
        }

        <T> void offer(final List<T> queue, final T m)
        {
            if (random.nextDouble() < loss)
            {
                return;
            }
            queue.add(m);
            if (random.nextDouble() < duplication)
            {
                queue.add(m);
            }
        }

        <T> T take(final List<T> queue)
        {
            return queue.remove(reorder ? random.nextInt(queue.size()) : 0);
        }

        /** Delivers one chunk to the receiver, acknowledging as the protocol does; returns its outcome or -1. */
        int deliverChunk(final SnapshotReceiver receiver)
        {
            if (chunks.isEmpty())
            {
                return -1;
            }
            final Chunk c = take(chunks);
            final int outcome = receiver.onChunk(c.term, c.id, c.position, c.index, c.length, c.checksum,
                new UnsafeBuffer(c.bytes), 0, c.bytes.length);
            if (outcome == SnapshotReceiver.ACCEPTED || outcome == SnapshotReceiver.DUPLICATE ||
                outcome == SnapshotReceiver.COMPLETE || outcome == SnapshotReceiver.CORRUPT)
            {
                acksSent++;
                offer(acks, new Ack(receiver.term(), receiver.transferId(), receiver.receivedChunks()));
            }
            return outcome;
        }

        void deliverAck(final SnapshotSender sender)
        {
            if (!acks.isEmpty())
            {
                final Ack a = take(acks);
                sender.onAck(a.term, a.id, a.received, nowNs);
            }
        }

        /** Runs until the receiver completes (installing into {@code into}) and the sender stops; returns steps. */
        int run(final SnapshotSender sender, final SnapshotReceiver receiver, final ReplicaState into)
        {
            for (int step = 0; step < 100_000; step++)
            {
                nowNs += STEP_NS;
                send(sender);
                if (deliverChunk(receiver) == SnapshotReceiver.COMPLETE)
                {
                    assertTrue(receiver.installInto(into));
                }
                deliverAck(sender);
                if (!sender.active() && receiver.complete())
                {
                    return step;
                }
            }
            throw new AssertionError("the transfer did not complete");
        }
    }

    private static ReplicaState state(final int keys, final int valueLength, final long salt)
    {
        final ReplicaState state = new ReplicaState();
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(valueLength);
        for (int k = 1; k <= keys; k++)
        {
            for (int i = 0; i < valueLength; i++)
            {
                value.putByte(i, (byte)(k * 31 + i + salt));
            }
            state.store().put(k, value, 0, valueLength, k + salt);
            state.recordWrite(1000 + k, k, k + salt);
        }
        return state;
    }

    private static void assertSameState(final ReplicaState expected, final ReplicaState actual)
    {
        assertEquals(expected.store().size(), actual.store().size());
        expected.store().forEach(e ->
        {
            final KvStore.Entry a = actual.store().get(e.key());
            assertNotNull(a, "key " + e.key());
            assertEquals(e.version(), a.version());
            assertEquals(e.length(), a.length());
            for (int i = 0; i < e.length(); i++)
            {
                assertEquals(e.value().getByte(i), a.value().getByte(i));
            }
        });
        assertEquals(expected.sessions().size(), actual.sessions().size());
        expected.sessions().forEach((id, s) -> assertEquals(s.version, actual.session(id).version));
    }

    @Test
    void aPerfectLinkSendsEveryChunkOnceAndInstallsTheWhole()
    {
        final ReplicaState source = state(20, 30, 0);
        final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        sender.start(1, 42, source, Long.MAX_VALUE, 0);
        assertTrue(sender.chunkCount() > 10);
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final ReplicaState target = new ReplicaState();
        final Link link = new Link(1, 0, 0, false);
        link.run(sender, receiver, target);
        assertEquals(sender.chunkCount(), link.chunksSent);
        assertEquals(42, receiver.position());
        assertSameState(source, target);
    }

    @Test
    void lossCostsResendsButTheWholeArrives()
    {
        for (long seed = 0; seed < 50; seed++)
        {
            final ReplicaState source = state(40, 25, seed);
            final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 8);
            sender.start(3, 7, source, Long.MAX_VALUE, 0);
            final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
            final ReplicaState target = new ReplicaState();
            final Link link = new Link(seed, 0.3, 0, false);
            link.run(sender, receiver, target);
            assertTrue(link.chunksSent > sender.chunkCount());
            assertSameState(source, target);
        }
    }

    @Test
    void duplicationAndReorderingAreAbsorbed()
    {
        for (long seed = 0; seed < 50; seed++)
        {
            final ReplicaState source = state(40, 25, seed);
            final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
            sender.start(3, 7, source, Long.MAX_VALUE, 0);
            final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
            final ReplicaState target = new ReplicaState();
            link(seed, 0, 0.5, true).run(sender, receiver, target);
            assertSameState(source, target);
        }
    }

    @Test
    void lossDuplicationAndReorderingTogether()
    {
        for (long seed = 0; seed < 50; seed++)
        {
            final ReplicaState source = state(60, 20, seed);
            final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 4);
            sender.start(3, 7, source, Long.MAX_VALUE, 0);
            final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
            final ReplicaState target = new ReplicaState();
            link(seed, 0.2, 0.2, true).run(sender, receiver, target);
            assertSameState(source, target);
        }
    }

    private static Link link(final long seed, final double loss, final double duplication, final boolean reorder)
    {
        return new Link(seed, loss, duplication, reorder);
    }

    @Test
    void anOldTransfersChunksAreIgnored()
    {
        final ReplicaState older = state(20, 30, 1);
        final ReplicaState newer = state(25, 30, 2);
        final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        final Link oldLink = new Link(1, 0, 0, false);
        sender.start(5, 10, older, Long.MAX_VALUE, 0);
        oldLink.send(sender); // the first transfer's chunks are still in flight ...
        sender.start(5, 20, newer, Long.MAX_VALUE, 0); // ... when the sender starts a newer one
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final Link link = new Link(2, 0, 0, false);
        link.send(sender);
        link.deliverChunk(receiver); // the newer transfer has begun
        while (!oldLink.chunks.isEmpty())
        {
            assertEquals(SnapshotReceiver.OLD, oldLink.deliverChunk(receiver));
        }
        final ReplicaState target = new ReplicaState();
        link.run(sender, receiver, target);
        assertEquals(20, receiver.position());
        assertSameState(newer, target);

        // An older term is ignored even after the newer transfer completed.
        final SnapshotSender stale = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        stale.start(4, 99, older, Long.MAX_VALUE, 0);
        final Link staleLink = new Link(3, 0, 0, false);
        staleLink.send(stale);
        assertEquals(SnapshotReceiver.OLD, staleLink.deliverChunk(receiver));
        assertTrue(receiver.complete());
    }

    @Test
    void aRestartedSenderInANewTermReplacesThePartialTransfer()
    {
        final ReplicaState before = state(30, 30, 1);
        final ReplicaState after = state(35, 30, 2);
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final SnapshotSender first = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        first.start(1, 10, before, Long.MAX_VALUE, 0);
        final Link link = new Link(4, 0, 0, false);
        link.send(first);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(SnapshotReceiver.ACCEPTED, link.deliverChunk(receiver));
        }
        link.chunks.clear(); // the sender crashed; the rest is lost with it

        final SnapshotSender restarted = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        restarted.start(2, 30, after, Long.MAX_VALUE, link.nowNs);
        final ReplicaState target = new ReplicaState();
        link.run(restarted, receiver, target);
        assertEquals(30, receiver.position());
        assertSameState(after, target);
    }

    @Test
    void aRestartedSenderInTheSameTermStillDeliversItsOwnSnapshot()
    {
        final ReplicaState before = state(30, 30, 1);
        final ReplicaState after = state(30, 30, 2);
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final SnapshotSender first = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        first.start(1, 10, before, Long.MAX_VALUE, 0);
        final Link link = new Link(5, 0, 0, false);
        link.send(first);
        for (int i = 0; i < 5; i++)
        {
            link.deliverChunk(receiver);
        }
        link.chunks.clear();
        // Same term and (a fresh counter) the same transfer id, other content: the checksum tells them apart.
        final SnapshotSender restarted = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        restarted.start(1, 10, after, Long.MAX_VALUE, link.nowNs);
        assertEquals(first.transferId(), restarted.transferId());
        final ReplicaState target = new ReplicaState();
        link.run(restarted, receiver, target);
        assertSameState(after, target);
    }

    @Test
    void aReceiverThatRestartsMidTransferIsSentTheRestAgain()
    {
        final ReplicaState source = state(40, 30, 3);
        final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        sender.start(1, 10, source, Long.MAX_VALUE, 0);
        final SnapshotReceiver crashed = new SnapshotReceiver(CHUNK);
        final Link link = new Link(6, 0, 0, false);
        for (int step = 0; step < 10; step++)
        {
            link.nowNs += STEP_NS;
            link.send(sender);
            link.deliverChunk(crashed);
            link.deliverAck(sender);
        }
        assertTrue(crashed.receivedChunks() >= 5);
        final SnapshotReceiver restarted = new SnapshotReceiver(CHUNK);
        final ReplicaState target = new ReplicaState();
        link.run(sender, restarted, target);
        assertSameState(source, target);
    }

    @Test
    void aCorruptedChunkIsNeverInstalledAndTheResendRepairsIt()
    {
        final ReplicaState source = state(10, 30, 4);
        final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        sender.start(1, 10, source, Long.MAX_VALUE, 0);
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final Link link = new Link(7, 0, 0, false);
        link.send(sender);
        final Chunk first = link.chunks.get(0);
        first.bytes[first.bytes.length - 1] ^= 0x5a; // a flipped bit the chunk's own checks cannot see
        int outcome = 0;
        while (!link.chunks.isEmpty())
        {
            outcome = link.deliverChunk(receiver);
        }
        assertEquals(SnapshotReceiver.CORRUPT, outcome);
        assertFalse(receiver.complete());
        assertFalse(receiver.installInto(new ReplicaState()));
        final ReplicaState target = new ReplicaState();
        link.run(sender, receiver, target);
        assertSameState(source, target);
    }

    @Test
    void aChunkThatDoesNotFitTheFormatIsMalformed()
    {
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[CHUNK]);
        assertEquals(SnapshotReceiver.MALFORMED, receiver.onChunk(1, 1, 0, 2, 2 * CHUNK, 0, bytes, 0, CHUNK));
        assertEquals(SnapshotReceiver.MALFORMED, receiver.onChunk(1, 1, 0, 0, 2 * CHUNK, 0, bytes, 0, CHUNK - 1));
        assertEquals(SnapshotReceiver.MALFORMED, receiver.onChunk(1, 1, 0, -1, 2 * CHUNK, 0, bytes, 0, CHUNK));
        assertEquals(SnapshotReceiver.MALFORMED, receiver.onChunk(1, 1, 0, 0, -1, 0, bytes, 0, 0));
    }

    @Test
    void aWholeButInvalidSnapshotIsNotInstalled()
    {
        // Bytes with a matching checksum that are not a snapshot (a forged transfer): the layout check refuses them.
        final SnapshotSender sender = new SnapshotSender(CHUNK, RESEND_NS, 1000);
        sender.buffer().putInt(0, -1);
        sender.buffer().putInt(4, 0);
        sender.start(1, 1, 8, 0);
        final SnapshotReceiver receiver = new SnapshotReceiver(CHUNK);
        final Link link = new Link(8, 0, 0, false);
        link.send(sender);
        assertEquals(SnapshotReceiver.COMPLETE, link.deliverChunk(receiver));
        final ReplicaState target = state(3, 5, 0);
        assertFalse(receiver.installInto(target));
        assertEquals(3, target.store().size());
    }
}
