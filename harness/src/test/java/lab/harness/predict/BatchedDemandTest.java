package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import lab.harness.metrics.NodeLoad;
import org.junit.jupiter.api.Test;

/**
 * The capacity model's demand at a load from costs fitted at other loads, on synthetic Raft-like runs whose costs are
 * known: a leader, two followers and a client, where under load one append per follower and one acknowledgement carry
 * a batch of writes. A demand measured at 1 x 1 overstates the demand under load; the fitted one does not.
 */
class BatchedDemandTest
{
    private static final double CYCLE_NS = 1_200;
    private static final double MESSAGE_NS = 300;
    private static final double BYTE_NS = 2;
    private static final double CLIENT_CYCLE_NS = 500;
    private static final double CLIENT_MESSAGE_NS = 250;

    /** A node's load over {@code ops} writes, its busy time from the known costs. */
    private static NodeLoad node(final int id, final String role, final boolean client, final double cycles,
        final double in, final double out, final double bytesIn, final double bytesOut, final boolean isClient)
    {
        final double busy = isClient ? CLIENT_CYCLE_NS * cycles + CLIENT_MESSAGE_NS * (in + out) :
            CYCLE_NS * cycles + MESSAGE_NS * (in + out) + BYTE_NS * (bytesIn + bytesOut);
        return new NodeLoad(id, role, client, Math.round(in), Math.round(out), Math.round(bytesOut),
            Math.round(bytesIn), client ? Math.round(out) : 0, Math.round(busy), Math.round(cycles), 0);
    }

    /**
     * {@code ops} writes with {@code batch} writes per append: the leader takes ops requests and ops / batch acks from
     * each follower, sends ops responses and ops / batch appends to each; every batch is one leader cycle (plus one per
     * request below a batch of 2); followers take one append and send one ack per cycle.
     */
    private static List<NodeLoad> run(final long ops, final int batch)
    {
        final double appends = (double)ops / batch;
        final double leaderCycles = batch == 1 ? 2.0 * ops + 2 * appends : appends + (double)ops / 8;
        final double appendBytes = 60 + 100.0 * batch;
        return List.of(
            node(0, "leader", false, leaderCycles, ops + 2 * appends, ops + 2 * appends, ops * 110 + 2 * appends * 40,
                ops * 30 + 2 * appends * appendBytes, false),
            node(1, "follower", false, appends, appends, appends, appends * appendBytes, appends * 40, false),
            node(2, "follower", false, appends, appends, appends, appends * appendBytes, appends * 40, false),
            node(3, "client", true, batch == 1 ? ops : (double)ops / 4, ops, ops, ops * 30, ops * 110, true));
    }

    private static double sumBusyPerOp(final List<NodeLoad> nodes, final long ops)
    {
        return nodes.stream().mapToDouble(NodeLoad::busyNs).sum() / ops;
    }

    @Test
    void theFittedDemandPredictsALoadItWasNotFittedTo()
    {
        final long ops = 100_000;
        final BatchedDemand model = BatchedDemand.fitNodes(List.of(run(ops, 1), run(ops, 3), run(ops, 6)),
            new double[]{1, 1, 1});
        for (final String role : List.of("leader", "follower", "client"))
        {
            assertNotNull(model.byRole().get(role), role);
            assertTrue(model.byRole().get(role).rmsErrorPct() < 0.01, role + ": " + model.byRole().get(role));
        }
        final List<NodeLoad> saturated = run(ops, 24);
        final BatchedDemand.AtLoad at = model.at(saturated, ops);
        final double measuredSum = sumBusyPerOp(saturated, ops);
        assertEquals(measuredSum, at.sumNsPerOp(), measuredSum * 1e-3);
        assertEquals(1e9 / measuredSum, at.sharedCore(), 1e9 / measuredSum * 1e-3);
        // The leader is the busiest server.
        assertEquals(saturated.get(0).busyNs() / (double)ops, at.maxNsPerOp(), at.maxNsPerOp() * 1e-3);
        // The 1 x 1 demand overstates it: that is the error the load-dependent demand removes.
        final double lowLoadSum = sumBusyPerOp(run(ops, 1), ops);
        assertTrue(lowLoadSum > 1.5 * at.sumNsPerOp(), lowLoadSum + " vs " + at.sumNsPerOp());
    }

    @Test
    void aRoleWithoutAFitIsSaidNotGuessed()
    {
        final long ops = 1_000;
        final BatchedDemand model = BatchedDemand.fitNodes(List.of(run(ops, 1), run(ops, 4)), new double[]{1, 1});
        final List<NodeLoad> withCandidate = List.of(run(ops, 4).get(0),
            new NodeLoad(1, "candidate", false, 10, 10, 100, 100, 0, 1000, 10, 0));
        final BatchedDemand.AtLoad at = model.at(withCandidate, ops);
        assertNull(at.sharedCore());
        assertTrue(at.note().contains("candidate"), at.note());
        assertNull(model.at(run(ops, 4), 0).sharedCore());
    }

    @Test
    void busyTimeIsScaledByTheRunsCpuShare()
    {
        final long ops = 10_000;
        // The same runs, measured while the node thread had half a core: busy (wall) time is twice the demand.
        final List<List<NodeLoad>> doubled = List.of(run(ops, 1), run(ops, 5)).stream().map(nodes -> nodes.stream()
            .map(n -> new NodeLoad(n.id(), n.role(), n.client(), n.messagesIn(), n.messagesOut(), n.bytesOut(),
                n.bytesIn(), n.clientMessagesOut(), 2 * n.busyNs(), n.busyCycles(), 0)).toList()).toList();
        final BatchedDemand halved = BatchedDemand.fitNodes(doubled, new double[]{0.5, 0.5});
        final BatchedDemand plain = BatchedDemand.fitNodes(List.of(run(ops, 1), run(ops, 5)), new double[]{1, 1});
        final List<NodeLoad> at = run(ops, 10);
        assertEquals(plain.at(at, ops).sumNsPerOp(), halved.at(at, ops).sumNsPerOp(),
            plain.at(at, ops).sumNsPerOp() * 1e-6);
    }
}
