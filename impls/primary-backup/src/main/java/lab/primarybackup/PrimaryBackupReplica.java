package lab.primarybackup;

import java.util.Random;

import lab.core.HopDepth;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.core.detect.FailureDetector;
import lab.core.election.ElectionRules;
import lab.core.session.ClientSessionTable;
import org.agrona.DirectBuffer;

/**
 * A primary-backup replica as a pure state machine: its rules and state. Messages arrive decoded, as plain
 * arguments, from its {@link PrimaryBackupAdapter} and leave through its {@link PrimaryBackupPublisher}.
 *
 * <p>Normal case (the seed notes' protocol): the primary orders each PUT as log index {@code i}, sends it to every
 * backup in parallel, and commits it once every in-sync backup has acknowledged it; then it applies the write and
 * answers the client (4 hops). Reads are served by the primary from committed state (2 hops) while it holds a read
 * lease ({@link ReadLease}).
 *
 * <p>Failures: a backup that stops acknowledging is dropped from the in-sync set (as Kafka's ISR) so writes
 * continue, but never below a majority of all replicas, so that every committed write is on a majority
 * ({@link Backups}). When the primary is silent for the primary timeout, a backup asks for votes for a new view
 * ({@link ViewElection}, {@link MajorityViews}); the most up-to-date backup takes over. The new primary streams its
 * state to every backup as a snapshot and serves nothing until a majority has it. Any message carries its view: a
 * replica that has seen a higher view refuses the old primary, which steps down (fencing). A restarted replica lost
 * its state: it neither votes nor stands until it has installed a snapshot from the primary (as Viewstamped
 * Replication's recovery).
 * Requests carry (session, seq): a retried write is applied once ({@link ClientSessionTable}).
 *
 * <p>Hop depth is the edge's: the adapter records each input's depth in {@link HopDepth} and the publisher stamps
 * what is sent one hop further, so a write answered at the ack that commits it continues that ack's path. The rules
 * speak only where a commit follows no message: see {@link #primaryTick}.
 *
 * <p>Who decides views, and what follows from it (read permission, the backups a commit waits for, the timers that
 * change views) is the replica's {@link ViewPolicy}: {@link MajorityViews} by default, {@link ServiceViews} with
 * {@code pb-views=config-service} (views from a configuration service instead of a vote). The replica keeps
 * replication and client handling, and moves its role and view when its policy says. Its writes, their commit point
 * and the state they are applied to are its {@link WriteLog}; a primary's upkeep of its backups (heartbeats, acks,
 * silence) is its {@link BackupMonitor}.
 */
public final class PrimaryBackupReplica implements Replica
{
    /** The one peer a backup's {@link #primaryWatch} watches: whoever its primary is. */
    static final int PRIMARY_PEER = 0;
    /**
     * pb-views=config-service: a replica the service's view does not count on to hold the state (outside the view,
     * or added and not yet holding a state of the view that added it). It may hold data; none the service relies on.
     */
    private static final lab.core.Role STANDBY = lab.core.Role.withoutState("standby");

    private final int nodeId;
    private final PrimaryBackupConfig config;

    private Role role;
    private long view;
    private int primary;
    private long votedView;
    private long syncedView;
    private long lastEntryView;
    private final WriteLog log;

    private long lastHeardFromPrimaryNs;
    private boolean clockStarted;
    private final ViewElection election;
    private final ViewPolicy views;

    // primary
    private boolean established;
    private long viewStartIndex;
    private final Backups backups;
    /** A backup's detector on its primary: heartbeats sample it, every other message from the primary restarts it. */
    private final FailureDetector primaryWatch;
    private final BackupFeed feed;
    private final BackupMonitor monitor;

    private final PrimaryBackupStateTransfer stateTransfer;

    private final HopDepth hops = new HopDepth();
    private final PrimaryBackupAdapter adapter;
    private final PrimaryBackupPublisher publisher;

