package lab.raft;

import lab.harness.workload.Workload;
import org.junit.jupiter.api.Test;

import static lab.raft.RaftSim.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raft on the simulated network over many seeds, with loss, duplication, reordering, partitions, leader crashes
 * and restarts. Each run checks, every simulated millisecond, election safety, log matching and leader
 * completeness ({@link RaftInvariants}); every read against acknowledged writes ({@code StaleReadDetector}); at the
 * end that no acknowledged write is missing from the leader's state; and that operations complete once faults
 * heal. A failure names its seed.
 */
class RaftSimulationTest
{
    private static final int SEEDS = Integer.getInteger("lab.sim.seeds", 30);

    private static void assertSafeAndLive(final RaftSim sim, final long completedBefore)
    {
        assertTrue(sim.invariants.violations().isEmpty(), sim.describe());
        assertEquals(0, sim.detector.staleReads(), sim.describe());
        assertTrue(sim.completed() > completedBefore + 50, "no progress after faults healed, " + sim.describe());
        assertNull(sim.lostWrite(), sim.describe());
    }

    @Test
    void shouldElectOneLeaderAndServeReadsAndWritesWithoutFaults()
    {
        final RaftSim sim = new RaftSim(1, 3);
        sim.run(300 * MS);
        assertEquals(0, sim.leader(), sim.describe());
        assertEquals(1, sim.invariants.leaderTerms(), sim.describe());
        assertSafeAndLive(sim, 0);
    }

    @Test
    void shouldStaySafeUnderLossDuplicationAndReordering()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 3).faults(0.05, 0.02, 0.1);
            sim.run(400 * MS);
            sim.faults(0, 0, 0);
            final long before = sim.completed();
            sim.run(200 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    @Test
    void shouldElectANewLeaderWithoutLosingWritesWhenTheLeaderCrashesAndRejoins()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 3).faults(0.01, 0.01, 0.02);
            sim.run(50 * MS + seed * MS); // crash at a different point of the write stream per seed
            final int leader = sim.leader();
            sim.cluster.crash(leader);
            sim.run(200 * MS);
            assertTrue(sim.leader() >= 0 && sim.leader() != leader, "no new leader, " + sim.describe());
            sim.cluster.restart(leader);
            sim.faults(0, 0, 0);
            final long before = sim.completed();
            sim.run(300 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    @Test
    void shouldStepDownAnIsolatedLeaderAndElectOneOnTheMajoritySide()
    {
        for (long seed = 1; seed <= SEEDS / 2; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 5, "raft-reads", seed % 2 == 0 ? "lease" : "read-index");
            sim.run(60 * MS);
            final int old = sim.leader();
            sim.cluster.network().partition(old);
            sim.run(250 * MS);
            assertTrue(!sim.cluster.replica(old).role().is("leader"), "isolated leader kept leading (check " +
                "quorum), " + sim.describe());
            final int leader = sim.leader();
            assertTrue(leader >= 0 && leader != old, "no leader on the majority side, " + sim.describe());
            sim.cluster.network().heal();
            final long before = sim.completed();
            sim.run(300 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    @Test
    void shouldSurviveRepeatedCrashesRestartsAndPartitionsWithFiveReplicas()
    {
        for (long seed = 1; seed <= SEEDS; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 5, "batch", seed % 3 == 0 ? "1" : "8",
                "raft-reads", seed % 2 == 0 ? "lease" : "read-index").faults(0.02, 0.01, 0.05);
            sim.run(50 * MS);
            for (int round = 0; round < 3; round++)
            {
                final int leader = sim.leader();
                final int other = (int)((seed + round) % 5);
                if (leader >= 0)
                {
                    sim.cluster.crash(leader);
                }
                if (other != leader)
                {
                    sim.cluster.network().partition(other);
                }
                sim.run(150 * MS);
                sim.cluster.network().heal();
                if (leader >= 0)
                {
                    sim.cluster.restart(leader);
                }
                sim.run(100 * MS);
            }
            sim.faults(0, 0, 0);
            final long before = sim.completed();
            sim.run(300 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    @Test
    void shouldBringAFollowerFarBehindUpToDateWithASnapshot()
    {
        for (long seed = 1; seed <= SEEDS / 3; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 3);
            sim.run(30 * MS);
            final int follower = (sim.leader() + 1) % 3;
            sim.cluster.crash(follower);
            sim.run(300 * MS); // far more than raft-snapshot-entries writes: the leader compacts them away
            final RaftReplica leader = (RaftReplica)sim.cluster.replica(sim.leader());
            assertTrue(leader.log().snapshotIndex() > 256, sim.describe());
            sim.cluster.restart(follower);
            sim.run(200 * MS);
            final RaftReplica caughtUp = (RaftReplica)sim.cluster.replica(follower);
            assertTrue(caughtUp.appliedIndex() > leader.log().snapshotIndex() - 64,
                "follower applied " + caughtUp.appliedIndex() + ", " + sim.describe());
            final long before = sim.completed();
            sim.cluster.crash(sim.leader());
            sim.run(300 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    /**
     * A state of many chunks ({@link RaftStateTransfer#CHUNK_BYTES}) over links that lose, duplicate and reorder:
     * the shared transfer resends what the follower lacks until it holds the whole snapshot.
     */
    @Test
    void shouldSendASnapshotOfManyChunksOverALossyNetwork()
    {
        for (long seed = 1; seed <= SEEDS / 6; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 3, new Workload(0.2, 4096, "uniform", 0.99, 256));
            sim.run(30 * MS);
            final int follower = (sim.leader() + 1) % 3;
            sim.cluster.crash(follower);
            sim.run(300 * MS);
            final RaftReplica leader = (RaftReplica)sim.cluster.replica(sim.leader());
            final long valueBytes = 256L * leader.store().size(); // the snapshot holds at least the values
            assertTrue(valueBytes > 4 * RaftStateTransfer.CHUNK_BYTES, valueBytes + " bytes, " + sim.describe());
            sim.faults(0.05, 0.02, 0.05);
            sim.cluster.restart(follower);
            sim.run(400 * MS);
            sim.faults(0, 0, 0);
            sim.run(100 * MS);
            final RaftReplica caughtUp = (RaftReplica)sim.cluster.replica(follower);
            final RaftReplica now = (RaftReplica)sim.cluster.replica(sim.leader());
            assertTrue(caughtUp.appliedIndex() > now.log().snapshotIndex() - 64,
                "follower applied " + caughtUp.appliedIndex() + ", " + sim.describe());
            final long before = sim.completed();
            sim.run(200 * MS);
            assertSafeAndLive(sim, before);
        }
    }

    @Test
    void shouldRecoverTermVoteAndLogFromTheDurableFileWhenCrashedNodesRestart()
    {
        for (long seed = 1; seed <= SEEDS / 3; seed++)
        {
            final RaftSim sim = new RaftSim(seed, 3, "raft-log", "file", "raft-snapshot-entries", "1024").faults(0.01, 0.01, 0.02);
            sim.run(60 * MS);
            for (int round = 0; round < 3; round++)
            {
                final int leader = sim.leader();
                final int follower = (leader + 1 + round % 2) % 3;
                sim.cluster.crash(leader);
                sim.run(80 * MS);
                sim.cluster.crash(follower); // now only one node is up: nothing commits until the others return
                sim.cluster.restart(leader);
                sim.run(80 * MS);
                sim.cluster.restart(follower);
                sim.run(80 * MS);
            }
            sim.faults(0, 0, 0);
            final long before = sim.completed();
            sim.run(300 * MS);
            assertSafeAndLive(sim, before);
        }
    }
}
