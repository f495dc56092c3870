package lab.harness.api;

import java.util.concurrent.TimeUnit;

/**
 * Parses durations such as {@code 10s}, {@code 500ms}, {@code 200us}, {@code 1m}, {@code 750ns}.
 */
public final class Durations
{
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
            case "s": case "": nsPerUnit = TimeUnit.SECONDS.toNanos(1); break;
            case "m": case "min": nsPerUnit = TimeUnit.MINUTES.toNanos(1); break;
            default:
                throw new IllegalArgumentException("unparsable duration '" + text + "': unknown unit '" + unit + "'");
        }
        if (amount < 0)
        {
            throw new IllegalArgumentException("negative duration '" + text + "'");
        }
        return (long)(amount * nsPerUnit);
    }
}
