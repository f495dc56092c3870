package lab.chain;

import java.util.Map;

import lab.core.HopTheory;
import lab.core.ProtocolSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainConfigTest
{
    private final ChainFactory factory = new ChainFactory();

    @Test
    void shouldDefaultToTailAcksAndTailReads()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of());
        factory.validate(settings);
        assertEquals("tail", settings.effectiveOptions().get("chain-ack"));
        assertEquals("tail", settings.effectiveOptions().get("reads"));
        assertTrue(settings.effectiveOptions().containsKey("chain-failure-timeout"));
    }

    @Test
    void shouldRejectUnknownAckMode()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1, Map.of("chain-ack", "middle"));
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings));
    }

    @Test
    void shouldRejectLeaseNotShorterThanFailureTimeout()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1,
            Map.of("chain-failure-timeout", "50ms", "chain-lease-drift", "60ms"));
        assertThrows(IllegalArgumentException.class, () -> factory.validate(settings));
    }

    @Test
    void shouldPredictHopsOfBothAckModes()
    {
        final HopTheory tail = factory.theory(new ProtocolSettings(5, 1, 1, Map.of("chain-ack", "tail")));
        final HopTheory head = factory.theory(new ProtocolSettings(5, 1, 1, Map.of("chain-ack", "head")));
        assertEquals(6, tail.writeHops());
        assertEquals(10, head.writeHops());
        assertEquals(2, tail.readHops());
    }

    @Test
    void shouldRunItsConfigurationManagersAsControlNodes()
    {
        assertEquals(3, factory.controlNodes(new ProtocolSettings(3, 1, 1, Map.of())), "chain-manager=raft");
        assertEquals(5, factory.controlNodes(new ProtocolSettings(3, 1, 1, Map.of("chain-managers", "5"))));
        assertEquals(1, factory.controlNodes(new ProtocolSettings(3, 1, 1, Map.of("chain-manager", "single"))));
        assertTrue(factory.warnings(new ProtocolSettings(3, 1, 1, Map.of("chain-managers", "4"))).contains("even"));
        assertEquals("", factory.warnings(new ProtocolSettings(3, 1, 1, Map.of())));
    }

    @Test
    void shouldPackChainHintsLosslessly()
    {
        final long hint = ChainHint.pack(12345, 6, 0);
        assertEquals(12345, ChainHint.epoch(hint));
        assertEquals(6, ChainHint.head(hint));
        assertEquals(0, ChainHint.tail(hint));
    }
}
