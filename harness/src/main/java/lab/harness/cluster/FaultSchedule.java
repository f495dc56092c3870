package lab.harness.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import lab.core.Durations;

/**
 * Faults for a real run, e.g. {@code crash:leader@5s,restart@10s}: a comma-separated list of items
 * {@code <kind>[:<what>]@<time>}, times from the start of the run (warm-up included):
 * <ul>
 *   <li>{@code crash:<target>}, {@code restart[:<target>]} (without a target: the node crashed last);</li>
 *   <li>{@code partition:<targets>|<targets>} (targets separated by {@code +} or {@code ,}): links between the
 *       groups are cut both ways; {@code isolate:<target>}: its links to every other node (replicas, control nodes,
 *       clients) are cut; {@code heal} ends every cut;</li>
 *   <li>{@code loss:<target>=<percent>} (messages into it), {@code delay:<target>=<duration>} (added one-way to
 *       messages into it), {@code slow:<target>=<duration>} (its inbound messages are served one per duration);
 *       {@code clear:<target>} ends them;</li>
 *   <li>{@code pause:<target>} ... {@code resume:<target>}: the node stops without losing state (a GC pause,
 *       SIGSTOP); and the repeated form {@code pause:<target>=<length>@<from>..<to>/every=<period>}.</li>
 * </ul>
 * A target is a role a replica reports ({@code leader}, {@code primary}, {@code head}, {@code tail},
 * {@code middle}, ...; "leader" also matches "primary") or a node id ({@code node2} or {@code 2}). A role is resolved
 * when its fault starts; the event that ends it ({@code clear}, {@code resume}) acts on the node it resolved to.
 *
 * <p>What parsing refuses, with one line: an unknown kind, a missing target or amount, a percent outside
 * [0, 100], a partition naming a node twice, a {@code resume} without an earlier {@code pause} of that target. Times
 * beyond the run and targets that do not exist are the run configuration's check ({@link RunConfig#validate}).
 */
public final class FaultSchedule
{
    /**
     * The kinds of fault event.
     */
    public enum Kind
    {
        CRASH, RESTART, PARTITION, ISOLATE, HEAL, LOSS, DELAY, SLOW, PAUSE, RESUME, CLEAR;

        public String word()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One fault event.
     *
     * @param atNs     from the start of the run.
     * @param kind     what it does.
     * @param target   role or node, "" for none ({@code heal}, {@code partition}, a restart of the last crashed).
     * @param groups   a partition's sides (targets), empty otherwise.
     * @param amountNs delay, slow service time, or a repeated pause's length; 0 otherwise.
     * @param percent  loss in percent; 0 otherwise.
     * @param text     as written (a repeated pause: the item it came from).
     */
    public record Event(long atNs, Kind kind, String target, List<List<String>> groups, long amountNs,
        double percent, String text)
    {
        public boolean crash()
        {
            return kind == Kind.CRASH;
        }
    }

    /**
     * A span in which a fault holds, for measuring before, during and after it.
     *
     * @param fault  the item that starts it, as written.
     * @param fromNs from the start of the run.
     * @param toNs   when the event that ends it comes, or -1: it lasts to the end of the run.
     */
    public record Window(String fault, long fromNs, long toNs)
    {
    }

    private final List<Event> events;
    private final List<Window> windows;

    private FaultSchedule(final List<Event> events, final List<Window> windows)
    {
        this.events = List.copyOf(events); // a run configuration holds this: nobody may change it after
        this.windows = List.copyOf(windows);
    }

    public static FaultSchedule none()
    {
        return new FaultSchedule(List.of(), List.of());
    }

    public static FaultSchedule parse(final String spec)
    {
        final List<Event> events = new ArrayList<>();
        final List<Window> repeated = new ArrayList<>();
        if (spec == null || spec.isBlank())
        {
            return new FaultSchedule(events, List.of());
        }
        for (final String item : items(spec))
        {
            parseItem(item, events, repeated);
        }
        events.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        checkResumes(events);
        final List<Window> windows = windows(events);
        windows.addAll(repeated);
        windows.sort((a, b) -> Long.compare(a.fromNs(), b.fromNs()));
        return new FaultSchedule(events, windows);
    }

    /**
     * Splits at commas that end an item: a partition's targets may be separated by commas too
     * ({@code partition:node0,node1|node2@3s}), so a piece without its {@code @time} joins the next.
     */
    private static List<String> items(final String spec)
    {
        final List<String> items = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();
        for (final String raw : spec.split(","))
        {
            pending.append(pending.length() == 0 ? "" : ",").append(raw.trim());
            if (raw.indexOf('@') >= 0)
            {
                items.add(pending.toString());
                pending.setLength(0);
            }
        }
        if (pending.length() > 0)
        {
            throw new IllegalArgumentException("--fault '" + pending + "': expected <what>@<time>, e.g. crash:leader@5s");
        }
        return items;
    }

