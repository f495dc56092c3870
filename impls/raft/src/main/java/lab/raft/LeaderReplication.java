package lab.raft;

import lab.core.HopDepth;
import lab.core.Outbox;
import lab.core.quorum.MajorityTracker;

/**
 * The leader's side of log replication: what to send each follower and when (one {@link Progress} each), and what
 * the answers mean. Appends carry up to {@code batch} entries (and at most {@link RaftPublisher#MAX_APPEND_BYTES}
 * of values), up to {@code raft-pipeline} of them in flight per follower; a follower that answers nothing for
 * {@code raft-retransmit} gets the unacknowledged entries again; a refusal carries the conflicting term and its
 * first index, so the leader skips a whole term per round trip. An idle follower gets a heartbeat every
 * {@code raft-heartbeat}. The log, term and commit index are the replica's; commit counting is
 * {@link RaftReplica#advanceCommit}.
 *
 * <p>Hop depth: an append is sent for the entries it carries, whatever input is being handled when it goes (a
 * flush, a tick, an election won): it joins its entries' depths, each its request's ({@link #sendAppend}).
 */
final class LeaderReplication
{
    private final RaftReplica replica;
    private final int nodeId;
    private final int n;
    private final RaftConfig config;
    private final RaftLog log;
    private final RaftStorage storage;
    private final RaftPublisher publisher;
    private final HopDepth hops;
    private final Progress[] progress;
    private final RaftStateTransfer transfer;
    /** The times each replica was last heard from (the leader's own: now), for check-quorum. */
    private final MajorityTracker heard;
    private long checkQuorumNs;
    private long appendsSent;
    private long entriesSent;

    LeaderReplication(final RaftReplica replica, final int nodeId, final int replicas, final RaftConfig config,
        final RaftStorage storage, final RaftPublisher publisher, final HopDepth hops,
        final RaftStateTransfer transfer)
    {
        this.hops = hops;
        this.replica = replica;
        this.nodeId = nodeId;
        this.n = replicas;
        this.config = config;
        this.storage = storage;
        this.log = storage.log();
        this.publisher = publisher;
        this.transfer = transfer;
        this.progress = new Progress[replicas];
        for (int f = 0; f < replicas; f++)
        {
            progress[f] = new Progress(config.pipeline);
        }
        this.heard = new MajorityTracker(replicas, 0);
    }

    long appendsSent()
    {
        return appendsSent;
    }

    long entriesSent()
    {
        return entriesSent;
    }

    Progress progress(final int f)
    {
        return progress[f];
    }

    /**
     * A new leader knows nothing of its followers' logs: it probes each from the end of its own.
     */
    void becomeLeader(final long nowNs)
    {
        checkQuorumNs = nowNs + config.electionMinNs;
        for (int f = 0; f < n; f++)
        {
            progress[f].reset(log.lastIndex(), nowNs);
            if (f != nodeId)
            {
                transfer.cancel(f); // of an earlier reign
            }
        }
    }

