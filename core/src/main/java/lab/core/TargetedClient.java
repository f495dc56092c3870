package lab.core;

import lab.core.client.ClientPolicy;
import lab.core.client.Hedging;
import lab.core.client.LeaderGuess;
import lab.core.client.Resends;
import lab.core.client.Suspicion;
import lab.core.client.TiedReads;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Client side shared by protocols that send each operation to one replica and complete it on that replica's
 * {@code ClientResponse}: primary-backup (the primary), chain (head for writes, tail for reads), Raft (the leader),
 * the quorum store's replica-coordinator client, the unreplicated and echo baselines. It follows {@code REDIRECT}
 * hints, backs off on {@code UNAVAILABLE} and resends the same (session, seq) on timeout to the next replica, so the
 * replica's duplicate detection keeps a retried write applied once.
 *
 * <p>The rules are the shared {@link ClientPolicy} (one set of options and defaults for every protocol): when to
 * resend ({@link Resends}), which replica leads ({@link LeaderGuess}), which replicas to avoid ({@link Suspicion});
 * this class decodes responses and applies them. A subclass chooses targets by overriding the hooks below.
 *
 * <p>A client given a {@link Hedging} that is on sends a GET not answered by its hedge time to one more replica,
 * {@link #hedgeTarget}, with the same (session, seq): the first answer completes it, the other is a late answer and
 * ignored. A turn-away from the hedged copy's replica is ignored too: the first copy is still on its way.
 *
 * <p>A client given {@link TiedReads} that are on sends a GET, when it is first submitted, to two replicas at once:
 * its target and {@link #hedgeTarget}, each copy naming the other ({@link #sendTiedRead}, a protocol message, since
 * the shared request has no tied peer). The replicas cancel one copy between them; the first answer completes the
 * read, and a turn-away from the second replica is ignored as a hedged one's is. Resends are never tied.
 */
public class TargetedClient implements ClientProtocol
{
    protected final int clientNode;
    protected final int replicas;
    /** The shared retry, backoff and suspicion settings. */
    protected final ClientPolicy policy;
    /** Replicas that timed out recently; consulted by clients that choose among replicas. */
    protected final Suspicion suspicion;
    private final LeaderGuess leaderGuess;
    private final Resends resends;
    private final ClientMessages messages = new ClientMessages();
    /** Validates what arrives before it is decoded; counts what it drops. */
    protected final WireCheck wire;
    private long lastNowNs;
    private final Hedging hedging;
    private final TiedReads tied;
    private final long[] submittedNs;
    private final long[] hedgeAtNs;
    private final int[] hedgedTo;

    private final boolean[] active;
    private final long[] seq;
    private final OpType[] opType;
    private final long[] key;
    private final ExpandableArrayBuffer[] value;
    private final int[] valueLength;
    private final long[] sessionId;

    /**
     * @param policy the client options, read once by the protocol's configuration with {@link ClientPolicy#from}.
     */
    public TargetedClient(final int clientNode, final ProtocolSettings settings, final ClientPolicy policy)
    {
        this(clientNode, settings, policy, Hedging.off());
    }

    /**
     * @param hedging when to send a GET to one more replica ({@link #hedgeTarget}); {@link Hedging#off()} for never.
     */
    public TargetedClient(final int clientNode, final ProtocolSettings settings, final ClientPolicy policy,
        final Hedging hedging)
    {
        this(clientNode, settings, policy, hedging, TiedReads.off());
    }

    /**
     * @param tied whether a GET goes to two replicas at once, tied ({@link #sendTiedRead}); {@link TiedReads#off()}
     *             for never.
     */
    public TargetedClient(final int clientNode, final ProtocolSettings settings, final ClientPolicy policy,
        final Hedging hedging, final TiedReads tied)
    {
        this.clientNode = clientNode;
        this.hedging = hedging;
        this.tied = tied;
        this.replicas = settings.replicas();
        this.policy = policy;
        this.suspicion = new Suspicion(policy, replicas);
        this.leaderGuess = new LeaderGuess(replicas);
        this.wire = new WireCheck("node " + clientNode + " (client)");
        final int slots = settings.slotsPerClient();
        active = new boolean[slots];
        seq = new long[slots];
        opType = new OpType[slots];
        key = new long[slots];
        value = new ExpandableArrayBuffer[slots];
        valueLength = new int[slots];
        sessionId = new long[slots];
        submittedNs = new long[slots];
        hedgeAtNs = new long[slots];
        hedgedTo = new int[slots];
        resends = new Resends(policy, slots);
        for (int i = 0; i < slots; i++)
        {
            value[i] = new ExpandableArrayBuffer(64);
            sessionId[i] = ClientSessions.sessionId(clientNode, i);
        }
    }

    /**
     * A client with its own retry timeout and a fixed backoff, and the shared suspicion default: for callers that do
     * not read {@link ClientPolicy#from} (the harness's baselines). Protocols use the {@link ClientPolicy} one.
     */
    public TargetedClient(final int clientNode, final ProtocolSettings settings, final long retryTimeoutNs,
        final long backoffNs)
    {
        this(clientNode, settings, new ClientPolicy(retryTimeoutNs, backoffNs, backoffNs,
            Durations.parseNs(ClientPolicy.DEFAULT_SUSPECT)));
    }

    /**
     * @return the replica an operation of this type goes to now.
     */
    protected int targetFor(final OpType type)
    {
        return leaderGuess.leader();
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
     * Where a hedged copy of the slot's GET goes, sent to {@code primary} and not answered by the hedge time.
     *
     * @return a replica other than {@code primary}, or -1 for none (the default: a client that asks one role holder
     * has no other replica to ask).
     */
    protected int hedgeTarget(final int slot, final long key, final int attempt, final int primary)
    {
        return -1;
    }

    /**
     * Sends one copy of a tied GET to {@code to}, naming {@code tiedPeer}, the replica the other copy goes to. Only
     * called when the client was given {@link TiedReads} that are on; a protocol that can tie reads encodes its own
     * tied read request.
     */
    protected void sendTiedRead(final int to, final int tiedPeer, final long sessionId, final long seq,
        final long key, final Outbox out)
    {
        throw new IllegalStateException("this client cannot tie reads");
    }

    /**
     * @return this client's tied reads setting and counters (tied copies sent, reads completed).
     */
    public TiedReads tied()
    {
        return tied;
    }

    /**
     * @return this client's hedging settings and counters (copies sent, reads completed).
     */
    public Hedging hedging()
    {
        return hedging;
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
     * The replica did not answer in time (it is suspected already): guess another one.
     */
    protected void onTargetTimeout(final OpType type, final int failedTarget)
    {
        leaderGuess.timedOut(failedTarget);
    }

    protected void onRedirect(final int hint)
    {
        leaderGuess.redirected(hint);
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

    /**
     * @return how many times the slot's operation was moved to another target so far.
     */
    protected final int attempts(final int slot)
    {
        return resends.attempts(slot);
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
        submittedNs[slot] = nowNs;
        resends.start(slot);
        final int to = targetFor(slot, opType, key, 0);
        if (opType == OpType.GET && tied.enabled())
        {
            final int peer = hedgeTarget(slot, key, 0, to);
            if (peer >= 0 && peer != to)
            {
                resends.sent(slot, to, nowNs);
                hedgeAtNs[slot] = Hedging.NEVER;
                hedgedTo[slot] = peer; // its turn-away is ignored, as a hedged copy's is
                tied.copySent();
                sendTiedRead(to, peer, sessionId[slot], seq, key, out);
                sendTiedRead(peer, to, sessionId[slot], seq, key, out);
                return;
            }
        }
        send(slot, to, nowNs, out);
    }

    private void send(final int slot, final int to, final long nowNs, final Outbox out)
    {
        resends.sent(slot, to, nowNs);
        // Every send arms the hedge anew: a resend after a timeout or redirect is a new first copy.
        hedgeAtNs[slot] = opType[slot] == OpType.GET && hedging.enabled() ? hedging.hedgeAtNs(nowNs) : Hedging.NEVER;
        hedgedTo[slot] = -1;
        transmit(slot, to, out);
    }

    private void transmit(final int slot, final int to, final Outbox out)
    {
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
            suspicion.heard(fromNode, nowNs);
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
        if (status != Status.OK && status != Status.NOT_FOUND && fromNode == hedgedTo[slot] &&
            fromNode != resends.target(slot))
        {
            return; // the hedged copy was turned away; the first copy is still on its way
        }
        switch (status)
        {
            case OK:
            case NOT_FOUND:
            {
                active[slot] = false;
                if (opType[slot] == OpType.GET && hedging.enabled())
                {
                    hedging.readCompleted(nowNs - submittedNs[slot]);
                }
                if (opType[slot] == OpType.GET && tied.enabled())
                {
                    tied.readCompleted();
                }
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
                if (LeaderGuess.usableHint(hint, fromNode, replicas))
                {
                    onRedirect(hint);
                    resends.moved(slot);
                    final int attempt = resends.attempts(slot);
                    if (resendAfterRedirect(attempt))
                    {
                        send(slot, redirectTarget(slot, opType[slot], key[slot], attempt, hint), nowNs, out);
                    }
                    else
                    {
                        resends.waitForTimeout(slot);
                    }
                }
                else
                {
                    resends.turnedAway(slot, nowNs);
                }
                break;
            }
            default:
                onTurnedAway(status, response.version());
                resends.turnedAway(slot, nowNs);
                break;
        }
    }

    public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
    {
        lastNowNs = nowNs;
        for (int slot = 0; slot < active.length; slot++)
        {
            if (active[slot] && nowNs >= hedgeAtNs[slot])
            {
                hedgeAtNs[slot] = Hedging.NEVER;
                final int primary = resends.target(slot);
                final int to = hedgeTarget(slot, key[slot], resends.attempts(slot), primary);
                if (to >= 0 && to != primary)
                {
                    hedgedTo[slot] = to;
                    hedging.copySent();
                    transmit(slot, to, out);
                }
            }
            if (active[slot] && resends.due(slot, nowNs))
            {
                if (resends.timedOut(slot))
                {
                    final int failed = resends.target(slot);
                    suspicion.timedOut(failed, nowNs);
                    onTargetTimeout(opType[slot], failed);
                    if (moveOnTimeout(slot, opType[slot]))
                    {
                        resends.moved(slot);
                    }
                }
                send(slot, targetFor(slot, opType[slot], key[slot], resends.attempts(slot)), nowNs, out);
            }
        }
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
