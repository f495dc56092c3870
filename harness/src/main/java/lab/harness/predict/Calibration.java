package lab.harness.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Measured service times, what a prediction's CPU model draws from ({@code calibration.json}): per protocol (with its
 * options) and per node role, the busy time per message received, with the spread between the calibration's runs,
 * and the environment it was measured in. {@link Calibrator} writes one; a file from another machine (a bare-metal
 * host) is read the same way.
 *
 * <p>Service time per message is the node's busy time in the window (its handlers and the transport's calls around
 * them, as {@link lab.harness.metrics.BusyClock} measures it) divided by the messages it received. A duty cycle's
 * busy time is one clock difference over all its messages, so a cost per message type is never measured directly:
 * where the calibration ran several read ratios, a role's {@code by_type} is fitted ({@link TypedDemandFit}) from how
 * the runs' counts by type differ.
 */
public final class Calibration
{
    /**
     * One role of one protocol.
     *
     * @param serviceNs       mean busy time per message received at low load (1 operation in flight), over the runs.
     * @param spreadNs        standard deviation of the per-run figure between runs (not per message: the
     *                        accounting gives totals).
     * @param loadedServiceNs the same under load (many operations in flight: messages handled in batches).
     * @param loadedSpreadNs  its spread between runs.
     * @param messagesInPerOp messages a node of this role received per operation (all its nodes together).
     * @param runs            runs the figure averages.
     * @param demand          the role's demand fitted over every run at every load (per duty cycle, message and
     *                        byte received, {@link DemandFit}); null in a file written before it, or when no
     *                        non-negative fit exists. When present it replaces the two means above in a prediction.
     * @param byType          the role's demand with a cost per message type received ({@link TypedDemandFit}),
     *                        fitted over runs at several read ratios; null in a file written before it, or when the
     *                        calibration ran no such runs. When present a prediction charges a message its type's
     *                        cost, and the role's figures above for a type it has none for.
     */
    public record Role(double serviceNs, double spreadNs, double loadedServiceNs, double loadedSpreadNs,
        double messagesInPerOp, int runs, DemandFit.Fit demand, TypedDemandFit.Fit byType)
    {
        public Role(final double serviceNs, final double spreadNs, final double loadedServiceNs,
            final double loadedSpreadNs, final double messagesInPerOp, final int runs)
        {
            this(serviceNs, spreadNs, loadedServiceNs, loadedSpreadNs, messagesInPerOp, runs, null);
        }

        public Role(final double serviceNs, final double spreadNs, final double loadedServiceNs,
            final double loadedSpreadNs, final double messagesInPerOp, final int runs, final DemandFit.Fit demand)
        {
            this(serviceNs, spreadNs, loadedServiceNs, loadedSpreadNs, messagesInPerOp, runs, demand, null);
        }

        /**
         * @return the service time a simulated node of this role draws from: the fitted demand where there is one
         * (load-dependent: per cycle, per message, per byte), else the low-load and loaded means per message.
         */
        public ServiceTime serviceTime(final double cv)
        {
            return demand != null ? demand.serviceTime(cv) : new ServiceTime(serviceNs, cv, loadedServiceNs);
        }

        Map<String, Object> toJson()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("service_ns_per_message", round(serviceNs));
            m.put("spread_ns_between_runs", round(spreadNs));
            m.put("loaded_service_ns_per_message", round(loadedServiceNs));
            m.put("loaded_spread_ns_between_runs", round(loadedSpreadNs));
            m.put("messages_in_per_op", round(messagesInPerOp));
            m.put("runs", runs);
            if (demand != null)
            {
                m.put("demand_fit", demand.toJson());
            }
            if (byType != null)
            {
                m.put("by_type", byType.toJson());
            }
            return m;
        }

