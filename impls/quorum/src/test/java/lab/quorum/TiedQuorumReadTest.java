package lab.quorum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.client.TiedCopies;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.cluster.SimCluster;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.quorum.codec.ReadDecoder;
import lab.quorum.codec.ReadReplyDecoder;
import lab.quorum.codec.TiedCancelDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tied quorum reads ({@code tied}): a read phase asks the first r home replicas and ties the last of them to the next
 * home; the replica of the pair that starts first cancels the other's copy; ABD stays linearizable under faults.
 */
class TiedQuorumReadTest
{
    private static final int CLIENT = 3;
    private static final long KEY = 0; // home replicas 0, 1, 2 in that order
    private static final long SESSION = ClientSessions.sessionId(CLIENT, 0);

    /** Each message sent: the node it went to and its bytes. */
    private final List<Integer> sentTo = new ArrayList<>();
    private final List<ExpandableArrayBuffer> sent = new ArrayList<>();
    private final Outbox out = (to, buffer, offset, length) ->
    {
        final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(length);
        copy.putBytes(0, buffer, offset, length);
        sentTo.add(to);
        sent.add(copy);
    };
    private final List<Status> completed = new ArrayList<>();
    private final ClientListener listener = (slot, seq, status, hops, version, value, offset, length) ->
        completed.add(status);
    private final QuorumMessages messages = new QuorumMessages();

    private static Map<String, String> options(final String... keyValues)
    {
        final Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static ClientProtocol client(final String... options)
    {
        return new QuorumFactory().newClient(CLIENT, new ProtocolSettings(3, 1, 1, options(options)), new Random(1));
    }

    private static QuorumReplica replica(final int node)
    {
        return new QuorumReplica(node, new QuorumConfig(new ProtocolSettings(3, 1, 1, options("tied", "true"))),
            new Random(1), false);
    }

    private int template(final int i)
    {
        return messages.templateId(sent.get(i), 0);
    }

    private int tiedPeer(final int i)
    {
        assertEquals(ReadDecoder.TEMPLATE_ID, template(i));
        return messages.wrapRead(sent.get(i), 0).tiedPeer();
    }

    private void deliver(final Object node, final int from, final DirectBuffer buffer, final long nowNs)
    {
        if (node instanceof QuorumReplica r)
        {
            r.onMessage(from, buffer, 0, buffer.capacity(), nowNs, out);
        }
        else
        {
            ((ClientProtocol)node).onMessage(from, buffer, 0, buffer.capacity(), nowNs, out, listener);
        }
    }

    @Test
    void shouldAskRReplicasAndTieTheLastToTheSpare()
    {
        final ClientProtocol client = client("quorum-mode", "abd", "tied", "true");
        client.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        assertEquals(List.of(0, 1, 2), sentTo, "r = 2 of n = 3, plus the tied spare");
        assertEquals(-1, tiedPeer(0), "the first home is asked plainly");
        assertEquals(2, tiedPeer(1), "the r-th home names the spare");
        assertEquals(1, tiedPeer(2), "and the spare names it");
        assertEquals(1, client.tied().copiesSent());

        sentTo.clear();
        sent.clear();
        client.onTick(50 * MS, out, listener);
        assertEquals(List.of(0, 1, 2), sentTo, "quorum-retry asks every home replica again");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(-1, tiedPeer(i), "untied: a copy a cancel dropped is gone");
        }
    }

    @Test
    void shouldServeTheFirstCopyCancelTheOtherAndDropItWhenTheCancelComesFirst()
    {
        final QuorumReplica fast = replica(2);
        final QuorumReplica slow = replica(1);
        final int read = messages.encodeRead(SESSION, 1, KEY, 1);
        final ExpandableArrayBuffer toFast = new ExpandableArrayBuffer(read);
        toFast.putBytes(0, messages.buffer(), 0, read);
        fast.onMessage(CLIENT, toFast, 0, read, 0, out);
        assertEquals(List.of(1, CLIENT), sentTo, "a cancel to the tied peer, sent first, then the reply");
        assertEquals(TiedCancelDecoder.TEMPLATE_ID, template(0));
        assertEquals(ReadReplyDecoder.TEMPLATE_ID, template(1));
        assertEquals(CLIENT, messages.wrapTiedCancel(sent.get(0), 0).origin());

        final ExpandableArrayBuffer cancel = sent.get(0);
        slow.onMessage(2, cancel, 0, cancel.capacity(), MS, out);
        final int copy = messages.encodeRead(SESSION, 1, KEY, 2);
        slow.onMessage(CLIENT, messages.buffer(), 0, copy, 2 * MS, out);
        assertEquals(2, sentTo.size(), "the cancelled copy is dropped unanswered");
        assertEquals(1L, slow.counters().get(TiedCopies.COPIES_DROPPED));
        assertEquals(1L, fast.counters().get(TiedCopies.CANCELS_SENT));

        final int untied = messages.encodeRead(SESSION, 1, KEY, -1);
        slow.onMessage(CLIENT, messages.buffer(), 0, untied, 3 * MS, out);
        assertEquals(List.of(1, CLIENT, CLIENT), sentTo, "a resent, untied read is served whatever was cancelled");
    }

