package lab.chain;

import java.util.Arrays;

import lab.core.Endpoint;
import lab.core.Outbox;
import lab.core.WireCheck;
import lab.core.detect.FailureDetector;
import lab.chain.codec.BooleanType;
import lab.chain.codec.ConfigEncoder;
import lab.chain.codec.HeartbeatDecoder;
import lab.chain.codec.MessageHeaderDecoder;
import lab.chain.codec.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The chain's configuration manager: one process, node id {@code replicas} (the paper's "master", here not
 * replicated). It owns the chain (an ordered member list) and its epoch, and changes it when:
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
 */
public final class ChainManager implements Endpoint
{
    private static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    private final int n;
    private final ChainConfig config;
    private final int[] members;
    private int memberCount;
    private long epoch = 1;
    private int joiner = -1;
    private boolean started;
    private final long[] lastHeardNs;
    private final long[] lastSentNs;
    private final FailureDetector detector;
    private long reconfigurations;

    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final ConfigEncoder configEncoder = new ConfigEncoder();
    private final WireCheck wire;

    public ChainManager(final int replicas, final ChainConfig config)
    {
        this.n = replicas;
        this.config = config;
        this.wire = new WireCheck("node " + replicas + " (chain manager)");
        members = new int[replicas];
        lastHeardNs = new long[replicas];
        lastSentNs = new long[replicas];
        detector = config.detector.newDetector(replicas, "chain");
        Arrays.fill(lastSentNs, Long.MIN_VALUE);
        memberCount = replicas;
        for (int i = 0; i < replicas; i++)
        {
            members[i] = i;
        }
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

    public long reconfigurations()
    {
        return reconfigurations;
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
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
        return wire.count();
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        if (!started)
        {
            started = true;
            Arrays.fill(lastHeardNs, nowNs);
            for (int i = 0; i < n; i++)
            {
                detector.reset(i, nowNs);
            }
        }
        boolean changed = false;
        for (int i = memberCount - 1; i >= 0; i--)
        {
            final int node = members[i];
            // the detector suspects; the failure timeout is the floor the member's read lease rests on
            if (detector.suspected(node, nowNs) && nowNs - lastHeardNs[node] > config.failureTimeoutNs &&
                canRemove(node))
            {
                remove(i);
                changed = true;
            }
        }
        if (changed)
        {
            reconfigure(out);
        }
    }

    private void onHeartbeat(final int from, final HeartbeatDecoder hb, final long nowNs, final Outbox out)
    {
        if (hb.sentNs() <= lastSentNs[from])
        {
            return; // overtaken by a newer heartbeat (reordering, duplication): its news is stale
        }
        lastSentNs[from] = hb.sentNs();
        lastHeardNs[from] = nowNs;
        detector.heartbeat(from, nowNs);
        final boolean synced = hb.synced() == BooleanType.TRUE;
        final int index = indexOf(from);
        if (index >= 0 && from == joiner)
        {
            if (synced && hb.epoch() == epoch)
            {
                joiner = -1; // caught up: the next one may join
            }
        }
        else if (index >= 0 && !synced && hb.epoch() <= epoch && canRemove(from))
        {
            // A member that lost its state (restarted before its silence was noticed): out, then in at the tail.
            remove(index);
            if (joiner < 0)
            {
                append(from);
            }
            reconfigure(out);
        }
        else if (index < 0 && !synced && joiner < 0 && hasStatefulMember())
        {
            append(from);
            reconfigure(out);
        }
        sendConfig(out, from, indexOf(from) >= 0 ? hb.sentNs() : Long.MIN_VALUE);
    }

    private boolean canRemove(final int node)
    {
        for (int i = 0; i < memberCount; i++)
        {
            final int other = members[i];
            if (other != node && other != joiner)
            {
                return true;
            }
        }
        return false;
    }

    private boolean hasStatefulMember()
    {
        for (int i = 0; i < memberCount; i++)
        {
            if (members[i] != joiner)
            {
                return true;
            }
        }
        return false;
    }

    private int indexOf(final int node)
    {
        for (int i = 0; i < memberCount; i++)
        {
            if (members[i] == node)
            {
                return i;
            }
        }
        return -1;
    }

    private void remove(final int index)
    {
        if (members[index] == joiner)
        {
            joiner = -1;
        }
        System.arraycopy(members, index + 1, members, index, memberCount - index - 1);
        memberCount--;
    }

    private void append(final int node)
    {
        members[memberCount++] = node;
        joiner = node;
    }

    private void reconfigure(final Outbox out)
    {
        epoch++;
        reconfigurations++;
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
