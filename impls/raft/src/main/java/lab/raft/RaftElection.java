package lab.raft;

import java.util.Random;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.detect.DetectorSettings;
import lab.core.detect.FailureDetector;
import lab.core.election.ElectionRules;

/**
 * Raft's elections (Raft 5.2, thesis 9.6 pre-vote, 6.4.1 the lease promise), on the rules shared with other
 * leader-based protocols ({@link ElectionRules}). The term, the vote and the role are the replica's; this holds the
 * election timer, when a leader was last heard from, and the votes of an election under way.
 *
 * <p>A follower that hears nothing from a leader for a randomized timeout in {@code [electionMin, 2 electionMin)}
 * first asks for pre-votes for {@code term + 1} without changing its term, and only with a majority of them stands
 * for real, so a node cut off and rejoining cannot force the term up. A replica votes once per term (term and vote
 * are persisted before the vote leaves), only for a candidate whose log is at least as up to date as its own, and
 * never within {@code electionMin} of hearing from a leader (the promise the read lease rests on).
 *
 * <p>Hop depth: a vote answers its request (one hop after it); an election's outcome starts paths ({@link #onVote}).
 */
final class RaftElection
{
    private final RaftReplica replica;
    private final int nodeId;
    private final int n;
    private final RaftConfig config;
    private final Random random;
    private final RaftStorage storage;
    private final RaftLog log;
    private final RaftPublisher publisher;
    private final HopDepth hops;

    /** A follower's detector on its leader with {@code failure-detector=phi}; null for the randomized timer. */
    private final FailureDetector leaderWatch;
    private boolean started;
    private long electionDeadlineNs;
    /** The random part of the timer last drawn: with a detector, how long a follower suspects before it stands. */
    private long jitterNs;
    private long lastLeaderContactNs = Long.MIN_VALUE / 2;
    /** The replicas that granted in the election under way, one bit each (the candidate's own included). */
    private int votes;

    RaftElection(final RaftReplica replica, final int nodeId, final int replicas, final RaftConfig config,
        final Random random, final RaftStorage storage, final RaftPublisher publisher, final HopDepth hops)
    {
        this.hops = hops;
        this.replica = replica;
        this.nodeId = nodeId;
        this.n = replicas;
        this.config = config;
        this.random = random;
        this.storage = storage;
        this.log = storage.log();
        this.publisher = publisher;
        this.leaderWatch = config.detector.kind() == DetectorSettings.Kind.TIMEOUT ? null :
            config.detector.newDetector(1, "raft");
    }

    /**
     * First sight of the clock. A restarted replica treats its restart as contact with a leader: it may have
     * acknowledged a leader just before crashing and has forgotten when, so it keeps the lease promise from now.
     * A new cluster has had no leader and so no lease: node 0 stands at once, so runs start quickly.
     */
    void start(final long nowNs, final boolean restarted)
    {
        if (started)
        {
            return;
        }
        started = true;
        if (leaderWatch != null)
        {
            leaderWatch.reset(0, nowNs);
        }
        if (restarted)
        {
            lastLeaderContactNs = nowNs;
            electionDeadlineNs = nowNs + randomElectionTimeout();
        }
        else
        {
            electionDeadlineNs = nodeId == 0 ? nowNs : nowNs + randomElectionTimeout();
        }
    }

    private long randomElectionTimeout()
    {
        jitterNs = (long)(random.nextDouble() * config.electionMinNs);
        return config.electionMinNs + jitterNs;
    }

    /**
     * The timer restarts without news of a leader (start, a vote granted, a new term, a round begun): a detector
     * watches the silence afresh from now.
     */
    void restartTimer(final long nowNs)
    {
        electionDeadlineNs = nowNs + randomElectionTimeout();
        if (leaderWatch != null)
        {
            leaderWatch.reset(0, nowNs);
        }
    }

    /**
     * The leader's heartbeat (an empty AppendEntries) arrived: with a detector, a sample of its interval.
     */
    void leaderHeartbeat(final long nowNs)
    {
        if (leaderWatch != null)
        {
            leaderWatch.heartbeat(0, nowNs);
        }
    }

