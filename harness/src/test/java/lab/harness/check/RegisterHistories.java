package lab.harness.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.agrona.collections.Long2LongHashMap;

/**
 * Histories of real registers, linearizable by construction: each process runs one operation at a time over a random
 * interval, and each operation that takes effect does so at a random point in its interval, in which order they are
 * applied to sequential registers to learn what reads return. Some writes fail (never take effect) and some time out
 * (take effect at some point after invoke, possibly after being abandoned, or never).
 */
final class RegisterHistories
{
    private final Random random;
    private final int processes;
    private final int keys;
    private final long maxDurationNs;

    RegisterHistories(final long seed, final int processes, final int keys, final long maxDurationNs)
    {
        this.random = new Random(seed);
        this.processes = processes;
        this.keys = keys;
        this.maxDurationNs = maxDurationNs;
    }

    List<Operation> generate(final int operations)
    {
        final long[] processClockNs = new long[processes];
        final List<Operation> history = new ArrayList<>(operations);
        final List<long[]> effects = new ArrayList<>(operations);
        long nextValue = 1;

        for (int i = 0; i < operations; i++)
        {
            final int process = random.nextInt(processes);
            final long key = 1 + random.nextInt(keys);
            final long invokeNs = processClockNs[process] + random.nextInt(20);
            final long durationNs = 1 + (random.nextInt(20) == 0 ? maxDurationNs * 4 : random.nextLong(maxDurationNs));
            final long completeNs = invokeNs + durationNs;
            processClockNs[process] = completeNs + 1;

            final int roll = random.nextInt(100);
            final Operation.Outcome outcome = roll < 3 ? Operation.Outcome.FAIL :
                roll < 8 ? Operation.Outcome.INFO : Operation.Outcome.OK;
            final boolean write = random.nextBoolean();
            final long value = write ? nextValue++ : Operation.NIL;
            final Operation.Kind kind = write ? Operation.Kind.WRITE : Operation.Kind.READ;
            history.add(new Operation(process, kind, key, value, invokeNs, completeNs, outcome));

            final boolean takesEffect = Operation.Outcome.OK == outcome ||
                (Operation.Outcome.INFO == outcome && random.nextBoolean());
            if (takesEffect)
            {
                // An indeterminate operation may take effect long after the client gave up on it.
                final long spanNs = Operation.Outcome.OK == outcome ? durationNs : 4 * durationNs;
                effects.add(new long[]{ invokeNs + random.nextLong(spanNs + 1), history.size() - 1 });
            }
        }

        effects.sort(Comparator.comparingLong((e) -> e[0]));
        final Long2LongHashMap registers = new Long2LongHashMap(Operation.NIL);
        for (final long[] effect : effects)
        {
            final int index = (int)effect[1];
            final Operation op = history.get(index);
            if (op.isWrite())
            {
                registers.put(op.key(), op.value());
            }
            else if (Operation.Outcome.OK == op.outcome())
            {
                history.set(index, op.withValue(registers.get(op.key())));
            }
        }

        history.sort(Comparator.comparingLong(Operation::invokeNs));

        return history;
    }

    /**
     * An OK read that can be made to read a value certainly overwritten before it began: the value of an OK write
     * that returned before an OK write of the same key that returned before the read was invoked.
     *
     * @return {read index, write index}, or null if there is none.
     */
    static int[] staleReadMutation(final List<Operation> history)
    {
        for (int r = history.size() - 1; r >= 0; r--)
        {
            final Operation read = history.get(r);
            if (!read.isRead() || Operation.Outcome.OK != read.outcome())
            {
                continue;
            }

            for (final Operation later : history)
            {
                if (isOkWriteOf(later, read.key()) && later.completeNs() < read.invokeNs())
                {
                    for (int w = 0; w < history.size(); w++)
                    {
                        final Operation earlier = history.get(w);
                        if (isOkWriteOf(earlier, read.key()) && earlier.completeNs() < later.invokeNs() &&
                            earlier.value() != read.value())
                        {
                            return new int[]{ r, w };
                        }
                    }
                }
            }
        }

        return null;
    }

    private static boolean isOkWriteOf(final Operation op, final long key)
    {
        return op.isWrite() && Operation.Outcome.OK == op.outcome() && op.key() == key;
    }
}
