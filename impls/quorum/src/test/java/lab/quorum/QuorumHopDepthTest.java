package lab.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientSessions;
import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.WriteDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hop depth at the protocol's edge: what a replica sends while handling a message is one hop deeper than it, and the
 * one place the rules speak, a phase's later sends on a tick, continues the path of the message that began the
 * phase, while a hinted handoff on the same tick starts its own.
 */
class QuorumHopDepthTest
{
    /** Each message sent: where to, its template and its depth. */
    private record Sent(int to, int template, int depth)
    {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final QuorumMessages decode = new QuorumMessages();
    private final ClientResponseDecoder response = new ClientResponseDecoder();
    private final lab.core.codec.MessageHeaderDecoder clientHeader = new lab.core.codec.MessageHeaderDecoder();
    private final Outbox out = (to, buffer, offset, length) -> sent.add(decode(to, buffer, offset));

    private Sent decode(final int to, final DirectBuffer buffer, final int offset)
    {
        final int template = decode.templateId(buffer, offset);
        switch (template)
        {
            case ReadDecoder.TEMPLATE_ID:
                return new Sent(to, template, decode.wrapRead(buffer, offset).depth());
            case WriteDecoder.TEMPLATE_ID:
                return new Sent(to, template, decode.wrapWrite(buffer, offset).depth());
            case -1:
                return new Sent(to, -1, response.wrapAndApplyHeader(buffer, offset, clientHeader).depth());
            default:
                return new Sent(to, template, -1);
        }
    }

    private static void request(final Replica replica, final int client, final OpType type, final long key,
        final long nowNs, final Outbox out)
    {
        final ClientMessages messages = new ClientMessages();
        final int length = messages.encodeRequest(1, ClientSessions.sessionId(client, 0), 1, type, key,
            new ExpandableArrayBuffer(8), 0, 8);
        replica.onMessage(client, messages.buffer(), 0, length, nowNs, out);
    }

    /**
     * @return a peer's encoders whose next message has this depth.
     */
    private static QuorumMessages peerSending(final int depth)
    {
        final HopDepth hops = new HopDepth();
        hops.received(depth - 1);
        return new QuorumMessages(hops);
    }

    @Test
    void shouldResendEachPhaseAtTheDepthOfTheMessageThatBeganIt()
    {
        final ProtocolSettings settings = new ProtocolSettings(3, 1, 1,
            Map.of("quorum-mode", "abd", "coordinator", "replica"));
        final Replica coordinator = new QuorumFactory().newReplica(0, settings, new Random(1), false);
        final int client = settings.clientNode(0);
        final long session = ClientSessions.sessionId(client, 0);

        request(coordinator, client, OpType.GET, 0, 0, out); // key 0: home replicas 0 (this one), 1, 2
        assertEquals(List.of(new Sent(1, ReadDecoder.TEMPLATE_ID, 2), new Sent(2, ReadDecoder.TEMPLATE_ID, 2)), sent);

        sent.clear();
        coordinator.onTick(50 * MS, out); // quorum-retry: a tick sends, but the read phase's path goes on
        assertEquals(List.of(new Sent(1, ReadDecoder.TEMPLATE_ID, 2), new Sent(2, ReadDecoder.TEMPLATE_ID, 2)), sent);

        sent.clear();
        final QuorumMessages peer = peerSending(3);
        int length = peer.encodeReadReply(session, 1, 0, 0, new ExpandableArrayBuffer(0), 0, 0);
        coordinator.onMessage(1, peer.buffer(), 0, length, 51 * MS, out);
        assertEquals(List.of(new Sent(1, WriteDecoder.TEMPLATE_ID, 4), new Sent(2, WriteDecoder.TEMPLATE_ID, 4)), sent,
            "ABD's write-back follows the reply that completed the read quorum");

        sent.clear();
        coordinator.onTick(101 * MS, out);
        assertEquals(List.of(new Sent(1, WriteDecoder.TEMPLATE_ID, 4), new Sent(2, WriteDecoder.TEMPLATE_ID, 4)), sent);

        sent.clear();
        final QuorumMessages acker = peerSending(5);
        length = acker.encodeWriteAck(session, 1, 0, 0);
        coordinator.onMessage(2, acker.buffer(), 0, length, 102 * MS, out);
        assertEquals(List.of(new Sent(client, -1, 6)), sent, "4 hops from the replica coordinator, 6 from the client");
    }

    @Test
    void shouldStartANewPathForAHandoffOnTheTickThatResendsAPhase()
    {
        final ProtocolSettings settings = new ProtocolSettings(5, 1, 1,
            Map.of("coordinator", "replica", "n", "3", "sloppy-quorum", "true"));
        final Replica spare = new QuorumFactory().newReplica(3, settings, new Random(1), false);
        final int client = settings.clientNode(0);

        final QuorumMessages peer = peerSending(2);
        final int length = peer.encodeWrite(ClientSessions.sessionId(client, 0), 1, 0, Timestamps.of(1, 1), 0, true,
            new ExpandableArrayBuffer(8), 0, 8);
        spare.onMessage(1, peer.buffer(), 0, length, 0, out); // key 0's homes are 0, 1, 2: held for 0 as a hint
        request(spare, client, OpType.GET, 1, 0, out); // key 1's homes are 1, 2, 3: this replica coordinates

        sent.clear();
        spare.onTick(50 * MS, out);
        assertEquals(List.of(new Sent(1, ReadDecoder.TEMPLATE_ID, 2), new Sent(2, ReadDecoder.TEMPLATE_ID, 2),
            new Sent(0, WriteDecoder.TEMPLATE_ID, 1)), sent);
    }
}
