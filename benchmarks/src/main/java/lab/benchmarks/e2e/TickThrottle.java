package lab.benchmarks.e2e;

import lab.core.Endpoint;
import lab.core.Outbox;
import org.agrona.DirectBuffer;

/**
 * Passes messages straight through and ticks at most every {@code intervalNs}. The benchmark cluster runs its node
 * agents with a tick interval of 0, so that the {@link SyncClient} sees a submission on the very next duty cycle;
 * replicas keep the harness's usual tick rate through this wrapper.
 */
final class TickThrottle implements Endpoint
{
    private final Endpoint endpoint;
    private final long intervalNs;
    private long nextTickNs;

    TickThrottle(final Endpoint endpoint, final long intervalNs)
    {
        this.endpoint = endpoint;
        this.intervalNs = intervalNs;
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        endpoint.onMessage(fromNode, buffer, offset, length, nowNs, out);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (nowNs >= nextTickNs)
        {
            nextTickNs = nowNs + intervalNs;
            endpoint.onTick(nowNs, out);
        }
    }

    public void flush(final long nowNs, final Outbox out)
    {
        endpoint.flush(nowNs, out);
    }
}
