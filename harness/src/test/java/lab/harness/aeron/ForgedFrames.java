package lab.harness.aeron;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.aeron.protocol.SetupFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What an adversary on loopback can send at a node's UDP port, built with Aeron's own flyweights: garbage
 * datagrams, a SETUP frame with an impossible MTU (the driver refuses it with a ConfigurationException), and a
 * well-formed Aeron stream (a valid SETUP, then DATA frames) carrying lab frames the receiver must drop.
 *
 * <p>{@code main(host, port, what, streamId...)} sends from the command line, to reproduce by hand:
 * {@code java -cp harness/target/test-classes:lab/target/lab.jar lab.harness.aeron.ForgedFrames 127.0.0.1 PORT[,PORT]
 * bad-mtu 900 1001 1002}.
 */
public final class ForgedFrames implements AutoCloseable
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int MTU = 1408;

    private final DatagramChannel channel;
    private final InetSocketAddress target;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(MTU).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer buffer = new UnsafeBuffer(frame);
    private final Random random = new Random(7);
    private int sessionId;
    private int streamId;
    private int termOffset;

    public ForgedFrames(final String host, final int port) throws IOException
    {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        target = new InetSocketAddress(host, port);
    }

    /**
     * Datagrams of random bytes and random lengths (1..200).
     */
    public void garbage(final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            channel.send(ByteBuffer.wrap(bytes), target);
        }
    }

    /**
     * The 40-byte SETUP frame with mtu=-5 for {@code streamId}.
     */
    public void badMtuSetup(final int streamId) throws IOException
    {
        setup(streamId, 0x5eed, -5);
    }

    /**
     * Opens a forged Aeron stream to {@code streamId}: a valid SETUP, then waits (bounded) for the receiver's status
     * message, which says it made an image of the forged session.
     *
     * @return whether the receiver answered.
     */
    public boolean openStream(final int streamId, final int sessionId, final long timeoutMs) throws IOException
    {
        this.streamId = streamId;
        this.sessionId = sessionId;
        this.termOffset = 0;
        channel.configureBlocking(false);
        final ByteBuffer reply = ByteBuffer.allocate(MTU);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline)
        {
            setup(streamId, sessionId, MTU);
            for (int i = 0; i < 20; i++)
            {
                reply.clear();
                if (channel.receive(reply) != null && reply.position() >= 8 &&
                    (reply.get(6) & 0xff) == HeaderFlyweight.HDR_TYPE_SM)
                {
                    return true;
                }
                sleep(5);
            }
        }
        return false;
    }

    /**
     * One unfragmented DATA frame on the stream opened last, carrying a lab frame: {@code [int from][payload]} with
     * {@code runId} in the Aeron header's reserved value (where the lab carries the run id).
     */
    public void labFrame(final long runId, final int from, final byte[] payload) throws IOException
    {
        final byte[] body = new byte[4 + payload.length];
        new UnsafeBuffer(body).putInt(0, from);
        System.arraycopy(payload, 0, body, 4, payload.length);
        dataFrame(runId, body);
    }

    /**
     * A control frame of the node processes: {@code [int type][int from][UTF-8 text]}.
     */
    public void controlFrame(final long runId, final int type, final int from, final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] body = new byte[8 + bytes.length];
        new UnsafeBuffer(body).putInt(0, type);
        new UnsafeBuffer(body).putInt(4, from);
        System.arraycopy(bytes, 0, body, 8, bytes.length);
        dataFrame(runId, body);
    }

    /**
     * One unfragmented DATA frame with {@code body} as its payload, on the stream opened last.
     */
    public void dataFrame(final long reservedValue, final byte[] body) throws IOException
    {
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + body.length;
        final DataHeaderFlyweight data = new DataHeaderFlyweight(buffer);
        buffer.setMemory(0, MTU, (byte)0);
        data.frameLength(frameLength);
        data.version(HeaderFlyweight.CURRENT_VERSION);
        data.flags((short)DataHeaderFlyweight.BEGIN_AND_END_FLAGS);
        data.headerType(HeaderFlyweight.HDR_TYPE_DATA);
        data.termOffset(termOffset);
        data.sessionId(sessionId);
        data.streamId(streamId);
        data.termId(0);
        data.reservedValue(reservedValue);
        buffer.putBytes(DataHeaderFlyweight.HEADER_LENGTH, body);
        frame.clear().limit(frameLength);
        channel.send(frame, target);
        termOffset += (frameLength + 31) & ~31;
    }

    private void setup(final int streamId, final int sessionId, final int mtu) throws IOException
    {
        final SetupFlyweight setup = new SetupFlyweight(buffer);
        buffer.setMemory(0, SetupFlyweight.HEADER_LENGTH, (byte)0);
        setup.frameLength(SetupFlyweight.HEADER_LENGTH);
        setup.version(HeaderFlyweight.CURRENT_VERSION);
        setup.flags((short)0);
        setup.headerType(HeaderFlyweight.HDR_TYPE_SETUP);
        setup.termOffset(0);
        setup.sessionId(sessionId);
        setup.streamId(streamId);
        setup.initialTermId(0);
        setup.activeTermId(0);
        setup.termLength(TERM_LENGTH);
        setup.mtuLength(mtu);
        setup.ttl(0);
        frame.clear().limit(SetupFlyweight.HEADER_LENGTH);
        channel.send(frame, target);
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    public void close() throws IOException
    {
        channel.close();
    }

    /**
     * {@code host port[,port...] bad-mtu|garbage|foreign streamId...}.
     */
    public static void main(final String[] args) throws Exception
    {
        for (final String port : args[1].split(","))
        {
            try (ForgedFrames f = new ForgedFrames(args[0], Integer.parseInt(port)))
            {
                for (int i = 3; i < args.length; i++)
                {
                    final int stream = Integer.parseInt(args[i]);
                    switch (args[2])
                    {
                        case "bad-mtu":
                            f.badMtuSetup(stream);
                            break;
                        case "garbage":
                            f.garbage(20);
                            break;
                        case "foreign":
                            if (f.openStream(stream, 77 + i, 300))
                            {
                                for (int k = 0; k < 10; k++)
                                {
                                    f.labFrame(0x0bad_0bad_0bad_0badL, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                                    f.labFrame(0, 99, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                                }
                                System.out.println("forged stream " + stream + " at port " + port + ": 20 frames");
                            }
                            break;
                        case "control":
                            if (f.openStream(stream, 177 + i, 300))
                            {
                                f.dataFrame(0, new byte[] {1, 2});
                                f.controlFrame(0, 4, -1, "run=abc\n");
                                f.controlFrame(0, 5, -1, "run=12\n");
                                f.controlFrame(0, 1, -1, "run=1\nprotocol=none\n");
                                f.controlFrame(0, 42, 7, "\u0000\u0001garbage");
                                System.out.println("forged control stream " + stream + " at port " + port);
                            }
                            break;
                        default:
                            throw new IllegalArgumentException("unknown: " + args[2]);
                    }
                }
            }
            System.out.println("sent " + args[2] + " to " + args[0] + ":" + port);
        }
    }
}
