package lab.harness.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import lab.harness.metrics.NodeLoad;

/**
 * Where a fitted demand misses a measured run, per role: what the role's nodes handled per operation (duty cycles,
 * messages, bytes), their measured CPU demand per operation, and the fit's demand for those same counts split into
 * its three terms. A saturation prediction that misses is then traced to a role (the clients, the bottleneck server)
 * and to a term (the per-cycle cost where cycles per operation fell outside the fitted range, or the per-message cost
 * where the same counts cost more), instead of being read off one total.
 */
public final class DemandBreakdown
{
    /**
     * One role of one run (its nodes summed).
     *
     * @param role          "primary", "client", ...
     * @param nodes         how many nodes had it.
     * @param cyclesPerOp   duty cycles that moved messages, per operation.
     * @param messagesPerOp messages received and sent per operation.
     * @param bytesPerOp    bytes received and sent per operation.
     * @param measuredNs    measured CPU demand per operation (busy time x the run's CPU share).
     * @param cycleTermNs   the fit's per-cycle cost x cycles per operation; NaN without a fit.
     * @param messageTermNs the fit's per-message cost x messages per operation; NaN without a fit.
     * @param byteTermNs    the fit's per-byte cost x bytes per operation; NaN without a fit.
     */
    public record Row(String role, int nodes, double cyclesPerOp, double messagesPerOp, double bytesPerOp,
        double measuredNs, double cycleTermNs, double messageTermNs, double byteTermNs)
    {
        /** @return the fit's demand per operation for this role's counts; NaN without a fit. */
        public double fittedNs()
        {
            return cycleTermNs + messageTermNs + byteTermNs;
        }

        /** @return (measured - fitted) / fitted: positive where the run cost more than the fit says. */
        public double errorPct()
        {
            return 100 * (measuredNs - fittedNs()) / fittedNs();
        }

        /** @return measured CPU demand per message handled. */
        public double measuredNsPerMessage()
        {
            return messagesPerOp > 0 ? measuredNs / messagesPerOp : Double.NaN;
        }
    }

    private DemandBreakdown()
    {
    }

    /**
     * @param fit      the demand per role, or null for the measured side only.
     * @param nodes    what each node of the run handled.
     * @param ops      operations the run completed in its window (> 0).
     * @param cpuShare the node thread's CPU time / wall time in the window (1 where not measured).
     * @return one row per role that received messages with busy time measured, by role name.
     */
    public static List<Row> of(final BatchedDemand fit, final List<NodeLoad> nodes, final long ops,
        final double cpuShare)
    {
        if (ops <= 0)
        {
            throw new IllegalArgumentException("a breakdown per operation needs operations, got " + ops);
        }
        final Map<String, double[]> byRole = new TreeMap<>();
        for (final NodeLoad n : nodes)
        {
            if (!n.busyMeasured() || n.messagesIn() == 0)
            {
                continue;
            }
            final double[] s = byRole.computeIfAbsent(BatchedDemand.roleOf(n), k -> new double[5]);
            s[0] += n.busyCycles();
            s[1] += n.messagesIn() + n.messagesOut();
            s[2] += n.bytesIn() + n.bytesOut();
            s[3] += cpuShare * n.busyNs();
            s[4]++;
        }
        final List<Row> rows = new ArrayList<>();
        byRole.forEach((role, s) ->
        {
            final DemandFit.Fit f = fit == null ? null : fit.byRole().get(role);
            final double cycles = s[0] / ops;
            final double messages = s[1] / ops;
            final double bytes = s[2] / ops;
            rows.add(new Row(role, (int)s[4], cycles, messages, bytes, s[3] / ops,
                f == null ? Double.NaN : f.cycleNs() * cycles, f == null ? Double.NaN : f.messageNs() * messages,
                f == null ? Double.NaN : f.byteNs() * bytes));
        });
        return rows;
    }

    /**
     * @return rows of the same role over several runs (e.g. rounds) merged: counts and demands are per operation, so
     * each run weighs the same; node counts are the largest seen.
     */
    public static List<Row> mean(final List<List<Row>> runs)
    {
        final Map<String, double[]> sums = new TreeMap<>();
        for (final List<Row> run : runs)
        {
            for (final Row r : run)
            {
                final double[] s = sums.computeIfAbsent(r.role(), k -> new double[9]);
                s[0] += r.cyclesPerOp();
                s[1] += r.messagesPerOp();
                s[2] += r.bytesPerOp();
                s[3] += r.measuredNs();
                s[4] += r.cycleTermNs();
                s[5] += r.messageTermNs();
                s[6] += r.byteTermNs();
                s[7]++;
                s[8] = Math.max(s[8], r.nodes());
            }
        }
        final List<Row> rows = new ArrayList<>();
        sums.forEach((role, s) -> rows.add(new Row(role, (int)s[8], s[0] / s[7], s[1] / s[7], s[2] / s[7],
            s[3] / s[7], s[4] / s[7], s[5] / s[7], s[6] / s[7])));
        return rows;
    }

