package lab.harness.aeron;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Idle strategies by name, for the command line.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case "busy-spin": return new BusySpinIdleStrategy();
            case "noop": return new NoOpIdleStrategy();
            case "yield": return new YieldingIdleStrategy();
            case "backoff": return new BackoffIdleStrategy(
                100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case "sleep": return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("--idle must be busy-spin|yield|backoff|sleep, got '" + name + "'");
        }
    }
}
