package lab.raft;

import lab.core.HopDepth;
import lab.core.Outbox;

/**
 * A follower's successful answer to appends, held until the end of the burst of input: one answer with the
 * highest match acknowledges every append of the burst from the same leader in the same term (within a term, a
 * follower never drops what that term's leader sent it, so the highest match is true of all of them). An answer
 * to another leader or term, or a refusal, first sends what is held, so answers keep their order.
 *
 * <p>Hop depth: the answer is for several appends, so it keeps the deepest of their depths and, when it goes (at
 * the end of the burst, or before another answer), resumes that path; then the input being handled goes on.
 */
final class FollowerAck
{
    private final RaftPublisher publisher;
    private final HopDepth hops;
    private final RaftLog log;
    private int to = -1;
    private long term;
    /** The deepest {@link HopDepth#input()} among the appends answered: the answer is one hop after it. */
    private int inputDepth;
    private long match;
    private long prev;
    private long sentNs;
    private long round;
    private long sent;

    FollowerAck(final RaftPublisher publisher, final HopDepth hops, final RaftLog log)
    {
        this.publisher = publisher;
        this.hops = hops;
        this.log = log;
    }

    /**
     * @return acknowledgements sent over the replica's life.
     */
    long sent()
    {
        return sent;
    }

    /**
     * Holds (or merges into the answer held) a success to the append being handled: the deepest depth, the highest
     * match (with its prevIndex), the latest send time and read round.
     */
    void hold(final int leader, final long answerTerm, final long matchIndex, final long prevIndex,
        final long appendSentNs, final long readRound, final Outbox out)
    {
        if (to >= 0 && (to != leader || term != answerTerm))
        {
            release(out);
        }
        if (to < 0)
        {
            to = leader;
            term = answerTerm;
            inputDepth = hops.input();
            match = matchIndex;
            prev = prevIndex;
            sentNs = appendSentNs;
            round = readRound;
            return;
        }
        inputDepth = Math.max(inputDepth, hops.input());
        if (matchIndex >= match)
        {
            match = matchIndex;
            prev = prevIndex;
        }
        sentNs = Math.max(sentNs, appendSentNs);
        round = Math.max(round, readRound);
    }

    /**
     * Sends the answer held, if any. It reports the log's last index as it is now.
     */
    void release(final Outbox out)
    {
        if (to >= 0)
        {
            final int leader = to;
            to = -1;
            sent++;
            final int input = hops.input();
            hops.resume(inputDepth);
            publisher.appendResponse(out, leader, term, true, match, prev, 0, -1, log.lastIndex(), sentNs, round);
            hops.resume(input);
        }
    }
}
