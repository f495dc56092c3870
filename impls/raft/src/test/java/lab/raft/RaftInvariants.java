package lab.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lab.harness.cluster.SimCluster;

/**
 * Raft's safety properties (Figure 3 of the paper), checked on the live replicas of a simulated cluster each time
 * {@link #check} is called: election safety (at most one leader per term, ever), log matching (two logs with an
 * entry of the same index and term hold the same entry) and leader completeness with state machine safety (an
 * entry once committed anywhere is in every later leader's log at that index, and never changes).
 */
final class RaftInvariants
{
    private final SimCluster cluster;
    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    /** index -> {term, clientId, seq} of committed entries still held in some log. */
    private final Map<Long, long[]> committed = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long checks;
    private long maxCommitted;

    RaftInvariants(final SimCluster cluster)
    {
        this.cluster = cluster;
    }

    List<String> violations()
    {
        return violations;
    }

    long checks()
    {
        return checks;
    }

    int leaderTerms()
    {
        return leaderOfTerm.size();
    }

    void check()
    {
        checks++;
        final int n = cluster.replicas();
        for (int i = 0; i < n; i++)
        {
            if (!cluster.network().isUp(i))
            {
                continue;
            }
            final RaftReplica r = (RaftReplica)cluster.replica(i);
            if (r.roleState() == RaftReplica.Role.LEADER)
            {
                final Integer previous = leaderOfTerm.putIfAbsent(r.term(), i);
                if (previous != null && previous != i)
                {
                    violate("two leaders in term " + r.term() + ": " + previous + " and " + i);
                }
            }
            final RaftLog log = r.log();
            final long from = Math.max(log.snapshotIndex() + 1, r.commitIndex() - 2048);
            for (long idx = from; idx <= r.commitIndex(); idx++)
            {
                final long[] entry = {log.termAt(idx), log.clientId(idx), log.seq(idx)};
                final long[] known = committed.putIfAbsent(idx, entry);
                maxCommitted = Math.max(maxCommitted, idx);
                if (known != null && !same(known, entry))
                {
                    violate("committed entry " + idx + " differs at node " + i + ": " + str(known) + " vs " +
                        str(entry));
                }
            }
        }
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                if (cluster.network().isUp(a) && cluster.network().isUp(b))
                {
                    checkLogMatching(a, b);
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (cluster.network().isUp(i) && ((RaftReplica)cluster.replica(i)).roleState() == RaftReplica.Role.LEADER)
            {
                checkLeaderCompleteness(i);
            }
        }
    }

    private void checkLogMatching(final int a, final int b)
    {
        final RaftLog la = ((RaftReplica)cluster.replica(a)).log();
        final RaftLog lb = ((RaftReplica)cluster.replica(b)).log();
        final long from = Math.max(la.snapshotIndex(), lb.snapshotIndex()) + 1;
        final long to = Math.min(la.lastIndex(), lb.lastIndex());
        boolean matchedAbove = false;
        for (long idx = to; idx >= from; idx--)
        {
            final boolean sameTerm = la.termAt(idx) == lb.termAt(idx);
            if (matchedAbove && !sameTerm)
            {
                violate("log matching: nodes " + a + " and " + b + " agree above index " + idx + " but not at it");
                return;
            }
            if (sameTerm)
            {
                matchedAbove = true;
                if (la.clientId(idx) != lb.clientId(idx) || la.seq(idx) != lb.seq(idx))
                {
                    violate("log matching: nodes " + a + " and " + b + " hold different entries of term " +
                        la.termAt(idx) + " at index " + idx);
                    return;
                }
            }
        }
    }

    private void checkLeaderCompleteness(final int leader)
    {
        final RaftLog log = ((RaftReplica)cluster.replica(leader)).log();
        // Entries at or below the leader's snapshot are folded into it, which only ever holds committed entries.
        for (long idx = log.snapshotIndex() + 1; idx <= maxCommitted; idx++)
        {
            final long[] known = committed.get(idx);
            if (known == null)
            {
                continue;
            }
            final long[] entry = {log.termAt(idx), idx <= log.lastIndex() ? log.clientId(idx) : -1,
                idx <= log.lastIndex() ? log.seq(idx) : -1};
            if (!same(known, entry))
            {
                violate("leader completeness: leader " + leader + " lacks committed entry " + idx + " " +
                    str(known) + ", has " + str(entry));
            }
        }
    }

    private static boolean same(final long[] x, final long[] y)
    {
        return x[0] == y[0] && x[1] == y[1] && x[2] == y[2];
    }

    private static String str(final long[] e)
    {
        return "(term " + e[0] + ", client " + e[1] + ", seq " + e[2] + ")";
    }

    private void violate(final String what)
    {
        if (violations.size() < 10)
        {
            violations.add("t=" + cluster.nowNs() + "ns " + what);
        }
    }
}
