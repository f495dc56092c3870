package lab.core;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Validation of lab messages at the decode edge: the network is untrusted, so a node checks a message's structure
 * before any decoder reads it, and drops and counts a message that fails. One instance per node (replica, control
 * node or client), used on the node's own thread only.
 *
 * <p>Every schema of the lab shares the SBE layout: an 8-byte header (blockLength, templateId, schemaId, version,
 * each uint16 little-endian), the fixed block, then repeating groups (4-byte header: entry blockLength, count) and
 * variable-length data (uint32 length, bytes). A protocol checks one message in steps, all relative to the message
 * opened with {@link #open}: {@link #header} (version and block length of the template), the fields it must trust
 * ({@link #nodeId}, {@link #nonNegative}, {@link #enumCode}, ...), the groups and var data in order
 * ({@link #group}, {@link #entry}, {@link #varData}), and {@link #end}: the message must end exactly at its length.
 * Each step returns false after counting the message once (the first failure is its reason), so a check reads as
 * one {@code &&} chain. Counting allocates nothing; the first few rejections are described on stderr, later ones
 * only as running totals at powers of ten.
 *
 * <p>What this cannot catch is a well-formed message with plausible values: a forged replication message from a node
 * id that is a peer is accepted (the lab has no authentication; the transport's run and sender identity is another
 * layer). Structure is what a decoder can check.
 */
public final class WireCheck
{
    /** Why a message was dropped. */
    public enum Reason
    {
        /** Shorter than the 8-byte header, or offset and length outside the buffer. */
        SHORT,
        /** A schema this node does not speak. */
        SCHEMA,
        /** A template of the schema that this node does not receive. */
        TEMPLATE,
        /** A schema version other than the one the node was built with. */
        VERSION,
        /** A block length other than the template's. */
        BLOCK_LENGTH,
        /** The fixed block, a group or var data runs past the message's length. */
        TRUNCATED,
        /** Bytes left over after the last field. */
        TRAILING,
        /** A group header that does not match the schema (entry block length, count). */
        GROUP,
        /** A node id out of range, or the sender is a node that never sends this message. */
        NODE_ID,
        /** An enum value outside the schema's values. */
        ENUM,
        /** A field outside its range (a negative term, index or length). */
        RANGE,
        /** A reassembled state transfer that is not a whole snapshot. */
        SNAPSHOT
    }

    public static final int HEADER_LENGTH = 8;
    public static final int GROUP_HEADER_LENGTH = 4;
    public static final int VAR_HEADER_LENGTH = 4;
    /** A state transfer larger than this is refused (the lab's states are keys x value size, far smaller). */
    public static final int MAX_STATE_BYTES = 256 * 1024 * 1024;
    /** Hops on one operation's critical path are a handful; a depth above this is not a lab message's. */
    public static final int MAX_DEPTH = 1 << 20;
    /** A client sends depth 1; a request deeper than this is no client's. */
    public static final int MAX_REQUEST_DEPTH = 1 << 10;
    private static final int DESCRIBED = 5;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final Reason[] REASONS = Reason.values();

    private final String owner;
    private final long[] counts = new long[REASONS.length];
    private long total;
    private long nextSummary = 10;
    private boolean quiet;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int end;
    private int fromNode;
    private int schemaId;
    private int templateId;
    private int block;
    private int limit;

    /**
     * @param owner who is checking, for the log: e.g. "node 2 (raft replica)".
     */
    public WireCheck(final String owner)
    {
        this.owner = owner;
    }

    /**
     * No log lines (tests that feed millions of bad messages on purpose); counting is unchanged.
     */
    public WireCheck quiet(final boolean quiet)
    {
        this.quiet = quiet;
        return this;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Opening a message

    /**
     * Starts checking a message and reads its schema id.
     *
     * @return the schema id, or -1 when the message is shorter than a header or not inside the buffer (counted).
     */
    public int open(final int fromNode, final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.fromNode = fromNode;
        this.schemaId = -1;
        this.templateId = -1;
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > buffer.capacity())
        {
            reject(Reason.SHORT, "message length");
            return -1;
        }
        end = offset + length;
        block = offset + HEADER_LENGTH;
        schemaId = buffer.getShort(offset + 4, LE) & 0xFFFF;
        templateId = buffer.getShort(offset + 2, LE) & 0xFFFF;
        limit = block;
        return schemaId;
    }

    /**
     * Stands for "no second schema" in {@link #open(int, DirectBuffer, int, int, int, int)}.
     */
    public static final int NO_SCHEMA = -1;

    /**
     * Opens a message for a node that speaks {@code schema} and, if it is not {@link #NO_SCHEMA}, {@code alsoSchema}
     * (a replica speaks its protocol's schema and the client schema).
     *
     * @return the message's schema id, or -1 when it was dropped and counted: too short, or of a schema the node does
     * not speak.
     */
    public int open(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final int schema, final int alsoSchema)
    {
        final int schemaId = open(fromNode, buffer, offset, length);
        if (schemaId < 0)
        {
            return -1;
        }
        if (schemaId != schema && schemaId != alsoSchema)
        {
            unknownSchema();
            return -1;
        }
        return schemaId;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /**
     * @return the template id of the message opened.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * The template's version and fixed block: {@code blockLength} must be exactly the template's (decoders read
     * fields at fixed offsets) and fit in the message.
     */
    public boolean header(final int version, final int blockLength)
    {
        if ((buffer.getShort(offset + 6, LE) & 0xFFFF) != version)
        {
            return reject(Reason.VERSION, "version");
        }
        if ((buffer.getShort(offset, LE) & 0xFFFF) != blockLength)
        {
            return reject(Reason.BLOCK_LENGTH, "blockLength");
        }
        limit = block + blockLength;
        if (limit > end)
        {
            return reject(Reason.TRUNCATED, "block");
        }
        return true;
    }

    /**
     * A template this node does not receive (or does not know).
     */
    public boolean unexpected()
    {
        return reject(Reason.TEMPLATE, "templateId");
    }

    /**
     * A schema this node does not speak.
     */
    public boolean unknownSchema()
    {
        return reject(Reason.SCHEMA, "schemaId");
    }

    // -------------------------------------------------------------------------------------------------------------
    // Fields of the fixed block (offsets as the generated decoders' *EncodingOffset())

    public int int32(final int fieldOffset)
    {
        return buffer.getInt(block + fieldOffset, LE);
    }

    public long int64(final int fieldOffset)
    {
        return buffer.getLong(block + fieldOffset, LE);
    }

    public int uint8(final int fieldOffset)
    {
        return buffer.getByte(block + fieldOffset) & 0xFF;
    }

    /**
     * @return whether {@code id} is in {@code [0, count)}.
     */
    public boolean nodeId(final int id, final int count, final String field)
    {
        return id >= 0 && id < count || reject(Reason.NODE_ID, field);
    }

    /**
     * @return whether {@code id} is -1 (none) or in {@code [0, count)}.
     */
    public boolean nodeIdOrNone(final int id, final int count, final String field)
    {
        return id >= -1 && id < count || reject(Reason.NODE_ID, field);
    }

    /**
     * The sender must be one of the nodes that send this message (e.g. a replica, not a client).
     */
    public boolean sender(final boolean allowed)
    {
        return allowed || reject(Reason.NODE_ID, "sender");
    }

    /**
     * A client session id ({@link ClientSessions}) whose node is a client: {@code [firstClient, nodeCount)}, or 0
     * (no session: the protocol's own messages) when {@code noneAllowed}. Replies go to a session's node.
     */
    public boolean session(final long clientId, final int firstClient, final int nodeCount, final boolean noneAllowed,
        final String field)
    {
        if (clientId == 0 && noneAllowed)
        {
            return true;
        }
        final long client = ClientSessions.owner(clientId);
        return client >= firstClient && client < nodeCount || reject(Reason.NODE_ID, field);
    }

    /**
     * The hop depth every lab message starts with: {@code [0, MAX_DEPTH]}, so that a node adding its hop can never
     * overflow it into a value the next node would reject.
     */
    public boolean depth(final int fieldOffset)
    {
        return depth(fieldOffset, MAX_DEPTH);
    }

    /**
     * A depth at most {@code max}: a client's request starts an operation's path ({@link #MAX_REQUEST_DEPTH}), so
     * the hops the replicas add stay far below {@link #MAX_DEPTH}.
     */
    public boolean depth(final int fieldOffset, final int max)
    {
        final int depth = int32(fieldOffset);
        return depth >= 0 && depth <= max || reject(Reason.RANGE, "depth");
    }

    public boolean nonNegative(final long value, final String field)
    {
        return value >= 0 || reject(Reason.RANGE, field);
    }

    public boolean atLeast(final long value, final long min, final String field)
    {
        return value >= min || reject(Reason.RANGE, field);
    }

    public boolean range(final boolean inRange, final String field)
    {
        return inRange || reject(Reason.RANGE, field);
    }

    /**
     * A uint8 enum at {@code fieldOffset} whose values are 0 .. {@code max} (the NULL value 255 included as bad).
     */
    public boolean enumCode(final int fieldOffset, final int max, final String field)
    {
        return uint8(fieldOffset) <= max || reject(Reason.ENUM, field);
    }

    /**
     * A chunk of a state transfer: {@code 0 <= chunkOffset}, {@code chunkOffset + chunkLength <= totalLength <=}
     * {@link #MAX_STATE_BYTES}. Call after {@link #varData} read the chunk ({@link #lastVarLength()}).
     */
    public boolean chunk(final long chunkOffset, final long totalLength)
    {
        return chunkOffset >= 0 && totalLength >= 0 && totalLength <= MAX_STATE_BYTES &&
            chunkOffset + lastVarLength <= totalLength || reject(Reason.RANGE, "chunk offset/length");
    }

    // -------------------------------------------------------------------------------------------------------------
    // Groups and var data, in schema order

    private int lastVarLength;

    /**
     * A var data field at the current position: its length must fit in the message.
     */
    public boolean varData()
    {
        if (limit + VAR_HEADER_LENGTH > end)
        {
            return reject(Reason.TRUNCATED, "var data length");
        }
        final long varLength = buffer.getInt(limit, LE) & 0xFFFF_FFFFL;
        if (varLength > end - limit - VAR_HEADER_LENGTH)
        {
            return reject(Reason.TRUNCATED, "var data");
        }
        lastVarLength = (int)varLength;
        limit += VAR_HEADER_LENGTH + (int)varLength;
        return true;
    }

    /**
     * @return the length of the var data field {@link #varData} last accepted.
     */
    public int lastVarLength()
    {
        return lastVarLength;
    }

    /**
     * A group header at the current position.
     *
     * @return the number of entries (then call {@link #entry} before each entry's fields), or -1 (counted).
     */
    public int group(final int entryBlockLength, final int maxCount)
    {
        if (limit + GROUP_HEADER_LENGTH > end)
        {
            reject(Reason.TRUNCATED, "group header");
            return -1;
        }
        final int entryBlock = buffer.getShort(limit, LE) & 0xFFFF;
        final int count = buffer.getShort(limit + 2, LE) & 0xFFFF;
        if (entryBlock != entryBlockLength || count > maxCount)
        {
            reject(Reason.GROUP, "group header");
            return -1;
        }
        limit += GROUP_HEADER_LENGTH;
        return count;
    }

    /**
     * The next group entry's fixed block; its fields are then read with {@link #entryInt32} and
     * {@link #entryInt64}.
     */
    public boolean entry(final int entryBlockLength)
    {
        if (limit + entryBlockLength > end)
        {
            return reject(Reason.TRUNCATED, "group entry");
        }
        entryStart = limit;
        limit += entryBlockLength;
        return true;
    }

    private int entryStart;

    public int entryInt32(final int fieldOffset)
    {
        return buffer.getInt(entryStart + fieldOffset, LE);
    }

    public long entryInt64(final int fieldOffset)
    {
        return buffer.getLong(entryStart + fieldOffset, LE);
    }

    /**
     * The message must end where its last field ends.
     */
    public boolean end()
    {
        return limit == end || reject(Reason.TRAILING, "length");
    }

    // -------------------------------------------------------------------------------------------------------------
    // Counting

    /**
     * Counts the message opened as malformed and describes it while few have been.
     *
     * @return false, so that checks read as one {@code &&} chain.
     */
    public boolean reject(final Reason reason, final String field)
    {
        counts[reason.ordinal()]++;
        total++;
        if (!quiet)
        {
            if (total <= DESCRIBED)
            {
                System.err.println("[wire] " + owner + ": dropped a malformed message from node " + fromNode +
                    ": schema " + schemaId + " template " + templateId + ", " + length + " bytes: " + reason +
                    " (" + field + ")" + (total == DESCRIBED ? "; further ones are only counted" : ""));
            }
            else if (total == nextSummary)
            {
                nextSummary *= 10;
                System.err.println("[wire] " + owner + ": " + total + " malformed messages dropped so far");
            }
        }
        return false;
    }

    /**
     * A state transfer reassembled from chunks that each passed was not a whole snapshot: counted against the
     * message that completed it.
     */
    public boolean rejectState(final int fromNode, final String what)
    {
        this.fromNode = fromNode;
        return reject(Reason.SNAPSHOT, what);
    }

    /**
     * @return messages dropped as malformed so far.
     */
    public long count()
    {
        return total;
    }

    public long count(final Reason reason)
    {
        return counts[reason.ordinal()];
    }

    /**
     * @return the counts by reason, non-zero ones only (for tests and reports; allocates).
     */
    public java.util.Map<String, Long> byReason()
    {
        final java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (final Reason r : REASONS)
        {
            if (counts[r.ordinal()] > 0)
            {
                m.put(r.name(), counts[r.ordinal()]);
            }
        }
        return m;
    }
}
