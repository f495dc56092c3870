package lab.chain;

import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crashed node rejoins with a state of many chunks ({@link ChainStateTransfer} over {@code lab.core.snapshot})
 * on a network that loses, duplicates and reorders: the snapshot arrives whole, the node catches up and serves, and
 * no read is stale.
 */
class ChainStateTransferTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int KEYS = 3000;
    private static final int VALUE_BYTES = 256;

    @Test
    void aManyChunkSnapshotArrivesWholeOverALossyNetwork()
    {
        for (long seed = 1; seed <= 8; seed++)
        {
            final StaleReadDetector detector = new StaleReadDetector();
            final RunConfig.Builder config = RunConfig.builder();
            config.protocol("chain");
            config.replicas(3);
            config.transport("sim");
            config.seed(seed);
            config.clients(2);
            config.outstanding(8);
            config.workload(new Workload(0.2, KEYS, "uniform", 0.99, VALUE_BYTES));
            config.opTimeoutNs(TimeUnit.SECONDS.toNanos(1));
            config.options().put("reads", seed % 2 == 0 ? "craq" : "tail");
            config.options().put("chain-retransmit", "2ms");
            config.options().put("chain-snapshot-retry", "20ms");
            config.options().put("client-retry", "20ms");
            config.sim(new SimConfig().loss(0.05).duplication(0.05).reordering(0.1, 2 * MS));
            config.observers(i -> detector);
            final SimCluster cluster = new SimCluster(config.build());
            final int victim = (int)(seed % 3);
            cluster.runFor(600 * MS);
            cluster.crash(victim);
            cluster.runFor(300 * MS);
            cluster.restart(victim);
            cluster.runFor(1500 * MS);
            final ChainReplica joined = (ChainReplica)cluster.replica(victim);
            final String where = "seed " + seed + ", node " + victim + ": " + joined.role() + " keys " +
                joined.store().size();
            assertTrue(joined.synced() && !joined.role().is("standby"), "did not rejoin, " + where);
            // A state far above one chunk (32 KiB): the transfer was many chunks.
            assertTrue((long)joined.store().size() * VALUE_BYTES > 16L * ChainStateTransfer.CHUNK_BYTES, where);
            assertEquals(0, detector.staleReads(), where);
            assertEquals(0, joined.malformedMessages(), where);
        }
    }
}
