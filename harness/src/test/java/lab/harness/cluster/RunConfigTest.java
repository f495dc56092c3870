package lab.harness.cluster;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.sim.SimConfig;
import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The run configuration is immutable: what a run was given, printed with its result and reused, stays as it was
 * whatever happens to the builder it came from or to the parts handed out.
 */
class RunConfigTest
{
    @Test
    void defaultsAreTheDocumentedOnes()
    {
        final RunConfig c = RunConfig.builder().build();
        assertEquals("primary-backup", c.protocol);
        assertEquals(3, c.replicas);
        assertEquals("ipc", c.transport);
        assertEquals(new Workload(0.5, 10_000, "uniform", 0.99, 64), c.workload);
        assertEquals(1, c.clients);
        assertEquals(1, c.outstanding);
        assertEquals(0.0, c.rate);
        assertEquals(TimeUnit.SECONDS.toNanos(10), c.durationNs);
        assertEquals(-1, c.warmupNs);
        assertEquals(TimeUnit.SECONDS.toNanos(2), c.effectiveWarmupNs());
        assertEquals(TimeUnit.SECONDS.toNanos(1), c.opTimeoutNs);
        assertEquals(42, c.seed);
        assertEquals("auto", c.idle);
        assertEquals("shared", c.threading);
        assertEquals("auto", c.profileEvent);
        assertEquals(Map.of(), c.options);
        assertEquals(new SimConfig().toString(), c.sim().toString());
        assertEquals(lab.harness.aeron.LinkEmulator.Settings.NONE, c.link);
        assertEquals(true, c.faults.isEmpty());
        assertEquals(TimeUnit.SECONDS.toNanos(1), c.intervalNs);
    }

    @Test
    void aBuiltConfigurationDoesNotFollowItsBuilder()
    {
        final RunConfig.Builder b = RunConfig.builder().protocol("raft").seed(7);
        b.options().put("batch", "8");
        b.sim().loss(0.1);
        final RunConfig built = b.build();

        b.seed(8).protocol("chain");
        b.options().put("batch", "16");
        b.sim().loss(0.2);

        assertEquals("raft", built.protocol);
        assertEquals(7, built.seed);
        assertEquals(Map.of("batch", "8"), built.options);
        assertEquals(0.1, built.sim().lossRate);
    }

    @Test
    void itsPartsCannotBeChanged()
    {
        final RunConfig c = RunConfig.builder().options(Map.of("r", "2")).build();
        assertThrows(UnsupportedOperationException.class, () -> c.options.put("w", "2"));
        final SimConfig handedOut = c.sim();
        handedOut.loss(0.5);
        assertNotSame(handedOut, c.sim());
        assertEquals(0.0, c.sim().lossRate);
        assertThrows(UnsupportedOperationException.class,
            () -> FaultSchedule.parse("crash:node0@1s").events().clear());
    }

    @Test
    void toBuilderMakesAVariantAndLeavesTheOriginal()
    {
        final RunConfig original = RunConfig.builder().protocol("quorum").replicas(5).clients(2).rate(1000)
            .poisson(true).workloadPreset("b").durationNs(3).warmupNs(1).seed(9).threading("per-node").mtu(1408)
            .staleReads(true).faults(FaultSchedule.parse("crash:node1@1s")).intervalNs(5)
            .options(Map.of("quorum-mode", "abd")).build();
        final RunConfig variant = original.toBuilder().seed(10).build();

        assertEquals(9, original.seed);
        assertEquals(10, variant.seed);
        assertEquals(original.describe().toString().replace("seed=9", "seed=10"), variant.describe().toString());
        assertEquals(original.options, variant.options);
        assertSame(original.faults, variant.faults); // immutable: shared, not copied
        assertEquals(original.sim().toString(), variant.sim().toString());
    }

    @Test
    void aSimulatorSettingIsCopiedInNotShared()
    {
        final SimConfig sim = new SimConfig().latency(100, 10);
        final RunConfig c = RunConfig.builder().sim(sim).build();
        sim.loss(0.3);
        assertEquals(0.0, c.sim().lossRate);
        assertEquals(100, c.sim().latencyNs);
    }

    @Test
    void aFixedReplicaProtocolRunsItsOwnCount()
    {
        final RunConfig asked = RunConfig.builder().protocol("echo").replicas(5).build();
        assertEquals(5, asked.replicas);
        assertEquals(lab.core.Protocols.byName("echo").fixedReplicas(), LabRunner.asRun(asked).replicas);
        final RunConfig one = RunConfig.builder().protocol("echo").replicas(1).build();
        assertSame(one, LabRunner.asRun(one)); // already as it runs
    }
}
