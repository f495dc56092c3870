package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lab.core.MessageTypes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The message type registry against the schema files themselves: every message of every schema the lab has is a
 * type, with its own index and name, and a message's header finds it.
 */
class MessageTypesTest
{
    private static final String[] SCHEMAS = {"codecs/lab-codecs.xml", "codecs/raft-codecs.xml",
        "codecs/chain-codecs.xml", "codecs/primary-backup-codecs.xml", "codecs/quorum-codecs.xml"};
    private static final Pattern SCHEMA_ID = Pattern.compile("<sbe:messageSchema[^>]*\\sid=\"(\\d+)\"", Pattern.DOTALL);
    private static final Pattern MESSAGE = Pattern.compile("<sbe:message name=\"(\\w+)\"\\s+id=\"(\\d+)\"");

    @Test
    void everyMessageOfEverySchemaHasItsOwnIndexAndName() throws IOException
    {
        final MessageTypes types = MessageTypes.lab();
        final Set<Integer> indexes = new HashSet<>();
        final Set<String> names = new HashSet<>();
        int messages = 0;
        for (final String schema : SCHEMAS)
        {
            final String xml = read(schema);
            final Matcher id = SCHEMA_ID.matcher(xml);
            assertTrue(id.find(), schema);
            final int schemaId = Integer.parseInt(id.group(1));
            final Matcher m = MESSAGE.matcher(xml);
            while (m.find())
            {
                final int template = Integer.parseInt(m.group(2));
                final int index = types.indexOf(schemaId, template);
                assertTrue(index != MessageTypes.OTHER, schema + " " + m.group(1) + " has no type");
                assertTrue(types.name(index).endsWith("." + m.group(1)), types.name(index) + " for " + m.group(1));
                assertEquals(index, types.indexOf(types.name(index)));
                assertEquals(schemaId, types.schemaId(index));
                assertEquals(template, types.templateId(index));
                assertTrue(indexes.add(index), "index " + index + " twice");
                assertTrue(names.add(types.name(index)), types.name(index) + " twice");
                messages++;
            }
        }
        assertEquals(messages + 1, types.count(), "the schemas' messages and 'other', nothing else");
        assertEquals(MessageTypes.OTHER_NAME, types.name(MessageTypes.OTHER));
        assertTrue(names.contains("raft.AppendEntries") && names.contains("client.ClientRequest"), names.toString());
    }

    @Test
    void aMessageHeaderFindsItsTypeAndAnythingElseIsOther()
    {
        final MessageTypes types = MessageTypes.lab();
        final int append = types.indexOf("raft.AppendEntries");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        buffer.putShort(4 + 2, (short)types.templateId(append), java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(4 + 4, (short)types.schemaId(append), java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(append, types.of(buffer, 4, 20));
        assertEquals(MessageTypes.OTHER, types.of(buffer, 4, 7), "shorter than a header");
        buffer.putShort(4 + 4, (short)999, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(MessageTypes.OTHER, types.of(buffer, 4, 20), "another schema");
        // The flat lookup table's edges: a schema just below the lab's, a template past every schema's last one,
        // and a template the schema does not have (the table holds gaps).
        assertEquals(MessageTypes.OTHER, types.indexOf(types.schemaId(append) - 100, types.templateId(append)));
        assertEquals(MessageTypes.OTHER, types.indexOf(types.schemaId(append), 0xFFFF));
        assertEquals(MessageTypes.OTHER, types.indexOf(types.schemaId(append), 0), "SBE templates start at 1");
        for (int t = 1; t < types.count(); t++)
        {
            assertEquals(t, types.indexOf(types.schemaId(t), types.templateId(t)), types.name(t));
        }
    }

    private static String read(final String resource) throws IOException
    {
        try (InputStream in = MessageTypesTest.class.getClassLoader().getResourceAsStream(resource))
        {
            assertTrue(in != null, resource + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
