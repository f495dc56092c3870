package lab.core.quorum;

/**
 * What a majority of voters has acknowledged (etcd's {@code quorum/majority.go}, and the lease arithmetic of its
 * {@code read_only.go}). Each voter has one value: the highest log index it stored, the send time of the latest
 * heartbeat it answered, the latest read round it confirmed. The majority's value, the {@code (N/2+1)}-th largest,
 * is the highest value that at least a majority of voters has reached: the commit index, the start of a lease, the
 * confirmed round.
 *
 * <p>The tracker holds the values itself (one {@code long} per voter, preallocated) and computes the majority's
 * value by copying them into a second preallocated array and sorting it (insertion sort: N is a handful of
 * replicas), so a call allocates nothing. One instance per value tracked, used on the owner's thread only.
 *
 * <p>Voters are numbered {@code 0 .. N-1}; the caller includes itself (a leader's own log counts towards the
 * commit, its own clock towards the lease).
 */
public final class MajorityTracker
{
    private final int voters;
    private final int majority;
    private final long[] values;
    private final long[] sorted;

    /**
     * @param voters N, at least 1. Every value starts at {@code initial}.
     */
    public MajorityTracker(final int voters, final long initial)
    {
        if (voters < 1)
        {
            throw new IllegalArgumentException("voters must be >= 1, got " + voters);
        }
        this.voters = voters;
        this.majority = majority(voters);
        this.values = new long[voters];
        this.sorted = new long[voters];
        reset(initial);
    }

    /**
     * @return the size of a majority of {@code voters}: {@code voters / 2 + 1} (2 of 3, 3 of 4, 3 of 5, 1 of 1).
     */
    public static int majority(final int voters)
    {
        return voters / 2 + 1;
    }

    public int voters()
    {
        return voters;
    }

    public int majority()
    {
        return majority;
    }

    /**
     * Every voter's value back to {@code value} (e.g. a new leader knows nothing of what its followers hold).
     */
    public void reset(final long value)
    {
        java.util.Arrays.fill(values, value);
    }

    /**
     * Sets a voter's value, lower or higher than before (a value the caller already made monotonic, or one it
     * knows went back).
     */
    public void set(final int voter, final long value)
    {
        values[voter] = value;
    }

    /**
     * Raises a voter's value to {@code value} if that is higher: a duplicate or reordered acknowledgement of
     * something older never takes the voter back.
     *
     * @return whether the value rose.
     */
    public boolean advance(final int voter, final long value)
    {
        if (value > values[voter])
        {
            values[voter] = value;
            return true;
        }
        return false;
    }

    public long value(final int voter)
    {
        return values[voter];
    }

    /**
     * @return the highest value at least a majority of voters has reached: the {@code majority()}-th largest.
     * With N = 1 it is the one voter's value; with an even N it needs more than half (2 of 2, 3 of 4), so a tie
     * between two halves is resolved towards the lower half's value.
     */
    public long quorumValue()
    {
        final long[] s = sorted;
        for (int i = 0; i < voters; i++)
        {
            final long v = values[i];
            int j = i - 1;
            while (j >= 0 && s[j] < v)
            {
                s[j + 1] = s[j];
                j--;
            }
            s[j + 1] = v;
        }
        return s[majority - 1];
    }

    /**
     * @return whether at least a majority of voters has a value above {@code threshold} (etcd's QuorumActive when
     * the values are the times each voter was last heard from).
     */
    public boolean majorityAbove(final long threshold)
    {
        int count = 0;
        for (int i = 0; i < voters; i++)
        {
            if (values[i] > threshold)
            {
                count++;
            }
        }
        return count >= majority;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Leases

    /**
     * When a lease ends. A leader that sent a heartbeat at its own time {@code startNs}, and had it acknowledged by
     * a majority, knows no other leader can be elected before {@code startNs + leaseDurationNs} on the voters'
     * clocks (each voter promised not to vote for {@code leaseDurationNs} after hearing from it, and heard no
     * earlier than the send); clocks may drift apart by up to {@code driftNs} over that span, so the leader counts
     * on its own clock only until {@code startNs + leaseDurationNs - driftNs}.
     */
    public static long leaseExpiry(final long startNs, final long leaseDurationNs, final long driftNs)
    {
        return startNs + leaseDurationNs - driftNs;
    }

    /**
     * @return whether a lease started at {@code startNs} still holds at {@code nowNs}: strictly before its expiry
     * ({@link #leaseExpiry}); at the expiry instant it no longer does.
     */
    public static boolean leaseHolds(final long startNs, final long leaseDurationNs, final long driftNs,
        final long nowNs)
    {
        return nowNs < leaseExpiry(startNs, leaseDurationNs, driftNs);
    }

    /**
     * The lease this tracker's values give, when they are the send times of the latest heartbeats each voter
     * acknowledged (the caller's own value its current time: it hears itself at once).
     */
    public boolean leaseHolds(final long leaseDurationNs, final long driftNs, final long nowNs)
    {
        return leaseHolds(quorumValue(), leaseDurationNs, driftNs, nowNs);
    }
}
