package lab.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest
{
    @Test
    void shouldParseEveryUnit()
    {
        assertEquals(750, Durations.parseNs("750ns"));
        assertEquals(200_000, Durations.parseNs("200us"));
        assertEquals(1_500_000, Durations.parseNs("1.5ms"));
        assertEquals(10_000_000_000L, Durations.parseNs("10s"));
        assertEquals(60_000_000_000L, Durations.parseNs("1m"));
        assertEquals(0, Durations.parseNs("0"));
    }

    @Test
    void shouldRefuseABareNumberWithAMessageThatSuggestsUnits()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("300"));
        assertTrue(ex.getMessage().contains("needs a unit") && ex.getMessage().contains("300ms"), ex.getMessage());
    }

    @Test
    void shouldRefuseADurationThatWouldOverflowOrMakesNoSense()
    {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("100000000000000s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("31d"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("-5s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("1.2.3s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs(""));
        assertEquals(43_200 * 60_000_000_000L, Durations.parseNs("43200m")); // 30 days: the longest accepted
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("43201m"));
    }
}
