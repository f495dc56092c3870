package lab.harness.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import lab.core.ClientListener;
import lab.core.ClientProtocol;
import lab.core.Outbox;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.harness.metrics.OperationObserver;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpenLoopLoadGeneratorTest
{
    private static final long MS = 1_000_000L;
    private static final Outbox NOWHERE = (to, buffer, offset, length) -> { };
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    /**
     * Keeps what was submitted; any message completes the oldest pending operation.
     */
    private static final class ScriptedProtocol implements ClientProtocol
    {
        final List<Long> submittedAtNs = new ArrayList<>();
        private final List<long[]> pending = new ArrayList<>();

        public void submit(final int slot, final long seq, final OpType opType, final long key, final DirectBuffer value,
            final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
        {
            submittedAtNs.add(nowNs);
            pending.add(new long[]{slot, seq});
        }

        public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs, final Outbox out, final ClientListener listener)
        {
            final long[] op = pending.remove(0);
            listener.onComplete((int)op[0], op[1], Status.OK, 2, 1, EMPTY, 0, 0);
        }

        public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
        {
        }

        public void abandon(final int slot)
        {
        }
    }

    /**
     * 1,000 writes/s (one every millisecond) on one slot; the window opens at 10 ms.
     */
    private static OpenLoopLoadGenerator generator(final ScriptedProtocol protocol)
    {
        final OpenLoopLoadGenerator generator = new OpenLoopLoadGenerator(3, protocol,
            new Workload(0.0, 16, "uniform", 0.99, 32), 1, new Random(1), 1_000 * MS, OperationObserver.NONE, 1000.0,
            false, new Random(2));
        generator.window(10 * MS, 100 * MS);
        return generator;
    }

    @Test
    void shouldDropWarmUpArrivalsStillUnsentWhenTheWindowOpens()
    {
        final ScriptedProtocol protocol = new ScriptedProtocol();
        final OpenLoopLoadGenerator generator = generator(protocol);

        generator.onTick(0, NOWHERE); // the arrival at 0 takes the only slot; those at 1..10 ms wait
        generator.onTick(10 * MS + MS / 2, NOWHERE);
        generator.onMessage(0, EMPTY, 0, 0, 10 * MS + MS / 2, NOWHERE); // the slot frees after the window opened

        assertEquals(9, generator.warmupBacklogDropped()); // 1..9 ms
        assertEquals(List.of(0L, 10 * MS + MS / 2), protocol.submittedAtNs); // then the window's first, at 10 ms
    }

    @Test
    void shouldChargeTheWindowsFirstOperationFromItsIntendedStart()
    {
        final ScriptedProtocol protocol = new ScriptedProtocol();
        final OpenLoopLoadGenerator generator = generator(protocol);

        generator.onTick(0, NOWHERE);
        generator.onTick(10 * MS + MS / 2, NOWHERE);
        generator.onMessage(0, EMPTY, 0, 0, 10 * MS + MS / 2, NOWHERE);
        generator.onMessage(0, EMPTY, 0, 0, 12 * MS, NOWHERE);

        assertEquals(1, generator.writes().count()); // warm-up's operation at 0 is not the window's
        assertEquals(2 * MS, generator.writes().latencyNs().getMaxValue(), 2 * MS / 100); // from 10 ms, not 10.5
    }

    @Test
    void shouldDropNothingBeforeTheWindowOpens()
    {
        final ScriptedProtocol protocol = new ScriptedProtocol();
        final OpenLoopLoadGenerator generator = generator(protocol);

        generator.onTick(0, NOWHERE);
        generator.onTick(5 * MS + MS / 2, NOWHERE);
        generator.onMessage(0, EMPTY, 0, 0, 5 * MS + MS / 2, NOWHERE);

        assertEquals(0, generator.warmupBacklogDropped());
        assertEquals(4, generator.backlog()); // 1 ms was sent; 2..5 ms wait
    }
}
