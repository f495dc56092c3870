package lab.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a protocol is told about the cluster it runs in: replica count, clients and protocol options
 * (e.g. {@code chain-ack=head}, {@code r=2}). Options a protocol reads are recorded with their defaults so that the
 * run output prints every setting that shaped it.
 */
public final class ProtocolSettings
{
    private final int replicas;
    private final int clients;
    private final int slotsPerClient;
    private final Map<String, String> options;
    private final Map<String, String> used = new TreeMap<>();
    private int controlNodes;
    private lab.core.storage.DiskProvider diskProvider;

    public ProtocolSettings(final int replicas, final int clients, final int slotsPerClient,
        final Map<String, String> options)
    {
        if (replicas < 1)
        {
            throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        }
        this.replicas = replicas;
        this.clients = clients;
        this.slotsPerClient = slotsPerClient;
        this.options = new TreeMap<>(options);
    }

    public int replicas()
    {
        return replicas;
    }

    public int clients()
    {
        return clients;
    }

    public int slotsPerClient()
    {
        return slotsPerClient;
    }

    /**
     * @return node id of client number {@code clientIndex}: clients follow the replicas and control nodes.
     */
    public int clientNode(final int clientIndex)
    {
        return replicas + controlNodes + clientIndex;
    }

    public int controlNodes()
    {
        return controlNodes;
    }

    /**
     * Set by the harness from {@link ProtocolFactory#controlNodes}.
     */
    public void controlNodes(final int controlNodes)
    {
        this.controlNodes = controlNodes;
    }

    /**
     * @return where nodes that keep files get their disk, or null for the one registered with the ServiceLoader
     * (see {@link lab.core.storage.DiskProvider#of}).
     */
    public lab.core.storage.DiskProvider diskProvider()
    {
        return diskProvider;
    }

    /**
     * Set by a driver that decides what a node's disk is (the simulator's disks under torture).
     */
    public void diskProvider(final lab.core.storage.DiskProvider diskProvider)
    {
        this.diskProvider = diskProvider;
    }

    public boolean isControlNode(final int nodeId)
    {
        return nodeId >= replicas && nodeId < replicas + controlNodes;
    }

    public int nodeCount()
    {
        return replicas + controlNodes + clients;
    }

    public boolean isReplica(final int nodeId)
    {
        return nodeId >= 0 && nodeId < replicas;
    }

    public String option(final String name, final String defaultValue)
    {
        final String value = options.getOrDefault(name, defaultValue);
        used.put(name, value);
        return value;
    }

    public String choice(final String name, final String defaultValue, final String... allowed)
    {
        final String value = option(name, defaultValue);
        for (final String a : allowed)
        {
            if (a.equals(value))
            {
                return value;
            }
        }
        throw new IllegalArgumentException(
            "--" + name + " must be one of " + String.join("|", allowed) + ", got '" + value + "'");
    }

    public int intOption(final String name, final int defaultValue)
    {
        final String value = option(name, Integer.toString(defaultValue));
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("option " + name + " must be an integer, got '" + value + "'");
        }
    }

    public long durationNsOption(final String name, final String defaultValue)
    {
        try
        {
            return Durations.parseNs(option(name, defaultValue));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("option " + name + ": " + ex.getMessage());
        }
    }

    public boolean hasOption(final String name)
    {
        return options.containsKey(name);
    }

    /**
     * @return the names of the options the protocol read.
     */
    public java.util.Set<String> knownOptions()
    {
        return new java.util.TreeSet<>(used.keySet());
    }

    /**
     * @return options that were given but that the protocol never read (typos, or flags of another protocol).
     */
    public java.util.Set<String> unknownOptions()
    {
        final java.util.Set<String> unknown = new java.util.TreeSet<>(options.keySet());
        unknown.removeAll(used.keySet());
        return unknown;
    }

    /**
     * @return the options given, merged with every default a protocol asked for, sorted by name.
     */
    public Map<String, String> effectiveOptions()
    {
        final TreeMap<String, String> all = new TreeMap<>(options);
        all.putAll(used);
        return Collections.unmodifiableMap(all);
    }
}
