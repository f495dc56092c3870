package lab.primarybackup;

import java.util.Arrays;
import java.util.function.Function;

import lab.control.ConfigService;
import lab.control.MemberWatch;
import lab.core.Outbox;
import lab.core.Replica;
import lab.core.Role;
import lab.core.WireCheck;
import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.MessageHeaderEncoder;
import lab.primarybackup.codec.ServiceHeartbeatDecoder;
import lab.primarybackup.codec.ViewEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One node of primary-backup's configuration service ({@code pb-views=config-service}): views (view number, primary,
 * backups) are the register of a {@link ConfigService} replicated with Raft on {@code pb-config-nodes} control nodes
 * (node ids from {@code replicas}), not a majority vote of the replicas. Only the node that leads the service and
 * has read the committed view acts: it answers every replica's heartbeat with the view, pushes each committed view to
 * every replica, and proposes the next view, one at a time, taking effect once committed (so view numbers never go
 * back across service failovers).
 *
 * <p>The classic design: the primary answers a write only once every backup of its view has it, so the service may
 * promote any backup that holds the view's state. A backup holds it from the moment it installed the state of a
 * primary of a view at least the one that added it ({@code joinedView}); its heartbeats say which view's state it
 * holds ({@code syncedView}, 0 after a restart). The next view:
 * <ul>
 *     <li>the primary silent for {@code pb-primary-timeout} (or restarted without its state): a backup that holds the
 *     state and was heard lately becomes primary; none: the view stays (no one else has every acknowledged write);</li>
 *     <li>a backup silent for {@code pb-backup-timeout}: removed, so that the primary's writes go on (it waits for
 *     every backup of its view until then);</li>
 *     <li>a replica outside the view that heartbeats: added as a backup (its joinedView the new view); the primary
 *     sends it its state.</li>
 * </ul>
 * The primary serves reads under a lease granted with the answers to its heartbeats while no change is pending
 * ({@link lab.control.ServiceLease}); it is replaced only after the primary timeout of silence (the lease ends a drift
 * margin before), and a new acting node waits a Raft election timeout beyond that ({@link MemberWatch}).
 *
 * <p>The register: {@code [view: 8][primary: 4][count: 4]} then per backup {@code [node: 4][joinedView: 8]}.
 */
public final class ViewService implements Replica, ConfigService.Listener
{
    private static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int FIXED = 16;
    private static final int PER_BACKUP = 12;
    /** Acting with the committed view (the name the torture's control-plane faults look for). */
    private static final Role ACTING = Role.serving("manager");
    /** Acting with a view proposed and not yet committed. */
    private static final Role RECONFIGURING = Role.serving("reconfiguring");
    private static final Role STANDBY = Role.standing("standby-manager");

    private final int n;
    private final PrimaryBackupConfig config;
    private final ConfigService service;
    private final MemberWatch watch;

    // The committed view: valid while acting.
    private long view;
    private int primary;
    private final int[] backups;
    private final long[] joinedView;
    private int backupCount;
    // The view being computed or proposed.
    private int nextPrimary;
    private final int[] nextBackups;
    private final long[] nextJoinedView;
    private int nextBackupCount;

    private boolean acting;
    // Each replica's latest heartbeat: whether it is news not yet acted on, and the view whose state it holds.
    private final boolean[] news;
    private final long[] syncedView;
    private long viewChanges;

    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer registerBuffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ServiceHeartbeatDecoder heartbeatDecoder = new ServiceHeartbeatDecoder();
    private final ViewEncoder viewEncoder = new ViewEncoder();
    private final WireCheck wire;

    /**
     * @param serviceFor builds this node's part of the configuration service, given the listener (this node).
     * @param takeoverGraceNs the service's Raft election timeout: a new acting node waits it beyond the timeouts.
     */
    ViewService(final int nodeId, final int replicas, final PrimaryBackupConfig config,
        final Function<ConfigService.Listener, ConfigService> serviceFor, final long takeoverGraceNs)
    {
        this.n = replicas;
        this.config = config;
        this.wire = new WireCheck("node " + nodeId + " (primary-backup view service)");
        backups = new int[replicas];
        joinedView = new long[replicas];
        nextBackups = new int[replicas];
        nextJoinedView = new long[replicas];
        news = new boolean[replicas];
        syncedView = new long[replicas];
        // the backups' timeout is the detector's own; the primary's removal also waits out the (longer) lease floor
        watch = new MemberWatch(replicas, config.detector.newDetector(replicas, "primary-backup",
            config.backupTimeoutNs), takeoverGraceNs);
        initialView();
        this.service = serviceFor.apply(this);
    }

