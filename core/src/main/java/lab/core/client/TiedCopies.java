package lab.core.client;

import org.agrona.collections.Long2LongHashMap;

/**
 * The replica side of tied requests ({@link TiedReads}): which tied read copies this replica has started and which
 * its peers have cancelled, in one small bounded table shared by every protocol whose reads can be tied.
 *
 * <p>A copy is named by (origin, clientId, seq): the node that sent it (the client, or the quorum store's
 * coordinator), the client session and its sequence number; the origin keeps two coordinators' reads of one client
 * operation apart. The rules, in the order a replica meets them:
 * <ol>
 *   <li>a tied copy arrives: if its peer's cancel came first, {@link #admit} says drop it (counted: copies dropped);</li>
 *   <li>the replica starts serving it (its handler takes the request and will answer, not turn it away):
 *   {@link #started} records it and says whether to send the peer a cancel, once per copy (counted: cancels
 *   sent);</li>
 *   <li>a cancel arrives: for a copy not started yet it is remembered; for one started already both replicas serve
 *   the read, because the two cancels crossed (counted once per pair, by the replica with the lower node id).</li>
 * </ol>
 * The table holds the latest {@code capacity} copies in a ring and evicts the oldest first, so what it forgets
 * depends only on the order of its inputs (deterministic in the simulator). A cancel evicted before its copy arrived
 * is counted ({@link #cancelsEvicted()}): that copy is then served needlessly, which costs work, never correctness.
 * Dropping a copy is always safe for the reader: its peer started serving it.
 *
 * <p>No allocation after construction: the index is a primitive hash map sized never to grow, and the entries live
 * in parallel arrays. Two copies whose names hash alike share an index slot; the later one wins it and the earlier
 * one is forgotten, as if evicted.
 */
public final class TiedCopies
{
    /** Copies remembered by default: far more than the reads in flight at one replica in any lab run. */
    public static final int DEFAULT_CAPACITY = 4096;

    /** Counter names, as replicas report them; summed over replicas into the run's {@code tied} figures. */
    public static final String CANCELS_SENT = "tied_cancels_sent";
    public static final String COPIES_DROPPED = "tied_copies_dropped";
    public static final String BOTH_SERVED = "tied_both_served";
    public static final String CANCELS_EVICTED = "tied_cancels_evicted";

    private static final byte EMPTY = 0;
    private static final byte STARTED = 1;
    private static final byte CANCELLED = 2;
    private static final byte DROPPED = 3;
    private static final long NONE = -1;

    private final int self;
    private final int[] origin;
    private final long[] clientId;
    private final long[] seq;
    private final byte[] state;
    private final Long2LongHashMap index;
    private int next;

    private long cancelsSent;
    private long copiesDropped;
    private long bothServed;
    private long cancelsEvicted;

    /**
     * @param self     this replica's node id (the lower id of a pair counts a both-served read).
     * @param capacity copies remembered at once; the oldest is evicted first.
     */
    public TiedCopies(final int self, final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.self = self;
        origin = new int[capacity];
        clientId = new long[capacity];
        seq = new long[capacity];
        state = new byte[capacity];
        // A load factor of 0.5 and room for twice the entries: never resized, so never allocates after this.
        index = new Long2LongHashMap(4 * capacity, 0.5f, NONE);
    }

    public TiedCopies(final int self)
    {
        this(self, DEFAULT_CAPACITY);
    }

    /**
     * A tied copy arrived.
     *
     * @return false to drop it: its peer started serving the read first and cancelled this copy.
     */
    public boolean admit(final int from, final long clientId, final long seq)
    {
        final int i = find(from, clientId, seq);
        if (i >= 0 && (state[i] == CANCELLED || state[i] == DROPPED))
        {
            state[i] = DROPPED;
            copiesDropped++;
            return false;
        }
        return true;
    }

    /**
     * This replica starts serving an admitted tied copy.
     *
     * @return true to send the copy's tied peer a cancel now (false: this copy was started before, its cancel sent).
     */
    public boolean started(final int from, final long clientId, final long seq)
    {
        final int i = find(from, clientId, seq);
        if (i >= 0)
        {
            return false; // a repeated copy of one already started
        }
        insert(from, clientId, seq, STARTED);
        cancelsSent++;
        return true;
    }

    /**
     * The tied peer {@code peer} started its copy of the read (origin, clientId, seq) and cancels this one.
     */
    public void onCancel(final int peer, final int from, final long clientId, final long seq)
    {
        final int i = find(from, clientId, seq);
        if (i < 0)
        {
            insert(from, clientId, seq, CANCELLED);
        }
        else if (state[i] == STARTED && self < peer)
        {
            bothServed++; // the cancels crossed: each replica started before it heard of the other
        }
    }

    public long cancelsSent()
    {
        return cancelsSent;
    }

    public long copiesDropped()
    {
        return copiesDropped;
    }

    /**
     * @return reads both of whose copies were served (counted by the lower node id of the pair).
     */
    public long bothServed()
    {
        return bothServed;
    }

    /**
     * @return cancels forgotten before the copy they cancel arrived (it is then served).
     */
    public long cancelsEvicted()
    {
        return cancelsEvicted;
    }

    /**
     * Adds this table's counters to a replica's counters under {@link #CANCELS_SENT} and the other names.
     */
    public void addCounters(final java.util.Map<String, Long> counters)
    {
        counters.put(CANCELS_SENT, cancelsSent);
        counters.put(COPIES_DROPPED, copiesDropped);
        counters.put(BOTH_SERVED, bothServed);
        counters.put(CANCELS_EVICTED, cancelsEvicted);
    }

    private static long hash(final int from, final long clientId, final long seq)
    {
        long h = clientId * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 29) ^ seq) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ from) * 0x94D049BB133111EBL;
        return h ^ (h >>> 32);
    }

    private int find(final int from, final long clientId, final long seq)
    {
        final long i = index.get(hash(from, clientId, seq));
        if (i == NONE)
        {
            return -1;
        }
        final int slot = (int)i;
        return origin[slot] == from && this.clientId[slot] == clientId && this.seq[slot] == seq ? slot : -1;
    }

    private void insert(final int from, final long clientId, final long seq, final byte newState)
    {
        final int slot = next;
        next = next + 1 == state.length ? 0 : next + 1;
        if (state[slot] != EMPTY)
        {
            if (state[slot] == CANCELLED)
            {
                cancelsEvicted++;
            }
            final long oldKey = hash(origin[slot], this.clientId[slot], this.seq[slot]);
            if (index.get(oldKey) == slot)
            {
                index.remove(oldKey);
            }
        }
        origin[slot] = from;
        this.clientId[slot] = clientId;
        this.seq[slot] = seq;
        state[slot] = newState;
        index.put(hash(from, clientId, seq), slot);
    }
}
