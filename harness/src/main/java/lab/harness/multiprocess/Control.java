package lab.harness.multiprocess;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The control plane between the load driver and the node processes, and what both sides share: channels, stream
 * ids and the media driver every process embeds.
 *
 * <p>Control messages travel on their own stream ({@link #CONTROL_STREAM}) of the same UDP endpoints the data uses:
 * a frame is {@code [int type][int fromNode][UTF-8 "key=value" lines]}. They are rare (a handful per run), so they
 * are text, not SBE. Every one names its run ({@code run=}, a random 64-bit id chosen per run, which every data
 * frame of the run also carries); a frame that is not a well-formed control message, or that is forged or out of
 * order, is refused with one line and never ends a process ({@link ControlInbox}, {@link NodeServer}).
 *
 * <pre>
 * driver -> node   CONFIG  run=, protocol=, replicas=, clients=, outstanding=, seed=, tick_ns=, connect_ns=, opt.K=V,
 *                          report_roles= (runs with faults), restarted=, restart_seed=, absent= (a restarted node)
 * node -> driver   READY   run=, pid=, aeron_dir=          (its publications to every peer are connected)
 * node -> driver   FAILED  run=, error=                    (cannot build the replica or reach a peer)
 * driver -> node   START   run=, warmup_ns=, duration_ns=  (node thread starts; traffic window opens after warm-up)
 * node -> driver   ROLE    run=, pid=, role=               (with report_roles: at start and when the role changes)
 * driver -> node   FAULT   run=, blocked_from=, loss=, delay_ns=, slow_ns=  (the node's receive-edge faults now)
 * driver -> node   STOP    run=, profile_file=
 * node -> driver   REPORT  run=, traffic/outbox counters, replica counters (counter.K=V), messages by type
 *                          (in_type.T=N, out_type.T=N), error=, profile_mode=
 * </pre>
 */
final class Control
{
    static final int CONTROL_STREAM = 900;
    /** Data stream of node i is DATA_STREAM + i (as in the in-process cluster). */
    static final int DATA_STREAM = lab.harness.aeron.NodeWiring.STREAM_ID;
    static final int TERM_LENGTH = 1024 * 1024;
    static final String DIR_PREFIX = "lab-aeron-mp-";

    static final int CONFIG = 1;
    static final int READY = 2;
    static final int FAILED = 3;
    static final int START = 4;
    static final int STOP = 5;
    static final int REPORT = 6;
    static final int ROLE = 7;
    static final int FAULT = 8;
    /** The highest type: frames of a higher one are refused. */
    static final int LAST_TYPE = FAULT;

    private Control()
    {
    }

    static String typeName(final int type)
    {
        switch (type)
        {
            case CONFIG: return "CONFIG";
            case READY: return "READY";
            case FAILED: return "FAILED";
            case START: return "START";
            case STOP: return "STOP";
            case REPORT: return "REPORT";
            case ROLE: return "ROLE";
            case FAULT: return "FAULT";
            default: return "type-" + type;
        }
    }

    static String channel(final ClusterFile.Address address)
    {
        return lab.harness.aeron.NodeWiring.udpChannel(address.endpoint(), TERM_LENGTH, 0);
    }

    static String encodeText(final Map<String, String> fields)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, String> e : fields.entrySet())
        {
            sb.append(e.getKey()).append('=').append(e.getValue().replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }

    static Map<String, String> decodeText(final String text)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }

    /**
     * Offers a control frame, retrying back-pressure for up to {@code timeoutNs}.
     *
     * @return whether it went out.
     */
    static boolean send(final Publication publication, final int type, final int from,
        final Map<String, String> fields, final long timeoutNs)
    {
        final byte[] text = encodeText(fields).getBytes(StandardCharsets.UTF_8);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8 + text.length);
        buffer.putInt(0, type);
        buffer.putInt(4, from);
        buffer.putBytes(8, text);
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            final long result = publication.offer(buffer, 0, 8 + text.length);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                System.nanoTime() > deadline)
            {
                return false;
            }
            sleepMs(1);
        }
    }

    static String aeronDir(final String tag, final String role)
    {
        final String shm = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        return shm + "/" + DIR_PREFIX + tag + "-" + role + "-p" + ProcessHandle.current().pid() + "-" +
            UUID.randomUUID();
    }

    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("-p(\\d+)-");

    /**
     * Removes multi-process Aeron directories whose owning process is gone (what a process killed with -9 leaves;
     * the owner's pid is in the name).
     */
    static void removeOrphanDirs()
    {
        for (final String base : new String[] {"/dev/shm", System.getProperty("java.io.tmpdir")})
        {
            final File[] dirs = new File(base).listFiles((d, n) -> n.startsWith(DIR_PREFIX));
            if (dirs == null)
            {
                continue;
            }
            for (final File d : dirs)
            {
                final java.util.regex.Matcher m = OWNER.matcher(d.getName());
                if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true))
                {
                    deleteDir(d.getPath());
                }
            }
        }
    }

    /**
     * An embedded driver for one process of a multi-process run: one SHARED thread that yields (the 2-core rule:
     * no process of a multi-process run busy-spins).
     */
    static MediaDriver launchDriver(final String dir, final org.agrona.ErrorHandler errorHandler)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .performStorageChecks(false)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new YieldingIdleStrategy())
            .errorHandler(errorHandler);
        return MediaDriver.launchEmbedded(context);
    }

    static void deleteDir(final String dir)
    {
        if (dir != null)
        {
            final File f = new File(dir);
            if (f.exists())
            {
                IoUtil.delete(f, true);
            }
        }
    }

    /**
     * Fails with a one-line message when this process cannot bind the endpoint (address not local, port taken).
     */
    static void checkBindable(final ClusterFile.Address address)
    {
        try (DatagramSocket socket = new DatagramSocket(null))
        {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(address.name() + " cannot listen on " + address.endpoint() + " (UDP): " +
                ex.getMessage());
        }
    }

    static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    static long ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }

    /**
     * What a node needs of the run configuration to build the same replica the in-process cluster would.
     */
    static Map<String, String> configFields(final lab.harness.cluster.RunConfig config, final long runId,
        final long connectTimeoutNs)
    {
        final Map<String, String> f = new LinkedHashMap<>();
        f.put("run", Long.toString(runId));
        f.put("protocol", config.protocol);
        f.put("replicas", Integer.toString(config.replicas));
        f.put("clients", Integer.toString(config.clients));
        f.put("outstanding", Integer.toString(config.outstanding));
        f.put("seed", Long.toString(config.seed));
        f.put("connect_ns", Long.toString(connectTimeoutNs));
        f.put("link_delay_ns", Long.toString(config.link.delayNs()));
        f.put("link_jitter_ns", Long.toString(config.link.jitterNs()));
        f.put("link_loss", Double.toString(config.link.lossRate()));
        if (!config.faults.isEmpty())
        {
            f.put("report_roles", "true"); // the driver picks fault targets by role and watches for successors
        }
        for (final Map.Entry<String, String> e : config.options.entrySet())
        {
            f.put("opt." + e.getKey(), e.getValue());
        }
        return f;
    }

    static lab.harness.cluster.RunConfig configFrom(final ControlInbox.Message m)
    {
        final lab.harness.cluster.RunConfig.Builder config = lab.harness.cluster.RunConfig.builder();
        config.protocol(m.get("protocol"));
        config.replicas(Integer.parseInt(m.get("replicas")));
        config.clients(Integer.parseInt(m.get("clients")));
        config.outstanding(Integer.parseInt(m.get("outstanding")));
        config.seed(m.getLong("seed"));
        config.transport("udp");
        if (m.get("link_delay_ns") != null)
        {
            config.link(new lab.harness.aeron.LinkEmulator.Settings(m.getLong("link_delay_ns"),
                m.getLong("link_jitter_ns"), Double.parseDouble(m.get("link_loss"))));
        }
        config.options().putAll(m.withPrefix("opt."));
        return config.build();
    }
}
