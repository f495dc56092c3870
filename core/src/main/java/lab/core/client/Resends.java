package lab.core.client;

/**
 * When each of a client's operations is sent again, one slot per operation in flight. After a send the slot waits
 * {@link ClientPolicy#retryNs()} for an answer; when turned away it waits a backoff
 * ({@link ClientPolicy#backoffNs(int)}) instead. When the wait is over ({@link #due}), {@link #timedOut} tells which
 * of the two ended: a timeout (the target is then suspected, the client may move on) or a backoff (ask again).
 * {@link #attempts} counts how often the operation was moved to another target, which a client picking by key
 * uses as the offset into the key's replicas. Primitive arrays only: nothing is allocated after construction.
 */
public final class Resends
{
    private final ClientPolicy policy;
    private final long[] resendAtNs;
    private final boolean[] backingOff;
    private final int[] attempts;
    private final int[] turnedAwayInARow;
    private final int[] target;

    public Resends(final ClientPolicy policy, final int slots)
    {
        this.policy = policy;
        resendAtNs = new long[slots];
        backingOff = new boolean[slots];
        attempts = new int[slots];
        turnedAwayInARow = new int[slots];
        target = new int[slots];
    }

    /**
     * A new operation starts in the slot: no attempts, no turn-aways yet.
     */
    public void start(final int slot)
    {
        attempts[slot] = 0;
        turnedAwayInARow[slot] = 0;
    }

    /**
     * The operation was sent to {@code to} at {@code nowNs}: wait for its answer until the retry timeout.
     */
    public void sent(final int slot, final int to, final long nowNs)
    {
        target[slot] = to;
        backingOff[slot] = false;
        resendAtNs[slot] = nowNs + policy.retryNs();
    }

    /**
     * A replica turned the operation away without a usable hint ({@code UNAVAILABLE}, or a {@code REDIRECT} naming
     * no other replica): ask again after a backoff, longer for each turn-away in a row.
     */
    public void turnedAway(final int slot, final long nowNs)
    {
        backingOff[slot] = true;
        turnedAwayInARow[slot]++;
        resendAtNs[slot] = nowNs + policy.backoffNs(turnedAwayInARow[slot]);
    }

    /**
     * The operation moves to another target (a redirect with a hint, or after a timeout): the next turn-away starts
     * the backoff again from its shortest.
     */
    public void moved(final int slot)
    {
        attempts[slot]++;
        turnedAwayInARow[slot] = 0;
    }

    /**
     * A redirect the client does not follow at once (it has been round its replicas): the slot is resent when the
     * retry timeout of its last send comes round, as after a timeout.
     */
    public void waitForTimeout(final int slot)
    {
        backingOff[slot] = false;
    }

    public boolean due(final int slot, final long nowNs)
    {
        return nowNs >= resendAtNs[slot];
    }

    /**
     * @return whether the wait that is due was for an answer (a timeout of {@link #target}) rather than a backoff.
     */
    public boolean timedOut(final int slot)
    {
        return !backingOff[slot];
    }

    public int attempts(final int slot)
    {
        return attempts[slot];
    }

    /**
     * @return the replica the slot's operation was last sent to.
     */
    public int target(final int slot)
    {
        return target[slot];
    }

    public long resendAtNs(final int slot)
    {
        return resendAtNs[slot];
    }
}
