package lab.harness.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.agrona.collections.Long2LongHashMap;

import lab.harness.check.CheckResult.Verdict;

/**
 * Checks that a history of reads and writes of registers is linearizable, in the manner of Knossos and Porcupine.
 * <p>
 * Registers are independent, so each key's sub-history is checked on its own: a history is linearizable iff every
 * key's is, and the search space stays per key rather than multiplying across keys. Each key is searched with the
 * Wing &amp; Gong algorithm over a doubly linked list of call and return entries, memoized as in Lowe's "Testing for
 * linearizability" (2017): a (set of linearized operations, register value) configuration already explored is never
 * explored again. Each key's search is bounded by a budget of configurations after which the verdict is
 * {@link Verdict#UNKNOWN}, as the problem is NP-complete and a pathological key must not hang a run.
 * <p>
 * Failed writes, failed or indeterminate reads, and indeterminate writes whose value no read returned are dropped
 * before the search: none of them can constrain a linearization (an unread write can always be left out). An
 * {@link Operation.Outcome#INFO} write whose value was read, and written by no other write, must be linearized before
 * the last read of it returns, so it gets a return entry there. Any other INFO write is optional: it has a call entry
 * but no return entry, so it may be linearized anywhere after its invoke, and the search succeeds once every
 * operation with a return entry is linearized, which covers "never".
 * <p>
 * Three sound prunings keep the search near linear on histories of unique write values, as workloads' write ids are:
 * values no read returned are one register state; an operation that leaves the register as it was (a matching read)
 * is never backtracked over to try alternatives, as it could have gone first anyway; and a write may not overwrite a
 * value that reads still need when no write left could restore it. Proving a history <em>not</em> linearizable still
 * takes an exhaustive search of what precedes the violation, which on one key with tens of concurrent clients can
 * exceed the budget.
 * <p>
 * Not thread-safe: the search reuses its arrays across keys and calls so that the inner loop does not allocate.
 */
public final class LinearizabilityChecker
{
    /**
     * Default bound on the configurations explored per key: a few hundred MB of memo at worst.
     */
    public static final long DEFAULT_STATE_BUDGET = 5_000_000;

    private static final int HEAD = 0;
    private static final int NONE = -1;
    private static final int DEAD_VALUE = 0;
    private static final int MAX_CONTEXT_OPERATIONS = 8;
    private static final int INITIAL_CAPACITY = 64;
    private static final Comparator<Operation> BY_KEY_THEN_INVOKE =
        Comparator.comparingLong(Operation::key).thenComparingLong(Operation::invokeNs);

    private final long stateBudget;
    private final StateCache cache = new StateCache();
    private final Long2LongHashMap lastReadNsByValue = new Long2LongHashMap(Long.MIN_VALUE);
    private final Long2LongHashMap writeCountByValue = new Long2LongHashMap(0);

    // Operations of the key being checked, indexed by id: those with a return entry in return order, then the rest.
    // opValue holds value numbers, not values.
    private Operation[] keyOperations = new Operation[INITIAL_CAPACITY];
    private int[] opValue = new int[INITIAL_CAPACITY];
    private boolean[] opIsWrite = new boolean[INITIAL_CAPACITY];
    private long[] opInvokeNs = new long[INITIAL_CAPACITY];
    private long[] opReturnNs = new long[INITIAL_CAPACITY];

    // Scratch for ordering: kept operations in invoke order, and an index sort by completion time.
    private Operation[] byInvoke = new Operation[INITIAL_CAPACITY];
    private int[] idByInvoke = new int[INITIAL_CAPACITY];
    private boolean[] hasReturn = new boolean[INITIAL_CAPACITY];
    private int[] order = new int[INITIAL_CAPACITY];
    private int[] callEntryOf = new int[INITIAL_CAPACITY];
    private int[] sortScratch = new int[INITIAL_CAPACITY];
    private long[] sortKey = new long[INITIAL_CAPACITY];

