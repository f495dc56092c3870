package lab.core.session;

import lab.core.ClientSession;
import lab.core.ClientSessions;
import lab.core.ReplicaState;
import lab.core.StateSnapshot;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * Duplicate detection per client session (as TigerBeetle's {@code client_sessions.zig} beside its replica): for
 * each session (a (client node, slot) pair, {@link ClientSessions}) the latest write a replica took and where it
 * stands, so that a retried write is applied once and answered with its original version.
 *
 * <h2>The rules</h2>
 * A write (session, seq) that arrives is, against the session's latest write:
 * <ul>
 *     <li>{@link Outcome#NEW}: later than anything the session wrote (or the session is unknown). The protocol may
 *     propose it ({@link #propose}).</li>
 *     <li>{@link Outcome#COMMITTED}: that same write, already committed. The protocol answers it from the table
 *     ({@link #committedVersion()}) without applying it again.</li>
 *     <li>{@link Outcome#PROPOSED}: that same write, proposed but not committed yet. It must not be proposed twice;
 *     the protocol decides what the retry gets: nothing (the commit answers the client, primary-backup), a note to
 *     answer at the commit ({@link #answerAtCommit}, chain's head), or UNAVAILABLE.</li>
 *     <li>{@link Outcome#STALE}: older than the session's latest write. A session runs one operation at a time, so
 *     its client has moved on: a late duplicate, dropped.</li>
 * </ul>
 * A write is committed when its version (the log index, the chain sequence it was given) is at or below the commit
 * point the protocol reports with {@link #commitThrough}; above it, it is proposed. A primary that loses its reign
 * {@link #abandonProposals abandons} its proposals. Only committed sessions go into a snapshot
 * ({@link #writeSnapshot}), in {@link StateSnapshot}'s format, because the snapshot's state holds committed writes
 * only.
 *
 * <h2>Where it lives</h2>
 * The sessions themselves are the {@link ReplicaState}'s (so they travel in its snapshot and are replaced, whole,
 * when a snapshot is installed); this table is the rules over them. It looks each session up in the state's
 * current map, never keeps one across calls, and allocates nothing per message: a session's record is allocated once,
 * at its first write, as before; the outcome of a check is an enum constant and its version a field.
 *
 * <h2>How the protocols treat sessions today (they adopt this table one by one)</h2>
 * <ul>
 *     <li><b>Record at proposal, committed by index</b> (primary-backup, chain): the primary/head records
 *     (seq, version) when it orders the write; the write counts as committed once its version is at or below the
 *     commit index/sequence. A retry of a committed write is answered from the record; of a write in flight it is
 *     dropped (primary-backup) or marked to be answered when the ack comes back (chain's {@code replyOnCommit}).
 *     Backups/successors record at apply. A primary-backup primary stepping down rolls a proposed session back to
 *     "previous write applied, version unknown" (what {@link #abandonProposals} does).</li>
 *     <li><b>Record at apply, proposals apart</b> (Raft): the session records hold applied (committed) writes only,
 *     recorded when an entry is applied, so duplicates in the log are skipped at apply and answered with the
 *     original version; the leader keeps the proposed seq per session in a separate map so a retry of a write
 *     already in the log is not appended twice. The table serves it too: the records are all committed
 *     ({@link #commitThrough} {@code Long.MAX_VALUE}), {@link #recordApplied} at apply, the leader's proposals noted
 *     apart ({@link #proposeApart}) and checked with {@link #checkWithProposals}.</li>
 *     <li><b>No replicated sessions</b> (quorum, Dynamo/ABD): the coordinator keeps the session's operation under
 *     way or completed (a retry of a completed one is answered from its record, of one under way dropped), and in
 *     ABD mode the durable seq of the last write it started, so a write is never started twice with two
 *     timestamps.</li>
 * </ul>
 */
public final class ClientSessionTable
{
    /**
     * What a write (session, seq) is to the table: see the class comment.
     */
    public enum Outcome
    {
        NEW, PROPOSED, COMMITTED, STALE
    }

    /**
     * The version of a session whose write is known applied but not with which version: what a proposal rolled back
     * by {@link #abandonProposals} leaves (the write before it completed, a session running one at a time).
     */
    public static final long UNKNOWN_VERSION = 0;

    private final ReplicaState state;
    /** Proposals kept apart from the records (record at apply): the latest seq proposed per session, -1 if none. */
    private final Long2LongHashMap proposedApart = new Long2LongHashMap(-1);
    private long committedThrough;
    private long foundVersion;

    public ClientSessionTable(final ReplicaState state)
    {
        this.state = state;
    }

    /**
     * @return what the write {@code seq} of the session is to the table; for {@link Outcome#COMMITTED},
     * {@link #committedVersion()} is its version until the next call.
     */
    public Outcome check(final long sessionId, final long seq)
    {
        final ClientSession session = state.session(sessionId);
        if (session == null || seq > session.seq)
        {
            return Outcome.NEW;
        }
        if (seq < session.seq)
        {
            return Outcome.STALE;
        }
        if (session.version > committedThrough)
        {
            return Outcome.PROPOSED;
        }
        foundVersion = session.version;
        return Outcome.COMMITTED;
    }

    /**
     * @return the version of the write the last {@link #check} found {@link Outcome#COMMITTED}.
     */
    public long committedVersion()
    {
        return foundVersion;
    }

    /**
     * Records that the session's write {@code seq} was given {@code version}: proposed while the version is above
     * the commit point, committed once it is not. A session never moves back to an older write.
     */
    public void propose(final long sessionId, final long seq, final long version)
    {
        state.recordWrite(sessionId, seq, version);
    }

    /**
     * For a protocol that records at apply (Raft): the write {@code seq} of the session is in the log, not applied
     * yet, and not recorded (the records hold applied writes only, so that a duplicate in the log is told apart at
     * apply). {@link #checkWithProposals} finds it proposed until {@link #abandonProposals}.
     */
    public void proposeApart(final long sessionId, final long seq)
    {
        proposedApart.put(sessionId, seq);
    }

    /**
     * {@link #check}, and for a write the records find {@link Outcome#NEW}, the proposals noted apart
     * ({@link #proposeApart}): {@link Outcome#PROPOSED} for the seq proposed, {@link Outcome#STALE} for an older one.
     */
    public Outcome checkWithProposals(final long sessionId, final long seq)
    {
        final Outcome outcome = check(sessionId, seq);
        if (outcome != Outcome.NEW)
        {
            return outcome;
        }
        final long proposed = proposedApart.get(sessionId);
        return seq > proposed ? Outcome.NEW : seq == proposed ? Outcome.PROPOSED : Outcome.STALE;
    }

    /**
     * Records a write applied with {@code version} on a replica that applies as it receives (a backup, a chain
     * successor): committed as far as this replica's table is concerned once its commit point reaches the version.
     */
    public void recordApplied(final long sessionId, final long seq, final long version)
    {
        state.recordWrite(sessionId, seq, version);
    }

    /**
     * For a protocol that records at apply (Raft), at apply: {@link #check} the write, and when it is
     * {@link Outcome#NEW} record it applied with {@code version} ({@link #recordApplied}), with one lookup of the
     * session instead of two. The apply loop runs this once per committed entry, so the second hash lookup of
     * check-then-record was a measurable share of the leader's work per write.
     *
     * @return the outcome {@link #check} gives before the write is recorded: on {@link Outcome#NEW} the caller
     * applies the write (it is recorded already); on {@link Outcome#COMMITTED} {@link #committedVersion()} is the
     * original version.
     */
    public Outcome applyIfNew(final long sessionId, final long seq, final long version)
    {
        final ClientSession session = state.session(sessionId);
        if (session == null)
        {
            state.recordWrite(sessionId, seq, version); // allocated once, at a session's first write
            return Outcome.NEW;
        }
        if (seq > session.seq)
        {
            session.seq = seq;
            session.version = version;
            return Outcome.NEW;
        }
        if (seq < session.seq)
        {
            return Outcome.STALE;
        }
        if (session.version > committedThrough)
        {
            return Outcome.PROPOSED;
        }
        foundVersion = session.version;
        return Outcome.COMMITTED;
    }

    /**
     * Moves the commit point: every recorded write of a version at or below it is committed.
     */
    public void commitThrough(final long version)
    {
        committedThrough = version;
    }

    public long committedThrough()
    {
        return committedThrough;
    }

    /**
     * A primary's reign ended with writes proposed and not committed: they may never commit, so a retry of one must
     * not be answered as done later. The session's previous write did complete (one operation at a time), so the
     * session goes back to it, with {@link #UNKNOWN_VERSION}: still enough to keep a late duplicate of it from being
     * applied again. Proposals noted apart ({@link #proposeApart}) are forgotten: a new leader proposes afresh (a
     * write already in its log is skipped at apply as a duplicate, and answered).
     */
    public void abandonProposals()
    {
        proposedApart.clear();
        for (final ClientSession session : state.sessions().values())
        {
            if (session.version > committedThrough)
            {
                session.seq--;
                session.version = UNKNOWN_VERSION;
            }
        }
    }

    /**
     * For a protocol that answers a retry of a {@link Outcome#PROPOSED} write at its commit (chain's head): notes it.
     * The session must exist (the check found it proposed).
     */
    public void answerAtCommit(final long sessionId)
    {
        state.session(sessionId).replyOnCommit = true;
    }

    /**
     * @return whether a retry of the write (session, seq), now committing, asked to be answered (and forgets that).
     */
    public boolean takeAnswerAtCommit(final long sessionId, final long seq)
    {
        final ClientSession session = state.session(sessionId);
        if (session != null && session.seq == seq && session.replyOnCommit)
        {
            session.replyOnCommit = false;
            return true;
        }
        return false;
    }

    /**
     * Serializes the state with its committed sessions only ({@link StateSnapshot}'s format).
     *
     * @return the length written from offset 0 of {@code out}.
     */
    public int writeSnapshot(final ExpandableArrayBuffer out)
    {
        return state.writeSnapshot(committedThrough, out);
    }
}
