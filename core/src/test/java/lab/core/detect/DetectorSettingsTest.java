package lab.core.detect;

import java.util.Map;

import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorSettingsTest
{
    private static final long MS = 1_000_000;

    private static DetectorSettings read(final Map<String, String> options)
    {
        return DetectorSettings.from(new ProtocolSettings(3, 1, 1, options), "150ms", 10 * MS);
    }

    @Test
    void shouldDefaultToTheProtocolsOwnTimeout()
    {
        final ProtocolSettings s = new ProtocolSettings(3, 1, 1, Map.of());
        final DetectorSettings settings = DetectorSettings.from(s, "150ms", 10 * MS);

        assertEquals(DetectorSettings.Kind.TIMEOUT, settings.kind());
        assertEquals(150 * MS, settings.timeoutNs());
        final FailureDetector detector = settings.newDetector(3, "chain");
        assertInstanceOf(TimeoutDetector.class, detector);
        assertEquals(150 * MS, ((TimeoutDetector)detector).timeoutNs());
        assertEquals("timeout", s.effectiveOptions().get("failure-detector"), "printed with the results");
        assertEquals("150ms", s.effectiveOptions().get("fd-timeout"));
        assertTrue(!s.effectiveOptions().containsKey("phi-threshold"), "phi's options only with phi");
    }

    @Test
    void shouldReadPhiParameters()
    {
        final DetectorSettings settings = read(Map.of("failure-detector", "phi", "phi-threshold", "3.5",
            "fd-window", "50", "fd-min-std-dev", "2ms", "fd-pause", "20ms"));

        assertEquals(3.5, settings.phiThreshold());
        assertEquals(50, settings.window());
        assertEquals(2 * MS, settings.minStdDevNs());
        assertEquals(20 * MS, settings.pauseNs());
        assertInstanceOf(PhiAccrualDetector.class, settings.newDetector(2, "raft"));
        assertTrue(settings.describe().startsWith("phi threshold 3.5 window 50"), settings.describe());
    }

    @Test
    void shouldRejectBadParametersWithOneClearMessage()
    {
        assertEquals("phi-threshold must be > 0, got 0.0", assertThrows(IllegalArgumentException.class,
            () -> read(Map.of("failure-detector", "phi", "phi-threshold", "0"))).getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> read(Map.of("failure-detector", "phi", "phi-threshold", "-2")));
        assertThrows(IllegalArgumentException.class,
            () -> read(Map.of("failure-detector", "phi", "phi-threshold", "high")));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> read(Map.of("failure-detector", "phi", "fd-window", "1"))).getMessage().startsWith("fd-window"));
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("failure-detector", "gossip")));
    }

    @Test
    void shouldRefuseSwimToAProtocolThatCannotCarryItsProbes()
    {
        final DetectorSettings swim = read(Map.of("failure-detector", "swim"));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> swim.newDetector(3, "primary-backup"));
        assertTrue(ex.getMessage().startsWith("failure-detector=swim cannot be used by primary-backup"));
    }
}