    // Entry list, entry 0 is the head sentinel; a call entry's match is its return entry or NONE.
    private int[] next = new int[2 * INITIAL_CAPACITY + 1];
    private int[] prev = new int[2 * INITIAL_CAPACITY + 1];
    private int[] entryOp = new int[2 * INITIAL_CAPACITY + 1];
    private int[] match = new int[2 * INITIAL_CAPACITY + 1];
    private boolean[] entryIsReturn = new boolean[2 * INITIAL_CAPACITY + 1];

    // The partial linearization: call entries lifted so far and the register value before each.
    private int[] stackEntry = new int[INITIAL_CAPACITY];
    private int[] stackState = new int[INITIAL_CAPACITY];

    // Values are numbered densely per key so the register and the counts below are small ints. The counts are of the
    // reads and writes of each value not yet linearized. Values no read returned share DEAD_VALUE: which of them the
    // register holds cannot matter to any read, so configurations that differ only in that are one.
    private final Long2LongHashMap valueNumbers = new Long2LongHashMap(NONE);
    private int valueCount;
    private int initialState;
    private long[] values = new long[INITIAL_CAPACITY + 1]; // by value number
    private int[] pendingReads = new int[INITIAL_CAPACITY + 1];
    private int[] pendingWrites = new int[INITIAL_CAPACITY + 1];

    // Linearized set. Words below fullWords are all ones and words above maxSetWord all zeros, so the memo stores
    // only the window between: ops that returned before the search front are always linearized.
    private long[] bits = new long[1];
    private int wordCount;
    private int fullWords;
    private int maxSetWord;

    // The deepest partial linearization reached, to explain a failure.
    private int bestDepth;
    private int bestBlockedOp;
    private int bestLastOp;
    private int bestState;
    private boolean bestBlockedStrandsReads;

    private long statesExplored;
    private int keyOperationCount;
    private String keyExplanation;

    public LinearizabilityChecker()
    {
        this(DEFAULT_STATE_BUDGET);
    }

    /**
     * @param stateBudgetPerKey configurations a key's search may explore before its verdict is unknown.
     */
    public LinearizabilityChecker(final long stateBudgetPerKey)
    {
        if (stateBudgetPerKey < 1)
        {
            throw new IllegalArgumentException("stateBudgetPerKey must be positive: " + stateBudgetPerKey);
        }
        this.stateBudget = stateBudgetPerKey;
    }

    public long stateBudgetPerKey()
    {
        return stateBudget;
    }

    /**
     * @return configurations explored by the last {@link #check(List)}, over all its keys.
     */
    public long statesExplored()
    {
        return statesExplored;
    }

    /**
     * Check a history key by key, in ascending key order, stopping at the first key that is not linearizable.
     *
     * @param history operations in any order, of any number of keys and processes.
     * @return {@link Verdict#NOT_LINEARIZABLE} for the first such key, else {@link Verdict#UNKNOWN} for the first key
     * whose search ran out of budget, else {@link Verdict#LINEARIZABLE}.
     */
    public CheckResult check(final List<Operation> history)
    {
        final Operation[] sorted = history.toArray(new Operation[0]);
        Arrays.sort(sorted, BY_KEY_THEN_INVOKE);
        statesExplored = 0;

        int checked = 0;
        int keys = 0;
        long unknownKey = CheckResult.NO_KEY;
        String unknownExplanation = null;

        for (int start = 0, end; start < sorted.length; start = end)
        {
            final long key = sorted[start].key();
            end = start + 1;
            while (end < sorted.length && sorted[end].key() == key)
            {
                end++;
            }

            final Verdict verdict = checkKey(key, sorted, start, end);
            checked += keyOperationCount;
            keys++;

            if (Verdict.NOT_LINEARIZABLE == verdict)
            {
                return new CheckResult(verdict, key, keyExplanation, checked);
            }

            if (Verdict.UNKNOWN == verdict && null == unknownExplanation)
            {
                unknownKey = key;
                unknownExplanation = keyExplanation;
            }
        }

        if (null != unknownExplanation)
        {
            return new CheckResult(Verdict.UNKNOWN, unknownKey, unknownExplanation, checked);
        }

        return new CheckResult(
            Verdict.LINEARIZABLE,
            CheckResult.NO_KEY,
            "linearizable: " + checked + " operations on " + keys + " keys, " + statesExplored + " states explored",
            checked);
    }

