package lab.primarybackup;

import lab.core.ReplicaState;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncomingSnapshotTest
{
    private final ExpandableArrayBuffer whole = new ExpandableArrayBuffer(256);
    private final IncomingSnapshot incoming = new IncomingSnapshot();
    private int length;

    IncomingSnapshotTest()
    {
        final ReplicaState source = new ReplicaState();
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(16);
        value.putLong(0, 99);
        source.store().put(7, value, 0, 8, 3);
        source.recordWrite(11, 2, 3);
        length = source.writeSnapshot(Long.MAX_VALUE, whole);
    }

    @Test
    void installsOnceEveryChunkArrivedInOrder()
    {
        final int half = length / 2;
        assertFalse(incoming.onChunk(2, 3, 0, length, whole, 0, half));
        assertTrue(incoming.onChunk(2, 3, half, length, whole, half, length - half));
        final ReplicaState state = new ReplicaState();
        assertTrue(incoming.installInto(state));
        assertEquals(99, state.store().get(7).value().getLong(0));
        assertEquals(2, state.session(11).seq);
    }

    @Test
    void ignoresAChunkOutOfOrderOrOfAnotherSnapshotUntilTheFirstChunkStartsOver()
    {
        final int half = length / 2;
        assertFalse(incoming.onChunk(2, 3, half, length, whole, half, length - half), "the first was lost");
        assertFalse(incoming.onChunk(2, 3, 0, length, whole, 0, half));
        assertFalse(incoming.onChunk(2, 4, half, length, whole, half, length - half), "another snapshot index");
        assertFalse(incoming.onChunk(3, 3, half, length, whole, half, length - half), "another view");
        assertTrue(incoming.onChunk(2, 3, half, length, whole, half, length - half));
    }

    @Test
    void refusesToInstallBytesThatAreNotOneWholeSnapshot()
    {
        assertTrue(incoming.onChunk(2, 3, 0, length - 1, whole, 0, length - 1));
        final ReplicaState state = new ReplicaState();
        assertFalse(incoming.installInto(state));
        assertEquals(0, state.store().size());
    }
}
