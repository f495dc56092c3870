package lab.quorum;

import lab.harness.api.ClientListener;
import lab.harness.api.ClientProtocol;
import lab.harness.api.ClientSessions;
import lab.harness.api.Outbox;
import lab.harness.codec.ClientMessages;
import lab.harness.codec.ClientResponseDecoder;
import lab.harness.codec.OpType;
import lab.harness.codec.Status;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The client of replica-coordinator mode: it sends each operation to the key's first home replica (Dynamo's
 * preference list), so that all writes of a key take their timestamps from one Lamport clock, and on a timeout or a
 * redirect resends the same (session, seq) to the next replica on the ring.
 */
final class ReplicaCoordinatedClient implements ClientProtocol
{
    private final int clientNode;
    private final QuorumConfig config;
    private final ClientMessages messages = new ClientMessages();
    private final boolean[] active;
    private final long[] seq;
    private final OpType[] opType;
    private final long[] key;
    private final ExpandableArrayBuffer[] value;
    private final int[] valueLength;
    private final int[] attempt;
    private final long[] resendAtNs;
    private final long[] sessionId;

    ReplicaCoordinatedClient(final int clientNode, final QuorumConfig config, final int slots)
    {
        this.clientNode = clientNode;
        this.config = config;
        active = new boolean[slots];
        seq = new long[slots];
        opType = new OpType[slots];
        key = new long[slots];
        value = new ExpandableArrayBuffer[slots];
        valueLength = new int[slots];
        attempt = new int[slots];
        resendAtNs = new long[slots];
        sessionId = new long[slots];
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
        attempt[slot] = 0;
        send(slot, nowNs, out);
    }

    private void send(final int slot, final long nowNs, final Outbox out)
    {
        resendAtNs[slot] = nowNs + config.clientRetryNs;
        final int to = config.home(key[slot], attempt[slot]);
        final int length = messages.encodeRequest(
            1, sessionId[slot], seq[slot], opType[slot], key[slot], value[slot], 0, valueLength[slot]);
        out.send(to, messages.buffer(), 0, length);
    }

    public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out, final ClientListener listener)
    {
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
        if (status == Status.OK || status == Status.NOT_FOUND)
        {
            active[slot] = false;
            final int valueOffset = response.limit() + ClientResponseDecoder.valueHeaderLength();
            listener.onComplete(slot, seq[slot], status, response.depth(), response.version(), buffer, valueOffset,
                response.valueLength());
        }
        else if (fromNode == config.home(key[slot], attempt[slot]))
        {
            // Turned away (the replica is recovering): try the next one, but once round the ring wait for the tick.
            attempt[slot]++;
            if (attempt[slot] % config.replicas != 0)
            {
                send(slot, nowNs, out);
            }
        }
    }

    public void onTick(final long nowNs, final Outbox out, final ClientListener listener)
    {
        for (int slot = 0; slot < active.length; slot++)
        {
            if (active[slot] && nowNs >= resendAtNs[slot])
            {
                attempt[slot]++;
                send(slot, nowNs, out);
            }
        }
    }

    public void abandon(final int slot)
    {
        active[slot] = false;
    }
}
