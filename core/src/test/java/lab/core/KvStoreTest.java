package lab.core;

import java.util.HashMap;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KvStoreTest
{
    private final KvStore store = new KvStore();
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(4096);

    private void put(final long key, final int length, final long version)
    {
        for (int i = 0; i < length; i++)
        {
            value.putByte(i, (byte)(key + i));
        }
        store.put(key, value, 0, length, version);
    }

    @Test
    void shouldReturnTheLatestValueAndVersionOfAKey()
    {
        put(7, 16, 1);
        put(7, 16, 2);
        final KvStore.Entry entry = store.get(7);
        assertEquals(2, entry.version());
        assertEquals(16, entry.length());
        assertEquals((byte)(7 + 15), entry.value().getByte(15));
        assertEquals(1, store.size());
    }

    @Test
    void shouldKeepAValueLongerThanTheFirstOne()
    {
        put(1, 8, 1);
        put(1, 1000, 2);
        assertEquals(1000, store.get(1).length());
        assertEquals((byte)(1 + 999), store.get(1).value().getByte(999));
    }

    @Test
    void shouldFindEveryKeyAfterTheTableGrew()
    {
        for (long k = -5000; k < 5000; k++)
        {
            put(k * 1_000_003L, 8, k);
        }
        assertEquals(10_000, store.size());
        for (long k = -5000; k < 5000; k++)
        {
            assertEquals(k, store.get(k * 1_000_003L).version());
        }
        assertNull(store.get(42));
    }

    @Test
    void shouldVisitEveryEntryOnce()
    {
        final Map<Long, Long> seen = new HashMap<>();
        for (long k = 0; k < 3000; k++)
        {
            put(k, 4, k + 1);
        }
        store.forEach(e -> seen.merge(e.key(), e.version(), (a, b) -> -1L));
        assertEquals(3000, seen.size());
        seen.forEach((k, v) -> assertEquals(k + 1, v));
    }

    @Test
    void shouldCopyAValueOrSayItWasNeverWritten()
    {
        put(3, 5, 1);
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(16);
        assertEquals(5, store.copyValue(3, dst, 2));
        assertEquals((byte)(3 + 4), dst.getByte(6));
        assertEquals(-1, store.copyValue(4, dst, 0));
    }

    @Test
    void shouldForgetEverythingOnClear()
    {
        put(1, 4, 1);
        store.clear();
        assertEquals(0, store.size());
        assertNull(store.get(1));
    }
}
