package lab.primarybackup;

import java.util.Random;

import lab.core.detect.FailureDetector;

import lab.core.Outbox;
import lab.core.election.ElectionRules;

/**
 * The candidate's side of a view change and the voter's rule, apart from the replica's other rules. The rules a view
 * change shares with Raft's elections (up to date, one vote per view, no vote while a primary is live, pre-vote, a
 * majority of votes) are {@link ElectionRules}, with a view as the term; what is PB's own stays here: the jitter,
 * the proposal above every view heard of, and the refusal that names the voter's view. A backup that has not heard
 * from the primary for the primary timeout plus a random jitter pre-votes (Raft thesis 9.6: would a majority vote, asked without changing
 * anyone's state, so a replica cut off from the others cannot disrupt a working primary with ever higher views),
 * then stands for the view; each round lasts a timeout plus jitter and a lost round starts over.
 *
 * <p>The replica keeps its role and views (it moves them when told: {@link PrimaryBackupReplica#becomeCandidate},
 * {@link PrimaryBackupReplica#becomePrimary}); this keeps the election's own state: the view proposed, the votes
 * counted (a bit per replica), the end of the round, the jitter, and the highest view a refusal named.
 */
final class ViewElection
{
    /**
     * {@code votedFor} for {@link ElectionRules#grantVote} once this replica voted in (or stood for, or follows a
     * primary of) a view: PB records the highest view voted in, not whom for, so a second request in that view is
     * refused whoever asks (stricter than Raft, which repeats its answer to the same candidate).
     */
    private static final int VOTED_IN_VIEW = -2;

    private final int self;
    private final int voters;
    private final long primaryTimeoutNs;
    private final Random random;
    private final PrimaryBackupReplica replica;
    private final PrimaryBackupPublisher publisher;

    private long jitterNs;
    private long proposedView;
    /**
     * The highest view another replica has told this one it voted in or follows (a refused vote carries it). Only
     * raises the next proposal: a candidate whose proposal is at or below a voter's votedView is refused by that
     * voter for good otherwise.
     */
    private long refusedAtView;
    private int votes;
    private long roundEndNs;

    ViewElection(final int self, final int voters, final long primaryTimeoutNs, final Random random,
        final PrimaryBackupReplica replica, final PrimaryBackupPublisher publisher)
    {
        this.replica = replica;
        this.publisher = publisher;
        this.self = self;
        this.voters = voters;
        this.primaryTimeoutNs = primaryTimeoutNs;
        this.random = random;
        newJitter();
    }

    /**
     * Draws the next jitter: at start, at each round, at each step down and each vote granted (the order of draws
     * from the seeded random is part of a run's replay).
     */
    void newJitter()
    {
        jitterNs = (long)(random.nextDouble() * primaryTimeoutNs);
    }

    /**
     * @return whether a backup watching its primary with {@code primary} (peer 0) should stand: the primary was
     * suspected already a jitter ago (with a fixed timeout: silent for more than the timeout plus the jitter).
     */
    boolean primaryTimedOut(final long nowNs, final FailureDetector primary)
    {
        return primary.suspected(PrimaryBackupReplica.PRIMARY_PEER, nowNs - jitterNs);
    }

    boolean roundOver(final long nowNs)
    {
        return nowNs > roundEndNs;
    }

    /**
     * The primary timed out, or a round ended undecided: a pre-vote round for the view above every view this replica
     * knows of, its own vote counted.
     */
    void start(final long nowNs, final Outbox out)
    {
        replica.becomePreCandidate();
        proposedView = Math.max(Math.max(replica.view(), replica.votedView()), refusedAtView) + 1;
        votes = 1 << self;
        newJitter();
        roundEndNs = nowNs + primaryTimeoutNs + jitterNs;
        if (won())
        {
            startCandidacy(nowNs, out);
            return;
        }
        publisher.voteRequest(out, proposedView, replica.lastEntryView(), replica.lastIndex(), true);
    }