    void sendAppendsToAll(final long nowNs, final boolean flush, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            if (f != nodeId)
            {
                maybeSendAppends(f, nowNs, flush, out);
            }
        }
    }

    void heartbeatAll(final long nowNs, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            if (f != nodeId)
            {
                sendHeartbeat(f, nowNs, out);
            }
        }
    }

    /**
     * Retransmission, heartbeats and check-quorum.
     */
    void tick(final long nowNs, final Outbox out)
    {
        for (int f = 0; f < n; f++)
        {
            if (f == nodeId)
            {
                continue;
            }
            final Progress p = progress[f];
            switch (p.state)
            {
                case PROBE:
                    if (p.probeOutstanding && nowNs - p.probeSentNs >= config.retransmitNs)
                    {
                        p.probeOutstanding = false;
                    }
                    break;
                case REPLICATE:
                    if (p.match < p.next - 1 && nowNs - p.progressNs >= config.retransmitNs)
                    {
                        p.goBackTo(p.match + 1, nowNs); // something in flight was lost
                    }
                    break;
                case SNAPSHOT:
                    if (transfer.active(f))
                    {
                        transfer.onTick(f, nowNs, out); // resends what the follower has not acknowledged
                    }
                    else if (nowNs >= p.snapshotResendNs)
                    {
                        sendSnapshot(f, nowNs, out); // the transfer ended without the follower catching up
                    }
                    break;
                default:
                    break;
            }
            maybeSendAppends(f, nowNs, true, out);
            if (nowNs - p.lastSentNs >= config.heartbeatNs)
            {
                sendHeartbeat(f, nowNs, out);
            }
        }
        if (config.checkQuorum && nowNs >= checkQuorumNs)
        {
            checkQuorumNs = nowNs + config.electionMinNs;
            for (int f = 0; f < n; f++)
            {
                heard.set(f, f == nodeId ? nowNs : progress[f].lastHeardNs);
            }
            if (!heard.majorityAbove(nowNs - config.electionMinNs))
            {
                // Cannot hear a majority: another leader may be elected; stop serving so clients look elsewhere.
                replica.becomeFollower(replica.term, -1, nowNs, out);
            }
        }
    }

    /**
     * @param flush send what is pending even though an append is in flight and less than a batch is pending (the
     * end of a burst sends without it: a batch builds behind the append in flight).
     */
    private void maybeSendAppends(final int f, final long nowNs, final boolean flush, final Outbox out)
    {
        final Progress p = progress[f];
        switch (p.state)
        {
            case PROBE:
                if (!p.probeOutstanding)
                {
                    p.probeOutstanding = true;
                    p.probeSentNs = nowNs;
                    sendAppend(f, nowNs, out);
                }
                break;
            case REPLICATE:
                while (!p.pipelineFull() && p.next <= log.lastIndex())
                {
                    final long pending = log.lastIndex() - p.next + 1;
                    if (!flush && p.inflightCount() > 0 && pending < config.batch)
                    {
                        break; // let a batch build up behind the append in flight
                    }
                    if (p.inflightCount() == 0)
                    {
                        p.progressNs = nowNs;
                    }
                    final long last = sendAppend(f, nowNs, out);
                    if (last < 0)
                    {
                        break;
                    }
                    p.sent(last);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Sends the entries from the follower's next index on, at most a batch (or the snapshot when they are
     * compacted). The append is one hop further than the deepest entry it carries: it starts a path that joins its
     * entries' (the snapshot starts one of its own); the input being handled when it goes is no part of either, and
     * is handled on afterwards.
     *
     * @return the index of the last entry sent, or -1 when the snapshot went instead.
     */
    private long sendAppend(final int f, final long nowNs, final Outbox out)
    {
        final Progress p = progress[f];
        final long prev = p.next - 1;
        final int input = hops.input();
        hops.startPath();
        if (prev < log.snapshotIndex())
        {
            sendSnapshot(f, nowNs, out);
            hops.resume(input);
            return -1;
        }
        final long last = Math.min(log.lastIndex(), prev + config.batch);
        int count = 0;
        int bytes = 0;
        final int maxBytes = RaftPublisher.MAX_APPEND_BYTES;
        for (long i = prev + 1; i <= last && (count == 0 || bytes + log.valueLength(i) <= maxBytes); i++)
        {
            count++;
            bytes += log.valueLength(i) + 40;
            hops.join(log.depth(i));
        }
        p.lastSentNs = nowNs;
        appendsSent++;
        entriesSent += count;
        publisher.appendEntries(out, f, replica.term, prev, log.termAt(prev), replica.commitIndex, nowNs,
            replica.reads().currentRound(), log, count);
        hops.resume(input);
        return prev + count;
    }

    /**
     * An empty AppendEntries at the follower's match index, known to match: no consistency check is needed, it
     * carries the commit index, renews the lease and answers a ReadIndex round.
     */
    private void sendHeartbeat(final int f, final long nowNs, final Outbox out)
    {
        final Progress p = progress[f];
        p.lastSentNs = nowNs;
        publisher.heartbeat(out, f, replica.term, p.match, replica.commitIndex, nowNs,
            replica.reads().currentRound());
    }

    /**
     * Starts a transfer of the latest snapshot to follower {@code f} ({@link RaftStateTransfer}: chunked, resent
     * until acknowledged). Its answer at the snapshot's index moves the follower out of SNAPSHOT. It goes where
     * appends go (a flush, a tick, an election won), on a new path.
     */
    private void sendSnapshot(final int f, final long nowNs, final Outbox out)
    {
        final Progress p = progress[f];
        p.becomeSnapshot(log.snapshotIndex(), nowNs + config.retransmitNs * 5);
        transfer.start(f, replica.term, log.snapshotIndex(), log.snapshotTerm(), storage.snapshot(),
            storage.snapshotLength(), nowNs, out);
        p.lastSentNs = nowNs;
    }

    /**
     * A follower acknowledged chunks of a snapshot transfer: if of the leader's current term, the rest goes.
     */
    void onInstallSnapshotResponse(final int from, final long responseTerm, final long transferId,
        final int receivedChunks, final long nowNs, final Outbox out)
    {
        if (responseTerm > replica.term)
        {
            replica.becomeFollower(responseTerm, -1, nowNs, out);
            return;
        }
        if (replica.role != RaftReplica.Role.LEADER || responseTerm != replica.term)
        {
            return;
        }
        final Progress p = progress[from];
        p.lastHeardNs = nowNs;
        if (p.state == Progress.State.SNAPSHOT)
        {
            hops.startPath(); // the chunks that go next are the transfer's, no client operation's
            transfer.onAck(from, replica.term, transferId, receivedChunks, nowNs, out);
        }
    }

    /**
     * An answer to an append (or heartbeat, or snapshot) of the leader's current term.
     */
    void onAppendResponse(final int from, final boolean success, final long matchIndex,
        final long prevIndex, final long conflictIndex, final long conflictTerm, final long nowNs, final Outbox out)
    {
        final Progress p = progress[from];
        p.lastHeardNs = nowNs;
        if (success)
        {
            p.freeInflight(matchIndex);
            if (matchIndex > p.match)
            {
                p.match = matchIndex;
                p.progressNs = nowNs;
                replica.advanceCommit(out);
            }
            if (p.next <= p.match)
            {
                p.next = p.match + 1;
            }
            if (p.state == Progress.State.PROBE ||
                (p.state == Progress.State.SNAPSHOT && p.match >= p.snapshotSentIndex))
            {
                p.becomeReplicate();
                transfer.cancel(from); // the follower has the snapshot (or more)
            }
        }
        else
        {
            onRejected(p, prevIndex, conflictIndex, conflictTerm, nowNs);
        }
    }

    private void onRejected(final Progress p, final long rejected, final long conflictIndex, final long conflictTerm,
        final long nowNs)
    {
        if (rejected <= p.match ||
            (p.state == Progress.State.PROBE && rejected != p.next - 1) ||
            p.state == Progress.State.SNAPSHOT)
        {
            return; // stale: overtaken by a later answer
        }
        long next = conflictIndex;
        if (conflictTerm >= 0)
        {
            final long lastOfTerm = log.lastIndexOfTerm(conflictTerm);
            if (lastOfTerm >= 0)
            {
                next = lastOfTerm + 1;
            }
        }
        p.becomeProbe(Math.max(p.match + 1, Math.min(next, rejected)), nowNs);
    }
}
