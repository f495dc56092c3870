package lab.chain;

import java.util.Random;

import lab.harness.api.ClientListener;
import lab.harness.api.ClientProtocol;
import lab.harness.api.ClientSessions;
import lab.harness.api.Outbox;
import lab.harness.api.ProtocolSettings;
import lab.harness.codec.ClientMessages;
import lab.harness.codec.ClientResponseDecoder;
import lab.harness.codec.OpType;
import lab.harness.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The client side of chain replication: writes go to the head, reads to the tail, or with CRAQ to a node drawn at
 * random for every attempt (spreading reads over the chain). Like {@code TargetedClient}, but it tracks head and
 * tail separately: a REDIRECT carries both in a {@link ChainHint}, and a silent head is replaced by its likely
 * successor, a silent tail by its likely predecessor, the way the chain itself is repaired. Retries resend the same
 * (session, seq), which the head's duplicate detection applies once.
 */
public final class ChainClient implements ClientProtocol
{
    private final int clientNode;
    private final int replicas;
    private final boolean craq;
    private final Random random;
    private final long retryTimeoutNs;
    private final long backoffNs;
    private final ClientMessages messages = new ClientMessages();
    private long knownEpoch;
    private int head;
    private int tail;
    /** CRAQ reads avoid a node that timed out until then (a crashed node would cost a timeout per read). */
    private final long[] suspectUntilNs;
    private long nowNs;

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

    public ChainClient(final int clientNode, final ProtocolSettings settings, final ChainConfig config,
        final Random random)
    {
        this.clientNode = clientNode;
        this.replicas = settings.replicas();
        this.craq = config.reads == ChainConfig.Reads.CRAQ;
        this.random = random;
        this.retryTimeoutNs = config.clientRetryNs;
        this.backoffNs = config.clientBackoffNs;
        head = 0;
        tail = replicas - 1;
        suspectUntilNs = new long[replicas];
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
        for (int i = 0; i < slots; i++)
        {
            value[i] = new ExpandableArrayBuffer(64);
            sessionId[i] = ClientSessions.sessionId(clientNode, i);
        }
    }

    public void submit(
        final int slot, final long seq, final OpType opType, final long key, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long nowNs, final Outbox out)
    {
        active[slot] = true;
        this.seq[slot] = seq;
        this.opType[slot] = opType;
        this.key[slot] = key;
        this.value[slot].putBytes(0, value, valueOffset, valueLength);
        this.valueLength[slot] = valueLength;
        send(slot, targetFor(opType), nowNs, out);
    }

    private int targetFor(final OpType type)
    {
        if (type == OpType.PUT)
        {
            return head;
        }
        if (!craq)
        {
            return tail;
        }
        final int first = random.nextInt(replicas);
        for (int i = 0; i < replicas; i++)
        {
            final int candidate = (first + i) % replicas;
            if (nowNs >= suspectUntilNs[candidate])
            {
                return candidate;
            }
        }
        return first;
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
        this.nowNs = nowNs;
        if (fromNode >= 0 && fromNode < replicas)
        {
            suspectUntilNs[fromNode] = 0;
        }
        if (messages.templateId(buffer, offset) != ClientResponseDecoder.TEMPLATE_ID)
        {
            return;
        }
        final ClientResponseDecoder response = messages.wrapResponse(buffer, offset);
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
                final int valueOffset = response.limit() + ClientResponseDecoder.valueHeaderLength();
                listener.onComplete(slot, seq[slot], status, response.depth(), response.version(), buffer,
                    valueOffset, response.valueLength());
                break;
            }
            case REDIRECT:
            {
                learn(response.version());
                final int hint = response.leaderHint();
                if (hint >= 0 && hint < replicas && hint != fromNode)
                {
                    send(slot, hint, nowNs, out);
                }
                else
                {
                    backOff(slot, nowNs);
                }
                break;
            }
            default:
                learn(response.version());
                backOff(slot, nowNs);
                break;
        }
    }

    private void learn(final long hint)
    {
        final long epoch = ChainHint.epoch(hint);
        if (epoch > knownEpoch)
        {
            final int h = ChainHint.head(hint);
            final int t = ChainHint.tail(hint);
            if (h >= 0 && h < replicas && t >= 0 && t < replicas)
            {
                knownEpoch = epoch;
                head = h;
                tail = t;
            }
        }
    }

    public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
    {
        this.nowNs = nowNs;
        for (int slot = 0; slot < active.length; slot++)
        {
            if (active[slot] && nowNs >= resendAtNs[slot])
            {
                if (!backingOff[slot])
                {
                    onTargetTimeout(opType[slot], target[slot]);
                }
                send(slot, targetFor(opType[slot]), nowNs, out);
            }
        }
    }

    /**
     * The node did not answer in time: guess the way the chain is repaired (head -> successor, tail ->
     * predecessor); a redirect corrects the guess.
     */
    private void onTargetTimeout(final OpType type, final int failed)
    {
        suspectUntilNs[failed] = nowNs + 10 * retryTimeoutNs;
        if (type == OpType.PUT && failed == head)
        {
            head = (head + 1) % replicas;
        }
        else if (type == OpType.GET && !craq && failed == tail)
        {
            tail = (tail - 1 + replicas) % replicas;
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
}
