package lab.harness.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import lab.core.ClientProtocol;
import lab.core.HopTheory;
import lab.core.MessagePrinter;
import lab.core.Outbox;
import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The script runner itself, on a toy protocol whose replica answers every client request UNAVAILABLE with a hint
 * to the next replica: a matching script passes, a wrong expectation fails naming the line, and rewrite mode
 * writes what the code printed.
 */
class InteractionScriptTest
{
    private static final String SCRIPT = """
        # a toy
        new replicas=2

        put to=0 key=5   # a request
        ----
        3 -> 0 ClientRequest PUT key=5 value=16B session=2/0 seq=1 depth=1
        """.replace("3 -> 0", "2 -> 0");

    private static final String EXPECTED = """
        # a toy
        new replicas=2
        ----
        replicas 0..1, clients 2..2

        put to=0 key=5   # a request
        ----
        2 -> 0 ClientRequest PUT key=5 value=16B session=2/0 seq=1 depth=1

        deliver
        ----
        0 -> 2 ClientResponse UNAVAILABLE hint=1 session=2/0 seq=1 depth=2

        crash node=1
        ----
        ok

        get to=1 key=5
        ----
        2 -> 1 ClientRequest GET key=5 session=2/0 seq=2 depth=1

        deliver
        ----
        2 -x 1 (down) ClientRequest GET key=5 session=2/0 seq=2 depth=1

        roles
        ----
        0 toy
        1 down
        """;

    @Test
    void shouldPassAScriptThatMatches(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("toy.txt");
        Files.writeString(file, EXPECTED);
        InteractionScript.run(file, Toy::new);
    }

    @Test
    void shouldFailAtTheFirstDifferenceNamingTheLine(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("toy.txt");
        Files.writeString(file, EXPECTED.replace("hint=1", "hint=0"));
        final AssertionError error = assertThrows(AssertionError.class, () -> InteractionScript.run(file, Toy::new));
        assertTrue(error.getMessage().startsWith(file + ":10: deliver"), error.getMessage());
        assertTrue(error.getMessage().contains("but printed:\n  0 -> 2 ClientResponse UNAVAILABLE hint=1"),
            error.getMessage());
    }

    @Test
    void shouldRewriteTheExpectedBlocks(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("toy.txt");
        Files.writeString(file, SCRIPT + "\ndeliver\n\ncrash node=1\n\nget to=1 key=5\n----\nstale\n\ndeliver\n\nroles\n");
        System.setProperty("lab.rewrite", "true");
        try
        {
            InteractionScript.run(file, Toy::new);
        }
        finally
        {
            System.clearProperty("lab.rewrite");
        }
        assertEquals(EXPECTED, Files.readString(file));
        InteractionScript.run(file, Toy::new);
    }

    /** Answers every client request UNAVAILABLE, pointing at the next replica. */
    static final class Toy implements ProtocolFactory
    {
        public String name()
        {
            return "toy";
        }

        public void validate(final ProtocolSettings settings)
        {
        }

        public Replica newReplica(final int nodeId, final ProtocolSettings settings, final Random random,
            final boolean restarted)
        {
            final ClientMessages messages = new ClientMessages();
            return new Replica()
            {
                public void onMessage(final int fromNode, final DirectBuffer buffer, final int offset,
                    final int length, final long nowNs, final Outbox out)
                {
                    final ClientRequestDecoder request = messages.wrapRequest(buffer, offset);
                    final int reply = messages.encodeEmptyResponse(request.depth() + 1, request.clientId(),
                        request.seq(), Status.UNAVAILABLE, (nodeId + 1) % settings.replicas());
                    out.send(fromNode, messages.buffer(), 0, reply);
                }

                public void onTick(final long nowNs, final Outbox out)
                {
                }

                public lab.core.Role role()
                {
                    return lab.core.Role.serving("toy");
                }
            };
        }

        public ClientProtocol newClient(final int clientNode, final ProtocolSettings settings, final Random random)
        {
            throw new UnsupportedOperationException();
        }

        public HopTheory theory(final ProtocolSettings settings)
        {
            return new HopTheory(1, 1, "");
        }

        public MessagePrinter printer()
        {
            return (buffer, offset, length) -> MessagePrinter.print(buffer, offset, length, 999, (m, t) -> null);
        }
    }
}
