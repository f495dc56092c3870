package lab.harness.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.agrona.collections.LongHashSet;

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
 * An {@link Operation.Outcome#INFO} write has a call entry but no return entry: it may be linearized anywhere after
 * its invoke, and the search succeeds once every OK operation is linearized, which covers "never". Failed writes,
 * failed or indeterminate reads, and indeterminate writes whose value no read returned are dropped before the search:
 * none of them can constrain a linearization (an unread write can always be left out).
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
    private static final int MAX_CONTEXT_OPERATIONS = 8;
    private static final int INITIAL_CAPACITY = 64;
    private static final Comparator<Operation> BY_KEY_THEN_INVOKE =
        Comparator.comparingLong(Operation::key).thenComparingLong(Operation::invokeNs);

    private final long stateBudget;
    private final StateCache cache = new StateCache();
    private final LongHashSet readValues = new LongHashSet();
    private final LongHashSet writtenValues = new LongHashSet();

    // Operations of the key being checked, indexed by id: OK ones in return order, then indeterminate writes.
    private Operation[] keyOperations = new Operation[INITIAL_CAPACITY];
    private long[] opValue = new long[INITIAL_CAPACITY];
    private boolean[] opIsWrite = new boolean[INITIAL_CAPACITY];
    private long[] opInvokeNs = new long[INITIAL_CAPACITY];
    private long[] opCompleteNs = new long[INITIAL_CAPACITY];

    // Scratch for ordering: kept operations in invoke order, and an index sort by completion time.
    private Operation[] byInvoke = new Operation[INITIAL_CAPACITY];
    private int[] idByInvoke = new int[INITIAL_CAPACITY];
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
    private long[] stackState = new long[INITIAL_CAPACITY];

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
    private long bestState;

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
        readValues.clear();
        for (int i = start; i < end; i++)
        {
            final Operation op = sorted[i];
            if (op.isRead() && Operation.Outcome.OK == op.outcome())
            {
                readValues.add(op.value());
            }
        }

        // Keep what can constrain: OK ops, and indeterminate writes some read may have observed.
        ensureCapacity(end - start);
        writtenValues.clear();
        int count = 0;
        int okCount = 0;
        for (int i = start; i < end; i++)
        {
            final Operation op = sorted[i];
            final boolean keep = Operation.Outcome.OK == op.outcome() ||
                (op.isWrite() && Operation.Outcome.INFO == op.outcome() && readValues.contains(op.value()));
            if (keep)
            {
                byInvoke[count++] = op;
                if (Operation.Outcome.OK == op.outcome())
                {
                    okCount++;
                }
                if (op.isWrite())
                {
                    writtenValues.add(op.value());
                }
            }
        }
        keyOperationCount = count;

        for (int i = 0; i < count; i++)
        {
            final Operation op = byInvoke[i];
            if (op.isRead() && Operation.NIL != op.value() && !writtenValues.contains(op.value()))
            {
                keyExplanation = explainValueNeverWritten(key, op, sorted, start, end);
                return Verdict.NOT_LINEARIZABLE;
            }
        }

        if (0 == okCount)
        {
            return Verdict.LINEARIZABLE;
        }

        assignIds(count, okCount);
        buildEntries(count, okCount);
        resetBits(count);
        cache.reset();

        final Verdict verdict = search(okCount);
        if (Verdict.NOT_LINEARIZABLE == verdict)
        {
            keyExplanation = explainSearchFailure(key, count);
        }
        else if (Verdict.UNKNOWN == verdict)
        {
            keyExplanation = "key " + key + ": unknown, gave up after exploring " + cache.size() +
                " states (budget " + stateBudget + ") of " + count + " operations; the deepest partial " +
                "linearization had " + Math.max(bestDepth, 0) + " operations";
        }

        return verdict;
    }

    /**
     * Ids put OK operations in return order and indeterminate writes after them, so that the linearized set is
     * mostly a prefix of ids and the memo can store it as a short window.
     */
    private void assignIds(final int count, final int okCount)
    {
        int ok = 0;
        int info = okCount;
        for (int i = 0; i < count; i++)
        {
            final Operation op = byInvoke[i];
            if (Operation.Outcome.OK == op.outcome())
            {
                order[ok] = i;
                sortKey[i] = Math.max(op.completeNs(), op.invokeNs());
                ok++;
            }
            else
            {
                idByInvoke[i] = info++;
            }
        }

        mergeSort(order, sortScratch, sortKey, 0, okCount);
        for (int id = 0; id < okCount; id++)
        {
            idByInvoke[order[id]] = id;
        }

        for (int i = 0; i < count; i++)
        {
            final Operation op = byInvoke[i];
            final int id = idByInvoke[i];
            keyOperations[id] = op;
            opValue[id] = op.value();
            opIsWrite[id] = op.isWrite();
            opInvokeNs[id] = op.invokeNs();
            opCompleteNs[id] = Operation.Outcome.OK == op.outcome() ?
                Math.max(op.completeNs(), op.invokeNs()) : Long.MAX_VALUE;
        }
    }

    /**
     * Merge calls (in invoke order) with returns (in id order, which is return order). At equal times calls go
     * first, so that operations that touch are treated as concurrent rather than wrongly ordered.
     */
    private void buildEntries(final int count, final int okCount)
    {
        int last = HEAD;
        int call = 0;
        int ret = 0;
        int entry = 1;

        while (call < count || ret < okCount)
        {
            final boolean takeCall = call < count &&
                (ret >= okCount || opInvokeNs[idByInvoke[call]] <= opCompleteNs[ret]);
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

    private Verdict search(final int okCount)
    {
        final StateCache cache = this.cache;
        final long stateBudget = this.stateBudget;
        final int[] next = this.next;
        final int[] entryOp = this.entryOp;
        final int[] match = this.match;
        final boolean[] entryIsReturn = this.entryIsReturn;
        final long[] opValue = this.opValue;
        final boolean[] opIsWrite = this.opIsWrite;

        int returnsRemaining = okCount;
        int depth = 0;
        long state = Operation.NIL;
        int entry = next[HEAD];
        bestDepth = -1;

        // Every entry before the cursor is a call entry, so while returns remain the cursor reaches one before the
        // end of the list.
        while (returnsRemaining > 0)
        {
            final int op = entryOp[entry];
            if (!entryIsReturn[entry])
            {
                final boolean isWrite = opIsWrite[op];
                if (isWrite || opValue[op] == state)
                {
                    final long newState = isWrite ? opValue[op] : state;
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
                }

                if (0 == depth)
                {
                    return Verdict.NOT_LINEARIZABLE;
                }

                depth--;
                final int top = stackEntry[depth];
                state = stackState[depth];
                clearBit(entryOp[top]);
                unlift(top);
                if (NONE != match[top])
                {
                    returnsRemaining++;
                }
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
            sb.append("with the register holding ").append(Operation.valueText(bestState));
        }
        else
        {
            sb.append("the longest partial linearization has ").append(bestDepth).append(" operations, ends with ")
                .append(keyOperations[bestLastOp].describe()).append(" and leaves the register holding ")
                .append(Operation.valueText(bestState));
        }
        sb.append(", then ").append(blocked.describe()).append(" cannot take effect before it returns");

        final List<Operation> concurrent = new ArrayList<>();
        final long blockedInvokeNs = opInvokeNs[bestBlockedOp];
        final long blockedCompleteNs = opCompleteNs[bestBlockedOp];
        for (int id = 0; id < count; id++)
        {
            if (id != bestBlockedOp && opInvokeNs[id] <= blockedCompleteNs && opCompleteNs[id] >= blockedInvokeNs)
            {
                concurrent.add(keyOperations[id]);
            }
        }
        concurrent.sort(Comparator.comparingLong(Operation::invokeNs));

        if (concurrent.isEmpty())
        {
            sb.append(". No operation is concurrent with it");
        }
        else
        {
            sb.append(". Concurrent with it:");
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

    private void ensureCapacity(final int count)
    {
        if (count <= keyOperations.length)
        {
            return;
        }

        final int capacity = Math.max(count, keyOperations.length * 2);
        keyOperations = new Operation[capacity];
        opValue = new long[capacity];
        opIsWrite = new boolean[capacity];
        opInvokeNs = new long[capacity];
        opCompleteNs = new long[capacity];
        byInvoke = new Operation[capacity];
        idByInvoke = new int[capacity];
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
        stackState = new long[capacity];
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
        private static final int MAX_ARENA = Integer.MAX_VALUE - 16;
        private static final long GOLDEN = 0x9E3779B97F4A7C15L;

        // Slot holds arena offset + 1; 0 is empty.
        private int[] slots = new int[INITIAL_SLOTS];
        private int[] slotHashes = new int[INITIAL_SLOTS];
        private int resizeThreshold = threshold(INITIAL_SLOTS);
        private int size;
        private long[] arena = new long[4 * INITIAL_SLOTS];
        private int arenaSize;

        void reset()
        {
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
            if (needed > arena.length && !growArena(needed))
            {
                return FULL;
            }
            if (size >= resizeThreshold && slots.length >= MAX_SLOTS)
            {
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
