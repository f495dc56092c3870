package lab.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.harness.sim.SimConfig;
import lab.harness.sim.SimNetwork;
import lab.raft.RaftFactory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration service's promises, on 3 control nodes over a lossy, reordering simulated network whose acting
 * node is crashed again and again (one at a time), restarted from its Raft storage: what a node that starts to act
 * reads is never older than anything committed before; no two different configurations are committed as the
 * successor of the same one (each is proposed from the one committed before it, so none forks across failovers);
 * and configurations keep being committed. A configuration here is a counter and the node that proposed it.
 */
class ConfigServiceTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int NODES = 3;

    /** A user of the service: when it acts, it proposes its counter plus one, every 5 ms. */
    private static final class Counter implements Endpoint, ConfigService.Listener
    {
        final List<String> violations;
        final long[] highest;
        final java.util.Map<Long, Integer> committed;
        final int local;
        final ConfigService service;
        long known = -1;
        long proposed;
        long nextProposalNs;
        final UnsafeBuffer value = new UnsafeBuffer(new byte[Long.BYTES + Integer.BYTES]);

        Counter(final int local, final RaftFactory raft, final ProtocolSettings settings, final long seed,
            final boolean restarted, final List<String> violations, final long[] highest,
            final java.util.Map<Long, Integer> committed)
        {
            this.violations = violations;
            this.highest = highest;
            this.committed = committed;
            this.local = local;
            this.service = new ConfigService(0, NODES, local, raft, settings, new Random(seed), restarted, this);
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            service.onMessage(fromNode, buffer, offset, length, nowNs, out);
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            service.onTick(nowNs, out);
            if (service.active() && nowNs >= nextProposalNs)
            {
                nextProposalNs = nowNs + 5 * MS;
                proposed = known + 1;
                value.putLong(0, proposed);
                value.putInt(Long.BYTES, local);
                service.propose(value, 0, Long.BYTES + Integer.BYTES, nowNs);
            }
        }

        public void flush(final long nowNs, final Outbox out)
        {
            service.flush(nowNs, out);
        }

        public void onActive(final DirectBuffer configuration, final int offset, final int length, final long nowNs,
            final Outbox out)
        {
            known = length == 0 ? 0 : configuration.getLong(offset);
            if (length > 0)
            {
                record(known, configuration.getInt(offset + Long.BYTES));
            }
            if (known < highest[0])
            {
                violations.add("a new acting node read " + known + " after " + highest[0] + " was committed");
            }
            highest[0] = Math.max(highest[0], known);
        }

        public void onCommitted(final long nowNs, final Outbox out)
        {
            record(proposed, local);
            known = proposed;
            highest[0] = Math.max(highest[0], proposed);
        }

        public void onInactive(final long nowNs)
        {
            known = -1;
        }

        private void record(final long counter, final int proposer)
        {
            final Integer before = committed.putIfAbsent(counter, proposer);
            if (before != null && before != proposer)
            {
                violations.add("counter " + counter + " committed from node " + before + " and from node " + proposer);
            }
        }
    }

    @Test
    void committedConfigurationsFormOneSequenceAcrossCrashesOfTheActingNode()
    {
        for (long seed = 1; seed <= 20; seed++)
        {
            run(seed);
        }
    }

    private static void run(final long seed)
    {
        final List<String> violations = new ArrayList<>();
        final long[] highest = {0};
        final java.util.Map<Long, Integer> committed = new java.util.HashMap<>();
        final RaftFactory raft = new RaftFactory();
        final ProtocolSettings settings = ConfigService.raftSettings(NODES);
        final SimNetwork network = new SimNetwork(seed,
            new SimConfig().loss(0.02).duplication(0.02).reordering(0.05, 2 * MS), NODES, NODES);
        for (int i = 0; i < NODES; i++)
        {
            network.register(i, new Counter(i, raft, settings, seed * 10 + i, false, violations, highest, committed));
        }
        final Random schedule = new Random(seed);
        int restarts = 0;
        for (int round = 0; round < 8; round++)
        {
            network.runFor((100 + schedule.nextInt(200)) * MS);
            int victim = -1;
            for (int i = 0; i < NODES; i++)
            {
                if (network.isUp(i) && ((Counter)network.endpoint(i)).service.leader())
                {
                    victim = i;
                }
            }
            if (victim < 0)
            {
                victim = schedule.nextInt(NODES);
            }
            final long before = highest[0];
            network.crash(victim);
            network.runFor((200 + schedule.nextInt(300)) * MS);
            // An election may take a few rounds (a node restarted a moment ago, split votes): up to 2 s.
            for (int waited = 0; waited < 20 && highest[0] == before; waited++)
            {
                network.runFor(100 * MS);
            }
            assertTrue(highest[0] > before, "seed " + seed + ": nothing committed in 2 s after crashing " + victim);
            network.restart(victim, new Counter(victim, raft, settings, seed * 1000 + ++restarts, true, violations,
                highest, committed));
        }
        assertEquals(List.of(), violations, "seed " + seed);
        assertTrue(highest[0] > 100, "seed " + seed + ": only " + highest[0] + " configurations committed");
        raft.runEnded();
    }
}
