package lab.core.election;

/**
 * The voting rules leader-based protocols share: Raft's elections (a "term") and a view change in primary-backup
 * (a "view"). Both are called <em>term</em> here: a number that only grows, with at most one leader (primary) per
 * term. Pure functions over plain values, so that a protocol keeps its own state (persisted term and vote, log) and
 * asks these questions of it.
 *
 * <ul>
 *   <li><b>Up to date</b> (Raft 5.4.1): a voter only elects a candidate whose log holds every entry the voter
 *   holds that might be committed: the candidate's last entry has a higher term, or the same term and an index at
 *   least as high.</li>
 *   <li><b>One vote per term</b>: a voter votes for at most one candidate in a term (it persists the vote before
 *   answering); asking again, the same candidate gets the same answer.</li>
 *   <li><b>Leader stickiness / lease promise</b> (Raft thesis 4.2.3, 6.4.1): a voter that heard from a live
 *   leader less than an election timeout ago neither votes nor pre-votes; a leader counts as hearing itself. This
 *   is the promise a read lease rests on.</li>
 *   <li><b>Pre-vote</b> (thesis 9.6): before raising its term a candidate asks whether it could win in the next
 *   term; a voter grants it for a term above its own, if the candidate is up to date and no leader is live,
 *   without changing its own term or vote.</li>
 * </ul>
 */
public final class ElectionRules
{
    /** {@code votedFor} when the voter has not voted in its current term. */
    public static final int NO_VOTE = -1;

    private ElectionRules()
    {
    }

    /**
     * @return whether a candidate whose log ends at ({@code candidateLastTerm}, {@code candidateLastIndex}) is at
     * least as up to date as the voter's log ending at ({@code lastTerm}, {@code lastIndex}): last term first,
     * then last index.
     */
    public static boolean upToDate(final long candidateLastTerm, final long candidateLastIndex, final long lastTerm,
        final long lastIndex)
    {
        return candidateLastTerm > lastTerm || (candidateLastTerm == lastTerm && candidateLastIndex >= lastIndex);
    }

    /**
     * @return whether the voter still counts a leader as live: it is the leader, or it heard from one less than
     * {@code electionTimeoutNs} ago ({@code lastLeaderContactNs}). At exactly the timeout the leader is no longer
     * live.
     */
    public static boolean leaderLive(final boolean selfIsLeader, final long lastLeaderContactNs,
        final long electionTimeoutNs, final long nowNs)
    {
        return selfIsLeader || nowNs - lastLeaderContactNs < electionTimeoutNs;
    }

    /**
     * @return whether the voter may vote for {@code candidate} in its current term, given its vote so far.
     */
    public static boolean canVoteFor(final int votedFor, final int candidate)
    {
        return votedFor == NO_VOTE || votedFor == candidate;
    }

    /**
     * A pre-vote for {@code requestedTerm}: the voter's own term and vote do not change, whatever the answer.
     */
    public static boolean grantPreVote(final long requestedTerm, final long term, final boolean candidateUpToDate,
        final boolean leaderLive)
    {
        return requestedTerm > term && candidateUpToDate && !leaderLive;
    }

    /**
     * @return whether a request for a vote in {@code requestedTerm} is considered at all: not for an older term,
     * and not while a leader is live. If it is, and the term is newer, the voter first adopts it (its vote is then
     * {@link #NO_VOTE}) and then decides with {@link #grantVote}.
     */
    public static boolean considerVote(final long requestedTerm, final long term, final boolean leaderLive)
    {
        return requestedTerm >= term && !leaderLive;
    }

    /**
     * A real vote in the voter's current term (after {@link #considerVote} and adopting the term): granted to an
     * up-to-date candidate if the voter has not voted for anyone else in this term.
     */
    public static boolean grantVote(final int votedFor, final int candidate, final boolean candidateUpToDate)
    {
        return canVoteFor(votedFor, candidate) && candidateUpToDate;
    }

    /**
     * @param granted the voters that granted, one bit per voter id (ids below 32), the candidate's own included.
     * @return whether they are a majority of {@code voters}.
     */
    public static boolean won(final int granted, final int voters)
    {
        return Integer.bitCount(granted) >= voters / 2 + 1;
    }
}