    @Test
    void shouldCompleteAReadWhosePairBothServedAndCountItOnce()
    {
        final ClientProtocol client = client("quorum-mode", "dynamo", "r", "1", "tied", "true");
        final QuorumReplica[] replicas = {replica(0), replica(1), replica(2)};
        client.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        assertEquals(List.of(0, 1), sentTo, "r = 1: the first home tied to the second");
        final ExpandableArrayBuffer to0 = sent.get(0);
        final ExpandableArrayBuffer to1 = sent.get(1);
        sentTo.clear();
        sent.clear();
        deliver(replicas[0], CLIENT, to0, MS);
        deliver(replicas[1], CLIENT, to1, MS);
        assertEquals(List.of(1, CLIENT, 0, CLIENT), sentTo, "both started before either heard of the other");
        final List<ExpandableArrayBuffer> answers = new ArrayList<>(sent);
        deliver(replicas[1], 0, answers.get(0), 2 * MS);
        deliver(replicas[0], 1, answers.get(2), 2 * MS);
        deliver(client, 0, answers.get(1), 2 * MS);
        deliver(client, 1, answers.get(3), 2 * MS);
        assertEquals(List.of(Status.NOT_FOUND), completed, "the first answer completes it, the second is late");
        assertEquals(1L, replicas[0].counters().get(TiedCopies.BOTH_SERVED) +
            replicas[1].counters().get(TiedCopies.BOTH_SERVED));
    }

    @Test
    void shouldRefuseATieWithNoSpareOrWithAHedge()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client("tied", "true", "r", "3"));
        assertTrue(e.getMessage().startsWith("tied needs r < n"), e.getMessage());
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
            () -> client("tied", "true", "hedge", "1ms"));
        assertTrue(both.getMessage().startsWith("tied and hedge"), both.getMessage());
    }

    @Test
    void shouldStayLinearizableWithTiedAbdReadsUnderFaults()
    {
        for (long seed = 1; seed <= 12; seed++)
        {
            AbdSimulationTest.runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "tied", "true")
                .replicas(seed % 2 == 0 ? 5 : 3));
            AbdSimulationTest.runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "tied", "true",
                "coordinator", "replica"));
        }
    }

    /**
     * Replica 1 answers the clients 20 ms late. Asked plainly (as the first of r homes of some keys) it is waited
     * for; tied, its peer's answer completes the read; all n asked, it is never waited for.
     */
    @Test
    void shouldNotWaitForASlowReplicaOfTheTiedPair()
    {
        final QuorumScenario scenario = QuorumScenario.of("quorum-mode", "abd", "tied", "true");
        final SimCluster cluster = scenario.cluster(7);
        for (int c = 0; c < cluster.clients().length; c++)
        {
            cluster.network().linkLatency(1, cluster.replicas() + c, 20 * MS);
        }
        cluster.runFor(1000 * MS);
        QuorumScenario.drain(cluster);
        final org.HdrHistogram.Histogram latency = new org.HdrHistogram.Histogram(3);
        long copies = 0;
        long reads = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            latency.add(c.reads().latencyNs());
            copies += c.tied().copiesSent();
            reads += c.tied().readsCompleted();
        }
        assertEquals(0, scenario.detector.staleReads(), scenario.failure(7, "tied abd returned a stale read"));
        assertTrue(reads > 0 && copies >= reads, "every read phase tied: " + copies + " of " + reads);
        // Replica 1 is the first home (asked plainly) of a third of the keys: those reads wait for it.
        assertTrue(latency.getValueAtPercentile(50) < 20 * MS, "p50 " + latency.getValueAtPercentile(50));
    }
}
