package lab.harness.workload;

import java.util.Random;

import lab.core.ClientProtocol;
import lab.harness.metrics.OperationObserver;

/**
 * Closed loop: every slot starts its next operation as soon as the previous one completes or times out, so the
 * client always has {@code slots} operations outstanding.
 */
public final class ClosedLoopLoadGenerator extends LoadGenerator
{
    public ClosedLoopLoadGenerator(
        final int clientNode, final ClientProtocol protocol, final Workload workload, final int slots,
        final Random random, final long opTimeoutNs, final OperationObserver observer)
    {
        super(clientNode, protocol, workload, slots, random, opTimeoutNs, observer);
    }

    protected void onStart()
    {
        for (int slot = 0; slot < slots(); slot++)
        {
            submit(slot, nowNs);
        }
    }

    protected void onSlotFree(final int slot)
    {
        if (submitting())
        {
            submit(slot, nowNs);
        }
    }
}
