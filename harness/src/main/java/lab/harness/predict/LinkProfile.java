package lab.harness.predict;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import lab.core.Durations;

/**
 * The shape of a cluster's network, by name or from a file: one-way latency between replicas (a matrix, or one figure
 * for every pair), jitter, each node's egress bandwidth and loss. Clients and control nodes sit beside one replica
 * ({@code clientNear}, 0 by default): their link to it has the {@code localNs} latency, to the others that replica's.
 *
 * <ul>
 * <li>{@code rack}: 20 us one-way, 2 us jitter, 25 Gbit/s.</li>
 * <li>{@code datacenter}: 250 us, 25 us jitter, 10 Gbit/s.</li>
 * <li>{@code regions}: replicas in three regions by id (i mod 3): regions 0 and 1 are 2 ms apart, region 2 is 30 ms
 * from both, 250 us within a region; 10 Gbit/s. With 3 replicas: two close, one far.</li>
 * <li>a duration ({@code 200us}, {@code 1ms}): that latency on every link, no jitter, no bandwidth limit (what the
 * lab's Aeron link emulation does, for validation).</li>
 * <li>a file ({@code .json} or {@code .toml}): {@code latency_us} (an N x N matrix for N replicas, or one number),
 * {@code local_us}, {@code jitter_us}, {@code bandwidth_gbps}, {@code loss}, {@code client_near}.</li>
 * </ul>
 *
 * @param name           the profile's name or file.
 * @param replicaMatrixNs per pair of replicas, one-way latency; null when every pair has {@code uniformNs}.
 * @param uniformNs      latency of every link when there is no matrix; -1 for none (the regions profile).
 * @param localNs        latency between a client (or control node) and the replica it sits beside.
 * @param jitterNs       uniform extra delay in [0, jitterNs).
 * @param bytesPerSecond egress bandwidth per node; infinite for none.
 * @param loss           probability a message is lost.
 * @param clientNear     the replica the clients sit beside.
 */
