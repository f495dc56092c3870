package lab.chain;

import java.util.Arrays;

import lab.control.ConfigService;
import lab.control.MemberWatch;
import lab.core.Replica;
import lab.core.Role;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ConfigEncoder;
import lab.chain.codec.HeartbeatDecoder;
import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The chain's configuration manager (the paper's "master"). It owns the chain (an ordered member list) and its
 * epoch, and changes it when:
 * <ul>
 *     <li>a member has not sent a heartbeat for the failure timeout: it is removed (head failure promotes the
 *     successor, tail failure the predecessor, a middle failure links predecessor to successor). The timeout is
 *     longer than the read lease it granted the member, so the member has stopped serving reads by then;</li>
 *     <li>a member reports it has no state (it restarted before it was found dead): it is removed and joins again;</li>
 *     <li>a replica outside the chain has no state: it is appended at the tail as the joiner; one joiner at a time,
 *     until it reports its state transfer done.</li>
 * </ul>
 * Every heartbeat is answered with the current configuration, which carries the member's lease; every change is
 * also pushed to every replica at once. The last member holding state is never removed: with it gone there is
 * nothing to copy state from.
 *
 * <p>Two deployments ({@code chain-manager}): {@code single}, one unreplicated manager (node id {@code replicas}),
 * whose changes take effect at once and whose crash stops every repair; and {@code raft} (the default), one manager
 * per control node ({@code chain-managers} of them, node ids from {@code replicas}), where the chain's configuration
 * is the register of a {@link ConfigService} replicated with Raft. There only the node that leads the service and has read
 * the committed configuration acts: it answers heartbeats and pushes configurations; a change is proposed to the
 * service and takes effect (epoch and all) only once committed, one at a time, so epochs stay monotonic across
 * manager failovers. While a change is pending no lease is granted (it may remove the member asking). A new acting
 * manager hears nothing for the failure timeout plus the service's election timeout before it removes anyone: a
 * deposed leader that did not know it yet (check-quorum steps it down within an election timeout) may have granted
 * leases until then.
 */
public final class ChainManager implements Replica, ConfigService.Listener
{
    private static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final Role ACTING = Role.serving("manager");
    /** The acting manager with a change proposed and not yet committed. */
    private static final Role RECONFIGURING = Role.serving("reconfiguring");
    private static final Role STANDBY = Role.standing("standby-manager");

    private final int n;
    private final ChainConfig config;
    /** The replicated configuration, or null for the single manager (changes committed at once). */
    private final ConfigService service;

    // The committed configuration: valid while acting.
    private final int[] members;
    private int memberCount;
    private long epoch = 1;
    private int joiner = -1;
    // The configuration being proposed (raft): committed, it becomes the one above.
    private final int[] nextMembers;
    private int nextCount;
    private int nextJoiner;
    private long proposedEpoch;

    /** Single: always; raft: while this node leads the service and knows the committed configuration. */
    private boolean acting;
    private boolean started;
    /**
     * Who is silent ({@code --opt failure-detector} suspects, the failure timeout is the floor of a removal), which
     * heartbeat is news, and the takeover grace: the shared {@link MemberWatch}.
     */
    private final MemberWatch watch;
    // The latest heartbeat of each replica not yet acted on (its news), and what it said.
    private final boolean[] news;
    private final boolean[] reportedSynced;
    private final long[] reportedEpoch;
    private long reconfigurations;

    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer configBuffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final ConfigEncoder configEncoder = new ConfigEncoder();
    private final WireCheck wire;

    /**
     * The single manager, node id {@code replicas}.
     */
    public ChainManager(final int replicas, final ChainConfig config)
    {
        this(replicas, replicas, config, null, 0);
        acting = true;
    }

    /**
     * One of the replicated managers.
     *
     * @param serviceFor builds this node's part of the configuration service, given the listener (this manager).
     */
    ChainManager(final int nodeId, final int replicas, final ChainConfig config,
        final java.util.function.Function<ConfigService.Listener, ConfigService> serviceFor,
        final long takeoverGraceNs)
    {
        this.n = replicas;
        this.config = config;
        this.wire = new WireCheck("node " + nodeId + " (chain manager)");
        members = new int[replicas];
        nextMembers = new int[replicas];
        watch = new MemberWatch(replicas, config.detector.newDetector(replicas, "chain"), takeoverGraceNs);
        news = new boolean[replicas];
        reportedSynced = new boolean[replicas];
        reportedEpoch = new long[replicas];
        initialChain();
        this.service = serviceFor == null ? null : serviceFor.apply(this);
    }