    /**
     * The pre-vote passed: the real round for the same view, its own vote counted.
     */
    private void startCandidacy(final long nowNs, final Outbox out)
    {
        replica.becomeCandidate(proposedView);
        votes = 1 << self;
        roundEndNs = nowNs + primaryTimeoutNs + jitterNs;
        if (won())
        {
            replica.becomePrimary(proposedView, nowNs, out);
            return;
        }
        publisher.voteRequest(out, proposedView, replica.lastEntryView(), replica.lastIndex(), false);
    }

    /**
     * A vote answered this replica's request: counted when granted for the round under way; a refusal raises the
     * next proposal.
     */
    void onVote(final int from, final long voteView, final boolean granted, final boolean preVote, final long nowNs,
        final Outbox out)
    {
        if (!granted)
        {
            onRefused(voteView);
            return;
        }
        final Role expected = preVote ? Role.PRE_CANDIDATE : Role.CANDIDATE;
        if (replica.roleState() != expected || !onGranted(from, voteView))
        {
            return;
        }
        if (won())
        {
            if (preVote)
            {
                startCandidacy(nowNs, out);
            }
            else
            {
                replica.becomePrimary(proposedView, nowNs, out);
            }
        }
    }

    private boolean won()
    {
        return ElectionRules.won(votes, voters);
    }

    /**
     * Counts a vote granted for {@code view}; one for another view (an earlier round) is not counted.
     *
     * @return whether it was counted.
     */
    private boolean onGranted(final int voter, final long view)
    {
        if (view != proposedView)
        {
            return false;
        }
        votes |= 1 << voter;
        return true;
    }

    /**
     * The voter is at a higher view than proposed: the next round proposes above it. Changes nothing else (not the
     * replica's view or vote), so a refusal from a far-ahead replica cannot fence a live primary.
     */
    private void onRefused(final long voterView)
    {
        refusedAtView = Math.max(refusedAtView, voterView);
    }

    /**
     * A candidate asks for this replica's vote (or, in a pre-vote, whether it would give it). A grant names the view
     * granted; a refusal names the highest view this replica has voted in or follows (at least the one requested),
     * so that a candidate behind it proposes above it next time.
     */
    void onVoteRequest(final int from, final long requested, final long candidateLastEntryView,
        final long candidateLastIndex, final boolean preVote, final long nowNs, final Outbox out)
    {
        if (replica.roleState() == Role.RECOVERING)
        {
            return; // lost its state: its vote could elect a replica missing committed writes
        }
        final boolean grant = grants(requested, from, replica.votedView(), replica.primaryAlive(nowNs),
            candidateLastEntryView, candidateLastIndex, replica.lastEntryView(), replica.lastIndex(), preVote);
        if (grant && !preVote)
        {
            replica.grantVote(requested, nowNs);
            newJitter();
        }
        final long namedView = grant ? requested : Math.max(requested, Math.max(replica.view(), replica.votedView()));
        publisher.vote(out, from, namedView, grant, preVote);
    }

    /**
     * The voter's rule, {@link ElectionRules} with the view as the term: once per view (the highest view voted in
     * is the term; a view above it comes with no vote yet), never while its primary is alive, and only for a
     * candidate at least as up to date ((lastEntryView, lastIndex), as Raft), so the most up-to-date backup takes
     * over. A pre-vote asks the same question without recording anything.
     */
    static boolean grants(final long requestedView, final int candidate, final long votedView,
        final boolean primaryAlive, final long candidateLastEntryView, final long candidateLastIndex,
        final long lastEntryView, final long lastIndex, final boolean preVote)
    {
        final boolean upToDate =
            ElectionRules.upToDate(candidateLastEntryView, candidateLastIndex, lastEntryView, lastIndex);
        if (preVote)
        {
            return ElectionRules.grantPreVote(requestedView, votedView, upToDate, primaryAlive);
        }
        final int votedFor = requestedView > votedView ? ElectionRules.NO_VOTE : VOTED_IN_VIEW;
        return ElectionRules.considerVote(requestedView, votedView, primaryAlive) &&
            ElectionRules.grantVote(votedFor, candidate, upToDate);
    }
}
