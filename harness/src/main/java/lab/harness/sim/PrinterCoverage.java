package lab.harness.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lab.core.MessagePrinter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks that a {@link MessagePrinter} knows every message of an SBE schema: what a protocol's printer test runs,
 * so that a message added to the schema without a printer case fails a test instead of printing as a bare header
 * in the next failing seed's trace. The templates are read from the schema XML itself (on the classpath, where the
 * protocol module keeps it), not from a list a person has to remember to extend.
 */
public final class PrinterCoverage
{
    private static final Pattern MESSAGE = Pattern.compile("<sbe:message\\s+name=\"(\\w+)\"\\s+id=\"(\\d+)\"");
    private static final Pattern SCHEMA_ID = Pattern.compile("<sbe:messageSchema[^>]*\\sid=\"(\\d+)\"");

    private PrinterCoverage()
    {
    }

    /**
     * @param schemaResource e.g. "codecs/raft-codecs.xml".
     * @return template id to message name, in id order.
     */
    public static Map<Integer, String> templates(final String schemaResource)
    {
        final String xml = read(schemaResource);
        final Map<Integer, String> templates = new TreeMap<>();
        final Matcher m = MESSAGE.matcher(xml);
        while (m.find())
        {
            templates.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        return templates;
    }

    public static int schemaId(final String schemaResource)
    {
        final Matcher m = SCHEMA_ID.matcher(read(schemaResource));
        if (!m.find())
        {
            throw new IllegalArgumentException(schemaResource + " has no schema id");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Prints, for every template of the schema, a message of that template whose fields are all zero (empty
     * groups and variable-length data), with the fixed block length its generated decoder declares.
     *
     * @param codecPackage the package of the generated flyweights, e.g. "lab.raft.codec".
     * @return "name: printed line" for each template the printer printed only as its header fallback; empty when
     * the printer knows them all.
     */
    public static List<String> unprinted(final MessagePrinter printer, final String schemaResource,
        final String codecPackage)
    {
        final int schemaId = schemaId(schemaResource);
        final List<String> missing = new ArrayList<>();
        for (final Map.Entry<Integer, String> t : templates(schemaResource).entrySet())
        {
            final int blockLength = blockLength(codecPackage + "." + t.getValue() + "Decoder");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[MessagePrinter.HEADER_LENGTH + blockLength + 64]);
            message.putShort(0, (short)blockLength, ByteOrder.LITTLE_ENDIAN);
            message.putShort(2, (short)(int)t.getKey(), ByteOrder.LITTLE_ENDIAN);
            message.putShort(4, (short)schemaId, ByteOrder.LITTLE_ENDIAN);
            message.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
            final String line = printer.print(message, 0, message.capacity());
            if (line.startsWith("Message schema=") || line.startsWith("Bytes "))
            {
                missing.add(t.getValue() + ": " + line);
            }
        }
        return missing;
    }

    private static int blockLength(final String decoderClass)
    {
        try
        {
            return Class.forName(decoderClass).getField("BLOCK_LENGTH").getInt(null);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalArgumentException("no generated decoder " + decoderClass, ex);
        }
    }

    private static String read(final String resource)
    {
        try (InputStream in = PrinterCoverage.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no schema " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