    public PrimaryBackupReplica(final int nodeId, final int replicas, final PrimaryBackupConfig config,
        final Random random, final boolean restarted)
    {
        this.nodeId = nodeId;
        this.config = config;
        this.publisher = new PrimaryBackupPublisher(nodeId, replicas, config.configNodes, hops);
        // the one draw from the seeded random at construction: the first election jitter
        this.election = new ViewElection(nodeId, replicas, config.primaryTimeoutNs, random, this, publisher);
        backups = new Backups(nodeId, replicas);
        views = config.views == PrimaryBackupConfig.Views.CONFIG_SERVICE ?
            new ServiceViews(nodeId, replicas, config, this, backups, publisher, restarted) :
            new MajorityViews(nodeId, replicas, config, this, election, backups);
        this.adapter =
            new PrimaryBackupAdapter(nodeId, replicas, config.configNodes, this, election, views, hops);
        primaryWatch = config.detector.newDetector(1, "primary-backup", config.primaryTimeoutNs);
        final EntryRing ring = new EntryRing(config.pendingCapacity);
        log = new WriteLog(ring, publisher);
        stateTransfer = new PrimaryBackupStateTransfer(nodeId, replicas, log.sessions(), publisher, adapter.wire(),
            config.snapshotRetryNs);
        feed = new BackupFeed(nodeId, backups, ring, stateTransfer);
        monitor = new BackupMonitor(nodeId, config, backups, feed, views, publisher, hops);

        if (restarted)
        {
            role = Role.RECOVERING;
            primary = -1;
        }
        else
        {
            // Bootstrap: every replica starts in view 1 with the empty state, replica 0 its primary.
            view = 1;
            votedView = 1;
            syncedView = 1;
            lastEntryView = 1;
            primary = 0;
            role = nodeId == 0 ? Role.PRIMARY : Role.BACKUP;
            if (role == Role.PRIMARY)
            {
                established = true; // every backup starts with the same empty state: nothing to send first
                log.bootstrap();
                backups.bootstrap();
                views.onBecomePrimary(0); // its backups and lease; the first event starts the clock
            }
        }
    }

    public long malformedMessages()
    {
        return adapter.wire().count();
    }

    public java.util.Map<String, Long> counters()
    {
        return java.util.Map.of("malformed_messages", adapter.wire().count());
    }

    /**
     * A replica its {@link ViewPolicy} does not count on to hold the state (pb-views=config-service: see
     * {@link ServiceViews#standby}) reports {@code standby}, a role without the state: the harness then never counts
     * it among the replicas that hold every acknowledged write.
     */
    public lab.core.Role role()
    {
        return views.standby(role, syncedView) ? STANDBY : role.value;
    }

    Role roleState()
    {
        return role;
    }

    long view()
    {
        return view;
    }

    long commitIndex()
    {
        return log.commitIndex();
    }

    long lastIndex()
    {
        return log.lastIndex();
    }

    long votedView()
    {
        return votedView;
    }

    long syncedView()
    {
        return syncedView;
    }

    /**
     * A backup's detector on its primary, for the election's timer.
     */
    FailureDetector primaryWatch()
    {
        return primaryWatch;
    }

    long lastEntryView()
    {
        return lastEntryView;
    }

    KvStore store()
    {
        return log.store();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Input

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        startClock(nowNs);
        adapter.onMessage(fromNode, buffer, offset, length, nowNs, out);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        startClock(nowNs);
        hops.startPath(); // timers: what they send follows no message
        // a view won in this tick's election is served from the next tick on
        final boolean primaryAtTick = role == Role.PRIMARY;
        views.onTick(nowNs, out);
        if (primaryAtTick)
        {
            primaryTick(nowNs, out);
        }
    }

