package lab.harness.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import lab.harness.metrics.NodeLoad;
import org.junit.jupiter.api.Test;

/**
 * The per-role breakdown on synthetic runs with known costs: a server and a client, fitted at low loads; at
 * saturation the client's cost per message is made 1.5 x what it was. The breakdown must put the whole miss on the
 * client and its message term, and nothing on the server.
 */
class DemandBreakdownTest
{
    private static final double SERVER_CYCLE_NS = 400;
    private static final double SERVER_MESSAGE_NS = 150;
    private static final double CLIENT_CYCLE_NS = 100;
    private static final double CLIENT_MESSAGE_NS = 200;

    /** {@code ops} operations, {@code batch} of them per duty cycle; the client's message cost x {@code clientSlow}. */
    private static List<NodeLoad> run(final long ops, final int batch, final double clientSlow)
    {
        final double cycles = (double)ops / batch;
        final double serverBusy = SERVER_CYCLE_NS * cycles + SERVER_MESSAGE_NS * 2 * ops;
        final double clientBusy = CLIENT_CYCLE_NS * cycles + clientSlow * CLIENT_MESSAGE_NS * 2 * ops;
        return List.of(
            new NodeLoad(0, "primary", false, ops, ops, 40 * ops, 100 * ops, ops, Math.round(serverBusy),
                Math.round(cycles), 0),
            new NodeLoad(1, "client", true, ops, ops, 100 * ops, 40 * ops, ops, Math.round(clientBusy),
                Math.round(cycles), 0));
    }

    @Test
    void theMissLandsOnTheRoleAndTermThatChanged()
    {
        final long ops = 100_000;
        final BatchedDemand fit = BatchedDemand.fitNodes(List.of(run(ops, 1, 1), run(ops, 4, 1), run(ops, 8, 1)),
            new double[]{1, 1, 1});
        final List<DemandBreakdown.Row> rows = DemandBreakdown.of(fit, run(ops, 16, 1.5), ops, 1);
        assertEquals(2, rows.size());
        final DemandBreakdown.Row client = rows.get(0);
        final DemandBreakdown.Row server = rows.get(1);
        assertEquals("client", client.role());
        assertEquals("primary", server.role());
        // Counts per operation come from the run.
        assertEquals(1.0 / 16, client.cyclesPerOp(), 1e-3);
        assertEquals(2, client.messagesPerOp(), 1e-9);
        assertEquals(140, client.bytesPerOp(), 1e-9);
        // The server: fitted = measured, split into its known terms.
        assertEquals(SERVER_CYCLE_NS / 16, server.cycleTermNs(), 0.5);
        assertEquals(SERVER_MESSAGE_NS * 2, server.messageTermNs(), 0.5);
        assertEquals(0, server.byteTermNs(), 1e-6);
        assertEquals(0, server.errorPct(), 0.5);
        // The client: measured is 1.5 x the message term plus the (unchanged) cycle term.
        final double fitted = CLIENT_CYCLE_NS / 16 + CLIENT_MESSAGE_NS * 2;
        final double measured = CLIENT_CYCLE_NS / 16 + 1.5 * CLIENT_MESSAGE_NS * 2;
        assertEquals(fitted, client.fittedNs(), 0.5);
        assertEquals(measured, client.measuredNs(), 0.5);
        assertEquals(100 * (measured - fitted) / fitted, client.errorPct(), 0.2);
        assertEquals(measured / 2, client.measuredNsPerMessage(), 0.3);
        final String text = DemandBreakdown.text(rows);
        assertTrue(text.contains("client") && text.contains("primary") && text.contains("all"), text);
    }

    @Test
    void theCpuShareScalesTheMeasuredSideOnly()
    {
        final long ops = 10_000;
        final BatchedDemand fit = BatchedDemand.fitNodes(List.of(run(ops, 1, 1), run(ops, 4, 1)),
            new double[]{1, 1});
        final List<DemandBreakdown.Row> full = DemandBreakdown.of(fit, run(ops, 4, 1), ops, 1);
        final List<DemandBreakdown.Row> half = DemandBreakdown.of(fit, run(ops, 4, 1), ops, 0.5);
        for (int i = 0; i < full.size(); i++)
        {
            assertEquals(full.get(i).measuredNs() / 2, half.get(i).measuredNs(), 1e-6);
            assertEquals(full.get(i).fittedNs(), half.get(i).fittedNs(), 1e-9);
        }
    }

    @Test
    void withoutAFitTheFittedSideIsNaNNotZero()
    {
        final List<DemandBreakdown.Row> rows = DemandBreakdown.of(null, run(1_000, 2, 1), 1_000, 1);
        assertTrue(Double.isNaN(rows.get(0).fittedNs()));
        assertTrue(DemandBreakdown.text(rows).contains(" - "));
        assertThrows(IllegalArgumentException.class, () -> DemandBreakdown.of(null, run(10, 1, 1), 0, 1));
    }

    @Test
    void aPredictionIsSetBesideTheMeasuredRunRoleByRole()
    {
        final List<DemandBreakdown.Row> measured = DemandBreakdown.of(null, run(1_000, 4, 1), 1_000, 1);
        final List<DemandBreakdown.Row> predicted = DemandBreakdown.of(null, run(1_000, 4, 1.5), 1_000, 1);
        final String text = DemandBreakdown.compare(measured, predicted);
        final double ratio = predicted.get(0).measuredNs() / measured.get(0).measuredNs();
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("client") &&
            l.trim().endsWith(String.format(java.util.Locale.ROOT, "%.2f", ratio))), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("primary") && l.trim().endsWith("1.00")), text);
        // A role on one side only shows with a dash, not a zero.
        final String oneSided = DemandBreakdown.compare(measured, predicted.subList(0, 1));
        assertTrue(oneSided.lines().anyMatch(l -> l.trim().startsWith("primary") && l.trim().endsWith("-")),
            oneSided);
    }

    @Test
    void roundsAreAveragedPerOperation()
    {
        final long ops = 10_000;
        final BatchedDemand fit = BatchedDemand.fitNodes(List.of(run(ops, 1, 1), run(ops, 4, 1)),
            new double[]{1, 1});
        final List<DemandBreakdown.Row> a = DemandBreakdown.of(fit, run(ops, 4, 1), ops, 1);
        final List<DemandBreakdown.Row> b = DemandBreakdown.of(fit, run(2 * ops, 4, 2), 2 * ops, 1);
        final List<DemandBreakdown.Row> mean = DemandBreakdown.mean(List.of(a, b));
        assertEquals((a.get(0).measuredNs() + b.get(0).measuredNs()) / 2, mean.get(0).measuredNs(), 1e-9);
        assertEquals(a.get(1).measuredNs(), mean.get(1).measuredNs(), 1e-6);
        assertEquals(a.get(0).fittedNs(), mean.get(0).fittedNs(), 1e-6);
    }
}
