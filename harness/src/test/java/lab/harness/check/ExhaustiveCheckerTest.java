package lab.harness.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import lab.harness.check.CheckResult.Verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares the checker with a brute-force reading of the definition on small random histories, linearizable or not:
 * some subset of the indeterminate operations, with every OK operation, is put in some order that respects real time
 * (an operation that returned before another was invoked goes first) and in which every OK read returns what the
 * last write before it wrote.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExhaustiveCheckerTest
{
    private static final int SEEDS = 50_000;

    @Test
    void shouldAgreeWithExhaustiveSearchOnSmallRandomHistoriesOfMostlyDistinctWrites()
    {
        assertAgreesWithExhaustiveSearch(false);
    }

    @Test
    void shouldAgreeWithExhaustiveSearchOnSmallRandomHistoriesOfRepeatedWrites()
    {
        assertAgreesWithExhaustiveSearch(true);
    }

    private static void assertAgreesWithExhaustiveSearch(final boolean repeatedValues)
    {
        final LinearizabilityChecker checker = new LinearizabilityChecker();
        int linearizable = 0;
        for (int i = 0; i < SEEDS; i++)
        {
            final long seed = i;
            final List<Operation> history = randomHistory(new Random(seed), repeatedValues);

            final boolean expected = isLinearizable(history);
            final CheckResult result = checker.check(history);

            assertEquals(
                expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE,
                result.verdict(),
                () -> "seed " + seed + ": " + result.explanation() + "\n" + describe(history));
            linearizable += expected ? 1 : 0;
        }

        assertTrue(linearizable > SEEDS / 5 && linearizable < SEEDS * 4 / 5, "unbalanced sample: " + linearizable);
    }

    private static List<Operation> randomHistory(final Random random, final boolean repeatedValues)
    {
        final int processes = 1 + random.nextInt(3);
        final int count = 1 + random.nextInt(10);
        final long[] clockNs = new long[processes];
        final List<Operation> history = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int process = random.nextInt(processes);
            final long invokeNs = clockNs[process] + random.nextInt(6);
            final long completeNs = invokeNs + random.nextInt(12);
            clockNs[process] = completeNs + random.nextInt(2);

            final int roll = random.nextInt(10);
            final Operation.Outcome outcome = roll < 1 ? Operation.Outcome.FAIL :
                roll < 3 ? Operation.Outcome.INFO : Operation.Outcome.OK;
            final boolean write = random.nextBoolean();
            final long key = random.nextInt(10) == 0 ? 2 : 1;

            // Mostly distinct written values, as the workload's write ids are, with the odd repeat and nil write;
            // or a few values written over and over, where which write a read saw is ambiguous.
            final long value;
            if (repeatedValues)
            {
                value = random.nextInt(3);
            }
            else if (write)
            {
                value = random.nextInt(4) == 0 ? random.nextInt(3) : 10 + i;
            }
            else
            {
                value = random.nextInt(4) == 0 ? random.nextInt(3) : 10 + random.nextInt(count);
            }
            final Operation.Kind kind = write ? Operation.Kind.WRITE : Operation.Kind.READ;
            history.add(new Operation(process, kind, key, value, invokeNs, completeNs, outcome));
        }

        return history;
    }

    private static boolean isLinearizable(final List<Operation> history)
    {
        for (final long key : new long[]{ 1, 2 })
        {
            final List<Operation> ops = new ArrayList<>();
            for (final Operation op : history)
            {
                if (op.key() == key && op.constrains())
                {
                    ops.add(op);
                }
            }

            if (!anySubsetLinearizes(ops))
            {
                return false;
            }
        }

        return true;
    }

    private static boolean anySubsetLinearizes(final List<Operation> ops)
    {
        final int n = ops.size();
        int optional = 0;
        for (int i = 0; i < n; i++)
        {
            optional |= Operation.Outcome.INFO == ops.get(i).outcome() ? 1 << i : 0;
        }

        // Every subset of the optional operations, left out.
        for (int leftOut = optional; ; leftOut = (leftOut - 1) & optional)
        {
            if (linearizes(ops, ((1 << n) - 1) & ~leftOut, Operation.NIL, new HashSet<>()))
            {
                return true;
            }
            if (0 == leftOut)
            {
                return false;
            }
        }
    }

    private static boolean linearizes(
        final List<Operation> ops, final int remaining, final long state, final Set<Long> failed)
    {
        if (0 == remaining)
        {
            return true;
        }
        if (!failed.add(((long)remaining << 32) ^ state))
        {
            return false;
        }

        for (int i = 0; i < ops.size(); i++)
        {
            final Operation op = ops.get(i);
            if (0 == (remaining & (1 << i)) || mustFollowAnother(ops, remaining, op))
            {
                continue;
            }
            if (op.isRead() && op.value() != state)
            {
                continue;
            }
            if (linearizes(ops, remaining & ~(1 << i), op.isWrite() ? op.value() : state, failed))
            {
                return true;
            }
        }

        return false;
    }

    private static boolean mustFollowAnother(final List<Operation> ops, final int remaining, final Operation op)
    {
        for (int j = 0; j < ops.size(); j++)
        {
            final Operation other = ops.get(j);
            if (0 != (remaining & (1 << j)) && Operation.Outcome.OK == other.outcome() &&
                other.completeNs() < op.invokeNs())
            {
                return true;
            }
        }

        return false;
    }

    private static String describe(final List<Operation> history)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Operation op : history)
        {
            sb.append(op.describe()).append('\n');
        }

        return sb.toString();
    }
}