public record LinkProfile(String name, long[][] replicaMatrixNs, long uniformNs, long localNs, long jitterNs,
    double bytesPerSecond, double loss, int clientNear)
{
    public static final List<String> NAMES = List.of("rack", "datacenter", "regions");
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    public LinkProfile
    {
        if (!(bytesPerSecond > 0))
        {
            throw new IllegalArgumentException("link profile '" + name + "': bandwidth must be > 0");
        }
        if (!(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("link profile '" + name + "': loss must be in [0, 1), got " + loss);
        }
        boolean negative = jitterNs < 0 || uniformNs < -1 || localNs < 0; // uniformNs -1: no single figure
        for (int i = 0; replicaMatrixNs != null && i < replicaMatrixNs.length; i++)
        {
            negative |= Arrays.stream(replicaMatrixNs[i]).anyMatch(x -> x < 0);
        }
        if (negative)
        {
            throw new IllegalArgumentException("link profile '" + name + "': latencies must be >= 0");
        }
    }

    /**
     * @return the profile of that name, a fixed latency given as a duration, or the profile in that file.
     */
    public static LinkProfile parse(final String spec)
    {
        switch (spec)
        {
            case "rack":
                return new LinkProfile("rack", null, 20 * US, 20 * US, 2 * US, 25e9 / 8, 0, 0);
            case "datacenter":
                return new LinkProfile("datacenter", null, 250 * US, 250 * US, 25 * US, 10e9 / 8, 0, 0);
            case "regions":
                return new LinkProfile("regions", null, -1, 250 * US, 10 * US, 10e9 / 8, 0, 0);
            default:
                break;
        }
        if (new File(spec).isFile())
        {
            return fromFile(new File(spec));
        }
        final long fixedNs;
        try
        {
            fixedNs = Durations.parseNs(spec);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--link '" + spec + "': not a profile (" + String.join(", ", NAMES) +
                "), a duration (e.g. 200us) or an existing .json/.toml file");
        }
        return new LinkProfile(spec, null, fixedNs, fixedNs, 0, Double.POSITIVE_INFINITY, 0, 0);
    }

    static LinkProfile fromFile(final File file)
    {
        final Map<?, ?> m;
        try
        {
            final ObjectMapper mapper = file.getName().toLowerCase(Locale.ROOT).endsWith(".toml") ?
                new TomlMapper() : new ObjectMapper();
            m = mapper.readValue(file, Map.class);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--link " + file + ": cannot read (" +
                ex.getMessage().split("\n")[0] + ")");
        }
        final String name = file.getName();
        final Object latency = m.get("latency_us");
        long[][] matrix = null;
        long uniform = -1;
        if (latency instanceof Number)
        {
            uniform = Math.round(((Number)latency).doubleValue() * US);
        }
        else if (latency instanceof List)
        {
            final List<?> rows = (List<?>)latency;
            matrix = new long[rows.size()][];
            for (int i = 0; i < rows.size(); i++)
            {
                if (!(rows.get(i) instanceof List) || ((List<?>)rows.get(i)).size() != rows.size())
                {
                    throw new IllegalArgumentException("--link " + file + ": latency_us must be a square matrix " +
                        "(row " + i + " of " + rows.size() + " is not " + rows.size() + " numbers)");
                }
                final List<?> row = (List<?>)rows.get(i);
                matrix[i] = new long[row.size()];
                for (int j = 0; j < row.size(); j++)
                {
                    matrix[i][j] = Math.round(number(file, row.get(j), "latency_us") * US);
                }
            }
        }
        else
        {
            throw new IllegalArgumentException("--link " + file + ": needs latency_us (a number or an N x N matrix)");
        }
        final long local = m.containsKey("local_us") ? Math.round(number(file, m.get("local_us"), "local_us") * US) :
            uniform >= 0 ? uniform : 20 * US;
        final long jitter = m.containsKey("jitter_us") ?
            Math.round(number(file, m.get("jitter_us"), "jitter_us") * US) : 0;
        final double bandwidth = m.containsKey("bandwidth_gbps") ?
            number(file, m.get("bandwidth_gbps"), "bandwidth_gbps") * 1e9 / 8 : Double.POSITIVE_INFINITY;
        if (!(bandwidth > 0))
        {
            throw new IllegalArgumentException("--link " + file + ": bandwidth_gbps must be > 0");
        }
        final double loss = m.containsKey("loss") ? number(file, m.get("loss"), "loss") : 0;
        final int near = m.containsKey("client_near") ? (int)number(file, m.get("client_near"), "client_near") : 0;
        return new LinkProfile(name, matrix, uniform, local, jitter, bandwidth, loss, near);
    }

    private static double number(final File file, final Object value, final String key)
    {
        if (!(value instanceof Number))
        {
            throw new IllegalArgumentException("--link " + file + ": " + key + " must be a number, got " + value);
        }
        return ((Number)value).doubleValue();
    }

    /**
     * Checks that the profile fits a cluster of {@code replicas} replicas.
     */
    public void checkFits(final int replicas)
    {
        if (replicaMatrixNs != null && replicaMatrixNs.length != replicas)
        {
            throw new IllegalArgumentException("--link " + name + ": the latency matrix is " + replicaMatrixNs.length +
                "x" + replicaMatrixNs.length + ", the configuration has " + replicas + " replicas");
        }
        if (clientNear < 0 || clientNear >= replicas)
        {
            throw new IllegalArgumentException("--link " + name + ": client_near " + clientNear + " is not a replica " +
                "of " + replicas);
        }
    }

    /**
     * @return one-way latency between two replicas.
     */
    public long replicaLatencyNs(final int a, final int b)
    {
        if (a == b)
        {
            return 0;
        }
        if (replicaMatrixNs != null)
        {
            return replicaMatrixNs[a][b];
        }
        if (uniformNs >= 0)
        {
            return uniformNs;
        }
        return regionLatencyNs(a % 3, b % 3); // the regions profile
    }

    private long regionLatencyNs(final int ra, final int rb)
    {
        if (ra == rb)
        {
            return localNs;
        }
        return ra == 2 || rb == 2 ? 30 * MS : 2 * MS;
    }

    /**
     * @return the latency matrix of every node: replicas 0 .. replicas-1, then control nodes and clients, each beside
     * replica {@link #clientNear}.
     */
    public long[][] matrix(final int replicas, final int nodes)
    {
        checkFits(replicas);
        final long[][] m = new long[nodes][nodes];
        for (int a = 0; a < nodes; a++)
        {
            for (int b = 0; b < nodes; b++)
            {
                final int sa = a < replicas ? a : clientNear;
                final int sb = b < replicas ? b : clientNear;
                if (a == b)
                {
                    m[a][b] = 0;
                }
                else if (sa == sb)
                {
                    m[a][b] = uniformNs >= 0 && replicaMatrixNs == null ? uniformNs : localNs;
                }
                else
                {
                    m[a][b] = replicaLatencyNs(sa, sb);
                }
            }
        }
        return m;
    }

    public LinkModel model(final int replicas, final int nodes, final Random random)
    {
        return new LinkModel(matrix(replicas, nodes), jitterNs, bytesPerSecond, random);
    }

    /**
     * @return the mean one-way latency of a replica-to-replica link (for a summary line).
     */
    public String describe(final int replicas)
    {
        final StringBuilder b = new StringBuilder(name).append(": ");
        if (replicaMatrixNs == null && uniformNs >= 0)
        {
            b.append(String.format(Locale.ROOT, "%.0f us every link", uniformNs / 1e3));
        }
        else
        {
            final long[][] m = matrix(replicas, replicas);
            b.append("replica matrix us ");
            for (final long[] row : m)
            {
                b.append(Arrays.toString(Arrays.stream(row).map(x -> x / 1000).toArray()));
            }
        }
        b.append(String.format(Locale.ROOT, ", jitter %.0f us", jitterNs / 1e3));
        b.append(Double.isInfinite(bytesPerSecond) ? ", no bandwidth limit" :
            String.format(Locale.ROOT, ", %.1f Gbit/s per node", bytesPerSecond * 8 / 1e9));
        if (loss > 0)
        {
            b.append(", loss ").append(loss);
        }
        return b.toString();
    }
}
