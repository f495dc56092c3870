package lab.quorum;

import java.util.ArrayList;
import java.util.List;

import lab.harness.cluster.SimCluster;

import static lab.quorum.QuorumScenario.MS;

/**
 * The stale-read rate of Dynamo mode for every (R, W) of N = 3 under a lagging replica (client 0's messages reach
 * replica 2 20 ms late), in the simulator: 2 clients with 2 operations outstanding each, 8 keys, half reads, 10
 * seeds of 300 ms each. Run it with {@code StaleReadTableTest} or its main:
 * <pre>
 * mvn -q -o -Dlab.target=target-quorum -pl impls/quorum -am test -Dtest=StaleReadTableTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
public final class StaleReadTable
{
    static final int SEEDS = 10;

    record Row(int r, int w, long reads, long staleReads, double readHops, double writeHops)
    {
        double rate()
        {
            return reads == 0 ? 0 : (double)staleReads / reads;
        }
    }

    private StaleReadTable()
    {
    }

    static List<Row> measure(final String readRepair)
    {
        final List<Row> rows = new ArrayList<>();
        for (int r = 1; r <= 3; r++)
        {
            for (int w = 1; w <= 3; w++)
            {
                long reads = 0;
                long stale = 0;
                double readHops = 0;
                double writeHops = 0;
                for (long seed = 1; seed <= SEEDS; seed++)
                {
                    final QuorumScenario scenario = QuorumScenario.of(
                        "r", Integer.toString(r), "w", Integer.toString(w), "read-repair", readRepair);
                    final SimCluster cluster = scenario.cluster(seed);
                    QuorumScenario.lag(cluster, 2, 20 * MS);
                    cluster.runFor(300 * MS);
                    QuorumScenario.drain(cluster);
                    reads += scenario.detector.reads();
                    stale += scenario.detector.staleReads();
                    readHops += cluster.clients()[0].reads().meanHops() / SEEDS;
                    writeHops += cluster.clients()[0].writes().meanHops() / SEEDS;
                }
                rows.add(new Row(r, w, reads, stale, readHops, writeHops));
            }
        }
        return rows;
    }

    static String format(final List<Row> rows, final String readRepair)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("N=3, replica 2 lagging 20 ms behind client 0, read-repair=").append(readRepair).append('\n');
        sb.append("| R | W | R+W>N | reads | stale reads | stale rate | read hops | write hops |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (final Row row : rows)
        {
            sb.append(String.format("| %d | %d | %s | %d | %d | %.2f%% | %.2f | %.2f |%n", row.r(), row.w(),
                row.r() + row.w() > 3 ? "yes" : "no", row.reads(), row.staleReads(), 100 * row.rate(),
                row.readHops(), row.writeHops()));
        }
        return sb.toString();
    }

    public static void main(final String[] args)
    {
        final String readRepair = args.length > 0 ? args[0] : "async";
        System.out.print(format(measure(readRepair), readRepair));
    }
}
