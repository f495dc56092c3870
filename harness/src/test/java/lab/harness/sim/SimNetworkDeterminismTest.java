package lab.harness.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.core.codec.OpType;
import lab.harness.metrics.OperationObserver;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimNetworkDeterminismTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Everything a run did, as text: every operation's outcome with its time, and the network's delivery hash.
     */
    private static String history(final long seed)
    {
        final List<String> events = new ArrayList<>();
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("none");
        c.transport("sim");
        c.clients(2);
        c.outstanding(3);
        c.seed(seed);
        c.workload(new Workload(0.5, 100, "zipfian", 0.99, 32));
        c.sim().loss(0.05).duplication(0.02).reordering(0.1, MS);
        c.options().put("client-retry", "5ms");
        c.observers(i -> new OperationObserver()
        {
            public void onInvoke(final long s, final long q, final OpType t, final long k, final long v, final long now)
            {
                events.add(now + " invoke " + s + "/" + q + " " + t + " " + k + " " + v);
            }

            public void onOk(final long s, final long q, final OpType t, final long k, final long v, final long ver,
                final int hops, final long now)
            {
                events.add(now + " ok " + s + "/" + q + " " + v + " " + ver + " " + hops);
            }

            public void onTimeout(final long s, final long q, final OpType t, final long k, final long now)
            {
                events.add(now + " timeout " + s + "/" + q);
            }
        });
        final SimCluster cluster = new SimCluster(c.build());
        cluster.runFor(50 * MS);
        cluster.crash(0);
        cluster.runFor(5 * MS);
        cluster.restart(0);
        cluster.runFor(50 * MS);
        assertTrue(events.size() > 100, "too little happened: " + events.size());
        return cluster.network().traceHash() + "\n" + String.join("\n", events);
    }

    @Test
    void shouldProduceTheSameHistoryForTheSameSeed()
    {
        assertEquals(history(7), history(7));
    }

    @Test
    void shouldProduceADifferentHistoryForADifferentSeed()
    {
        assertNotEquals(history(7), history(8));
    }

    @Test
    void shouldDropMessagesAcrossAPartitionAndDeliverThemAfterHeal()
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("echo");
        c.transport("sim");
        c.options().put("client-retry", "5ms");
        final SimCluster cluster = new SimCluster(c.build());
        cluster.runFor(10 * MS);
        final long before = cluster.clients()[0].completed();
        assertTrue(before > 0);
        cluster.network().partition(0);
        cluster.runFor(10 * MS);
        final long during = cluster.clients()[0].completed();
        cluster.runFor(10 * MS);
        assertEquals(during, cluster.clients()[0].completed(), "operations completed across a partition");
        cluster.network().heal();
        cluster.runFor(10 * MS);
        assertTrue(cluster.clients()[0].completed() > during, "no progress after heal");
    }

    @Test
    void shouldDeliverAfterTheLinkLatency()
    {
        final RunConfig.Builder c = RunConfig.builder();
        c.protocol("echo");
        c.transport("sim");
        c.sim().latency(TimeUnit.MICROSECONDS.toNanos(500), 0);
        c.sim().tickIntervalNs = TimeUnit.MICROSECONDS.toNanos(10);
        final SimCluster cluster = new SimCluster(c.build());
        cluster.runFor(100 * MS + MS / 2);
        // Each echo round trip is two links of 500 us: the first request leaves at time 0, the next at each reply.
        assertEquals(100, cluster.clients()[0].completed());
    }
}
