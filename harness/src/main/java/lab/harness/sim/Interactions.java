package lab.harness.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import lab.core.ClientSessions;
import lab.core.Endpoint;
import lab.core.MessagePrinter;
import lab.core.Outbox;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The commands of an interaction script ({@link InteractionScript}): a protocol's replicas (and control nodes)
 * built through its {@link ProtocolFactory}, driven by hand. Nothing moves unless a command says so: every message
 * sent waits in one queue, in the order it was sent, until a {@code deliver} hands it over, and each node has its
 * own clock that only {@code tick} and {@code advance} move. Each command answers with the messages it made the
 * nodes send, printed with the protocol's {@link MessagePrinter} as {@code from -> to message}; a message that could
 * not be delivered (to a crashed node, across a partition) prints as {@code from -x to (why) message}.
 *
 * <ul>
 *     <li>{@code new replicas=3 [seed=1] [clients=1] [option=value ...]}: a fresh cluster; every other key is a
 *     protocol option, e.g. {@code raft-election-timeout=100ms}. Prints the node ids.</li>
 *     <li>{@code tick [node=1 | nodes=0,2] [ms=400]}: moves those nodes' clocks (all replicas and control nodes by
 *     default) on by ms, then calls {@code onTick} and {@code flush}.</li>
 *     <li>{@code advance [node=1 | nodes=0,2] ms=400}: moves clocks without ticking.</li>
 *     <li>{@code deliver [from=1] [to=0] [count=n]}: delivers the queued messages that match, in order (only those
 *     queued when the command starts; what they cause is queued behind them).</li>
 *     <li>{@code stabilize [max=1000]}: delivers until the queue is empty.</li>
 *     <li>{@code drop [from=1] [to=0]}: removes matching queued messages (message loss).</li>
 *     <li>{@code pending}: prints the queue.</li>
 *     <li>{@code partition nodes=1,2} / {@code heal}: cuts those nodes off from the rest, both ways, / undoes it.
 *     </li>
 *     <li>{@code crash node=1} / {@code restart node=1}: a crashed node gets no tick and no message; a restarted
 *     one is a fresh replica from the same factory with {@code restarted = true} (what survives is the protocol's
 *     business, e.g. Raft's storage).</li>
 *     <li>{@code put to=0 key=5 [client=0]} / {@code get to=0 key=5 [client=0]}: queues a ClientRequest from a
 *     client node (session slot 0, sequence counting up).</li>
 *     <li>{@code roles}: each replica's {@link Replica#role()}.</li>
 * </ul>
 */
public final class Interactions
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private record Message(int from, int to, byte[] bytes)
    {
    }

    private final ProtocolFactory factory;
    private final MessagePrinter printer;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final Deque<Message> queue = new ArrayDeque<>();
    private final List<String> output = new ArrayList<>();
    private final ClientMessages clientMessages = new ClientMessages();
    private ProtocolSettings settings;
    private Endpoint[] nodes;
    private long[] clockNs;
    private boolean[] up;
    private boolean[] cutOff;
    private long[] clientSeq;
    private long seed;
    private int restarts;

    public Interactions(final ProtocolFactory factory)
    {
        this.factory = factory;
        this.printer = factory.printer();
    }

    /**
     * Runs one command line (without its comment).
     *
     * @return what it printed, one line each; empty when it sent nothing.
     */
    public List<String> run(final String command, final Map<String, String> args)
    {
        output.clear();
        if (!"new".equals(command) && nodes == null)
        {
            throw new IllegalArgumentException("no cluster yet: start with 'new replicas=N'");
        }
        switch (command)
        {
            case "new" -> create(args);
            case "tick" -> tick(args);
            case "advance" -> advance(args);
            case "deliver" -> deliver(args);
            case "stabilize" -> stabilize(args);
            case "drop" -> drop(args);
            case "pending" -> queue.forEach(m -> output.add(line(m, " -> ", "")));
            case "partition" -> partition(args);
            case "heal" -> Arrays.fill(cutOff, false);
            case "crash" -> crash(args);
            case "restart" -> restart(args);
            case "put" -> request(args, OpType.PUT);
            case "get" -> request(args, OpType.GET);
            case "roles" -> roles();
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        return new ArrayList<>(output);
    }

    private void create(final Map<String, String> args)
    {
        final Map<String, String> options = new LinkedHashMap<>(args);
        final int replicas = Integer.parseInt(take(options, "replicas", "3"));
        final int clients = Integer.parseInt(take(options, "clients", "1"));
        seed = Long.parseLong(take(options, "seed", "1"));
        settings = new ProtocolSettings(replicas, clients, 1, options);
        factory.validate(settings);
        if (!settings.unknownOptions().isEmpty())
        {
            throw new IllegalArgumentException("options " + settings.unknownOptions() + " do not apply to " +
                factory.name());
        }
        settings.controlNodes(factory.controlNodes(settings));
        nodes = new Endpoint[settings.nodeCount()];
        for (int i = 0; i < replicas; i++)
        {
            nodes[i] = factory.newReplica(i, settings, new Random(SimNetwork.deriveSeed(seed, i)), false);
        }
        for (int i = replicas; i < settings.clientNode(0); i++)
        {
            nodes[i] = factory.newControlNode(i, settings, new Random(SimNetwork.deriveSeed(seed, i)));
        }
        clockNs = new long[nodes.length];
        up = new boolean[nodes.length];
        cutOff = new boolean[nodes.length];
        clientSeq = new long[nodes.length];
        Arrays.fill(up, true);
        queue.clear();
        restarts = 0;
        output.add("replicas 0.." + (replicas - 1) + (settings.controlNodes() > 0 ? ", control " + replicas + ".." +
            (settings.clientNode(0) - 1) : "") + ", clients " + settings.clientNode(0) + ".." + (nodes.length - 1));
    }

    private void tick(final Map<String, String> args)
    {
        final long ns = (long)(Double.parseDouble(args.getOrDefault("ms", "0")) * MS);
        for (final int node : targets(args))
        {
            if (up[node])
            {
                clockNs[node] += ns;
                final Outbox out = outbox(node);
                nodes[node].onTick(clockNs[node], out);
                nodes[node].flush(clockNs[node], out);
            }
        }
    }

    private void advance(final Map<String, String> args)
    {
        final long ns = (long)(Double.parseDouble(require(args, "ms")) * MS);
        for (final int node : targets(args))
        {
            clockNs[node] += ns;
        }
    }

    private void deliver(final Map<String, String> args)
    {
        final int from = Integer.parseInt(args.getOrDefault("from", "-1"));
        final int to = Integer.parseInt(args.getOrDefault("to", "-1"));
        int count = Integer.parseInt(args.getOrDefault("count", Integer.toString(Integer.MAX_VALUE)));
        final List<Message> now = new ArrayList<>();
        for (final Message m : queue)
        {
            if (count > 0 && (from < 0 || m.from == from) && (to < 0 || m.to == to))
            {
                now.add(m);
                count--;
            }
        }
        for (final Message m : now)
        {
            queue.remove(m); // by identity: the first occurrence is this one
            deliver(m);
        }
    }

    private void stabilize(final Map<String, String> args)
    {
        final int max = Integer.parseInt(args.getOrDefault("max", "1000"));
        for (int i = 0; i < max && !queue.isEmpty(); i++)
        {
            deliver(queue.poll());
        }
        if (!queue.isEmpty())
        {
            output.add("... still " + queue.size() + " queued after " + max + " deliveries");
        }
    }

    private void deliver(final Message m)
    {
        if (m.to >= settings.clientNode(0) && m.to < nodes.length)
        {
            return; // to a client: the script is the client, and it read the message when it was sent
        }
        if (m.to >= nodes.length || nodes[m.to] == null)
        {
            output.add(line(m, " -x ", "(no such node) "));
            return;
        }
        if (!up[m.to])
        {
            output.add(line(m, " -x ", "(down) "));
            return;
        }
        if (cutOff[m.from] != cutOff[m.to])
        {
            output.add(line(m, " -x ", "(partition) "));
            return;
        }
        view.wrap(m.bytes);
        final Outbox out = outbox(m.to);
        nodes[m.to].onMessage(m.from, view, 0, m.bytes.length, clockNs[m.to], out);
        nodes[m.to].flush(clockNs[m.to], out);
    }

    private void drop(final Map<String, String> args)
    {
        final int from = Integer.parseInt(args.getOrDefault("from", "-1"));
        final int to = Integer.parseInt(args.getOrDefault("to", "-1"));
        queue.removeIf(m ->
        {
            final boolean match = (from < 0 || m.from == from) && (to < 0 || m.to == to);
            if (match)
            {
                output.add(line(m, " -x ", "(dropped) "));
            }
            return match;
        });
    }

    private void partition(final Map<String, String> args)
    {
        for (final String n : require(args, "nodes").split(","))
        {
            cutOff[Integer.parseInt(n.trim())] = true;
        }
    }

    private void crash(final Map<String, String> args)
    {
        up[Integer.parseInt(require(args, "node"))] = false;
    }

    private void restart(final Map<String, String> args)
    {
        final int node = Integer.parseInt(require(args, "node"));
        if (!settings.isReplica(node))
        {
            throw new IllegalArgumentException("only a replica restarts, not node " + node);
        }
        nodes[node] = factory.newReplica(node, settings,
            new Random(SimNetwork.deriveSeed(seed, 10_000 + node * 100L + ++restarts)), true);
        up[node] = true;
    }

    private void request(final Map<String, String> args, final OpType type)
    {
        final int client = settings.clientNode(Integer.parseInt(args.getOrDefault("client", "0")));
        final int to = Integer.parseInt(require(args, "to"));
        final long key = Long.parseLong(require(args, "key"));
        final UnsafeBuffer value = new UnsafeBuffer(new byte[type == OpType.PUT ? 16 : 0]);
        if (type == OpType.PUT)
        {
            value.putLong(0, key);
            value.putLong(8, clientSeq[client] + 1);
        }
        final int length = clientMessages.encodeRequest(1, ClientSessions.sessionId(client, 0), ++clientSeq[client],
            type, key, value, 0, value.capacity());
        send(client, to, clientMessages.buffer(), 0, length);
    }

    private void roles()
    {
        for (int i = 0; i < settings.replicas(); i++)
        {
            output.add(i + " " + (up[i] ? ((Replica)nodes[i]).role().name() : "down"));
        }
    }

    private int[] targets(final Map<String, String> args)
    {
        final String list = args.containsKey("node") ? args.get("node") : args.get("nodes");
        if (list == null)
        {
            final int[] all = new int[settings.clientNode(0)];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    private Outbox outbox(final int node)
    {
        return (toNode, buffer, offset, length) -> send(node, toNode, buffer, offset, length);
    }

    private void send(final int from, final int to, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final Message m = new Message(from, to, bytes);
        queue.add(m);
        output.add(line(m, " -> ", ""));
    }

    private String line(final Message m, final String arrow, final String note)
    {
        // Its own view: this runs inside onMessage, while the receiver still reads the delivered one.
        return m.from + arrow + m.to + " " + note + printer.print(new UnsafeBuffer(m.bytes), 0, m.bytes.length);
    }

    private static String take(final Map<String, String> args, final String key, final String defaultValue)
    {
        final String value = args.remove(key);
        return value == null ? defaultValue : value;
    }

    private static String require(final Map<String, String> args, final String key)
    {
        final String value = args.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return value;
    }
}