    private Verdict checkKey(final long key, final Operation[] sorted, final int start, final int end)
    {
        lastReadNsByValue.clear();
        for (int i = start; i < end; i++)
        {
            final Operation op = sorted[i];
            if (op.isRead() && Operation.Outcome.OK == op.outcome())
            {
                final long completeNs = Math.max(op.completeNs(), op.invokeNs());
                if (completeNs > lastReadNsByValue.get(op.value()))
                {
                    lastReadNsByValue.put(op.value(), completeNs);
                }
            }
        }

        // Keep what can constrain: OK operations, and indeterminate writes that some read may have observed.
        ensureCapacity(end - start);
        writeCountByValue.clear();
        int count = 0;
        for (int i = start; i < end; i++)
        {
            final Operation op = sorted[i];
            final boolean keep = Operation.Outcome.OK == op.outcome() || (op.isWrite() &&
                Operation.Outcome.INFO == op.outcome() && lastReadNsByValue.containsKey(op.value()));
            if (keep)
            {
                byInvoke[count++] = op;
                if (op.isWrite())
                {
                    writeCountByValue.put(op.value(), writeCountByValue.get(op.value()) + 1);
                }
            }
        }
        keyOperationCount = count;

        for (int i = 0; i < count; i++)
        {
            final Operation op = byInvoke[i];
            if (op.isRead() && Operation.NIL != op.value() && !writeCountByValue.containsKey(op.value()))
            {
                keyExplanation = explainValueNeverWritten(key, op, sorted, start, end);
                return Verdict.NOT_LINEARIZABLE;
            }
        }

        final int mandatoryCount = assignIds(count);
        if (0 == mandatoryCount)
        {
            return Verdict.LINEARIZABLE;
        }

        buildEntries(count, mandatoryCount);
        resetBits(count);
        cache.reset();

        final Verdict verdict = search(mandatoryCount);
        if (Verdict.NOT_LINEARIZABLE == verdict)
        {
            keyExplanation = explainSearchFailure(key, count);
        }
        else if (Verdict.UNKNOWN == verdict)
        {
            keyExplanation = "key " + key + ": unknown, gave up after exploring " + cache.size() + " states (budget " +
                stateBudget + ", " + (cache.isFull() ? "memo full" : "memo not full") + ") of " + count +
                " operations; the deepest partial linearization had " + Math.max(bestDepth, 0) + " operations";
        }

        return verdict;
    }