    /**
     * Time only arrives with the first event: every timeout starts counting from it, not from 0 of an arbitrary
     * clock (System.nanoTime() is not 0 at start, the simulator's clock is).
     */
    private void startClock(final long nowNs)
    {
        if (!clockStarted)
        {
            clockStarted = true;
            lastHeardFromPrimaryNs = nowNs;
            views.startClock(nowNs);
            primaryWatch.reset(PRIMARY_PEER, nowNs);
            monitor.startClock(nowNs);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Clients

    void onClientRequest(final int from, final long clientId, final long seq, final OpType opType, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        if (opType == OpType.GET && config.backupReads && role == Role.BACKUP)
        {
            // The weak mode: answered from this backup's own state, no lease, no primary (see PrimaryBackupConfig).
            publisher.readResponse(out, from, clientId, seq, log.store().get(key));
            return;
        }
        if (role != Role.PRIMARY)
        {
            final int hint = primary >= 0 && primary != nodeId ? primary : -1;
            publisher.reply(out, from, clientId, seq, Status.REDIRECT, hint);
            return;
        }
        if (!established)
        {
            publisher.reply(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }
        if (opType == OpType.GET)
        {
            if (!views.mayRead(nowNs))
            {
                publisher.reply(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
                return;
            }
            publisher.readResponse(out, from, clientId, seq, log.store().get(key));
            return;
        }

        switch (log.sessions().check(clientId, seq))
        {
            case COMMITTED:
                publisher.writeDone(out, from, clientId, seq, log.sessions().committedVersion());
                return;
            case PROPOSED:
            case STALE:
                return; // still being replicated (the commit will answer), or older: its client has moved on
            default:
                break;
        }
        if (!views.enoughInSync() || log.full())
        {
            publisher.reply(out, from, clientId, seq, Status.UNAVAILABLE, nodeId);
            return;
        }

        final long index = log.propose(clientId, seq, view, nowNs, key, value, valueOffset, valueLength);
        feed.append(out, index);
        advanceCommit(out);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Primary

    private void primaryTick(final long nowNs, final Outbox out)
    {
        if (monitor.onTick(view, log.lastIndex(), log.commitIndex(), nowNs, out))
        {
            // No message commits these entries: they continue the path of the deepest ack the commit rests on.
            hops.resume(backups.deepestAckDepth());
            advanceCommit(out);
        }
        if (views.lostQuorum(nowNs))
        {
            stepDown(view, -1, nowNs);
        }
    }

    void onAck(final int from, final long ackView, final long acked, final long leaseNs, final boolean needSnapshot,
        final boolean answersHeartbeat, final long nowNs, final Outbox out)
    {
        if (ackView > view)
        {
            if (role == Role.PRIMARY)
            {
                stepDown(ackView, -1, nowNs);
            }
            return;
        }
        if (role != Role.PRIMARY || ackView < view)
        {
            return;
        }
        if (!monitor.onAck(from, acked, leaseNs, needSnapshot, answersHeartbeat, view, log.lastIndex(),
            log.commitIndex(), nowNs, out))
        {
            return;
        }
        if (!established)
        {
            established = views.established(viewStartIndex);
        }
        monitor.readmitIfCaughtUp(from, log.commitIndex());
        advanceCommit(out);
    }

    /**
     * Commits every entry all backups a commit waits for have ({@link ViewPolicy#commitThrough}), applies it and
     * answers its client.
     */
    private void advanceCommit(final Outbox out)
    {
        if (!established || !views.enoughInSync())
        {
            return;
        }
        log.commitThrough(views.commitThrough(log.lastIndex()), out);
    }

    void becomePrimary(final long newView, final long nowNs, final Outbox out)
    {
        role = Role.PRIMARY;
        view = newView;
        primary = nodeId;
        lastEntryView = newView;
        syncedView = newView;
        viewStartIndex = log.lastIndex();
        log.startView(); // what it holds is committed now
        // the state goes to every backup (monitor.startView): the view serves once those its policy needs hold it
        established = views.onBecomePrimary(nowNs);
        monitor.startView(view, log.commitIndex(), nowNs, out);
    }

    private void stepDown(final long newView, final int newPrimary, final long nowNs)
    {
        if (role == Role.PRIMARY)
        {
            log.abandonUncommitted(); // uncommitted entries die with this primary's reign; they were never acked
        }
        role = Role.BACKUP;
        views.onStepDown();
        view = Math.max(view, newView);
        primary = newPrimary;
        lastHeardFromPrimaryNs = nowNs;
        primaryWatch.reset(PRIMARY_PEER, nowNs);
        election.newJitter();
        established = false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Snapshots (sent by the BackupFeed through the PrimaryBackupStateTransfer; a SnapshotAck says which chunks a
    // backup holds, the Ack of the snapshot's index that it holds the state)

    void onSnapshotAck(final int from, final long ackView, final long transferId, final int receivedChunks,
        final long nowNs, final Outbox out)
    {
        if (role == Role.PRIMARY && ackView == view && backups.of(from).snapshotting)
        {
            feed.onSnapshotAck(out, from, view, transferId, receivedChunks, nowNs);
        }
    }

    void onSnapshotChunk(final int from, final long chunkView, final long index, final long transferId,
        final int chunkIndex, final int totalLength, final int checksum, final DirectBuffer bytes,
        final int bytesOffset, final int bytesLength, final long nowNs, final Outbox out)
    {
        if (!followPrimary(from, chunkView, nowNs, out))
        {
            return;
        }
        if (syncedView == chunkView && log.lastIndex() >= index)
        {
            stateAck(out, from); // holds it already: its ack was lost
            return;
        }
        if (!stateTransfer.onChunk(from, chunkView, index, transferId, chunkIndex, totalLength, checksum, bytes,
            bytesOffset, bytesLength, log.state(), out))
        {
            return; // more to come (acknowledged), or dropped: the primary resends what is not acknowledged
        }
        log.installed(index);
        lastEntryView = chunkView;
        syncedView = chunkView;
        role = Role.BACKUP;
        stateAck(out, from);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backup

    /**
     * Decides whether a message from the primary of {@code msgView} is to be followed. Fences primaries of old
     * views; adopts a newer view (asking for a snapshot when this replica does not hold that view's state).
     *
     * @return true when the sender is the primary this replica follows (snapshot chunks also pass when the state
     * is not yet synced).
     */
    private boolean followPrimary(final int from, final long msgView, final long nowNs, final Outbox out)
    {
        if (msgView < view || msgView < votedView || (msgView == view && role == Role.PRIMARY))
        {
            stateAck(out, from); // carries our higher view: the old primary steps down
            return false;
        }
        if (role == Role.PRIMARY || role == Role.CANDIDATE || role == Role.PRE_CANDIDATE)
        {
            stepDown(msgView, from, nowNs);
        }
        view = msgView;
        votedView = Math.max(votedView, msgView);
        primary = from;
        lastHeardFromPrimaryNs = nowNs;
        primaryWatch.heard(PRIMARY_PEER, nowNs);
        return true;
    }

    void onReplicate(final int from, final long clientId, final long seq, final long msgView, final long index,
        final long leaseNs, final long key, final DirectBuffer value, final int valueOffset, final int valueLength,
        final long nowNs, final Outbox out)
    {
        if (!followPrimary(from, msgView, nowNs, out))
        {
            return;
        }
        if (syncedView != msgView)
        {
            ack(out, from, clientId, seq, leaseNs, true);
            return;
        }
        log.applyNext(index, clientId, seq, key, value, valueOffset, valueLength);
        ack(out, from, clientId, seq, leaseNs, false);
    }

    void onHeartbeat(final int from, final long msgView, final long leaseNs, final long nowNs, final Outbox out)
    {
        if (!followPrimary(from, msgView, nowNs, out))
        {
            return;
        }
        primaryWatch.heartbeat(PRIMARY_PEER, nowNs);
        ack(out, from, 0, 0, leaseNs, syncedView != msgView);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // pb-views=config-service: ServiceViews adopts each newer view the service sends and moves the replica

    /**
     * The service named this replica primary of {@code newView}: it takes over (a primary goes on in the new view,
     * its backups changed), unless it restarted without its state.
     *
     * @return false when it has no state to serve from: its heartbeats say so, and the service promotes another.
     */
    boolean leadServiceView(final long newView, final long nowNs, final Outbox out)
    {
        if (role == Role.RECOVERING)
        {
            view = newView;
            votedView = newView;
            primary = -1;
            return false;
        }
        if (role != Role.PRIMARY || view != newView)
        {
            if (role == Role.PRIMARY)
            {
                // The primary goes on in a new view (its backups changed). Its entries not yet committed were
                // never answered and are not applied to its store (a backup's are, on receipt): they are
                // dropped, and their clients' retries are ordered again in the new view.
                log.abandonUncommitted();
            }
            becomePrimary(newView, nowNs, out);
        }
        votedView = newView;
        return true;
    }

    /**
     * The service named another replica primary of {@code newView}: a primary steps down, everyone follows it.
     */
    void followServiceView(final long newView, final int newPrimary, final long nowNs)
    {
        if (role == Role.PRIMARY)
        {
            stepDown(newView, newPrimary, nowNs);
        }
        if (newView > view)
        {
            primaryWatch.reset(PRIMARY_PEER, nowNs);
        }
        view = newView;
        votedView = newView;
        primary = newPrimary;
    }

    /**
     * An ack of the primary's message being handled: what this replica holds ({@code lastIndex}), and the highest
     * view it knows of: a primary below it steps down.
     */
    private void ack(final Outbox out, final int to, final long clientId, final long seq, final long leaseNs,
        final boolean needSnapshot)
    {
        publisher.ack(out, to, clientId, seq, Math.max(view, votedView), log.lastIndex(), leaseNs, needSnapshot);
    }

    /**
     * What this replica holds and the highest view it knows of, answering no entry: an installed snapshot, or the
     * refusal that fences an old primary.
     */
    private void stateAck(final Outbox out, final int to)
    {
        publisher.stateAck(out, to, Math.max(view, votedView), log.lastIndex());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // View change: the ViewElection runs it and tells the replica how its role and vote change

    /**
     * The election's pre-vote round starts: this replica stands for no view yet.
     */
    void becomePreCandidate()
    {
        role = Role.PRE_CANDIDATE;
    }

    /**
     * The pre-vote passed: this replica stands for {@code proposedView}, with its own vote.
     */
    void becomeCandidate(final long proposedView)
    {
        role = Role.CANDIDATE;
        votedView = proposedView;
    }

    /**
     * A replica that is primary, or a backup that heard from its primary within the timeout, votes no one in. So
     * does one standing itself that heard from its primary within the timeout: a detector other than the fixed
     * timeout (phi) may stand a backup sooner, and the read lease rests on this promise, not on when it stood (with
     * the fixed timeout a replica stands only after more than the timeout of silence, so this changes nothing).
     */
    boolean primaryAlive(final long nowNs)
    {
        final boolean selfIsPrimary = role == Role.PRIMARY;
        return ElectionRules.leaderLive(selfIsPrimary, lastHeardFromPrimaryNs, config.primaryTimeoutNs, nowNs) &&
            (selfIsPrimary || (role == Role.BACKUP && primary >= 0) || role == Role.PRE_CANDIDATE ||
                role == Role.CANDIDATE);
    }

    /**
     * Votes for a candidate of {@code requested}: this replica stops standing itself and waits a whole timeout for
     * the candidate before standing.
     */
    void grantVote(final long requested, final long nowNs)
    {
        votedView = requested;
        if (role == Role.CANDIDATE || role == Role.PRE_CANDIDATE)
        {
            role = Role.BACKUP;
        }
        lastHeardFromPrimaryNs = nowNs;
        primaryWatch.reset(PRIMARY_PEER, nowNs);
    }
}
