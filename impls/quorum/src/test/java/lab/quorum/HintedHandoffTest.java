package lab.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.quorum.codec.WriteDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HintedHandoffTest
{
    private static final long MS = 1_000_000L;

    private final QuorumConfig config = new QuorumConfig(new ProtocolSettings(4, 1, 1,
        Map.of("n", "3", "sloppy-quorum", "true", "handoff-interval", "20ms")));
    private final HintedHandoff handoff = new HintedHandoff(config, new QuorumMessages());
    private final QuorumMessages decode = new QuorumMessages();
    /** (home, key, ts) of every write handed off. */
    private final List<List<Long>> sent = new ArrayList<>();
    private final Outbox out = (to, buffer, offset, length) ->
    {
        decode.templateId(buffer, offset);
        final WriteDecoder write = decode.wrapWrite(buffer, offset);
        assertEquals(0, write.clientId(), "a handoff is not a client's operation");
        sent.add(List.of((long)to, write.key(), write.ts()));
    };

    private void hold(final int home, final long key, final long ts)
    {
        handoff.hold(home, key, ts, new UnsafeBuffer(new byte[4]), 0, 4);
    }

    @Test
    void shouldHandEachHintToItsHomeReplicaEveryInterval()
    {
        hold(1, 7, 100);
        hold(2, 8, 200);
        assertEquals(2, handoff.count());

        handoff.onTick(0, out);
        assertEquals(List.of(List.of(1L, 7L, 100L), List.of(2L, 8L, 200L)), sent);
        handoff.onTick(20 * MS - 1, out);
        assertEquals(2, sent.size(), "not before handoff-interval");
        handoff.onTick(20 * MS, out);
        assertEquals(4, sent.size());
    }

    @Test
    void shouldKeepOnlyTheNewestVersionOfAKeyForAHome()
    {
        hold(1, 7, 100);
        hold(1, 7, 300);
        hold(1, 7, 200);

        handoff.onTick(0, out);
        assertEquals(List.of(List.of(1L, 7L, 300L)), sent);
    }

    @Test
    void shouldDropAHintOnceItsHomeAcknowledgesItOrANewerVersion()
    {
        hold(1, 7, 100);
        hold(2, 7, 100);

        handoff.onAck(1, 7, 99);
        assertEquals(2, handoff.count(), "an older version does not deliver it");
        handoff.onAck(1, 7, 100);
        assertEquals(1, handoff.count());
        handoff.onAck(2, 7, 150);
        assertEquals(0, handoff.count());
        handoff.onAck(9, 7, 150); // not a replica: ignored

        handoff.onTick(0, out);
        assertEquals(List.of(), sent);
    }
}