    private void initialChain()
    {
        epoch = 1;
        joiner = -1;
        memberCount = n;
        for (int i = 0; i < n; i++)
        {
            members[i] = i;
        }
    }

    public Role role()
    {
        return !acting ? STANDBY : pending() ? RECONFIGURING : ACTING;
    }

    public java.util.Map<String, Long> counters()
    {
        final java.util.Map<String, Long> counters = new java.util.HashMap<>();
        if (service != null)
        {
            counters.putAll(service.counters());
        }
        counters.put("chain_reconfigurations", reconfigurations);
        counters.put("malformed_messages", malformedMessages());
        return counters;
    }

    /**
     * @return whether this manager acts (single: always; raft: it leads the service and knows its configuration).
     */
    public boolean acting()
    {
        return acting;
    }

    public long epoch()
    {
        return epoch;
    }

    /**
     * @return the chain from head to tail.
     */
    public int[] chain()
    {
        return Arrays.copyOf(members, memberCount);
    }

    public int joiner()
    {
        return joiner;
    }

    /**
     * @return configurations this node committed as the acting manager.
     */
    public long reconfigurations()
    {
        return reconfigurations;
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        if (service != null && service.onMessage(fromNode, buffer, offset, length, nowNs, out))
        {
            return;
        }
        final int schemaId =
            wire.open(fromNode, buffer, offset, length, MessageHeaderDecoder.SCHEMA_ID, WireCheck.NO_SCHEMA);
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (ChainWire.manager(wire, fromNode, n))
        {
            headerDecoder.wrap(buffer, offset);
            onHeartbeat(fromNode, heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder), nowNs, out);
        }
    }

    public long malformedMessages()
    {
        return wire.count() + (service != null ? service.malformedMessages() : 0);
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (service != null)
        {
            service.onTick(nowNs, out);
        }
        if (!started && acting)
        {
            started = true;
            watch.start(nowNs);
        }
        decide(true, nowNs, out);
    }

    public void flush(final long nowNs, final Outbox out)
    {
        if (service != null)
        {
            service.flush(nowNs, out);
        }
    }

    private void onHeartbeat(final int from, final HeartbeatDecoder hb, final long nowNs, final Outbox out)
    {
        if (!watch.fresh(from, hb.sentNs()))
        {
            return; // overtaken by a newer heartbeat (reordering, duplication): its news is stale
        }
        if (!acting)
        {
            return; // a standby: the acting manager answers
        }
        watch.heard(from, nowNs);
        news[from] = true;
        reportedSynced[from] = hb.synced() == BooleanType.TRUE;
        reportedEpoch[from] = hb.epoch();
        decide(false, nowNs, out);
        final boolean lease = indexOf(members, memberCount, from) >= 0 && !pending();
        sendConfig(out, from, lease ? hb.sentNs() : Long.MIN_VALUE);
    }

    private boolean pending()
    {
        return service != null && service.proposing();
    }

    /**
     * Computes the next configuration from the committed one and what the replicas said, and commits it (single)
     * or proposes it (raft; nothing more is decided until it is committed).
     *
     * @param silence whether to remove members silent for the failure timeout (on ticks; a heartbeat only brings
     *                its sender's news).
     */
    private void decide(final boolean silence, final long nowNs, final Outbox out)
    {
        if (!acting || !started && silence || pending())
        {
            return;
        }
        System.arraycopy(members, 0, nextMembers, 0, memberCount);
        nextCount = memberCount;
        nextJoiner = joiner;
        boolean changed = false;
        if (silence)
        {
            for (int i = nextCount - 1; i >= 0; i--)
            {
                final int node = nextMembers[i];
                // the detector suspects; the failure timeout is the floor the member's read lease rests on
                if (watch.silent(node, config.failureTimeoutNs, nowNs) && canRemove(node))
                {
                    remove(i);
                    changed = true;
                }
            }
        }
        for (int from = 0; from < n; from++)
        {
            if (news[from])
            {
                news[from] = false;
                changed |= onNews(from, reportedSynced[from], reportedEpoch[from]);
            }
        }
        if (!changed && nextJoiner == joiner)
        {
            return;
        }
        // A joiner caught up changes only the manager's own bookkeeping (one joiner at a time): the chain and its
        // epoch stay. Anything else is a new chain, a new epoch.
        final long nextEpoch = changed ? epoch + 1 : epoch;
        if (service == null)
        {
            commitNext(nextEpoch, out);
        }
        else
        {
            proposedEpoch = nextEpoch;
            service.propose(configBuffer, 0, encodeNext(nextEpoch), nowNs);
        }
    }

    /**
     * A replica's heartbeat, applied to the next configuration.
     *
     * @return whether it changed.
     */
    private boolean onNews(final int from, final boolean synced, final long reported)
    {
        final int index = indexOf(nextMembers, nextCount, from);
        if (index >= 0 && from == nextJoiner)
        {
            if (synced && reported == epoch)
            {
                nextJoiner = -1; // caught up: the next one may join
            }
        }
        else if (index >= 0 && !synced && reported <= epoch && canRemove(from))
        {
            // A member that lost its state (restarted before its silence was noticed): out, then in at the tail.
            remove(index);
            if (nextJoiner < 0)
            {
                append(from);
            }
            return true;
        }
        else if (index < 0 && !synced && nextJoiner < 0 && hasStatefulMember())
        {
            append(from);
            return true;
        }
        return false;
    }

    private boolean canRemove(final int node)
    {
        for (int i = 0; i < nextCount; i++)
        {
            final int other = nextMembers[i];
            if (other != node && other != nextJoiner)
            {
                return true;
            }
        }
        return false;
    }

    private boolean hasStatefulMember()
    {
        for (int i = 0; i < nextCount; i++)
        {
            if (nextMembers[i] != nextJoiner)
            {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(final int[] chain, final int count, final int node)
    {
        for (int i = 0; i < count; i++)
        {
            if (chain[i] == node)
            {
                return i;
            }
        }
        return -1;
    }

    private void remove(final int index)
    {
        if (nextMembers[index] == nextJoiner)
        {
            nextJoiner = -1;
        }
        System.arraycopy(nextMembers, index + 1, nextMembers, index, nextCount - index - 1);
        nextCount--;
    }

    private void append(final int node)
    {
        nextMembers[nextCount++] = node;
        nextJoiner = node;
    }

    private void commitNext(final long nextEpoch, final Outbox out)
    {
        System.arraycopy(nextMembers, 0, members, 0, nextCount);
        memberCount = nextCount;
        joiner = nextJoiner;
        if (nextEpoch > epoch)
        {
            epoch = nextEpoch;
            reconfigurations++;
            pushToAll(out);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The replicated configuration (chain-manager=raft): [epoch: 8][joiner: 4][count: 4][members: 4 each]

    private int encodeNext(final long nextEpoch)
    {
        configBuffer.putLong(0, nextEpoch);
        configBuffer.putInt(8, nextJoiner);
        configBuffer.putInt(12, nextCount);
        for (int i = 0; i < nextCount; i++)
        {
            configBuffer.putInt(16 + 4 * i, nextMembers[i]);
        }
        return 16 + 4 * nextCount;
    }

    public void onActive(final DirectBuffer value, final int offset, final int length, final long nowNs,
        final Outbox out)
    {
        if (length == 0)
        {
            initialChain(); // nothing committed yet: the chain every replica starts with
        }
        else
        {
            epoch = value.getLong(offset);
            joiner = value.getInt(offset + 8);
            memberCount = value.getInt(offset + 12);
            for (int i = 0; i < memberCount; i++)
            {
                members[i] = value.getInt(offset + 16 + 4 * i);
            }
        }
        acting = true;
        started = true;
        Arrays.fill(news, false);
        watch.start(nowNs);
        pushToAll(out); // what a failed manager may not have pushed before it failed
    }

    public void onCommitted(final long nowNs, final Outbox out)
    {
        commitNext(proposedEpoch, out);
    }

    public void onInactive(final long nowNs)
    {
        acting = false;
        started = false;
    }

    private void pushToAll(final Outbox out)
    {
        for (int r = 0; r < n; r++)
        {
            sendConfig(out, r, Long.MIN_VALUE);
        }
    }

    private void sendConfig(final Outbox out, final int to, final long leaseSentNs)
    {
        final ConfigEncoder.MembersEncoder group = configEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .depth(1).clientId(0).seq(0).epoch(epoch).leaseSentNs(leaseSentNs).joiner(joiner)
            .membersCount(memberCount);
        for (int i = 0; i < memberCount; i++)
        {
            group.next().nodeId(members[i]);
        }
        out.send(to, sendBuffer, 0, HEADER_LENGTH + configEncoder.encodedLength());
    }
}
