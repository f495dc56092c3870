package lab.primarybackup;

import java.util.ArrayList;
import java.util.List;

import lab.core.Outbox;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryRingTest
{
    private final EntryRing ring = new EntryRing(4);

    @Test
    void holdsEntriesOfThisReignThatWereNotOverwritten()
    {
        ring.startAt(5);
        assertFalse(ring.holdsFrom(4, 6), "before the reign");
        assertTrue(ring.holdsFrom(5, 6));
        assertTrue(ring.holdsFrom(5, 8));
        assertFalse(ring.holdsFrom(5, 9), "index 5's slot now holds 9");
        assertTrue(ring.holdsFrom(6, 9));
    }

    @Test
    void aSlotIsAllocatedOnceAndResentAsWritten()
    {
        final ExpandableArrayBuffer slot = ring.slot(1);
        assertSame(slot, ring.slot(5), "same slot, reused");
        slot.putInt(0, 42);
        ring.written(5, 4);
        final List<Integer> sent = new ArrayList<>();
        final Outbox out = (to, buffer, offset, length) -> sent.add(to * 1000 + length + buffer.getInt(offset));
        ring.send(out, 2, 5);
        assertEquals(List.of(2000 + 4 + 42), sent);
    }
}