    /**
     * The view every replica starts in: view 1, replica 0 primary, every other a backup holding view 1's (empty)
     * state.
     */
    private void initialView()
    {
        view = 1;
        primary = 0;
        backupCount = n - 1;
        for (int i = 1; i < n; i++)
        {
            backups[i - 1] = i;
            joinedView[i - 1] = 1;
        }
    }

    public Role role()
    {
        return !acting ? STANDBY : service.proposing() ? RECONFIGURING : ACTING;
    }

    public java.util.Map<String, Long> counters()
    {
        final java.util.Map<String, Long> counters = new java.util.HashMap<>(service.counters());
        counters.put("pb_view_changes", viewChanges);
        counters.put("malformed_messages", malformedMessages());
        return counters;
    }

    public long malformedMessages()
    {
        return wire.count() + service.malformedMessages();
    }

    /**
     * @return whether this node acts (it leads the service and knows the committed view).
     */
    public boolean acting()
    {
        return acting;
    }

    public long view()
    {
        return view;
    }

    public int primary()
    {
        return primary;
    }

    /**
     * @return the committed view's backups.
     */
    public int[] backups()
    {
        return Arrays.copyOf(backups, backupCount);
    }

    /**
     * @return views this node committed as the acting node.
     */
    public long viewChanges()
    {
        return viewChanges;
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        if (service.onMessage(fromNode, buffer, offset, length, nowNs, out))
        {
            return;
        }
        final int schemaId =
            wire.open(fromNode, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, WireCheck.NO_SCHEMA);
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (PrimaryBackupWire.serviceHeartbeat(wire, fromNode, n))
        {
            headerDecoder.wrap(buffer, offset);
            final ServiceHeartbeatDecoder hb = heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            onHeartbeat(fromNode, hb.syncedView(), hb.sentNs(), nowNs, out);
        }
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        service.onTick(nowNs, out);
        decide(true, nowNs, out);
    }

    public void flush(final long nowNs, final Outbox out)
    {
        service.flush(nowNs, out);
    }

    private void onHeartbeat(final int from, final long synced, final long sentNs, final long nowNs,
        final Outbox out)
    {
        if (!watch.fresh(from, sentNs) || !acting)
        {
            return; // overtaken by a newer heartbeat; or a standby: the acting node answers
        }
        watch.heard(from, nowNs);
        news[from] = true;
        syncedView[from] = synced;
        decide(false, nowNs, out);
        // The lease goes to the committed view's primary, never while a change is pending (it may replace it).
        sendView(out, from, from == primary && !service.proposing() ? sentNs : Long.MIN_VALUE, 2);
    }

    /**
     * Computes the next view from the committed one and what the replicas said, and proposes it (nothing more is
     * decided until it is committed).
     *
     * @param silence whether to act on silences (on ticks; a heartbeat only brings its sender's news).
     */
    private void decide(final boolean silence, final long nowNs, final Outbox out)
    {
        if (!acting || service.proposing())
        {
            return;
        }
        nextPrimary = primary;
        System.arraycopy(backups, 0, nextBackups, 0, backupCount);
        System.arraycopy(joinedView, 0, nextJoinedView, 0, backupCount);
        nextBackupCount = backupCount;
        final long nextView = view + 1;
        boolean changed = false;

        final boolean primaryLost = silence && watch.silent(primary, config.primaryTimeoutNs, nowNs) ||
            watch.heardSinceStart(primary) && syncedView[primary] == 0; // restarted: its state and lease are gone
        if (primaryLost)
        {
            final int successor = promotable(nowNs);
            if (successor < 0)
            {
                return; // no one else is known to hold every acknowledged write: the view stays
            }
            nextPrimary = nextBackups[successor];
            removeBackup(successor);
            changed = true;
        }
        if (silence)
        {
            // Backups silent for their timeout leave the view, so that the primary's writes go on.
            for (int i = nextBackupCount - 1; i >= 0; i--)
            {
                if (watch.silent(nextBackups[i], config.backupTimeoutNs, nowNs))
                {
                    removeBackup(i);
                    changed = true;
                }
            }
        }
        // Replicas outside the view that heartbeat are added: the primary sends them its state.
        for (int r = 0; r < n; r++)
        {
            if (news[r] && r != nextPrimary && r != primary && indexOf(nextBackups, nextBackupCount, r) < 0)
            {
                nextBackups[nextBackupCount] = r;
                nextJoinedView[nextBackupCount] = nextView;
                nextBackupCount++;
                changed = true;
            }
        }
        Arrays.fill(news, false);
        if (changed)
        {
            service.propose(registerBuffer, 0, encodeNext(nextView), nowNs);
        }
    }