    /**
     * @return a text table: one line per role, and the total.
     */
    public static String text(final List<Row> rows)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-11s %5s %9s %9s %9s %11s %11s %9s %9s %9s %8s%n", "role", "nodes",
            "cycles/op", "msgs/op", "bytes/op", "measured ns", "fitted ns", "cycle ns", "msg ns", "byte ns", "error"));
        double measured = 0;
        double fitted = 0;
        for (final Row r : rows)
        {
            measured += r.measuredNs();
            fitted += r.fittedNs();
            sb.append(String.format(Locale.ROOT, "  %-11s %5d %9.3f %9.3f %9.1f %11.1f %11s %9s %9s %9s %8s%n",
                r.role(), r.nodes(), r.cyclesPerOp(), r.messagesPerOp(), r.bytesPerOp(), r.measuredNs(),
                num(r.fittedNs()), num(r.cycleTermNs()), num(r.messageTermNs()), num(r.byteTermNs()),
                Double.isNaN(r.fittedNs()) ? "-" : String.format(Locale.ROOT, "%+.0f%%", r.errorPct())));
        }
        sb.append(String.format(Locale.ROOT, "  %-11s %5s %9s %9s %9s %11.1f %11s %9s %9s %9s %8s%n", "all", "", "",
            "", "", measured, num(fitted), "", "", "",
            Double.isNaN(fitted) ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * (measured - fitted) / fitted)));
        return sb.toString();
    }

    /**
     * @return a text table setting a prediction's rows (a simulated run) beside a measured run's, role by role: the
     * counts per operation and the CPU demand per operation of each, and predicted / measured demand. A count that
     * differs says the simulator's model of the protocol's batching differs from the real run's; a demand that differs
     * at equal counts says the costs do.
     */
    public static String compare(final List<Row> measured, final List<Row> predicted)
    {
        final Map<String, Row[]> byRole = new TreeMap<>();
        measured.forEach(r -> byRole.computeIfAbsent(r.role(), k -> new Row[2])[0] = r);
        predicted.forEach(r -> byRole.computeIfAbsent(r.role(), k -> new Row[2])[1] = r);
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-11s %17s %17s %19s %21s %8s%n", "role", "cycles/op meas/PRED",
            "msgs/op meas/PRED", "bytes/op meas/PRED", "CPU ns/op meas/PRED", "PRED/meas"));
        double m = 0;
        double p = 0;
        for (final Map.Entry<String, Row[]> e : byRole.entrySet())
        {
            final Row a = e.getValue()[0];
            final Row b = e.getValue()[1];
            m += a == null ? 0 : a.measuredNs();
            p += b == null ? 0 : b.measuredNs();
            sb.append(String.format(Locale.ROOT, "  %-11s %8s/%-8s %8s/%-8s %9s/%-9s %10s/%-10s %8s%n", e.getKey(),
                a == null ? "-" : String.format(Locale.ROOT, "%.3f", a.cyclesPerOp()),
                b == null ? "-" : String.format(Locale.ROOT, "%.3f", b.cyclesPerOp()),
                a == null ? "-" : String.format(Locale.ROOT, "%.3f", a.messagesPerOp()),
                b == null ? "-" : String.format(Locale.ROOT, "%.3f", b.messagesPerOp()),
                a == null ? "-" : String.format(Locale.ROOT, "%.1f", a.bytesPerOp()),
                b == null ? "-" : String.format(Locale.ROOT, "%.1f", b.bytesPerOp()),
                a == null ? "-" : String.format(Locale.ROOT, "%.1f", a.measuredNs()),
                b == null ? "-" : String.format(Locale.ROOT, "%.1f", b.measuredNs()),
                a == null || b == null ? "-" : String.format(Locale.ROOT, "%.2f", b.measuredNs() / a.measuredNs())));
        }
        sb.append(String.format(Locale.ROOT, "  %-11s %17s %17s %19s %10.1f/%-10.1f %8.2f%n", "all", "", "", "", m, p,
            p / m));
        return sb.toString();
    }

    private static String num(final double v)
    {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
