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

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * Where each node of a multi-process cluster listens: a TOML 1.0 file (read with jackson-dataformat-toml, so
 * comments, single-quoted strings, {@code 20_100} and the rest of TOML work), one {@code [[node]]} block per replica
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
 * <p>Every problem (invalid TOML, unknown key, duplicate or missing id, bad host, port out of range, two endpoints
 * on one host:port) is an {@link IllegalArgumentException} whose message is one line naming the file, the line
 * where there is one (the syntax error's, or the block's header) and the problem.
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
        final JsonNode root = readToml(source, text);
        final List<Integer> nodeLines = headerLines(text, "node");
        final List<Integer> clientLines = headerLines(text, "client");
        final java.util.Iterator<String> keys = root.fieldNames();
        while (keys.hasNext())
        {
            final String key = keys.next();
            if (!"node".equals(key) && !"client".equals(key))
            {
                throw new IllegalArgumentException(source + at(firstLine(text, key)) + ": unknown " +
                    (root.get(key).isObject() ? "section [" + key + "]" : "key '" + key + "'") +
                    " (expected [[node]] or [[client]] blocks)");
            }
        }
        final List<JsonNode> nodeBlocks = blocks(root, "node", source);
        final List<JsonNode> clientBlocks = blocks(root, "client", source);
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
            final String where = source + at(b < nodeLines.size() ? nodeLines.get(b) : -1) + " [[node]]";
            final JsonNode block = nodeBlocks.get(b);
            checkKeys(block, where);
            final int id = integer(required(block, "id", where), "id", where);
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
        final String clientWhere = source + at(clientLines.isEmpty() ? -1 : clientLines.get(0)) + " [[client]]";
        checkKeys(clientBlocks.get(0), clientWhere);
        if (clientBlocks.get(0).has("id"))
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
     * Parses TOML 1.0 (jackson-dataformat-toml); a syntax error is one line naming the file and the line.
     */
    private static JsonNode readToml(final String source, final String text)
    {
        try
        {
            return TOML.readTree(text);
        }
        catch (final StreamReadException ex)
        {
            final JsonLocation location = ex.getLocation();
            int line = location == null ? -1 : location.getLineNr();
            if (line > 1 && location.getColumnNr() <= 1)
            {
                // The library stands at the start of the next token (Duplicate key is found after the value): the
                // error lies before it, on the last line with content.
                line = lineBefore(text, line);
            }
            final String sourceLine = line > 0 ? sourceLine(text, line) : null;
            if (sourceLine != null)
            {
                // A value TOML cannot read for a key that must be an integer: say so, as for a wrong type.
                final java.util.regex.Matcher m = INTEGER_KEY.matcher(sourceLine);
                if (m.matches())
                {
                    throw new IllegalArgumentException(source + ":" + line + ": " + m.group(1) + " must be an " +
                        "integer, got '" + m.group(2).trim() + "'");
                }
            }
            throw new IllegalArgumentException(source + at(line) + ": not valid TOML: " +
                oneLine(ex.getOriginalMessage()) + (sourceLine == null ? "" : " (in '" + sourceLine.trim() + "')"));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(source + ": cannot read: " + oneLine(ex.getMessage()));
        }
    }

    private static final TomlMapper TOML = new TomlMapper();
    private static final java.util.regex.Pattern INTEGER_KEY =
        java.util.regex.Pattern.compile("\\s*(id|port)\\s*=\\s*([^#]*?)\\s*(#.*)?");

    private static String at(final int line)
    {
        return line > 0 ? ":" + line : "";
    }

    private static String oneLine(final String message)
    {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static int lineBefore(final String text, final int line)
    {
        final String[] lines = text.split("\\R", -1);
        for (int n = Math.min(line - 1, lines.length); n >= 1; n--)
        {
            final String t = lines[n - 1].trim();
            if (!t.isEmpty() && !t.startsWith("#"))
            {
                return n;
            }
        }
        return line;
    }

    private static String sourceLine(final String text, final int line)
    {
        final String[] lines = text.split("\\R", -1);
        return line <= lines.length ? lines[line - 1] : null;
    }

    /**
     * Line numbers (1-based) of the {@code [[name]]} headers, in order: the library has checked the syntax and
     * keeps no positions, so blocks are named by their header's line.
     */
    private static List<Integer> headerLines(final String text, final String name)
    {
        final java.util.regex.Pattern header =
            java.util.regex.Pattern.compile("\\s*\\[\\[\\s*\"?" + name + "\"?\\s*]]\\s*(#.*)?");
        final List<Integer> lines = new ArrayList<>();
        final String[] all = text.split("\\R", -1);
        for (int n = 0; n < all.length; n++)
        {
            if (header.matcher(all[n]).matches())
            {
                lines.add(n + 1);
            }
        }
        return lines;
    }

    private static int firstLine(final String text, final String key)
    {
        final java.util.regex.Pattern p = java.util.regex.Pattern.compile(
            "\\s*(\\[+\\s*)?[\"']?" + java.util.regex.Pattern.quote(key) + "\\b.*");
        final String[] all = text.split("\\R", -1);
        for (int n = 0; n < all.length; n++)
        {
            if (p.matcher(all[n]).matches())
            {
                return n + 1;
            }
        }
        return -1;
    }

    private static List<JsonNode> blocks(final JsonNode root, final String name, final String source)
    {
        final JsonNode value = root.get(name);
        final List<JsonNode> blocks = new ArrayList<>();
        if (value == null)
        {
            return blocks;
        }
        if (!value.isArray())
        {
            throw new IllegalArgumentException(source + ": '" + name + "' must be an array of tables ([[" + name +
                "]] blocks), got " + describe(value));
        }
        for (final JsonNode block : value)
        {
            if (!block.isObject())
            {
                throw new IllegalArgumentException(source + ": every '" + name + "' must be a table, got " +
                    describe(block));
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static void checkKeys(final JsonNode block, final String where)
    {
        final java.util.Iterator<String> keys = block.fieldNames();
        while (keys.hasNext())
        {
            final String key = keys.next();
            if (!"id".equals(key) && !"host".equals(key) && !"port".equals(key))
            {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected id, host, port)");
            }
        }
    }

    private static int integer(final JsonNode value, final String key, final String where)
    {
        if (!value.isIntegralNumber() || !value.canConvertToInt())
        {
            throw new IllegalArgumentException(where + ": " + key + " must be an integer, got " + describe(value));
        }
        return value.intValue();
    }

    private static String describe(final JsonNode value)
    {
        if (value.isTextual())
        {
            return "the string '" + value.textValue() + "'";
        }
        if (value.isIntegralNumber() || value.isNumber() || value.isBoolean())
        {
            return "'" + value.asText() + "'";
        }
        return value.isObject() ? "a table" : value.isArray() ? "an array" : "'" + value.asText() + "'";
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

    private static Address address(final int id, final JsonNode block, final String where)
    {
        final JsonNode hostValue = required(block, "host", where);
        if (!hostValue.isTextual())
        {
            throw new IllegalArgumentException(where + ": host must be a string, got " + describe(hostValue));
        }
        final String host = hostValue.textValue();
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
        final int port = integer(required(block, "port", where), "port", where);
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

    private static JsonNode required(final JsonNode block, final String key, final String where)
    {
        final JsonNode value = block.get(key);
        if (value == null || value.isNull())
        {
            throw new IllegalArgumentException(where + ": missing '" + key + "'");
        }
        return value;
    }
}
