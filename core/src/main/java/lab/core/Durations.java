package lab.core;

import java.util.concurrent.TimeUnit;

/**
 * Parses durations such as {@code 10s}, {@code 500ms}, {@code 200us}, {@code 1m}, {@code 750ns}.
 *
 * <p>A unit is required (only {@code 0} may go without one): a bare {@code 300} was read as seconds, where users
 * of timeouts mostly mean milliseconds, and a run then waited five minutes for what should have taken 300 ms.
 * Nothing the lab runs lasts longer than {@link #MAX_NS}: a longer duration is a typo, refused before any work.
 */
public final class Durations
{
    /** The longest duration accepted: 30 days. */
    public static final long MAX_NS = TimeUnit.DAYS.toNanos(30);

    private Durations()
    {
    }

    public static long parseNs(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("empty duration");
        }
        final String s = text.trim().toLowerCase();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'))
        {
            i++;
        }
        if (i == 0)
        {
            throw new IllegalArgumentException("unparsable duration '" + text + "' (e.g. 10s, 500ms, 200us)");
        }
        final double amount;
        try
        {
            amount = Double.parseDouble(s.substring(0, i));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("unparsable duration '" + text + "' (e.g. 10s, 500ms, 200us)");
        }
        final String unit = s.substring(i);
        final long nsPerUnit;
        switch (unit)
        {
            case "ns": nsPerUnit = 1; break;
            case "us": nsPerUnit = TimeUnit.MICROSECONDS.toNanos(1); break;
            case "ms": nsPerUnit = TimeUnit.MILLISECONDS.toNanos(1); break;
            case "s": nsPerUnit = TimeUnit.SECONDS.toNanos(1); break;
            case "":
                if (amount == 0)
                {
                    return 0;
                }
                throw new IllegalArgumentException("duration '" + text + "' needs a unit: " + text.trim() + "ms, " +
                    text.trim() + "s, ... (ns, us, ms, s, m)");
            case "m": case "min": nsPerUnit = TimeUnit.MINUTES.toNanos(1); break;
            default:
                throw new IllegalArgumentException("unparsable duration '" + text + "': unknown unit '" + unit + "'");
        }
        if (amount < 0)
        {
            throw new IllegalArgumentException("negative duration '" + text + "'");
        }
        final double ns = amount * nsPerUnit;
        if (!(ns <= MAX_NS))
        {
            throw new IllegalArgumentException("duration '" + text + "' is longer than 30 days: a typo?");
        }
        return (long)ns;
    }
}