    private static void parseItem(final String item, final List<Event> events, final List<Window> repeated)
    {
        final int at = item.lastIndexOf('@');
        final String what = item.substring(0, at);
        final String when = item.substring(at + 1);
        final int colon = what.indexOf(':');
        final String kindWord = colon < 0 ? what : what.substring(0, colon);
        final String rest = colon < 0 ? "" : what.substring(colon + 1);
        final Kind kind;
        try
        {
            kind = Kind.valueOf(kindWord.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--fault '" + item + "': unknown fault '" + kindWord + "' (crash, " +
                "restart, partition, isolate, heal, loss, delay, slow, pause, resume, clear)");
        }
        final int eq = rest.indexOf('=');
        final String target = (eq < 0 ? rest : rest.substring(0, eq)).trim();
        final String amount = eq < 0 ? null : rest.substring(eq + 1).trim();
        switch (kind)
        {
            case RESTART, HEAL ->
            {
                if (kind == Kind.HEAL && !rest.isEmpty())
                {
                    throw new IllegalArgumentException("--fault '" + item + "': heal takes no target (it ends every cut)");
                }
                events.add(new Event(time(item, when), kind, target, List.of(), 0, 0, item));
            }
            case CRASH, ISOLATE, RESUME, CLEAR ->
                events.add(new Event(time(item, when), kind, needTarget(item, kind, target), List.of(), 0, 0, item));
            case PARTITION -> events.add(new Event(time(item, when), kind, "", groups(item, rest), 0, 0, item));
            case LOSS ->
            {
                final double percent = percent(item, needAmount(item, kind, amount, "5"));
                events.add(new Event(time(item, when), kind, needTarget(item, kind, target), List.of(), 0, percent,
                    item));
            }
            case DELAY, SLOW -> events.add(new Event(time(item, when), kind, needTarget(item, kind, target), List.of(),
                duration(item, needAmount(item, kind, amount, "1ms")), 0, item));
            case PAUSE ->
            {
                needTarget(item, kind, target);
                if (when.contains(".."))
                {
                    repeatedPause(item, target, amount, when, events, repeated);
                }
                else
                {
                    if (amount != null)
                    {
                        throw new IllegalArgumentException("--fault '" + item + "': a pause with a length repeats: " +
                            "pause:<target>=<length>@<from>..<to>/every=<period>, e.g. pause:node1=50ms@2s..6s/every=200ms");
                    }
                    events.add(new Event(time(item, when), kind, target, List.of(), 0, 0, item));
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /**
     * {@code pause:<target>=<length>@<from>..<to>/every=<period>}: a pause of that length at {@code from},
     * {@code from + period}, ... while it starts before {@code to}; one window from {@code from} to {@code to}.
     */
    private static void repeatedPause(final String item, final String target, final String amount, final String when,
        final List<Event> events, final List<Window> repeated)
    {
        final String usage = "--fault '" + item + "': expected pause:<target>=<length>@<from>..<to>/every=<period>, " +
            "e.g. pause:node1=50ms@2s..6s/every=200ms";
        final int dots = when.indexOf("..");
        final int slash = when.indexOf("/every=");
        if (amount == null || slash < dots)
        {
            throw new IllegalArgumentException(usage);
        }
        final long lengthNs = duration(item, amount);
        final long fromNs = time(item, when.substring(0, dots));
        final long toNs = time(item, when.substring(dots + 2, slash));
        final long periodNs = duration(item, when.substring(slash + "/every=".length()));
        if (toNs <= fromNs || lengthNs <= 0 || periodNs <= lengthNs)
        {
            throw new IllegalArgumentException("--fault '" + item + "': needs from < to and 0 < length < period");
        }
        for (long t = fromNs; t < toNs; t += periodNs)
        {
            events.add(new Event(t, Kind.PAUSE, target, List.of(), lengthNs, 0, item));
            events.add(new Event(Math.min(t + lengthNs, toNs), Kind.RESUME, target, List.of(), 0, 0, item));
        }
        repeated.add(new Window(item, fromNs, toNs));
    }

    private static List<List<String>> groups(final String item, final String rest)
    {
        final String[] sides = rest.split("\\|", -1);
        if (sides.length < 2)
        {
            throw new IllegalArgumentException("--fault '" + item + "': a partition needs two or more sides, e.g. " +
                "partition:node0|node1+node2@3s");
        }
        final List<List<String>> groups = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final String side : sides)
        {
            final List<String> group = new ArrayList<>();
            for (final String raw : side.split("[+,]"))
            {
                final String t = raw.trim();
                if (t.isEmpty())
                {
                    throw new IllegalArgumentException("--fault '" + item + "': an empty target in the partition");
                }
                final int id = nodeId(t);
                if (!seen.add(id >= 0 ? "node" + id : t))
                {
                    throw new IllegalArgumentException("--fault '" + item + "': the partition names " + t + " twice");
                }
                group.add(t);
            }
            groups.add(List.copyOf(group));
        }
        return List.copyOf(groups);
    }

    private static String needTarget(final String item, final Kind kind, final String target)
    {
        if (target.isEmpty())
        {
            throw new IllegalArgumentException("--fault '" + item + "': " + kind.word() + " needs a target, e.g. " +
                kind.word() + ":node1@5s");
        }
        return target;
    }

    private static String needAmount(final String item, final Kind kind, final String amount, final String example)
    {
        if (amount == null || amount.isEmpty())
        {
            throw new IllegalArgumentException("--fault '" + item + "': " + kind.word() + " needs an amount, e.g. " +
                kind.word() + ":node1=" + example + "@5s");
        }
        return amount;
    }

    private static double percent(final String item, final String text)
    {
        final String digits = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        final double p;
        try
        {
            p = Double.parseDouble(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--fault '" + item + "': loss is a percent, got '" + text + "'");
        }
        if (!(p >= 0 && p <= 100))
        {
            throw new IllegalArgumentException("--fault '" + item + "': loss must be a percent in [0, 100], got " + text);
        }
        return p;
    }

    private static long time(final String item, final String text)
    {
        try
        {
            return Durations.parseNs(text.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--fault '" + item + "': bad time '" + text + "' (" + ex.getMessage() + ")");
        }
    }

    private static long duration(final String item, final String text)
    {
        final long ns = time(item, text);
        if (ns <= 0)
        {
            throw new IllegalArgumentException("--fault '" + item + "': the duration must be > 0, got '" + text + "'");
        }
        return ns;
    }

    private static void checkResumes(final List<Event> events)
    {
        final Map<String, Integer> paused = new HashMap<>();
        for (final Event e : events)
        {
            final String key = targetKey(e.target());
            if (e.kind() == Kind.PAUSE)
            {
                paused.merge(key, 1, Integer::sum);
            }
            else if (e.kind() == Kind.RESUME)
            {
                if (paused.getOrDefault(key, 0) == 0)
                {
                    throw new IllegalArgumentException("--fault '" + e.text() + "': resume without an earlier pause " +
                        "of " + e.target());
                }
                paused.merge(key, -1, Integer::sum);
            }
        }
    }

    /**
     * The windows of the single events: each fault to the event that ends it (the first later one), or the run's end.
     */
    private static List<Window> windows(final List<Event> events)
    {
        final List<Window> windows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++)
        {
            final Event e = events.get(i);
            if (e.amountNs() > 0 && e.kind() == Kind.PAUSE)
            {
                continue; // a repeated pause: one window of its own
            }
            final Kind ends = switch (e.kind())
            {
                case CRASH -> Kind.RESTART;
                case PARTITION, ISOLATE -> Kind.HEAL;
                case LOSS, DELAY, SLOW -> Kind.CLEAR;
                case PAUSE -> Kind.RESUME;
                default -> null;
            };
            if (ends == null)
            {
                continue;
            }
            long toNs = -1;
            for (int j = i + 1; j < events.size() && toNs < 0; j++)
            {
                final Event f = events.get(j);
                final boolean sameTarget = targetKey(f.target()).equals(targetKey(e.target())) ||
                    (f.kind() == Kind.RESTART && f.target().isEmpty());
                if (f.kind() == ends && (ends == Kind.HEAL || sameTarget))
                {
                    toNs = f.atNs();
                }
            }
            windows.add(new Window(e.text(), e.atNs(), toNs));
        }
        return windows;
    }

    private static String targetKey(final String target)
    {
        final int id = nodeId(target);
        return id >= 0 ? "node" + id : target;
    }

    public List<Event> events()
    {
        return events;
    }

    /**
     * @return the spans in which faults hold, by start: what the run's phases (before, during, after) are cut by.
     */
    public List<Window> windows()
    {
        return windows;
    }

    public boolean isEmpty()
    {
        return events.isEmpty();
    }

    /**
     * @return every target the events name (partition sides included), as written.
     */
    public Set<String> targets()
    {
        final Set<String> targets = new java.util.LinkedHashSet<>();
        for (final Event e : events)
        {
            if (!e.target().isEmpty())
            {
                targets.add(e.target());
            }
            e.groups().forEach(targets::addAll);
        }
        return targets;
    }

    /**
     * @return whether a replica reporting {@code role} matches the target role name.
     */
    public static boolean roleMatches(final String target, final String role)
    {
        return target.equals(role) || ("leader".equals(target) && "primary".equals(role));
    }

    /**
     * @return the node id a target names directly ("node2", "2"), or -1 when it names a role.
     */
    public static int nodeId(final String target)
    {
        final String digits = target.startsWith("node") ? target.substring(4) : target;
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit))
        {
            return Integer.parseInt(digits);
        }
        return -1;
    }
}
