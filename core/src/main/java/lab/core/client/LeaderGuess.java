package lab.core.client;

/**
 * Which replica a leader-based client (primary-backup's primary, Raft's leader) sends to: the one a {@code REDIRECT}
 * named, and when the guess goes silent, the next replica round the ring. A wrong guess costs one redirect; no
 * guess at all, one timeout per replica tried.
 */
public final class LeaderGuess
{
    private final int replicas;
    private int leader;

    public LeaderGuess(final int replicas)
    {
        this.replicas = replicas;
    }

    public int leader()
    {
        return leader;
    }

    /**
     * @return whether a {@code REDIRECT} from {@code fromNode} names a replica worth going to: a replica, and not the
     * one that turned the operation away (that would only be turned away again).
     */
    public static boolean usableHint(final int hint, final int fromNode, final int replicas)
    {
        return hint >= 0 && hint < replicas && hint != fromNode;
    }

    /**
     * A replica named {@code hint} as the one to ask: believe it (it knows more than this client does).
     */
    public void redirected(final int hint)
    {
        leader = hint;
    }

    /**
     * {@code failed} did not answer in time. If it was the guess, guess the next replica; a timeout of another replica
     * (an operation sent before a redirect moved the guess) says nothing about the current one.
     */
    public void timedOut(final int failed)
    {
        if (failed == leader)
        {
            leader = (leader + 1) % replicas;
        }
    }
}
