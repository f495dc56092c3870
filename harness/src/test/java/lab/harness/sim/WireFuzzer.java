package lab.harness.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.Protocols;
import lab.core.ProtocolSettings;
import lab.harness.check.CheckResult;
import lab.harness.check.HistoryRecorder;
import lab.harness.check.LinearizabilityChecker;
import lab.harness.cluster.RunConfig;
import lab.harness.cluster.SimCluster;
import lab.harness.metrics.StaleReadDetector;
import lab.harness.workload.ClosedLoopLoadGenerator;
import lab.harness.metrics.OperationObserver;
import lab.harness.workload.Workload;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds every node of a protocol (replicas, control nodes, clients) bad input on the simulator while a normal
 * workload runs, one seed for everything. It records real messages as they are delivered (a few per template) and
 * builds inputs from them, delivered straight to the recipient from the original sender:
 * <ul>
 *     <li>{@link Kind#RANDOM} bytes (0 .. 64) to any node from any node;</li>
 *     <li>{@link Kind#TRUNCATE}: a real message cut short;</li>
 *     <li>{@link Kind#HEADER}: a real message with its schema id, template id, version or block length changed;</li>
 *     <li>{@link Kind#TRAILING}: a real message with bytes appended;</li>
 *     <li>{@link Kind#FIELD}: a real message with one field set out of range by a protocol's {@link FieldRule}
 *     (node ids, enums, negative terms, var data lengths, group counts);</li>
 *     <li>{@link Kind#REPLAY}: a real message delivered again unchanged (an old duplicate, which the network model
 *     allows);</li>
 *     <li>{@link Kind#MUTATE}: a real message with 1 .. 4 random bytes changed, in a run of its own
 *     ({@link #mutations}).</li>
 * </ul>
 * Every input of the first five kinds is malformed by construction and must be dropped and counted exactly once by
 * its recipient; a replay must not be counted; the nodes' counters must add up to exactly the inputs dropped (no real
 * message is ever counted). No exception may escape a node. In a mutation run a node that accepted a mutant may
 * itself send what its peers then reject (reported, not a failure). With {@link #mutations} off the history must stay
 * linearizable (strong modes) with no stale read; mutated messages that still pass validation are accepted by
 * design (no authentication), so a mutation run reports the checker's verdict instead of failing on it.
 */
public final class WireFuzzer
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int RECORDED_PER_TEMPLATE = 32;
    private static final int MAX_RECORDED_BYTES = 64 * 1024;
    private static final int[] LAB_SCHEMAS = {100, 101, 102, 103, 104};

    public enum Kind
    {
        RANDOM, TRUNCATE, HEADER, TRAILING, FIELD, REPLAY, MUTATE
    }

    /**
     * One field of one template and how to put it out of range.
     *
     * @param offset    from the start of the message (8 + the decoder's *EncodingOffset() for a block field).
     * @param width     1, 2, 4 or 8 bytes, little-endian.
     * @param badValues values that must be rejected; empty: any value different from the real one must be (a var
     *                  data length, a group count: the message would no longer end at its length).
     */
    public record FieldRule(int schemaId, int templateId, String name, int offset, int width, long... badValues)
    {
        public boolean anyOtherValue()
        {
            return badValues.length == 0;
        }
    }

    /**
     * What a run did.
     */
    public record Report(String name, long inputs, long mustReject, long rejected, long replays, long mutants,
        long mutantsRejected, long derivedRejected, long malformedCounted, long genuineDelivered, int operations, String verdict,
        long elapsedMs, Map<Kind, Long> byKind, List<String> problems)
    {
        public String summary()
        {
            return String.format("%s: %,d inputs in %,d ms (%s); must-reject %,d, rejected %,d; replays %,d; " +
                "mutants %,d of which rejected %,d; rejected messages sent after a mutant was accepted %,d; " +
                "malformed counted by nodes %,d; real messages delivered %,d; operations %,d; history: %s; " +
                "problems: %d", name, inputs, elapsedMs, byKind, mustReject, rejected, replays, mutants,
                mutantsRejected, derivedRejected, malformedCounted, genuineDelivered, operations, verdict,
                problems.size());
        }
    }

    private final String protocol;
    private final int replicas;
    private final Map<String, String> options;
    private final List<FieldRule> rules;
    private boolean mutations;
    private boolean sendReplays = true;

    public WireFuzzer(final String protocol, final int replicas, final Map<String, String> options,
        final List<FieldRule> rules)
    {
        this.protocol = protocol;
        this.replicas = replicas;
        this.options = new TreeMap<>(options);
        this.rules = rules;
    }

    /**
     * Random byte mutations of real messages instead of the malformed-by-construction kinds.
     */
    public WireFuzzer mutations(final boolean on)
    {
        this.mutations = on;
        return this;
    }

    /**
     * Whether {@link Kind#REPLAY} inputs are sent (on by default).
     */
    public WireFuzzer replays(final boolean on)
    {
        this.sendReplays = on;
        return this;
    }

    // -------------------------------------------------------------------------------------------------------------

    private static final class Recorded
    {
        final byte[][] bytes = new byte[RECORDED_PER_TEMPLATE][];
        final int[] length = new int[RECORDED_PER_TEMPLATE];
        final int[] from = new int[RECORDED_PER_TEMPLATE];
        final int[] to = new int[RECORDED_PER_TEMPLATE];
        int count;
        int next;

        void add(final int fromNode, final int toNode, final DirectBuffer buffer, final int offset, final int len)
        {
            final int i = next;
            next = (next + 1) % RECORDED_PER_TEMPLATE;
            count = Math.min(count + 1, RECORDED_PER_TEMPLATE);
            if (bytes[i] == null || bytes[i].length < len)
            {
                bytes[i] = new byte[Math.max(len, 256)];
            }
            buffer.getBytes(offset, bytes[i], 0, len);
            length[i] = len;
            from[i] = fromNode;
            to[i] = toNode;
        }
    }

    /**
     * Delivers real traffic to the node it wraps, records it, and checks that it is never counted as malformed.
     */
    private final class Tap implements Endpoint
    {
        private final int nodeId;
        private final Endpoint inner;

        Tap(final int nodeId, final Endpoint inner)
        {
            this.nodeId = nodeId;
            this.inner = inner;
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out)
        {
            genuine++;
            if (length >= 8 && length <= MAX_RECORDED_BYTES)
            {
                final int key = (buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) << 16 |
                    (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
                recorded.computeIfAbsent(key, k ->
                {
                    keys.add(k);
                    return new Recorded();
                }).add(fromNode, nodeId, buffer, offset, length);
            }
            final long before = inner.malformedMessages();
            inner.onMessage(fromNode, buffer, offset, length, nowNs, out);
            if (inner.malformedMessages() != before && mutations)
            {
                // Sent by a node that had accepted a mutant (e.g. a Lamport clock pushed to the top of its range,
                // whose next write no peer accepts): not a real message any more. Counted, not a failure.
                derived += inner.malformedMessages() - before;
            }
            else if (inner.malformedMessages() != before)
            {
                problem("a real message was counted as malformed: node " + nodeId + " from " + fromNode + ", " +
                    length + " bytes, schema/template " + Integer.toHexString(
                    (buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) << 16 |
                    (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF)));
            }
        }

        public void onTick(final long nowNs, final Outbox out)
        {
            inner.onTick(nowNs, out);
        }

        public void flush(final long nowNs, final Outbox out)
        {
            inner.flush(nowNs, out);
        }

        public long malformedMessages()
        {
            return inner.malformedMessages();
        }
    }

    private final Map<Integer, Recorded> recorded = new HashMap<>();
    private final List<Integer> keys = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long genuine;
    private long derived;

    private void problem(final String what)
    {
        problemCount++;
        if (problems.size() < 20)
        {
            problems.add(what);
        }
    }

    /**
     * Runs the workload for about {@code inputs / perMs} simulated milliseconds, injecting {@code perMs} inputs after
     * every simulated millisecond, then heals and checks the history.
     */
    public Report run(final long seed, final long inputs, final int perMs)
    {
        final long startedNs = System.nanoTime();
        final Random random = new Random(SimNetwork.deriveSeed(seed, 4242));
        final StaleReadDetector detector = new StaleReadDetector();
        final HistoryRecorder recorder = new HistoryRecorder();
        final OperationObserver observer = OperationObserver.both(detector, recorder);
        final RunConfig.Builder config = RunConfig.builder();
        config.protocol(protocol);
        config.replicas(replicas);
        config.transport("sim");
        config.clients(2);
        config.outstanding(2);
        config.seed(seed);
        config.workload(new Workload(0.5, 8, "uniform", 0.99, 16));
        config.opTimeoutNs(400 * MS);
        config.options().putAll(options);
        config.observers(i -> observer);
        final SimCluster cluster = new SimCluster(config.build());
        final SimNetwork net = cluster.network();
        final int nodeCount = net.nodeCount();
        final Endpoint[] nodes = new Endpoint[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            nodes[i] = net.endpoint(i);
            net.register(i, new Tap(i, nodes[i]));
        }
        final Map<Integer, List<FieldRule>> rulesByKey = new HashMap<>();
        for (final FieldRule r : rules)
        {
            rulesByKey.computeIfAbsent(r.schemaId() << 16 | r.templateId(), k -> new ArrayList<>()).add(r);
        }

        final UnsafeBuffer input = new UnsafeBuffer(new byte[MAX_RECORDED_BYTES + 64]);
        final Map<Kind, Long> byKind = new java.util.EnumMap<>(Kind.class);
        long injected = 0;
        long mustReject = 0;
        long rejected = 0;
        long replays = 0;
        long mutants = 0;
        long mutantsRejected = 0;
        long counted = 0;
        try
        {
            cluster.runFor(100 * MS);
            while (injected < inputs)
            {
                cluster.runFor(MS);
                for (int b = 0; b < perMs && injected < inputs; b++)
                {
                    Kind kind = mutations ? Kind.MUTATE : pick(random);
                    if (kind == Kind.REPLAY && !sendReplays)
                    {
                        kind = Kind.FIELD;
                    }
                    int length;
                    int from;
                    int to;
                    if (kind == Kind.RANDOM || keys.isEmpty())
                    {
                        kind = Kind.RANDOM;
                        length = random.nextInt(65);
                        for (int i = 0; i < length; i++)
                        {
                            input.putByte(i, (byte)random.nextInt());
                        }
                        to = random.nextInt(nodeCount);
                        from = random.nextInt(nodeCount);
                        if (length >= 6 && isLabSchema(input.getShort(4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF))
                        {
                            input.putShort(4, (short)999, java.nio.ByteOrder.LITTLE_ENDIAN);
                        }
                    }
                    else
                    {
                        int key = keys.get(random.nextInt(keys.size()));
                        List<FieldRule> applicable = null;
                        if (kind == Kind.FIELD)
                        {
                            final FieldRule pickRule = rules.isEmpty() ? null : rules.get(random.nextInt(rules.size()));
                            if (pickRule != null && recorded.containsKey(pickRule.schemaId() << 16 | pickRule.templateId()))
                            {
                                key = pickRule.schemaId() << 16 | pickRule.templateId();
                                applicable = List.of(pickRule);
                            }
                            else
                            {
                                applicable = rulesByKey.get(key);
                                if (applicable == null)
                                {
                                    kind = Kind.HEADER;
                                }
                            }
                        }
                        final Recorded rec = recorded.get(key);
                        final int i = random.nextInt(rec.count);
                        length = rec.length[i];
                        from = rec.from[i];
                        to = rec.to[i];
                        input.putBytes(0, rec.bytes[i], 0, length);
                        length = build(kind, input, length, random, applicable);
                    }
                    if (!net.isUp(to))
                    {
                        continue;
                    }
                    final Endpoint target = nodes[to];
                    final long before = target.malformedMessages();
                    final long nowNs = net.localNowNs(to);
                    final Outbox out = net.outbox(to);
                    try
                    {
                        target.onMessage(from, input, 0, length, nowNs, out);
                        target.flush(nowNs, out);
                    }
                    catch (final RuntimeException ex)
                    {
                        throw new AssertionError("seed " + seed + ": " + kind + " input #" + injected + " to node " +
                            to + " from " + from + " (" + length + " bytes " + hex(input, length) + ") threw " + ex, ex);
                    }
                    final long delta = target.malformedMessages() - before;
                    counted += delta;
                    injected++;
                    byKind.merge(kind, 1L, Long::sum);
                    if (kind == Kind.REPLAY)
                    {
                        replays++;
                        if (delta != 0)
                        {
                            problem("a replayed real message was counted as malformed: node " + to + " from " +
                                from + " " + hex(input, length));
                        }
                    }
                    else if (kind == Kind.MUTATE)
                    {
                        mutants++;
                        mutantsRejected += delta;
                        if (delta > 1)
                        {
                            problem("one mutant counted " + delta + " times at node " + to);
                        }
                    }
                    else
                    {
                        mustReject++;
                        rejected += delta;
                        if (delta != 1)
                        {
                            problem(kind + " input counted " + delta + " times (must be 1): node " + to + " from " +
                                from + ", " + length + " bytes " + hex(input, length));
                        }
                    }
                }
            }
            cluster.runFor(200 * MS);
            cluster.stopClientsAt(cluster.nowNs());
            cluster.runFor(config.opTimeoutNs() + 10 * MS);
        }
        catch (final AssertionError ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + ": an exception escaped a node during real traffic after " +
                injected + " inputs: " + ex, ex);
        }
        long malformed = 0;
        for (final Endpoint e : nodes)
        {
            malformed += e.malformedMessages();
        }
        if (malformed != counted + derived)
        {
            problem("nodes counted " + malformed + " malformed messages, the inputs " + counted);
        }
        long completed = 0;
        for (final ClosedLoopLoadGenerator c : cluster.clients())
        {
            completed += c.completed();
        }
        final boolean strong = Protocols.byName(protocol).linearizable(
            new ProtocolSettings(replicas, config.clients(), config.outstanding(), options));
        String verdict = "weak mode: not checked";
        if (strong)
        {
            final CheckResult result = new LinearizabilityChecker().check(recorder.history());
            verdict = result.verdict() + (detector.staleReads() > 0 ? ", stale reads " + detector.staleReads() : "");
            final boolean bad = result.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE || detector.staleReads() > 0;
            if (bad && !mutations)
            {
                problem("seed " + seed + ": history " + verdict + ": " + result.explanation());
            }
        }
        if (completed == 0)
        {
            problem("seed " + seed + ": no operation completed");
        }
        if (problemCount > problems.size())
        {
            problems.add("... " + (problemCount - problems.size()) + " more");
        }
        return new Report(protocol + (options.isEmpty() ? "" : " " + options) + (mutations ? " (mutations)" : ""),
            injected, mustReject, rejected, replays, mutants, mutantsRejected, derived, malformed, genuine,
            recorder.history().size(), verdict, (System.nanoTime() - startedNs) / 1_000_000, byKind, problems);
    }

    private static Kind pick(final Random random)
    {
        final int r = random.nextInt(100);
        if (r < 10)
        {
            return Kind.RANDOM;
        }
        if (r < 25)
        {
            return Kind.TRUNCATE;
        }
        if (r < 45)
        {
            return Kind.HEADER;
        }
        if (r < 50)
        {
            return Kind.TRAILING;
        }
        if (r < 97)
        {
            return Kind.FIELD;
        }
        return Kind.REPLAY;
    }

    private static boolean isLabSchema(final int schemaId)
    {
        for (final int s : LAB_SCHEMAS)
        {
            if (s == schemaId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the input's length.
     */
    private static int build(final Kind kind, final UnsafeBuffer m, final int length, final Random random,
        final List<FieldRule> rules)
    {
        final java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        switch (kind)
        {
            case TRUNCATE:
                return random.nextInt(length);
            case HEADER:
            {
                final int field = random.nextInt(4);
                final int at = field == 0 ? 0 : field == 1 ? 2 : field == 2 ? 4 : 6;
                final int old = m.getShort(at, le) & 0xFFFF;
                int v;
                do
                {
                    v = field == 1 ? 50 + random.nextInt(60000) : field == 2 ? random.nextInt(65536) :
                        random.nextBoolean() ? old + 1 + random.nextInt(8) : random.nextInt(65536);
                }
                while (v == old || field == 2 && isLabSchema(v) || (v & 0xFFFF) == old);
                m.putShort(at, (short)v, le);
                return length;
            }
            case TRAILING:
            {
                final int extra = 1 + random.nextInt(8);
                for (int i = 0; i < extra; i++)
                {
                    m.putByte(length + i, (byte)random.nextInt());
                }
                return length + extra;
            }
            case FIELD:
            {
                final FieldRule rule = rules.get(random.nextInt(rules.size()));
                if (rule.offset() + rule.width() > length)
                {
                    return random.nextInt(length); // cannot happen for a whole message: truncate instead
                }
                final long old = read(m, rule.offset(), rule.width());
                long v;
                if (rule.anyOtherValue())
                {
                    final long mask = rule.width() == 8 ? -1L : (1L << (8 * rule.width())) - 1;
                    do
                    {
                        v = (random.nextBoolean() ? old + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(4)) :
                            random.nextLong()) & mask;
                    }
                    while (v == old);
                }
                else
                {
                    v = rule.badValues()[random.nextInt(rule.badValues().length)];
                }
                write(m, rule.offset(), rule.width(), v);
                return length;
            }
            case MUTATE:
            {
                final int bytes = 1 + random.nextInt(4);
                for (int i = 0; i < bytes; i++)
                {
                    final int at = random.nextInt(length);
                    m.putByte(at, (byte)(m.getByte(at) ^ (1 + random.nextInt(255))));
                }
                return length;
            }
            default:
                return length; // REPLAY
        }
    }

    private static long read(final UnsafeBuffer m, final int at, final int width)
    {
        final java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        return switch (width)
        {
            case 1 -> m.getByte(at) & 0xFFL;
            case 2 -> m.getShort(at, le) & 0xFFFFL;
            case 4 -> m.getInt(at, le) & 0xFFFF_FFFFL;
            default -> m.getLong(at, le);
        };
    }

    private static void write(final UnsafeBuffer m, final int at, final int width, final long v)
    {
        final java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        switch (width)
        {
            case 1 -> m.putByte(at, (byte)v);
            case 2 -> m.putShort(at, (short)v, le);
            case 4 -> m.putInt(at, (int)v, le);
            default -> m.putLong(at, v, le);
        }
    }

    private static String hex(final DirectBuffer b, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(length, 96); i++)
        {
            sb.append(String.format("%02x", b.getByte(i)));
        }
        return sb.append(length > 96 ? "..." : "").toString();
    }
}
