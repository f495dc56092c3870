package lab;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.CapacityModel;
import lab.harness.cluster.LabRunner;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.RunResult;
import lab.harness.metrics.NodeLoad;
import lab.harness.report.RunReport;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the load lands, from message counts on the seeded simulator (deterministic): what the course notes say of
 * each strategy's bottleneck must come out of the per-node accounting.
 */
class NodeLoadTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void primaryBackupPrimaryCarriesTwiceEachBackup()
    {
        final RunResult r = run("primary-backup", 3, 0.0, Map.of());
        final NodeLoad primary = byRole(r, "primary").get(0);
        final List<NodeLoad> backups = byRole(r, "backup");
        assertEquals(2, backups.size());
        for (final NodeLoad b : backups)
        {
            assertTrue(handled(primary) >= 2 * handled(b), describe(r));
        }
        assertEquals(primary.id(), CapacityModel.of(r, null).prediction().bottleneckNode(), describe(r));
    }

    @Test
    void raftLeaderCarriesTwiceEachFollower()
    {
        final RunResult r = run("raft", 3, 0.0, Map.of());
        final NodeLoad leader = byRole(r, "leader").get(0);
        final List<NodeLoad> followers = byRole(r, "follower");
        assertEquals(2, followers.size(), describe(r));
        for (final NodeLoad f : followers)
        {
            assertTrue(handled(leader) >= 2 * handled(f), describe(r));
        }
    }

    @Test
    void messagesByTypeAddUpToTheTotalsAndNameTheProtocolsMessages()
    {
        final RunResult r = run("raft", 3, 0.0, Map.of());
        assertByTypeAddsUp(r);
        final NodeLoad leader = byRole(r, "leader").get(0);
        assertTrue(leader.messagesOutByType().getOrDefault("raft.AppendEntries", 0L) > 0, describe(r));
        assertTrue(leader.messagesInByType().getOrDefault("raft.AppendResponse", 0L) > 0, describe(r));
        assertTrue(leader.messagesInByType().getOrDefault("client.ClientRequest", 0L) > 0, describe(r));
        for (final NodeLoad f : byRole(r, "follower"))
        {
            assertTrue(f.messagesInByType().getOrDefault("raft.AppendEntries", 0L) > 0, describe(r));
            assertEquals(f.messagesOut(), f.messagesOutByType().getOrDefault("raft.AppendResponse", 0L),
                "a follower of a writes-only run answers appends only: " + describe(r));
        }
        assertTrue(CapacityModel.of(r, null).text().contains("by type, in/op:"), describe(r));
    }

    @Test
    void chainWithTailAcksSpreadsWrites()
    {
        for (final int replicas : new int[]{3, 5})
        {
            final RunResult r = run("chain", replicas, 0.0, Map.of("chain-ack", "tail"));
            assertWithin(r, 1.5);
        }
    }

    @Test
    void craqReadsAreServedByEveryNode()
    {
        final RunResult r = run("chain", 3, 0.95, Map.of("reads", "craq"));
        for (final NodeLoad n : servers(r))
        {
            if (!"control".equals(n.role()))
            {
                // Writes are answered by the tail only: every other node's replies to clients are reads it served.
                assertTrue(n.clientMessagesOut() > 0.1 * r.totalOps(), "node " + n.id() + " serves no reads: " +
                    describe(r));
            }
        }
    }

    @Test
    void quorumWithClientCoordinationSpreadsEverything()
    {
        final RunResult r = run("quorum", 3, 0.5, Map.of("coordinator", "client"));
        assertWithin(r, 1.5);
    }

    @Test
    void simulatorReportsBusyAsNullWithTheReason()
    {
        final RunResult r = run("raft", 3, 0.5, Map.of());
        final lab.harness.report.RunContract contract = RunReport.toContract(r, Map.of());
        final List<lab.harness.cluster.NodeDemand> nodes = contract.nodes();
        assertEquals(r.load().nodes().size(), nodes.size());
        final lab.harness.cluster.NodeDemand first = nodes.get(0);
        assertNull(first.busyUsPerOp());
        assertTrue(String.valueOf(first.busyNullReason()).contains("simulated"), first.toString());
        final lab.harness.cluster.CapacityPrediction model = contract.model();
        final lab.harness.cluster.CapacityPrediction.MaxThroughput max = model.predictedMaxOpsPerS();
        assertNull(max.oneCorePerNode());
        assertTrue(String.valueOf(max.nullReason()).contains("busy time not measured"), max.toString());
        // On the simulator handlers take no time: the predicted p50 is hops x link (50 us + 5 us mean jitter).
        assertEquals(4 * 55.0, model.predictedP50Us().write(), 1e-9);
    }

    @Test
    void noCompletedOperationsIsSaidNotComputed()
    {
        final RunConfig.Builder config = config("primary-backup", 3, 0.5, Map.of()).toBuilder();
        config.sim().lossRate = 1.0; // nothing arrives anywhere
        final RunResult r = LabRunner.run(config.build());
        assertEquals(0, r.totalOps());
        final lab.harness.cluster.CapacityPrediction model = CapacityModel.of(r, null).prediction();
        assertNull(model.bottleneckNode());
        assertTrue(String.valueOf(model.nullReason()).contains("no completed operations"), model.toString());
        assertTrue(RunReport.toTable(r).contains("model: cannot be computed: no completed operations"));
    }

    @Test
    void inProcessBusyTimeFindsThePrimary()
    {
        final RunResult r = LabRunner.run(inProcess("primary-backup", 0.0).build());
        final CapacityModel model = CapacityModel.of(r, null);
        assertNull(model.note(), describe(r));
        for (final NodeLoad n : r.load().nodes())
        {
            assertTrue(n.busyNs() > 0, "node " + n.id() + " measured no busy time: " + describe(r));
        }
        assertEquals("primary", model.prediction().bottleneckRole(), RunReport.toTable(r));
        assertByTypeAddsUp(r);
        assertNotNull(model.oneCorePerNode());
        assertTrue(model.oneCorePerNode() >= model.sharedCore(), RunReport.toTable(r));
        assertFalse(model.text().contains("control plane"), "no control nodes in majority mode: " + describe(r));
    }

    @Test
    void inProcessChainSaysWhatItsReplicatedManagerTakesFromTheSharedThread()
    {
        final RunConfig.Builder config = inProcess("chain", 0.5);
        final RunResult r = LabRunner.run(config.build());
        final String text = CapacityModel.of(r, null).text();
        assertEquals(3, byRole(r, "control").size(), describe(r));
        assertTrue(text.contains("control plane: 3 control node(s)") &&
            text.contains("--opt chain-manager=single runs one"), text);
        final String single = CapacityModel.of(LabRunner.run(config.options(Map.of("chain-manager", "single"))
            .build()), null).text();
        assertTrue(single.contains("control plane: 1 control node(s)") && !single.contains("chain-manager=single"),
            single);
    }

    /** 3 replicas in one process over IPC, every node agent on one thread: where busy time is measured. */
    private static RunConfig.Builder inProcess(final String protocol, final double readRatio)
    {
        final RunConfig.Builder config = config(protocol, 3, readRatio, Map.of()).toBuilder();
        config.transport("ipc");
        config.durationNs(1000 * MS);
        config.warmupNs(300 * MS);
        return config;
    }

    private static void assertWithin(final RunResult r, final double ratio)
    {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (final NodeLoad n : servers(r))
        {
            if (!"control".equals(n.role()))
            {
                min = Math.min(min, handled(n));
                max = Math.max(max, handled(n));
            }
        }
        assertTrue(min > 0 && max <= ratio * min, "max/min " + max / min + ": " + describe(r));
    }

    private static void assertByTypeAddsUp(final RunResult r)
    {
        for (final NodeLoad n : r.load().nodes())
        {
            assertEquals(n.messagesIn(), n.messagesInByType().values().stream().mapToLong(Long::longValue).sum(),
                "node " + n.id() + " in: " + n.messagesInByType());
            assertEquals(n.messagesOut(), n.messagesOutByType().values().stream().mapToLong(Long::longValue).sum(),
                "node " + n.id() + " out: " + n.messagesOutByType());
            assertTrue(!n.messagesInByType().containsKey("other"), "node " + n.id() + ": " + n.messagesInByType());
        }
    }

    private static long handled(final NodeLoad n)
    {
        return n.messagesIn() + n.messagesOut();
    }

    private static List<NodeLoad> servers(final RunResult r)
    {
        return r.load().nodes().stream().filter(n -> !n.client()).toList();
    }

    private static List<NodeLoad> byRole(final RunResult r, final String role)
    {
        return r.load().nodes().stream().filter(n -> role.equals(n.role())).toList();
    }

    private static String describe(final RunResult r)
    {
        return r.config().get("protocol") + " " + r.protocolOptions() + "\n" + CapacityModel.of(r, null).text();
    }

    private static RunResult run(final String protocol, final int replicas, final double readRatio,
        final Map<String, String> options)
    {
        final RunResult r = LabRunner.run(config(protocol, replicas, readRatio, options));
        assertTrue(r.totalOps() > 1000, "too few operations: " + r.totalOps());
        return r;
    }

    private static RunConfig config(final String protocol, final int replicas, final double readRatio,
        final Map<String, String> options)
    {
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport("sim");
        config.workload(new Workload(readRatio, 1000, "uniform", 0.99, 64));
        config.clients(2);
        config.outstanding(4);
        config.durationNs(1000 * MS);
        config.warmupNs(300 * MS);
        config.intervalNs(100 * MS);
        config.seed(11);
        config.options().putAll(options);
        return config.build();
    }
}
