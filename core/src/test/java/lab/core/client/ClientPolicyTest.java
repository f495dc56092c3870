package lab.core.client;

import java.util.Map;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientPolicyTest
{
    private static final long MS = 1_000_000L;

    private static ProtocolSettings settings(final Map<String, String> options)
    {
        return new ProtocolSettings(3, 1, 4, options);
    }

    @Test
    void shouldReadOneSetOfDefaultsAndRecordThemForTheResults()
    {
        final ProtocolSettings s = settings(Map.of());
        final ClientPolicy policy = ClientPolicy.from(s);

        assertEquals(200 * MS, policy.retryNs());
        assertEquals(5 * MS, policy.backoffNs(1));
        assertEquals(1000 * MS, policy.suspectNs());
        assertEquals(Map.of("client-retry", "200ms", "client-backoff", "5ms", "client-backoff-max", "5ms",
            "client-suspect", "1s"), s.effectiveOptions());
    }

    @Test
    void shouldReadTheExistingOptionNames()
    {
        final ProtocolSettings s = settings(Map.of("client-retry", "50ms", "client-backoff", "1ms",
            "client-suspect", "300ms"));
        final ClientPolicy policy = ClientPolicy.from(s);

        assertEquals(50 * MS, policy.retryNs());
        assertEquals(1 * MS, policy.backoffNs(1));
        assertEquals(1 * MS, policy.backoffNs(10), "the maximum follows client-backoff unless given");
        assertEquals(300 * MS, policy.suspectNs());
        assertEquals(java.util.Set.of(), s.unknownOptions());
    }

    @Test
    void shouldNotGrowTheBackoffByDefault()
    {
        final ClientPolicy policy = ClientPolicy.from(settings(Map.of()));
        for (int inARow = 1; inARow < 100; inARow++)
        {
            assertEquals(5 * MS, policy.backoffNs(inARow));
        }
    }

    @Test
    void shouldDoubleTheBackoffForEachTurnAwayInARowUpToTheMaximum()
    {
        final ClientPolicy policy = ClientPolicy.from(settings(Map.of("client-backoff", "5ms",
            "client-backoff-max", "30ms")));

        assertEquals(5 * MS, policy.backoffNs(1));
        assertEquals(10 * MS, policy.backoffNs(2));
        assertEquals(20 * MS, policy.backoffNs(3));
        assertEquals(30 * MS, policy.backoffNs(4), "capped, not 40 ms");
        assertEquals(30 * MS, policy.backoffNs(1000), "no overflow however long the outage");
        assertEquals(30 * MS, policy.backoffNs(Integer.MAX_VALUE));
    }

    @Test
    void shouldRefuseSettingsThatCannotWork()
    {
        assertThrows(IllegalArgumentException.class, () -> ClientPolicy.from(settings(Map.of("client-retry", "0ms"))));
        assertThrows(IllegalArgumentException.class, () -> ClientPolicy.from(settings(Map.of("client-backoff", "0"))));
        assertThrows(IllegalArgumentException.class, () -> ClientPolicy.from(settings(Map.of("client-backoff", "5ms",
            "client-backoff-max", "1ms"))));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ClientPolicy.from(settings(Map.of("client-retry", "200"))));
        assertEquals(true, ex.getMessage().contains("client-retry"), ex.getMessage());
    }
}
