package lab.harness.multiprocess;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Cluster files are TOML 1.0 (read by jackson-dataformat-toml), not a subset: what TOML allows reads, and a syntax
 * error is one line naming the file and its line. The lab's own checks are in MultiProcessTest.
 */
class ClusterFileTest
{
    private static String rejected(final String text)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ClusterFile.parse("c.toml", text));
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
        return ex.getMessage();
    }

    @Test
    void shouldReadSingleQuotedStringsUnderscoredIntegersAndComments()
    {
        final String text = """
            # a cluster on loopback
            [[node]]   # the first replica
            id = 0
            host = '127.0.0.1'          # a literal string
            port = 20_100

            [[node]]
            id = 0x1                    # hexadecimal is an integer too
            host = "127.0.0.1"
            port = 20_101

            [[client]]
            host = '127.0.0.1'
            port = 20_200
            """;
        final ClusterFile cluster = ClusterFile.parse("c.toml", text);
        assertEquals(2, cluster.nodes().size());
        assertEquals("127.0.0.1:20100", cluster.node(0).endpoint());
        assertEquals("127.0.0.1:20101", cluster.node(1).endpoint());
        assertEquals("127.0.0.1:20200", cluster.client().endpoint());
        assertEquals(cluster.nodes(), ClusterFile.parse("again", cluster.toToml()).nodes());
    }

    @Test
    void shouldReadInlineTablesAndDottedLayoutsThatTomlAllows()
    {
        final String text = "node = [ { id = 0, host = \"127.0.0.1\", port = 20100 } ]\n" +
            "client = [ { host = \"127.0.0.1\", port = 20200 } ]\n";
        final ClusterFile cluster = ClusterFile.parse("c.toml", text);
        assertEquals(20100, cluster.node(0).port());
    }

    @Test
    void shouldNameTheLineOfASyntaxError()
    {
        final String message = rejected("[[node]]\nid = 0\nhost = \"127.0.0.1\nport = 20100\n[[client]]\n" +
            "host = \"127.0.0.1\"\nport = 20200\n");
        assertEquals(true, message.startsWith("c.toml:3: not valid TOML: "), message);
        assertEquals(true, message.contains("host = \"127.0.0.1"), message);
    }

    @Test
    void shouldNameTheLineOfABadValueForAnIntegerKey()
    {
        assertEquals("c.toml:3: port must be an integer, got '20 100'",
            rejected("[[node]]\nid = 0\nport = 20 100\nhost = \"127.0.0.1\"\n"));
    }

    @Test
    void shouldNameTheBlockOfAWrongType()
    {
        assertEquals("c.toml:4 [[node]]: port must be an integer, got the string '20100'",
            rejected("# nodes\n\n\n[[node]]\nid = 0\nhost = \"127.0.0.1\"\nport = \"20100\"\n" +
                "[[client]]\nhost = \"127.0.0.1\"\nport = 20200\n"));
        assertEquals("c.toml:1 [[node]]: host must be a string, got '1'",
            rejected("[[node]]\nid = 0\nhost = 1\nport = 20100\n[[client]]\nhost = \"127.0.0.1\"\nport = 20200\n"));
    }

    @Test
    void shouldRejectADuplicateKeyAndAnUnknownSection()
    {
        final String duplicate = rejected("[[node]]\nid = 0\nid = 1\nhost = \"127.0.0.1\"\nport = 20100\n");
        assertEquals(true, duplicate.startsWith("c.toml:3: "), duplicate);
        assertEquals("c.toml:1: unknown section [nodes] (expected [[node]] or [[client]] blocks)",
            rejected("[nodes]\nid = 0\n"));
    }
}