    /**
     * The current leader spoke: the lease promise runs from now, and the election timer restarts.
     */
    void heardFromLeader(final long nowNs)
    {
        lastLeaderContactNs = nowNs;
        electionDeadlineNs = nowNs + randomElectionTimeout();
        if (leaderWatch != null)
        {
            leaderWatch.heard(0, nowNs);
        }
    }

    /**
     * A follower or candidate whose timer ran out stands (again).
     */
    void tick(final long nowNs, final Outbox out)
    {
        if (leaderWatch != null && replica.role == RaftReplica.Role.FOLLOWER)
        {
            if (leaderWatch.suspected(0, nowNs - jitterNs))
            {
                campaign(nowNs, out);
            }
            return;
        }
        if (nowNs >= electionDeadlineNs)
        {
            campaign(nowNs, out);
        }
    }

    private void campaign(final long nowNs, final Outbox out)
    {
        restartTimer(nowNs);
        replica.leaderId = -1;
        votes = 1 << nodeId;
        if (config.preVote && n > 1)
        {
            replica.role = RaftReplica.Role.PRE_CANDIDATE;
            publisher.requestVotes(out, nodeId, n, replica.term + 1, log.lastIndex(), log.lastTerm(), true);
        }
        else
        {
            becomeCandidate(nowNs, out);
        }
    }

    private void becomeCandidate(final long nowNs, final Outbox out)
    {
        replica.role = RaftReplica.Role.CANDIDATE;
        replica.term++;
        replica.votedFor = nodeId;
        storage.saveHardState(replica.term, replica.votedFor);
        votes = 1 << nodeId;
        restartTimer(nowNs);
        if (n == 1)
        {
            replica.becomeLeader(nowNs, out);
            return;
        }
        publisher.requestVotes(out, nodeId, n, replica.term, log.lastIndex(), log.lastTerm(), false);
    }

    void onRequestVote(final int from, final long requestedTerm, final long lastLogIndex,
        final long lastLogTerm, final boolean preVote, final long nowNs, final Outbox out)
    {
        final boolean leaderLive = ElectionRules.leaderLive(
            replica.role == RaftReplica.Role.LEADER, lastLeaderContactNs, config.electionMinNs, nowNs);
        final boolean upToDate = ElectionRules.upToDate(lastLogTerm, lastLogIndex, log.lastTerm(), log.lastIndex());
        boolean grant = false;
        if (preVote)
        {
            grant = ElectionRules.grantPreVote(requestedTerm, replica.term, upToDate, leaderLive);
        }
        else if (ElectionRules.considerVote(requestedTerm, replica.term, leaderLive))
        {
            if (requestedTerm > replica.term)
            {
                replica.becomeFollower(requestedTerm, -1, nowNs, out);
            }
            if (ElectionRules.grantVote(replica.votedFor, from, upToDate))
            {
                grant = true;
                replica.votedFor = from;
                storage.saveHardState(replica.term, replica.votedFor);
                restartTimer(nowNs);
            }
        }
        publisher.vote(out, from, grant && preVote ? requestedTerm : replica.term, grant, preVote);
    }

    /**
     * A vote (or pre-vote) arrived. What winning sends (the real RequestVotes, a new leader's appends and no-op)
     * starts paths, as an election timer's would: it is no answer to the vote, nor to any client's operation.
     */
    void onVote(final int from, final long voteTerm, final boolean granted, final boolean preVote, final long nowNs,
        final Outbox out)
    {
        hops.startPath();
        if (preVote)
        {
            if (!granted && voteTerm > replica.term)
            {
                replica.becomeFollower(voteTerm, -1, nowNs, out);
                return;
            }
            if (replica.role == RaftReplica.Role.PRE_CANDIDATE && granted && voteTerm == replica.term + 1)
            {
                votes |= 1 << from;
                if (ElectionRules.won(votes, n))
                {
                    becomeCandidate(nowNs, out);
                }
            }
            return;
        }
        if (voteTerm > replica.term)
        {
            replica.becomeFollower(voteTerm, -1, nowNs, out);
            return;
        }
        if (replica.role == RaftReplica.Role.CANDIDATE && granted && voteTerm == replica.term)
        {
            votes |= 1 << from;
            if (ElectionRules.won(votes, n))
            {
                replica.becomeLeader(nowNs, out);
            }
        }
    }
}
