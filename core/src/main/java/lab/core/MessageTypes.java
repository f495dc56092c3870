package lab.core;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.ClientResponseDecoder;
import org.agrona.DirectBuffer;

/**
 * A dense index over every SBE message type the lab has (schema id, template id), with a readable name per type such
 * as {@code raft.AppendEntries}: what the traffic counters count messages by, and what a calibration's per-type
 * costs are keyed by.
 *
 * <p>The types come from the generated decoders themselves (their {@code SCHEMA_ID} and {@code TEMPLATE_ID}
 * constants and class names): the client schema's here, each protocol's from its
 * {@link ProtocolFactory#messageDecoders()}, so that a template added to a schema is one line in its factory and a spec test compares the list with the schema
 * files. Index {@link #OTHER} is every message that is none of these (too short for a header, another schema).
 * Indexes follow (schema id, template id) order, so processes with the same class path agree on them; what leaves
 * a process (a node's report, a results file) still names types, never indexes.
 */
public final class MessageTypes
{
    /** The index of a message of no known type. */
    public static final int OTHER = 0;
    public static final String OTHER_NAME = "other";

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static volatile MessageTypes lab;

    private final String[] names;
    private final int[] schemaIds;
    private final int[] templateIds;
    /**
     * (schemaId - minSchemaId) x templateSpan + templateId -> index, {@link #OTHER} where no type is: a flat table
     * rather than a hash map, since the ids are small and dense (schemas 100-104, templates under 32) and the lookup
     * runs for every message sent and received on the node thread.
     */
    private final int[] index;
    private final int minSchemaId;
    private final int schemaSpan;
    private final int templateSpan;

    private MessageTypes(final List<Class<?>> decoders)
    {
        final TreeMap<Long, String> byKey = new TreeMap<>();
        for (final Class<?> decoder : decoders)
        {
            final int schema = constant(decoder, "SCHEMA_ID");
            final int template = constant(decoder, "TEMPLATE_ID");
            final String name = name(decoder);
            final String before = byKey.put(key(schema, template), name);
            if (before != null && !before.equals(name))
            {
                throw new IllegalArgumentException("schema " + schema + " template " + template + " is both " +
                    before + " and " + name);
            }
        }
        names = new String[byKey.size() + 1];
        schemaIds = new int[names.length];
        templateIds = new int[names.length];
        names[OTHER] = OTHER_NAME;
        schemaIds[OTHER] = -1;
        templateIds[OTHER] = -1;
        int minSchema = Integer.MAX_VALUE;
        int maxSchema = -1;
        int maxTemplate = -1;
        for (final long key : byKey.keySet())
        {
            minSchema = Math.min(minSchema, (int)(key >>> 16));
            maxSchema = Math.max(maxSchema, (int)(key >>> 16));
            maxTemplate = Math.max(maxTemplate, (int)(key & 0xFFFF));
        }
        minSchemaId = byKey.isEmpty() ? 0 : minSchema;
        schemaSpan = maxSchema - minSchemaId + 1;
        templateSpan = maxTemplate + 1;
        index = new int[Math.max(0, schemaSpan) * templateSpan];
        int i = 1;
        for (final Map.Entry<Long, String> e : byKey.entrySet())
        {
            names[i] = e.getValue();
            schemaIds[i] = (int)(e.getKey() >>> 16);
            templateIds[i] = (int)(e.getKey() & 0xFFFF);
            index[((int)(e.getKey() >>> 16) - minSchemaId) * templateSpan + (int)(e.getKey() & 0xFFFF)] = i;
            i++;
        }
        if (Arrays.stream(names).distinct().count() != names.length)
        {
            throw new IllegalArgumentException("two message types share a name: " + Arrays.toString(names));
        }
    }

    /**
     * @return the types of the client schema and of every protocol on the class path (built once).
     */
    public static MessageTypes lab()
    {
        MessageTypes types = lab;
        if (types == null)
        {
            synchronized (MessageTypes.class)
            {
                types = lab;
                if (types == null)
                {
                    final List<Class<?>> decoders = new ArrayList<>(clientDecoders());
                    for (final ProtocolFactory f : Protocols.all())
                    {
                        decoders.addAll(f.messageDecoders());
                    }
                    types = new MessageTypes(decoders);
                    lab = types;
                }
            }
        }
        return types;
    }

    /**
     * @param decoders generated SBE decoder classes (with {@code SCHEMA_ID} and {@code TEMPLATE_ID}).
     */
    public static MessageTypes of(final List<Class<?>> decoders)
    {
        return new MessageTypes(decoders);
    }

    /**
     * @return the decoders of the client schema, which every protocol speaks.
     */
    public static List<Class<?>> clientDecoders()
    {
        return List.of(ClientRequestDecoder.class, ClientResponseDecoder.class);
    }

    /**
     * @return how many indexes there are, {@link #OTHER} included.
     */
    public int count()
    {
        return names.length;
    }

    public String name(final int type)
    {
        return names[type];
    }

    public int schemaId(final int type)
    {
        return schemaIds[type];
    }

    public int templateId(final int type)
    {
        return templateIds[type];
    }

    /**
     * @return the index of {@code name}, or -1 when no type has it.
     */
    public int indexOf(final String name)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (names[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the index of a template of a schema, {@link #OTHER} when the lab has no such type.
     */
    public int indexOf(final int schemaId, final int templateId)
    {
        final int schema = schemaId - minSchemaId;
        return schema >= 0 && schema < schemaSpan && templateId >= 0 && templateId < templateSpan ?
            index[schema * templateSpan + templateId] : OTHER;
    }

    /**
     * The type of the message whose SBE header starts at {@code offset}: two reads of the header, no allocation.
     *
     * @return its index, {@link #OTHER} for a message shorter than a header or of no known type.
     */
    public int of(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessagePrinter.HEADER_LENGTH)
        {
            return OTHER;
        }
        final int template = buffer.getShort(offset + 2, LE) & 0xFFFF;
        final int schema = buffer.getShort(offset + 4, LE) & 0xFFFF;
        return indexOf(schema, template);
    }

    /**
     * @return per-type counts as name -> count, for the types with a count above zero, in index order.
     */
    public Map<String, Long> named(final long[] counts)
    {
        final Map<String, Long> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < counts.length && i < names.length; i++)
        {
            if (counts[i] != 0)
            {
                named.put(names[i], counts[i]);
            }
        }
        return named;
    }

    /**
     * @return the readable name of a generated decoder: its schema's short name (the package after {@code lab.},
     * "client" for the shared client schema) and the message's name, e.g. {@code raft.AppendEntries}.
     */
    static String name(final Class<?> decoder)
    {
        final String simple = decoder.getSimpleName();
        final String message = simple.endsWith("Decoder") ? simple.substring(0, simple.length() - 7) : simple;
        final String[] parts = decoder.getPackageName().split("\\.");
        final String schema = parts.length > 1 ? parts[1] : parts[0];
        return ("core".equals(schema) ? "client" : schema) + "." + message;
    }

    private static int constant(final Class<?> decoder, final String field)
    {
        try
        {
            return decoder.getField(field).getInt(null);
        }
        catch (final ReflectiveOperationException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(decoder.getName() + " is not a generated SBE decoder (no " + field +
                ")", ex);
        }
    }

    private static long key(final int schema, final int template)
    {
        return (long)schema << 16 | template;
    }
}
