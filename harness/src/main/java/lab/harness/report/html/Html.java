package lab.harness.report.html;

import java.util.Locale;

/**
 * Escaping and number formatting for the HTML report. Every string that came from a results file goes through
 * {@link #esc(Object)} before it is written into the page (text or attribute value, HTML or inline SVG).
 */
final class Html
{
    private Html()
    {
    }

    /**
     * @return the text with {@code & < > " '} replaced by entities: safe in element text and in quoted attributes.
     */
    static String esc(final Object value)
    {
        final String s = String.valueOf(value);
        final StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default ->
                {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
                    {
                        sb.append(' ');
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * @return a latency in microseconds with a precision that suits its size; "–" when unknown.
     */
    static String us(final double v)
    {
        if (Double.isNaN(v))
        {
            return "\u2013";
        }
        if (v < 100)
        {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String fixed(final double v, final int decimals)
    {
        return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String count(final double v)
    {
        return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, "%.0f", v);
    }

    /**
     * @return a coordinate for SVG: two decimals, no exponent, no locale.
     */
    static String coord(final double v)
    {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * @return a latency given in microseconds as an axis label: "500 us", "2 ms", "1.5 s".
     */
    static String durationLabel(final double us)
    {
        if (us >= 1_000_000)
        {
            return trim(us / 1_000_000) + " s";
        }
        if (us >= 1000)
        {
            return trim(us / 1000) + " ms";
        }
        return trim(us) + " us";
    }

    /**
     * @return a rate as an axis label: "800", "12k", "1.5M".
     */
    static String rateLabel(final double v)
    {
        final double a = Math.abs(v);
        if (a >= 1_000_000)
        {
            return trim(v / 1_000_000) + "M";
        }
        if (a >= 1000)
        {
            return trim(v / 1000) + "k";
        }
        return trim(v);
    }

    static String trim(final double v)
    {
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
        {
            return String.valueOf((long)v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        while (s.endsWith("0"))
        {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