    /**
     * @return the index among the next backups of one that may become primary: it holds the state of a view at
     * least the one that added it (said in a heartbeat of this reign), and is not silent; -1 if none.
     */
    private int promotable(final long nowNs)
    {
        int best = -1;
        for (int i = 0; i < nextBackupCount; i++)
        {
            final int b = nextBackups[i];
            if (watch.heardSinceStart(b) && syncedView[b] >= nextJoinedView[i] &&
                !watch.silent(b, config.backupTimeoutNs, nowNs) &&
                (best < 0 || watch.lastHeardNs(b) > watch.lastHeardNs(nextBackups[best])))
            {
                best = i;
            }
        }
        return best;
    }

    private void removeBackup(final int index)
    {
        System.arraycopy(nextBackups, index + 1, nextBackups, index, nextBackupCount - index - 1);
        System.arraycopy(nextJoinedView, index + 1, nextJoinedView, index, nextBackupCount - index - 1);
        nextBackupCount--;
    }

    private static int indexOf(final int[] nodes, final int count, final int node)
    {
        for (int i = 0; i < count; i++)
        {
            if (nodes[i] == node)
            {
                return i;
            }
        }
        return -1;
    }

    private int encodeNext(final long nextView)
    {
        registerBuffer.putLong(0, nextView);
        registerBuffer.putInt(8, nextPrimary);
        registerBuffer.putInt(12, nextBackupCount);
        for (int i = 0; i < nextBackupCount; i++)
        {
            registerBuffer.putInt(FIXED + PER_BACKUP * i, nextBackups[i]);
            registerBuffer.putLong(FIXED + PER_BACKUP * i + 4, nextJoinedView[i]);
        }
        return FIXED + PER_BACKUP * nextBackupCount;
    }

    public void onActive(final DirectBuffer value, final int offset, final int length, final long nowNs,
        final Outbox out)
    {
        if (length == 0)
        {
            initialView(); // nothing committed yet: the view every replica starts in
        }
        else
        {
            view = value.getLong(offset);
            primary = value.getInt(offset + 8);
            backupCount = value.getInt(offset + 12);
            for (int i = 0; i < backupCount; i++)
            {
                backups[i] = value.getInt(offset + FIXED + PER_BACKUP * i);
                joinedView[i] = value.getLong(offset + FIXED + PER_BACKUP * i + 4);
            }
        }
        acting = true;
        Arrays.fill(news, false);
        Arrays.fill(syncedView, -1);
        watch.start(nowNs);
        pushToAll(out); // what a failed acting node may not have pushed before it failed
    }

    public void onCommitted(final long nowNs, final Outbox out)
    {
        view = registerBuffer.getLong(0);
        primary = nextPrimary;
        System.arraycopy(nextBackups, 0, backups, 0, nextBackupCount);
        System.arraycopy(nextJoinedView, 0, joinedView, 0, nextBackupCount);
        backupCount = nextBackupCount;
        viewChanges++;
        pushToAll(out);
    }

    public void onInactive(final long nowNs)
    {
        acting = false;
    }

    private void pushToAll(final Outbox out)
    {
        for (int r = 0; r < n; r++)
        {
            sendView(out, r, Long.MIN_VALUE, 1);
        }
    }

    /**
     * @param depth 1 for a push, 2 for an answer to a heartbeat (a hop after it).
     */
    private void sendView(final Outbox out, final int to, final long leaseSentNs, final int depth)
    {
        final ViewEncoder.BackupsEncoder group = viewEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(depth).clientId(0).seq(0).view(view).primary(primary).leaseSentNs(leaseSentNs)
            .backupsCount(backupCount);
        for (int i = 0; i < backupCount; i++)
        {
            group.next().nodeId(backups[i]).joinedView(joinedView[i]);
        }
        out.send(to, sendBuffer, 0, HEADER_LENGTH + viewEncoder.encodedLength());
    }
}