    /**
     * Ids put mandatory operations in return order and optional ones after them, so that the linearized set is
     * mostly a prefix of ids and the memo can store it as a short window.
     * <p>
     * An indeterminate write is mandatory when it alone wrote a value that reads returned: those reads can only be
     * linearized after it, so it must be linearized, and before the last of them returns. Giving it that return
     * keeps it out of the window; were it optional, every configuration would carry it until the search ends.
     *
     * @return the number of mandatory operations, which have ids 0 to that number less one.
     */
    private int assignIds(final int count)
    {
        int mandatoryCount = 0;
        for (int i = 0; i < count; i++)
        {
            final Operation op = byInvoke[i];
            if (Operation.Outcome.OK == op.outcome())
            {
                hasReturn[i] = true;
                sortKey[i] = Math.max(op.completeNs(), op.invokeNs());
            }
            else if (Operation.NIL != op.value() && 1 == writeCountByValue.get(op.value()))
            {
                hasReturn[i] = true;
                sortKey[i] = Math.max(lastReadNsByValue.get(op.value()), op.invokeNs());
            }
            else
            {
                hasReturn[i] = false;
                sortKey[i] = Long.MAX_VALUE;
            }

            if (hasReturn[i])
            {
                order[mandatoryCount++] = i;
            }
        }

        valueNumbers.clear();
        valueCount = DEAD_VALUE + 1;
        pendingReads[DEAD_VALUE] = 0;
        pendingWrites[DEAD_VALUE] = 0;
        initialState = numberValue(Operation.NIL);

        mergeSort(order, sortScratch, sortKey, 0, mandatoryCount);
        for (int id = 0; id < mandatoryCount; id++)
        {
            idByInvoke[order[id]] = id;
        }

        for (int i = 0, optionalId = mandatoryCount; i < count; i++)
        {
            if (!hasReturn[i])
            {
                idByInvoke[i] = optionalId++;
            }

            final Operation op = byInvoke[i];
            final int id = idByInvoke[i];
            keyOperations[id] = op;
            opValue[id] = numberValue(op.value());
            opIsWrite[id] = op.isWrite();
            if (op.isWrite())
            {
                pendingWrites[opValue[id]]++;
            }
            else
            {
                pendingReads[opValue[id]]++;
            }
            opInvokeNs[id] = op.invokeNs();
            opReturnNs[id] = sortKey[i];
        }

        return mandatoryCount;
    }

    private int numberValue(final long value)
    {
        if (!lastReadNsByValue.containsKey(value))
        {
            return DEAD_VALUE;
        }

        int number = (int)valueNumbers.get(value);
        if (NONE == number)
        {
            number = valueCount++;
            valueNumbers.put(value, number);
            values[number] = value;
            pendingReads[number] = 0;
            pendingWrites[number] = 0;
        }

        return number;
    }

    /**
     * Merge calls (in invoke order) with returns (in id order, which is return order). At equal times calls go
     * first, so that operations that touch are treated as concurrent rather than wrongly ordered.
     */
    private void buildEntries(final int count, final int mandatoryCount)
    {
        int last = HEAD;
        int call = 0;
        int ret = 0;
        int entry = 1;

        while (call < count || ret < mandatoryCount)
        {
            final boolean takeCall = call < count &&
                (ret >= mandatoryCount || opInvokeNs[idByInvoke[call]] <= opReturnNs[ret]);
            final int op;
            if (takeCall)
            {
                op = idByInvoke[call++];
                entryIsReturn[entry] = false;
                match[entry] = NONE;
                callEntryOf[op] = entry;
            }
            else
            {
                op = ret++;
                entryIsReturn[entry] = true;
                match[callEntryOf[op]] = entry;
            }

            entryOp[entry] = op;
            next[last] = entry;
            prev[entry] = last;
            last = entry;
            entry++;
        }

        next[last] = NONE;
    }

