package lab.harness.cluster;

import java.util.ArrayList;
import java.util.List;

import lab.core.Durations;

/**
 * Faults for a real run, e.g. {@code crash:leader@5s,restart@10s}: a comma-separated list of
 * {@code crash:<target>@<time>} and {@code restart[:<target>]@<time>}, times from the start of the run (warm-up
 * included). A target is a role a replica reports ({@code leader}, {@code primary}, {@code head}, {@code tail},
 * {@code middle}, ...; "leader" also matches "primary") or a node id ({@code node2} or {@code 2}); a restart
 * without a target restarts the node crashed last.
 */
public final class FaultSchedule
{
    /**
     * One fault.
     *
     * @param atNs   from the start of the run.
     * @param crash  true for a crash, false for a restart.
     * @param target role or node, "" for "the last crashed".
     * @param text   as written.
     */
    public record Event(long atNs, boolean crash, String target, String text)
    {
    }

    private final List<Event> events;

    private FaultSchedule(final List<Event> events)
    {
        this.events = events;
    }

    public static FaultSchedule none()
    {
        return new FaultSchedule(List.of());
    }

    public static FaultSchedule parse(final String spec)
    {
        final List<Event> events = new ArrayList<>();
        if (spec == null || spec.isBlank())
        {
            return new FaultSchedule(events);
        }
        for (final String raw : spec.split(","))
        {
            final String item = raw.trim();
            final int at = item.lastIndexOf('@');
            if (at < 0)
            {
                throw new IllegalArgumentException("--fault '" + item + "': expected <what>@<time>, e.g. crash:leader@5s");
            }
            final String what = item.substring(0, at);
            final long atNs = Durations.parseNs(item.substring(at + 1));
            final int colon = what.indexOf(':');
            final String kind = colon < 0 ? what : what.substring(0, colon);
            final String target = colon < 0 ? "" : what.substring(colon + 1);
            switch (kind)
            {
                case "crash":
                    if (target.isEmpty())
                    {
                        throw new IllegalArgumentException("--fault '" + item + "': crash needs a target, e.g. crash:leader@5s");
                    }
                    events.add(new Event(atNs, true, target, item));
                    break;
                case "restart":
                    events.add(new Event(atNs, false, target, item));
                    break;
                default:
                    throw new IllegalArgumentException("--fault '" + item + "': unknown fault '" + kind +
                        "' (crash, restart)");
            }
        }
        events.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        return new FaultSchedule(events);
    }

    public List<Event> events()
    {
        return events;
    }

    public boolean isEmpty()
    {
        return events.isEmpty();
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
