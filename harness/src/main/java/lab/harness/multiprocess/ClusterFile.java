package lab.harness.multiprocess;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each node of a multi-process cluster listens: a small TOML subset, one {@code [[node]]} block per replica
 * and one {@code [[client]]} block for the process that drives the load (it also hosts control nodes such as a
 * chain's configuration manager).
 *
 * <pre>
 * # cluster.toml
 * [[node]]
 * id = 0
 * host = "127.0.0.1"
 * port = 20100
 *
 * [[client]]
 * host = "127.0.0.1"
 * port = 20200
 * </pre>
 *
 * <p>Every problem (unknown key, duplicate or missing id, bad host, port out of range, two endpoints on one
 * host:port) is an {@link IllegalArgumentException} whose message is one line naming the file and the problem.
 */
public final class ClusterFile
{
    /**
     * One process's UDP endpoint.
     *
     * @param id   node id (replicas 0..N-1); -1 for the client process.
     * @param host host name or address, as written.
     * @param port UDP port.
     */
    public record Address(int id, String host, int port)
    {
        public String endpoint()
        {
            return host + ":" + port;
        }

        public String name()
        {
            return id < 0 ? "client" : "node " + id;
        }
    }

    private final String source;
    private final List<Address> nodes;
    private final Address client;

    public ClusterFile(final String source, final List<Address> nodes, final Address client)
    {
        this.source = source;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.client = client;
    }

    /**
     * @return the nodes, by id (index i is node i).
     */
    public List<Address> nodes()
    {
        return nodes;
    }

    public Address node(final int id)
    {
        if (id < 0 || id >= nodes.size())
        {
            throw new IllegalArgumentException(source + ": no node " + id + " (nodes are 0.." + (nodes.size() - 1) + ")");
        }
        return nodes.get(id);
    }

    public Address client()
    {
        return client;
    }

    public String source()
    {
        return source;
    }

    public static ClusterFile read(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read cluster file " + file + ": " + ex.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static ClusterFile parse(final String source, final String text)
    {
        final List<Map<String, String>> nodeBlocks = new ArrayList<>();
        final List<Map<String, String>> clientBlocks = new ArrayList<>();
        final List<Integer> nodeLines = new ArrayList<>();
        final List<Integer> clientLines = new ArrayList<>();
        Map<String, String> current = null;
        final String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++)
        {
            final String line = stripComment(lines[n]).trim();
            final String where = source + ":" + (n + 1);
            if (line.isEmpty())
            {
                continue;
            }
            if ("[[node]]".equals(line))
            {
                current = new HashMap<>();
                nodeBlocks.add(current);
                nodeLines.add(n + 1);
                continue;
            }
            if ("[[client]]".equals(line))
            {
                current = new HashMap<>();
                clientBlocks.add(current);
                clientLines.add(n + 1);
                continue;
            }
            if (line.startsWith("["))
            {
                throw new IllegalArgumentException(where + ": unknown section " + line +
                    " (expected [[node]] or [[client]])");
            }
            final int eq = line.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException(where + ": expected key = value, got '" + line + "'");
            }
            final String key = line.substring(0, eq).trim();
            final String value = unquote(line.substring(eq + 1).trim(), where);
            if (current == null)
            {
                throw new IllegalArgumentException(where + ": key '" + key + "' outside a [[node]] or [[client]] block");
            }
            if (!"id".equals(key) && !"host".equals(key) && !"port".equals(key))
            {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected id, host, port)");
            }
            if (current.put(key, value) != null)
            {
                throw new IllegalArgumentException(where + ": key '" + key + "' given twice in one block");
            }
        }

        if (nodeBlocks.isEmpty())
        {
            throw new IllegalArgumentException(source + ": no [[node]] block");
        }
        if (clientBlocks.size() != 1)
        {
            throw new IllegalArgumentException(source + ": expected exactly one [[client]] block (the load driver's " +
                "endpoint), found " + clientBlocks.size());
        }

        final TreeMap<Integer, Address> byId = new TreeMap<>();
        for (int b = 0; b < nodeBlocks.size(); b++)
        {
            final String where = source + ":" + nodeLines.get(b) + " [[node]]";
            final Map<String, String> block = nodeBlocks.get(b);
            final String idText = required(block, "id", where);
            final int id;
            try
            {
                id = Integer.parseInt(idText);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(where + ": id must be an integer, got '" + idText + "'");
            }
            if (id < 0)
            {
                throw new IllegalArgumentException(where + ": id must be >= 0, got " + id);
            }
            final Address address = address(id, block, where);
            if (byId.put(id, address) != null)
            {
                throw new IllegalArgumentException(source + ": duplicate node id " + id);
            }
        }
        for (int id = 0; id < byId.size(); id++)
        {
            if (!byId.containsKey(id))
            {
                throw new IllegalArgumentException(source + ": node id " + id + " is missing (ids must be 0.." +
                    (byId.size() - 1) + ", found " + byId.keySet() + ")");
            }
        }
        final String clientWhere = source + ":" + clientLines.get(0) + " [[client]]";
        if (clientBlocks.get(0).containsKey("id"))
        {
            throw new IllegalArgumentException(clientWhere + ": a [[client]] has no id (client node ids follow the " +
                "replicas)");
        }
        final Address client = address(-1, clientBlocks.get(0), clientWhere);

        final Map<String, Address> byEndpoint = new HashMap<>();
        final List<Address> all = new ArrayList<>(byId.values());
        all.add(client);
        for (final Address a : all)
        {
            final String key = canonical(a) + ":" + a.port();
            final Address previous = byEndpoint.put(key, a);
            if (previous != null)
            {
                throw new IllegalArgumentException(source + ": " + previous.name() + " and " + a.name() +
                    " both use " + a.endpoint());
            }
        }
        return new ClusterFile(source, new ArrayList<>(byId.values()), client);
    }

    /**
     * Writes a cluster file in the format {@link #parse} reads.
     */
    public String toToml()
    {
        final StringBuilder sb = new StringBuilder("# replication-lab cluster file\n");
        for (final Address a : nodes)
        {
            sb.append("\n[[node]]\nid = ").append(a.id()).append("\nhost = \"").append(a.host())
                .append("\"\nport = ").append(a.port()).append('\n');
        }
        sb.append("\n[[client]]\nhost = \"").append(client.host()).append("\"\nport = ").append(client.port())
            .append('\n');
        return sb.toString();
    }

    private static Address address(final int id, final Map<String, String> block, final String where)
    {
        final String host = required(block, "host", where);
        if (host.isEmpty() || host.contains(" ") || host.contains("|") || host.contains("?"))
        {
            throw new IllegalArgumentException(where + ": bad host '" + host + "'");
        }
        try
        {
            InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(where + ": unknown host '" + host + "'");
        }
        final String portText = required(block, "port", where);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(where + ": port must be an integer, got '" + portText + "'");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException(where + ": port " + port + " is out of range (1..65535)");
        }
        return new Address(id, host, port);
    }

    private static String canonical(final Address a)
    {
        try
        {
            return InetAddress.getByName(a.host()).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            return a.host();
        }
    }

    private static String required(final Map<String, String> block, final String key, final String where)
    {
        final String value = block.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static String unquote(final String value, final String where)
    {
        if (value.startsWith("\""))
        {
            if (value.length() < 2 || !value.endsWith("\""))
            {
                throw new IllegalArgumentException(where + ": unterminated string " + value);
            }
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String stripComment(final String line)
    {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '#' && !quoted)
            {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
