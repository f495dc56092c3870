package lab.core;

import lab.core.codec.ClientMessages;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Client side shared by protocols that send each operation to one replica and complete it on that replica's
 * {@code ClientResponse}: primary-backup (the primary), chain (head for writes, tail for reads), Raft (the leader),
 * the unreplicated and echo baselines. It follows {@code REDIRECT} hints, backs off on {@code UNAVAILABLE} and
 * resends the same (session, seq) on timeout to the next replica, so the replica's duplicate detection keeps a
 * retried write applied once.
 */
public class TargetedClient implements ClientProtocol
{
    protected final int clientNode;
    protected final int replicas;
    private final long retryTimeoutNs;
    private final long backoffNs;
    private final ClientMessages messages = new ClientMessages();
    /** Validates what arrives before it is decoded; counts what it drops. */
    protected final WireCheck wire;
    protected int knownLeader;
    private long lastNowNs;

    private final boolean[] active;
    private final long[] seq;
    private final OpType[] opType;
    private final long[] key;
    private final ExpandableArrayBuffer[] value;
    private final int[] valueLength;
    private final int[] target;
    private final long[] resendAtNs;
    private final long[] sessionId;
    private final boolean[] backingOff;
    private final int[] attempts;

    public TargetedClient(final int clientNode, final ProtocolSettings settings, final long retryTimeoutNs,
        final long backoffNs)
    {
        this.clientNode = clientNode;
        this.replicas = settings.replicas();
        this.retryTimeoutNs = retryTimeoutNs;
        this.backoffNs = backoffNs;
        this.wire = new WireCheck("node " + clientNode + " (client)");
        final int slots = settings.slotsPerClient();
        active = new boolean[slots];
        seq = new long[slots];
        opType = new OpType[slots];
        key = new long[slots];
        value = new ExpandableArrayBuffer[slots];
        valueLength = new int[slots];
        target = new int[slots];
        resendAtNs = new long[slots];
        sessionId = new long[slots];
        backingOff = new boolean[slots];
        attempts = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            value[i] = new ExpandableArrayBuffer(64);
            sessionId[i] = ClientSessions.sessionId(clientNode, i);
        }
    }

    /**
     * @return the replica an operation of this type goes to now.
     */
    protected int targetFor(final OpType type)
    {
        return knownLeader;
    }

    /**
     * The replica this slot's operation goes to now. By default {@link #targetFor(OpType)}; a client that picks by
     * key (a quorum's preference list) overrides this.
     *
     * @param attempt how many times this operation was turned away or timed out so far.
     */
    protected int targetFor(final int slot, final OpType type, final long key, final int attempt)
    {
        return targetFor(type);
    }

    /**
     * @return whether to resend at once after a redirect, or wait for the retry timeout.
     */
    protected boolean resendAfterRedirect(final int attempt)
    {
        return true;
    }

    /**
     * Whether an operation that timed out may be resent to another replica. A replica that might be running it still
     * could otherwise apply it a second time, when the replicas cannot tell the two runs apart (multi-writer ABD gives
     * each run its own timestamp); such a client keeps resending to the same replica until the harness gives up.
     */
    protected boolean moveOnTimeout(final int slot, final OpType type)
    {
        return true;
    }

    /**
     * @return the time of the latest input (a submit, a message or a tick).
     */
    protected final long nowNs()
    {
        return lastNowNs;
    }

    /**
     * The replica did not answer in time: guess another one.
     */
    protected void onTargetTimeout(final OpType type, final int failedTarget)
    {
        if (failedTarget == knownLeader)
        {
            knownLeader = (knownLeader + 1) % replicas;
        }
    }

    protected void onRedirect(final int hint)
    {
        knownLeader = hint;
    }

    /**
     * Where an operation goes after a {@code REDIRECT} naming {@code hint}: by default wherever
     * {@link #targetFor(int, OpType, long, int)} says now.
     */
    protected int redirectTarget(final int slot, final OpType type, final long key, final int attempt, final int hint)
    {
        return targetFor(slot, type, key, attempt);
    }

    /**
     * A replica turned an operation away ({@code REDIRECT}, {@code UNAVAILABLE}, ...); {@code version} is the
     * response's version field, which a protocol may use to carry what the client should learn (its configuration).
     */
    protected void onTurnedAway(final Status status, final long version)
    {
    }

    /**
     * Any message from a replica: it is alive.
     */
    protected void onHeard(final int fromNode)
    {
    }

    public void submit(
        final int slot, final long seq, final OpType opType, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        lastNowNs = nowNs;
        active[slot] = true;
        this.seq[slot] = seq;
        this.opType[slot] = opType;
        this.key[slot] = key;
        this.value[slot].putBytes(0, value, valueOffset, valueLength);
        this.valueLength[slot] = valueLength;
        attempts[slot] = 0;
        send(slot, targetFor(slot, opType, key, 0), nowNs, out);
    }

    private void send(final int slot, final int to, final long nowNs, final Outbox out)
    {
        target[slot] = to;
        backingOff[slot] = false;
        resendAtNs[slot] = nowNs + retryTimeoutNs;
        final int length = messages.encodeRequest(
            1, sessionId[slot], seq[slot], opType[slot], key[slot], value[slot], 0, valueLength[slot]);
        out.send(to, messages.buffer(), 0, length);
    }

    public void onMessage(
        final int fromNode, final DirectBuffer buffer, final int offset, final int length, final long nowNs,
        final Outbox out, final ClientListener listener)
    {
        lastNowNs = nowNs;
        if (fromNode >= 0 && fromNode < replicas)
        {
            onHeard(fromNode);
        }
        final int schemaId = wire.open(fromNode, buffer, offset, length, ClientMessages.SCHEMA_ID, WireCheck.NO_SCHEMA);
        if (schemaId < 0)
        {
            return; // dropped and counted: too short, or a schema this node does not speak
        }
        if (!wire.sender(fromNode >= 0 && fromNode < replicas))
        {
            return; // only replicas answer clients
        }
        final ClientResponseDecoder response = messages.response(wire);
        if (response == null)
        {
            return;
        }
        final int slot = ClientSessions.slot(response.clientId());
        if (ClientSessions.clientNode(response.clientId()) != clientNode || slot >= active.length ||
            !active[slot] || response.seq() != seq[slot])
        {
            return; // a late answer to an operation already completed or abandoned
        }
        final Status status = response.status();
        switch (status)
        {
            case OK:
            case NOT_FOUND:
            {
                active[slot] = false;
                final int hops = response.depth();
                final long version = response.version();
                final int valueOffset = response.limit() + ClientResponseDecoder.valueHeaderLength();
                final int valueLength = response.valueLength();
                listener.onComplete(slot, seq[slot], status, hops, version, buffer, valueOffset, valueLength);
                break;
            }
            case REDIRECT:
            {
                onTurnedAway(status, response.version());
                final int hint = response.leaderHint();
                if (hint >= 0 && hint < replicas && hint != fromNode)
                {
                    onRedirect(hint);
                    attempts[slot]++;
                    if (resendAfterRedirect(attempts[slot]))
                    {
                        send(slot, redirectTarget(slot, opType[slot], key[slot], attempts[slot], hint), nowNs, out);
                    }
                    else
                    {
                        backingOff[slot] = false; // resend when the retry timeout comes round
                    }
                }
                else
                {
                    backOff(slot, nowNs);
                }
                break;
            }
            default:
                onTurnedAway(status, response.version());
                backOff(slot, nowNs);
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
    {
        lastNowNs = nowNs;
        for (int slot = 0; slot < active.length; slot++)
        {
            if (active[slot] && nowNs >= resendAtNs[slot])
            {
                if (!backingOff[slot])
                {
                    onTargetTimeout(opType[slot], target[slot]);
                    if (moveOnTimeout(slot, opType[slot]))
                    {
                        attempts[slot]++;
                    }
                }
                send(slot, targetFor(slot, opType[slot], key[slot], attempts[slot]), nowNs, out);
            }
        }
    }

    private void backOff(final int slot, final long nowNs)
    {
        backingOff[slot] = true;
        resendAtNs[slot] = nowNs + backoffNs;
    }

    public void abandon(final int slot)
    {
        active[slot] = false;
    }

    public long malformedMessages()
    {
        return wire.count();
    }
}