        static Role fromJson(final Map<?, ?> m)
        {
            final double service = num(m, "service_ns_per_message");
            final boolean loaded = m.containsKey("loaded_service_ns_per_message");
            return new Role(service, num(m, "spread_ns_between_runs"),
                loaded ? num(m, "loaded_service_ns_per_message") : service,
                loaded ? num(m, "loaded_spread_ns_between_runs") : num(m, "spread_ns_between_runs"),
                num(m, "messages_in_per_op"), (int)num(m, "runs"),
                m.get("demand_fit") instanceof Map<?, ?> fit ? DemandFit.Fit.fromJson(fit) : null,
                m.get("by_type") instanceof Map<?, ?> typed ? TypedDemandFit.Fit.fromJson(typed) : null);
        }
    }

    /**
     * A protocol with its options, as calibrated.
     *
     * @param key       {@link #key}: protocol and options.
     * @param replicas  the replica count it was measured with (roles carry over to other counts).
     * @param roles     by role name ("primary", "backup", "head", "client", ...).
     * @param measuredOpsPerSecond the calibration runs' mean throughput (1 client, 1 operation in flight).
     */
    public record Target(String key, String protocol, Map<String, String> options, int replicas,
        Map<String, Role> roles, double measuredOpsPerSecond)
    {
        /**
         * @return the mean service time over the server roles, the stand-in for a role the calibration never saw
         * (a Raft candidate, a node catching up): such messages are counted and reported.
         */
        public ServiceTime serverMean(final double cv)
        {
            double sum = 0;
            double loaded = 0;
            int n = 0;
            for (final Map.Entry<String, Role> e : roles.entrySet())
            {
                if (!"client".equals(e.getKey()) && !"control".equals(e.getKey()))
                {
                    sum += e.getValue().serviceNs();
                    loaded += e.getValue().loadedServiceNs();
                    n++;
                }
            }
            return n == 0 ? ServiceTime.fixed(0) : new ServiceTime(sum / n, cv, loaded / n);
        }
    }

    private final Map<String, Object> environment;
    private final Map<String, Object> method;
    private final double transportNsPerMessage;
    private final Map<String, Target> targets;
    private final String source;

    public Calibration(final Map<String, Object> environment, final Map<String, Object> method,
        final double transportNsPerMessage, final Map<String, Target> targets, final String source)
    {
        this.environment = environment;
        this.method = method;
        this.transportNsPerMessage = transportNsPerMessage;
        this.targets = targets;
        this.source = source;
    }

    /**
     * @return "protocol" or "protocol k=v,k=v" (options sorted): how a calibration names what it measured.
     */
    public static String key(final String protocol, final Map<String, String> options)
    {
        if (options.isEmpty())
        {
            return protocol;
        }
        final StringBuilder b = new StringBuilder(protocol).append(' ');
        String sep = "";
        for (final Map.Entry<String, String> e : new TreeMap<>(options).entrySet())
        {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return b.toString();
    }

    /**
     * @return the calibrated target for that protocol and options.
     * @throws IllegalArgumentException (one line) when the calibration does not cover it: no guessing.
     */
    public Target target(final String protocol, final Map<String, String> options)
    {
        final Target t = targets.get(key(protocol, options));
        if (t == null)
        {
            throw new IllegalArgumentException("calibration " + source + " does not cover '" + key(protocol, options) +
                "' (it has: " + String.join("; ", targets.keySet()) + "); run lab calibrate --protocols " + protocol +
                (options.isEmpty() ? "" : " --variants '" + key(protocol, options).replace(' ', ':') + "'"));
        }
        if (!t.roles().containsKey("client"))
        {
            throw new IllegalArgumentException("calibration " + source + ": '" + t.key() + "' has no client role");
        }
        return t;
    }

    public Map<String, Target> targets()
    {
        return targets;
    }

    public Map<String, Object> environment()
    {
        return environment;
    }

    public double transportNsPerMessage()
    {
        return transportNsPerMessage;
    }

    public String source()
    {
        return source;
    }

    public Map<String, Object> toJson()
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", "calibration");
        root.put("predicted", false);
        root.put("environment", environment);
        root.put("method", method);
        root.put("transport_ns_per_message", round(transportNsPerMessage));
        final Map<String, Object> ts = new LinkedHashMap<>();
        for (final Target t : targets.values())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", t.protocol());
            m.put("options", t.options());
            m.put("replicas", t.replicas());
            m.put("measured_ops_per_s", round(t.measuredOpsPerSecond()));
            final Map<String, Object> roles = new LinkedHashMap<>();
            t.roles().forEach((name, role) -> roles.put(name, role.toJson()));
            m.put("roles", roles);
            ts.put(t.key(), m);
        }
        root.put("protocols", ts);
        return root;
    }

    public void write(final Path file) throws IOException
    {
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
            toJson()) + "\n");
    }

    /**
     * @throws IllegalArgumentException (one line) when the file cannot be read or is not a calibration.
     */
    public static Calibration read(final Path file)
    {
        final Map<?, ?> root;
        try
        {
            root = new ObjectMapper().readValue(file.toFile(), Map.class);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--calibration " + file + ": cannot read (" +
                String.valueOf(ex.getMessage()).split("\n")[0] + ")");
        }
        if (!"calibration".equals(root.get("kind")) || !(root.get("protocols") instanceof Map))
        {
            throw new IllegalArgumentException("--calibration " + file + ": not a calibration file (write one with " +
                "lab calibrate)");
        }
        final Map<String, Target> targets = new LinkedHashMap<>();
        try
        {
            for (final Map.Entry<?, ?> e : ((Map<?, ?>)root.get("protocols")).entrySet())
            {
                final Map<?, ?> t = (Map<?, ?>)e.getValue();
                final Map<String, String> options = new TreeMap<>();
                ((Map<?, ?>)t.get("options")).forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
                final Map<String, Role> roles = new LinkedHashMap<>();
                ((Map<?, ?>)t.get("roles")).forEach((k, v) -> roles.put(String.valueOf(k), Role.fromJson((Map<?, ?>)v)));
                final String protocol = String.valueOf(t.get("protocol"));
                targets.put(key(protocol, options), new Target(key(protocol, options), protocol, options,
                    (int)num(t, "replicas"), roles, num(t, "measured_ops_per_s")));
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("--calibration " + file + ": malformed (" + ex + ")");
        }
        @SuppressWarnings("unchecked") final Map<String, Object> env = root.get("environment") instanceof Map ?
            (Map<String, Object>)root.get("environment") : Map.of();
        @SuppressWarnings("unchecked") final Map<String, Object> method = root.get("method") instanceof Map ?
            (Map<String, Object>)root.get("method") : Map.of();
        final Object transport = root.get("transport_ns_per_message");
        return new Calibration(env, method, transport instanceof Number ? ((Number)transport).doubleValue() : 0,
            targets, file.toString());
    }

    static double num(final Map<?, ?> m, final String key)
    {
        final Object v = m.get(key);
        if (!(v instanceof Number))
        {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
        return ((Number)v).doubleValue();
    }

    static double round(final double x)
    {
        return Math.round(x * 10) / 10.0;
    }

    static List<String> sorted(final Iterable<String> names)
    {
        final List<String> l = new ArrayList<>();
        names.forEach(l::add);
        l.sort(null);
        return l;
    }
}
