package lab.harness.book;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import lab.harness.cluster.RunConfig;

/**
 * The {@code bin/lab run} command that reproduces one run of an experiment, so every point of the book can be rerun
 * and inspected alone.
 */
final class RunCommandLine
{
    private RunCommandLine()
    {
    }

    static String of(final RunConfig c)
    {
        final StringBuilder sb = new StringBuilder("bin/lab run --protocol ").append(c.protocol)
            .append(" --replicas ").append(c.replicas);
        if (!"ipc".equals(c.transport))
        {
            sb.append(" --transport ").append(c.transport);
        }
        sb.append(" --read-ratio ").append(trim(c.workload.readRatio()))
            .append(" --keys ").append(c.workload.keys())
            .append(" --value-size ").append(c.workload.valueSize());
        if (c.clients != 1)
        {
            sb.append(" --clients ").append(c.clients);
        }
        if (c.outstanding != 1)
        {
            sb.append(" --outstanding ").append(c.outstanding);
        }
        if (c.rate > 0)
        {
            sb.append(" --rate ").append(trim(c.rate));
        }
        sb.append(" --duration ").append(ms(c.durationNs)).append(" --warmup ").append(ms(c.effectiveWarmupNs()));
        sb.append(" --seed ").append(c.seed);
        if (c.link.active())
        {
            sb.append(" --link-delay ").append(us(c.link.delayNs()));
            if (c.link.jitterNs() > 0)
            {
                sb.append(" --link-jitter ").append(us(c.link.jitterNs()));
            }
            if (c.link.lossRate() > 0)
            {
                sb.append(" --link-loss ").append(trim(c.link.lossRate()));
            }
        }
        if (c.staleReads)
        {
            sb.append(" --stale-reads");
        }
        if (!c.faults.isEmpty())
        {
            // each event keeps the item it was written as (a repeated pause: one item for all its events)
            final java.util.Set<String> items = new java.util.LinkedHashSet<>();
            c.faults.events().forEach(e -> items.add(e.text()));
            sb.append(" --fault \"").append(String.join(",", items)).append('"');
        }
        if ("sim".equals(c.transport) && c.sim().slowNode >= 0)
        {
            sb.append(" --sim-slow ").append(c.sim().slowNode).append('=').append(us(c.sim().slowNodeDelayNs));
        }
        for (final Map.Entry<String, String> e : c.options.entrySet())
        {
            sb.append(" --opt ").append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    private static String ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns) + "ms";
    }

    private static String us(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMicros(ns) + "us";
    }

    private static String trim(final double v)
    {
        return v == Math.rint(v) ? String.valueOf((long)v) : String.format(Locale.ROOT, "%s", v);
    }
}