    private Verdict search(final int mandatoryCount)
    {
        final StateCache cache = this.cache;
        final long stateBudget = this.stateBudget;
        final int[] next = this.next;
        final int[] entryOp = this.entryOp;
        final int[] match = this.match;
        final boolean[] entryIsReturn = this.entryIsReturn;
        final int[] opValue = this.opValue;
        final boolean[] opIsWrite = this.opIsWrite;
        final int[] pendingReads = this.pendingReads;
        final int[] pendingWrites = this.pendingWrites;

        int returnsRemaining = mandatoryCount;
        int depth = 0;
        int state = initialState;
        int entry = next[HEAD];
        bestDepth = -1;

        // Every entry before the cursor is a call entry, so while returns remain the cursor reaches one before the
        // end of the list.
        while (returnsRemaining > 0)
        {
            final int op = entryOp[entry];
            if (!entryIsReturn[entry])
            {
                // Overwriting a value that reads still need, when no write left can restore it (a write of that same
                // value counts itself), strands those reads. Pruning that here, rather than failing far later, keeps a
                // write linearized too early from costing every configuration between it and those reads.
                final boolean isWrite = opIsWrite[op];
                final int value = opValue[op];
                final boolean possible = isWrite ?
                    0 == pendingReads[state] || 0 != pendingWrites[state] : value == state;
                if (possible)
                {
                    final int newState = value;
                    setBit(op);
                    final int added = cache.add(newState, bits, fullWords, windowEnd());
                    if (StateCache.ADDED == added)
                    {
                        statesExplored++;
                        if (cache.size() > stateBudget)
                        {
                            return Verdict.UNKNOWN;
                        }

                        stackEntry[depth] = entry;
                        stackState[depth] = state;
                        depth++;
                        state = newState;
                        lift(entry);
                        if (NONE != match[entry])
                        {
                            returnsRemaining--;
                        }
                        entry = next[HEAD];
                        continue;
                    }

                    clearBit(op);
                    if (StateCache.FULL == added)
                    {
                        return Verdict.UNKNOWN;
                    }
                }
                entry = next[entry];
            }
            else
            {
                if (depth > bestDepth)
                {
                    bestDepth = depth;
                    bestBlockedOp = op;
                    bestState = state;
                    bestLastOp = 0 == depth ? NONE : entryOp[stackEntry[depth - 1]];
                    bestBlockedStrandsReads = opIsWrite[op] && opValue[op] != state && 0 != pendingReads[state] &&
                        0 == pendingWrites[state];
                }

                // An operation that left the register as it was, when it was callable, could have gone first in any
                // linearization of the rest: a read that matched, or a write of a value no read returns over another
                // such value (the write after it, if any, hides the difference). So if no linearization followed it,
                // none exists without it either, and backtracking goes on past it rather than trying alternatives.
                int top;
                boolean leftRegisterAsItWas;
                do
                {
                    if (0 == depth)
                    {
                        return Verdict.NOT_LINEARIZABLE;
                    }

                    depth--;
                    top = stackEntry[depth];
                    state = stackState[depth];
                    final int topOp = entryOp[top];
                    clearBit(topOp);
                    unlift(top);
                    if (NONE != match[top])
                    {
                        returnsRemaining++;
                    }
                    leftRegisterAsItWas = !opIsWrite[topOp] || (DEAD_VALUE == opValue[topOp] && DEAD_VALUE == state);
                }
                while (leftRegisterAsItWas);

                entry = next[top];
            }
        }

        return Verdict.LINEARIZABLE;
    }

    private void lift(final int entry)
    {
        unlink(entry);
        final int ret = match[entry];
        if (NONE != ret)
        {
            unlink(ret);
        }

        final int op = entryOp[entry];
        if (opIsWrite[op])
        {
            pendingWrites[opValue[op]]--;
        }
        else
        {
            pendingReads[opValue[op]]--;
        }
    }

    private void unlift(final int entry)
    {
        // Dancing links: relink in the reverse order of unlinking.
        final int ret = match[entry];
        if (NONE != ret)
        {
            relink(ret);
        }
        relink(entry);

        final int op = entryOp[entry];
        if (opIsWrite[op])
        {
            pendingWrites[opValue[op]]++;
        }
        else
        {
            pendingReads[opValue[op]]++;
        }
    }

    private void unlink(final int entry)
    {
        final int after = next[entry];
        next[prev[entry]] = after;
        if (NONE != after)
        {
            prev[after] = prev[entry];
        }
    }

    private void relink(final int entry)
    {
        final int after = next[entry];
        next[prev[entry]] = entry;
        if (NONE != after)
        {
            prev[after] = entry;
        }
    }

    private void resetBits(final int count)
    {
        wordCount = (count + 63) >>> 6;
        if (bits.length < wordCount)
        {
            bits = new long[wordCount];
        }
        else
        {
            Arrays.fill(bits, 0, wordCount, 0L);
        }
        fullWords = 0;
        maxSetWord = -1;
    }

    private void setBit(final int op)
    {
        final int word = op >>> 6;
        bits[word] |= 1L << op;
        if (word > maxSetWord)
        {
            maxSetWord = word;
        }

        if (word == fullWords)
        {
            while (fullWords < wordCount && -1L == bits[fullWords])
            {
                fullWords++;
            }
        }
    }

