package lab.core.codec;

import lab.core.ClientSessions;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.WireCheck;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the shared client messages into a reusable buffer and reads their common fields. One instance per
 * state machine: it owns its encoders and its buffer, so encoding allocates nothing. A replica's decoder side opens
 * its input with {@link #openReplicaMessage} (client requests checked and handed on, its own schema left to it) and
 * its encoder side answers clients with the {@code send...} methods, the same for every protocol.
 */
public final class ClientMessages
{
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;

    /**
     * Where a replica takes a client request that passed {@link #checkRequest} (the decoder is valid until the next
     * message): keep one in a field, so that handing a request on allocates nothing.
     */
    @FunctionalInterface
    public interface RequestHandler
    {
        void onClientRequest(int from, ClientRequestDecoder request, long nowNs, Outbox out);
    }

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ClientRequestEncoder requestEncoder = new ClientRequestEncoder();
    private final ClientResponseEncoder responseEncoder = new ClientResponseEncoder();
    private final ClientRequestDecoder requestDecoder = new ClientRequestDecoder();
    private final ClientResponseDecoder responseDecoder = new ClientResponseDecoder();

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the encoded length, in {@link #buffer()} from offset 0.
     */
    public int encodeRequest(
        final int depth, final long clientId, final long seq, final OpType opType, final long key,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        requestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(depth)
            .clientId(clientId)
            .seq(seq)
            .opType(opType)
            .key(key)
            .putValue(value, valueOffset, valueLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength();
    }

    /**
     * @return the encoded length, in {@link #buffer()} from offset 0.
     */
    public int encodeResponse(
        final int depth, final long clientId, final long seq, final Status status, final int leaderHint,
        final long version, final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        responseEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .depth(depth)
            .clientId(clientId)
            .seq(seq)
            .status(status)
            .leaderHint(leaderHint)
            .version(version)
            .putValue(value, valueOffset, valueLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength();
    }

    public int encodeEmptyResponse(
        final int depth, final long clientId, final long seq, final Status status, final int leaderHint)
    {
        return encodeResponse(depth, clientId, seq, status, leaderHint, 0, buffer, 0, 0);
    }

    /**
     * Sends a response with a value.
     */
    public void sendResponse(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final Status status, final int leaderHint, final long version, final DirectBuffer value, final int valueOffset,
        final int valueLength)
    {
        final int length = encodeResponse(depth, clientId, seq, status, leaderHint, version, value, valueOffset,
            valueLength);
        out.send(to, buffer, 0, length);
    }

    /**
     * Sends a response without a value or version: a redirect, UNAVAILABLE, NOT_FOUND.
     */
    public void sendStatus(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final Status status, final int leaderHint)
    {
        final int length = encodeEmptyResponse(depth, clientId, seq, status, leaderHint);
        out.send(to, buffer, 0, length);
    }

    /**
     * Sends OK for a write done (or a retry of one done) at {@code version}: no value.
     */
    public void sendWritten(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final int leaderHint, final long version)
    {
        final int length = encodeResponse(depth, clientId, seq, Status.OK, leaderHint, version, buffer, 0, 0);
        out.send(to, buffer, 0, length);
    }

    /**
     * Sends a read's answer from a store: the entry, or NOT_FOUND when there is none.
     */
    public void sendEntry(final Outbox out, final int to, final int depth, final long clientId, final long seq,
        final int leaderHint, final KvStore.Entry entry)
    {
        if (entry == null)
        {
            sendStatus(out, to, depth, clientId, seq, Status.NOT_FOUND, leaderHint);
        }
        else
        {
            sendResponse(out, to, depth, clientId, seq, Status.OK, leaderHint, entry.version(), entry.value(), 0,
                entry.length());
        }
    }

    /**
     * The decode edge of a replica that speaks the client schema and its protocol's: opens the message
     * ({@link WireCheck#open}); a client request is checked ({@link #request}) and handed to {@code requests}.
     *
     * @return true when the message is of {@code protocolSchemaId}, opened in {@code wire} for the protocol to check
     * and decode; false when it was a client request (handed on) or was dropped (counted by {@code wire}).
     */
    public boolean openReplicaMessage(final WireCheck wire, final int fromNode, final DirectBuffer src,
        final int offset, final int length, final int protocolSchemaId, final long nowNs, final Outbox out,
        final RequestHandler requests)
    {
        final int schemaId = wire.open(fromNode, src, offset, length, protocolSchemaId, SCHEMA_ID);
        if (schemaId == SCHEMA_ID)
        {
            final ClientRequestDecoder request = request(wire, fromNode);
            if (request != null)
            {
                requests.onClientRequest(fromNode, request, nowNs, out);
            }
            return false;
        }
        return schemaId >= 0; // < 0: dropped and counted: too short, or a schema this node does not speak
    }

    /**
     * @return the template id when the message is of this schema, or -1.
     */
    public int templateId(final DirectBuffer src, final int offset)
    {
        headerDecoder.wrap(src, offset);
        return headerDecoder.schemaId() == SCHEMA_ID ? headerDecoder.templateId() : -1;
    }

    public ClientRequestDecoder wrapRequest(final DirectBuffer src, final int offset)
    {
        headerDecoder.wrap(src, offset);
        return requestDecoder.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    public ClientResponseDecoder wrapResponse(final DirectBuffer src, final int offset)
    {
        headerDecoder.wrap(src, offset);
        return responseDecoder.wrapAndApplyHeader(src, offset, headerDecoder);
    }

    /**
     * The decode edge of a replica for this schema, after {@link WireCheck#open} returned {@link #SCHEMA_ID}: a
     * whole, well-formed {@code ClientRequest} whose session is the sender's (a client speaks for its own sessions
     * only, so the replies that go to a session's node go to the node that asked).
     *
     * @return the request's decoder, or null when the message was dropped (counted by {@code wire}).
     */
    public ClientRequestDecoder request(final WireCheck wire, final int fromNode)
    {
        if (wire.templateId() != ClientRequestDecoder.TEMPLATE_ID)
        {
            wire.unexpected();
            return null;
        }
        if (!checkRequest(wire, fromNode))
        {
            return null;
        }
        return wrapRequest(wire.buffer(), wire.offset());
    }

    /**
     * The whole decode edge of a node that takes client requests only (the baselines): opens the message and
     * returns its request when it is a well-formed one of the sender's session.
     *
     * @return the request's decoder, or null when the message was dropped (counted by {@code wire}).
     */
    public ClientRequestDecoder onlyRequest(
        final WireCheck wire, final int fromNode, final DirectBuffer buffer, final int offset, final int length)
    {
        final int schemaId = wire.open(fromNode, buffer, offset, length, SCHEMA_ID, WireCheck.NO_SCHEMA);
        if (schemaId < 0)
        {
            return null; // dropped and counted: too short, or a schema this node does not speak
        }
        return request(wire, fromNode);
    }

    /**
     * The decode edge of a client, after {@link WireCheck#open} returned {@link #SCHEMA_ID}.
     *
     * @return the response's decoder, or null when the message was dropped (counted by {@code wire}).
     */
    public ClientResponseDecoder response(final WireCheck wire)
    {
        if (wire.templateId() != ClientResponseDecoder.TEMPLATE_ID)
        {
            wire.unexpected();
            return null;
        }
        if (!checkResponse(wire))
        {
            return null;
        }
        return wrapResponse(wire.buffer(), wire.offset());
    }

    public static boolean checkRequest(final WireCheck wire, final int fromNode)
    {
        return wire.header(ClientRequestDecoder.SCHEMA_VERSION, ClientRequestDecoder.BLOCK_LENGTH) &&
            wire.depth(ClientRequestDecoder.depthEncodingOffset(), WireCheck.MAX_REQUEST_DEPTH) &&
            wire.sender(ClientSessions.owner(wire.int64(ClientRequestDecoder.clientIdEncodingOffset())) == fromNode) &&
            wire.enumCode(ClientRequestDecoder.opTypeEncodingOffset(), 1, "opType") &&
            wire.varData() &&
            wire.end();
    }

    public static boolean checkResponse(final WireCheck wire)
    {
        return wire.header(ClientResponseDecoder.SCHEMA_VERSION, ClientResponseDecoder.BLOCK_LENGTH) &&
            wire.depth(ClientResponseDecoder.depthEncodingOffset()) &&
            wire.enumCode(ClientResponseDecoder.statusEncodingOffset(), Status.UNAVAILABLE.value(), "status") &&
            wire.atLeast(wire.int32(ClientResponseDecoder.leaderHintEncodingOffset()), -1, "leaderHint") &&
            wire.varData() &&
            wire.end();
    }
}
