package lab.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.cluster.SimCluster;
import lab.harness.workload.ClosedLoopLoadGenerator;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static lab.quorum.QuorumScenario.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hedged quorum reads ({@code hedge}): a read phase asks r home replicas, one more after the hedge delay, all of them
 * after {@code quorum-retry}; under faults ABD stays linearizable with hedging on.
 */
class HedgedQuorumReadTest
{
    private static final int CLIENT = 3;
    private static final long KEY = 0; // home replicas 0, 1, 2 in that order

    private final List<Integer> sentTo = new ArrayList<>();
    private final Outbox out = (to, buffer, offset, length) -> sentTo.add(to);
    private final List<Status> completed = new ArrayList<>();
    private final ClientListener listener = (slot, seq, status, hops, version, value, offset, length) ->
        completed.add(status);
    private final QuorumMessages replica = new QuorumMessages();

    private static ClientProtocol client(final String... options)
    {
        final Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < options.length; i += 2)
        {
            map.put(options[i], options[i + 1]);
        }
        return new QuorumFactory().newClient(CLIENT, new ProtocolSettings(3, 1, 1, map), new Random(1));
    }

    private void reply(final ClientProtocol client, final int from, final long nowNs)
    {
        final int length = replica.encodeReadReply(ClientSessions.sessionId(CLIENT, 0), 1, KEY, 0,
            new ExpandableArrayBuffer(0), 0, 0);
        client.onMessage(from, replica.buffer(), 0, length, nowNs, out, listener);
    }

    @Test
    void shouldAskRReplicasThenOneMoreAfterTheHedgeDelay()
    {
        final ClientProtocol client = client("hedge", "2ms");
        client.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        assertEquals(List.of(0, 1), sentTo, "r = 2 of n = 3");

        client.onTick(2 * MS - 1, out, listener);
        assertEquals(List.of(0, 1), sentTo);
        client.onTick(2 * MS, out, listener);
        client.onTick(3 * MS, out, listener);
        assertEquals(List.of(0, 1, 2), sentTo, "one more, once");

        reply(client, 2, 3 * MS);
        reply(client, 0, 4 * MS);
        assertEquals(List.of(Status.NOT_FOUND), completed, "any r replies are a quorum");
        assertEquals(1, client.hedging().copiesSent());
        assertEquals(1, client.hedging().readsCompleted());
    }

    @Test
    void shouldNotHedgeAReadAnsweredInTime()
    {
        final ClientProtocol client = client("hedge", "2ms");
        client.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        reply(client, 0, MS);
        reply(client, 1, MS);
        client.onTick(10 * MS, out, listener);

        assertEquals(List.of(0, 1), sentTo);
        assertEquals(0, client.hedging().copiesSent());
    }

    @Test
    void shouldAskEveryHomeReplicaWithoutHedgingAndWhenTheRetryComes()
    {
        final ClientProtocol plain = client();
        plain.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        assertEquals(List.of(0, 1, 2), sentTo);

        sentTo.clear();
        final ClientProtocol hedged = client("hedge", "p99");
        hedged.submit(0, 1, OpType.GET, KEY, new ExpandableArrayBuffer(0), 0, 0, 0, out);
        hedged.onTick(10 * MS, out, listener);
        assertEquals(List.of(0, 1), sentTo, "a percentile hedge with no reads yet does not hedge");
        reply(hedged, 0, 11 * MS);
        hedged.onTick(50 * MS, out, listener);
        assertEquals(List.of(0, 1, 1, 2), sentTo, "quorum-retry asks every home replica that has not answered");
    }

    @Test
    void shouldRefuseAHedgeWithNoReplicaLeftToHedgeTo()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client("hedge", "1ms", "r", "3"));
        assertTrue(e.getMessage().startsWith("hedge needs r < n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client("hedge", "p100"));
    }

    @Test
    void shouldStayLinearizableWithHedgedAbdReadsUnderFaults()
    {
        for (long seed = 1; seed <= 20; seed++)
        {
            AbdSimulationTest.runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "hedge", "p90")
                .replicas(seed % 2 == 0 ? 5 : 3));
            AbdSimulationTest.runWithFaults(seed, QuorumScenario.of("quorum-mode", "abd", "hedge", "1ms",
                "coordinator", "replica"));
        }
    }

    /**
     * Without hedging the client asks all n home replicas at once, so a slow one is never waited for: the most
     * messages, the shortest tail. Hedged, it asks r and waits for the slow one only until the hedge delay.
     */
    @Test
    void shouldWaitForASlowReplicaOnlyUntilTheHedgeDelay()
    {
        final long[] p99 = new long[2];
        final long[] copies = new long[2];
        final long[] reads = new long[2];
        for (int hedged = 0; hedged < 2; hedged++)
        {
            final QuorumScenario scenario = hedged == 1 ?
                QuorumScenario.of("quorum-mode", "abd", "hedge", "1ms") : QuorumScenario.of("quorum-mode", "abd");
            final SimCluster cluster = scenario.cluster(7);
            for (int c = 0; c < cluster.clients().length; c++)
            {
                // Replica 1 answers the clients 20 ms late: inside the first r homes of two keys in three.
                cluster.network().linkLatency(1, cluster.replicas() + c, 20 * MS);
            }
            cluster.runFor(1000 * MS);
            QuorumScenario.drain(cluster);
            final org.HdrHistogram.Histogram latency = new org.HdrHistogram.Histogram(3);
            for (final ClosedLoopLoadGenerator c : cluster.clients())
            {
                latency.add(c.reads().latencyNs());
                reads[hedged] += c.hedging().readsCompleted();
                copies[hedged] += c.hedging().copiesSent();
            }
            p99[hedged] = latency.getValueAtPercentile(99);
            assertEquals(0, scenario.detector.staleReads(), scenario.failure(7, "abd returned a stale read"));
        }
        assertEquals(0, copies[0]);
        assertTrue(copies[1] > 0 && copies[1] < reads[1], "some read phases hedged: " + copies[1] + " of " + reads[1]);
        assertTrue(p99[0] < 20 * MS, "all n asked: the slow replica is never waited for, p99 " + p99[0]);
        assertTrue(p99[1] < 20 * MS, "hedged after 1 ms: the slow replica is waited for 1 ms, not 20, p99 " + p99[1]);
    }
}