    private void clearBit(final int op)
    {
        final int word = op >>> 6;
        bits[word] &= ~(1L << op);
        if (word < fullWords)
        {
            fullWords = word;
        }

        if (word == maxSetWord)
        {
            while (maxSetWord >= 0 && 0L == bits[maxSetWord])
            {
                maxSetWord--;
            }
        }
    }

    private int windowEnd()
    {
        return maxSetWord >= fullWords ? maxSetWord + 1 : fullWords;
    }

    private String explainValueNeverWritten(
        final long key, final Operation read, final Operation[] sorted, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final Operation op = sorted[i];
            if (op.isWrite() && Operation.Outcome.FAIL == op.outcome() && op.value() == read.value())
            {
                return "key " + key + " is not linearizable: " + read.describe() +
                    " read a value only written by a write that failed: " + op.describe();
            }
        }

        return "key " + key + " is not linearizable: " + read.describe() + " read a value no write of key " + key +
            " wrote";
    }

    private String explainSearchFailure(final long key, final int count)
    {
        final Operation blocked = keyOperations[bestBlockedOp];
        final StringBuilder sb = new StringBuilder(512)
            .append("key ").append(key).append(" is not linearizable (").append(count).append(" operations): ");

        if (NONE == bestLastOp)
        {
            sb.append("with the register holding ").append(registerText(bestState));
        }
        else
        {
            sb.append("the longest partial linearization has ").append(bestDepth).append(" operations, ends with ")
                .append(keyOperations[bestLastOp].describe()).append(" and leaves the register holding ")
                .append(registerText(bestState));
        }
        sb.append("; then ").append(blocked.describe()).append(" cannot take effect before it returns");
        if (bestBlockedStrandsReads)
        {
            appendStrandedReads(sb, count, blocked);
        }

        final List<Operation> concurrent = new ArrayList<>();
        final long blockedInvokeNs = opInvokeNs[bestBlockedOp];
        final long blockedCompleteNs = latestEffectNs(blocked);
        for (int id = 0; id < count; id++)
        {
            if (id != bestBlockedOp && opInvokeNs[id] <= blockedCompleteNs &&
                latestEffectNs(keyOperations[id]) >= blockedInvokeNs)
            {
                concurrent.add(keyOperations[id]);
            }
        }
        concurrent.sort(Comparator.comparingLong(Operation::invokeNs));

        if (concurrent.isEmpty())
        {
            sb.append("\nNo operation is concurrent with it");
        }
        else
        {
            sb.append("\nConcurrent with it:");
            for (int i = 0, n = Math.min(concurrent.size(), MAX_CONTEXT_OPERATIONS); i < n; i++)
            {
                sb.append("\n  ").append(concurrent.get(i).describe());
            }
            if (concurrent.size() > MAX_CONTEXT_OPERATIONS)
            {
                sb.append("\n  and ").append(concurrent.size() - MAX_CONTEXT_OPERATIONS).append(" more");
            }
        }

        return sb.toString();
    }

    /**
     * The blocked write would overwrite a value that reads still had to return: name the reads that began after the
     * write returned, as they show it most plainly, else those that ended after it began.
     */
    private void appendStrandedReads(final StringBuilder sb, final int count, final Operation blocked)
    {
        final long value = values[bestState];
        sb.append(": it would overwrite ").append(Operation.valueText(value))
            .append(", which no write left can restore, while reads of it remain:");

        int named = 0;
        for (int pass = 0; pass < 2 && 0 == named; pass++)
        {
            for (int id = 0; id < count && named < MAX_CONTEXT_OPERATIONS; id++)
            {
                final Operation op = keyOperations[id];
                final boolean after = 0 == pass ?
                    op.invokeNs() > latestEffectNs(blocked) : latestEffectNs(op) >= blocked.invokeNs();
                if (op.isRead() && op.value() == value && after)
                {
                    sb.append("\n  ").append(op.describe());
                    named++;
                }
            }
        }
    }

    private String registerText(final int state)
    {
        return DEAD_VALUE == state ? "a value no read returned" : Operation.valueText(values[state]);
    }

    private static long latestEffectNs(final Operation op)
    {
        return Operation.Outcome.OK == op.outcome() ? Math.max(op.completeNs(), op.invokeNs()) : Long.MAX_VALUE;
    }

    private void ensureCapacity(final int count)
    {
        if (count <= keyOperations.length)
        {
            return;
        }

        final int capacity = Math.max(count, keyOperations.length * 2);
        keyOperations = new Operation[capacity];
        opValue = new int[capacity];
        opIsWrite = new boolean[capacity];
        opInvokeNs = new long[capacity];
        opReturnNs = new long[capacity];
        byInvoke = new Operation[capacity];
        idByInvoke = new int[capacity];
        hasReturn = new boolean[capacity];
        order = new int[capacity];
        callEntryOf = new int[capacity];
        sortScratch = new int[capacity];
        sortKey = new long[capacity];
        next = new int[2 * capacity + 1];
        prev = new int[2 * capacity + 1];
        entryOp = new int[2 * capacity + 1];
        match = new int[2 * capacity + 1];
        entryIsReturn = new boolean[2 * capacity + 1];
        stackEntry = new int[capacity];
        stackState = new int[capacity];
        values = new long[capacity + 1];
        pendingReads = new int[capacity + 1];
        pendingWrites = new int[capacity + 1];
    }

    /**
     * Stable sort of {@code indices[from, to)} by {@code key[index]}, without boxing.
     */
    private static void mergeSort(
        final int[] indices, final int[] scratch, final long[] key, final int from, final int to)
    {
        if (to - from <= 16)
        {
            for (int i = from + 1; i < to; i++)
            {
                final int index = indices[i];
                int j = i - 1;
                while (j >= from && key[indices[j]] > key[index])
                {
                    indices[j + 1] = indices[j];
                    j--;
                }
                indices[j + 1] = index;
            }
            return;
        }

        final int mid = (from + to) >>> 1;
        mergeSort(indices, scratch, key, from, mid);
        mergeSort(indices, scratch, key, mid, to);
        if (key[indices[mid - 1]] <= key[indices[mid]])
        {
            return;
        }

        System.arraycopy(indices, from, scratch, from, to - from);
        for (int i = from, left = from, right = mid; i < to; i++)
        {
            if (right >= to || (left < mid && key[scratch[left]] <= key[scratch[right]]))
            {
                indices[i] = scratch[left++];
            }
            else
            {
                indices[i] = scratch[right++];
            }
        }
    }

    /**
     * Memo of explored configurations: open addressing over entries packed in one long array, each
     * {@code [register value, fullWords << 32 | window length, window words...]}, so that millions of states cost
     * no objects.
     */
    static final class StateCache
    {
        static final int ADDED = 1;
        static final int PRESENT = 0;
        static final int FULL = -1;

        private static final int INITIAL_SLOTS = 1024;
        private static final int SHRINK_ABOVE_SLOTS = 1 << 16;
        private static final int MAX_SLOTS = 1 << 30;
        // 512 MiB: the budget, not the heap, should be what stops a search; a wide window must not exhaust memory.
        private static final int MAX_ARENA = 1 << 26;
        private static final long GOLDEN = 0x9E3779B97F4A7C15L;

        // Slot holds arena offset + 1; 0 is empty.
        private int[] slots = new int[INITIAL_SLOTS];
        private int[] slotHashes = new int[INITIAL_SLOTS];
        private int resizeThreshold = threshold(INITIAL_SLOTS);
        private int size;
        private long[] arena = new long[4 * INITIAL_SLOTS];
        private int arenaSize;
        private boolean full;

        void reset()
        {
            full = false;
            if (slots.length > SHRINK_ABOVE_SLOTS)
            {
                // Let a huge memo from one hard key go rather than pin it, and clearing it, for every later key.
                slots = new int[INITIAL_SLOTS];
                slotHashes = new int[INITIAL_SLOTS];
                resizeThreshold = threshold(INITIAL_SLOTS);
                arena = new long[4 * INITIAL_SLOTS];
            }
            else if (size > 0)
            {
                Arrays.fill(slots, 0);
            }
            size = 0;
            arenaSize = 0;
        }

        int size()
        {
            return size;
        }

        boolean isFull()
        {
            return full;
        }

        int add(final long state, final long[] words, final int fullWords, final int windowEnd)
        {
            final int length = windowEnd - fullWords;
            final int hash = hash(state, words, fullWords, windowEnd);
            final int mask = slots.length - 1;
            int slot = hash & mask;
            int occupant;
            while (0 != (occupant = slots[slot]))
            {
                if (slotHashes[slot] == hash && matches(occupant - 1, state, words, fullWords, windowEnd))
                {
                    return PRESENT;
                }
                slot = (slot + 1) & mask;
            }

            final long needed = (long)arenaSize + 2 + length;
            if ((needed > arena.length && !growArena(needed)) || (size >= resizeThreshold && slots.length >= MAX_SLOTS))
            {
                full = true;
                return FULL;
            }

            final int offset = arenaSize;
            arena[offset] = state;
            arena[offset + 1] = ((long)fullWords << 32) | length;
            System.arraycopy(words, fullWords, arena, offset + 2, length);
            arenaSize = (int)needed;

            slots[slot] = offset + 1;
            slotHashes[slot] = hash;
            if (++size > resizeThreshold)
            {
                growSlots();
            }

            return ADDED;
        }

        private boolean matches(
            final int offset, final long state, final long[] words, final int fullWords, final int windowEnd)
        {
            final long[] arena = this.arena;
            if (arena[offset] != state || arena[offset + 1] != (((long)fullWords << 32) | (windowEnd - fullWords)))
            {
                return false;
            }

            for (int i = fullWords, j = offset + 2; i < windowEnd; i++, j++)
            {
                if (arena[j] != words[i])
                {
                    return false;
                }
            }

            return true;
        }

        private boolean growArena(final long needed)
        {
            if (needed > MAX_ARENA)
            {
                return false;
            }

            final long doubled = Math.min(MAX_ARENA, 2L * arena.length);
            arena = Arrays.copyOf(arena, (int)Math.max(needed, doubled));
            return true;
        }

        private void growSlots()
        {
            if (slots.length >= MAX_SLOTS)
            {
                return;
            }

            final int capacity = slots.length << 1;
            final int mask = capacity - 1;
            final int[] newSlots = new int[capacity];
            final int[] newHashes = new int[capacity];
            for (int i = 0; i < slots.length; i++)
            {
                final int occupant = slots[i];
                if (0 != occupant)
                {
                    int slot = slotHashes[i] & mask;
                    while (0 != newSlots[slot])
                    {
                        slot = (slot + 1) & mask;
                    }
                    newSlots[slot] = occupant;
                    newHashes[slot] = slotHashes[i];
                }
            }

            slots = newSlots;
            slotHashes = newHashes;
            resizeThreshold = threshold(capacity);
        }

        private static int threshold(final int capacity)
        {
            return (int)(capacity * 0.7);
        }

        private static int hash(final long state, final long[] words, final int fullWords, final int windowEnd)
        {
            long h = (state * GOLDEN) ^ fullWords;
            for (int i = fullWords; i < windowEnd; i++)
            {
                h = Long.rotateLeft(h, 23) ^ words[i];
                h *= GOLDEN;
            }

            // MurmurHash3 finaliser: the low bits pick the slot, so every input bit must reach them.
            h ^= h >>> 33;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            h *= 0xC4CEB9FE1A85EC53L;
            h ^= h >>> 33;

            return (int)h;
        }
    }
}
