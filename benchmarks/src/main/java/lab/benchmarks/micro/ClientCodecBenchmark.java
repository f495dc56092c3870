package lab.benchmarks.micro;

import java.util.concurrent.TimeUnit;

import lab.core.codec.ClientMessages;
import lab.core.codec.ClientRequestDecoder;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode and decode of the shared client messages (schema 100) through {@link ClientMessages}, the path every
 * protocol's client and replica take per operation. Decoders read every field and copy the value out, as a replica
 * applying a PUT does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClientCodecBenchmark
{
    @Param({ "64" })
    public int valueSize;

    private final ClientMessages messages = new ClientMessages();
    private final MutableDirectBuffer value = new UnsafeBuffer(new byte[4096]);
    private final MutableDirectBuffer copy = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[4096]);
    private long seq;

    @Setup
    public void setup()
    {
        for (int i = 0; i < valueSize; i++)
        {
            value.putByte(i, (byte)('a' + i % 26));
        }
        int length = messages.encodeRequest(1, 7, 1, OpType.PUT, 42, value, 0, valueSize);
        request.putBytes(0, messages.buffer(), 0, length);
        length = messages.encodeResponse(2, 7, 1, Status.OK, -1, 99, value, 0, valueSize);
        response.putBytes(0, messages.buffer(), 0, length);
    }

    @Benchmark
    public int encodeRequest()
    {
        return messages.encodeRequest(1, 7, ++seq, OpType.PUT, seq, value, 0, valueSize);
    }

    @Benchmark
    public int encodeResponse()
    {
        return messages.encodeResponse(4, 7, ++seq, Status.OK, -1, seq, value, 0, valueSize);
    }

    @Benchmark
    public void decodeRequest(final Blackhole bh)
    {
        if (messages.templateId(request, 0) != ClientRequestDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a request");
        }
        final ClientRequestDecoder d = messages.wrapRequest(request, 0);
        bh.consume(d.depth());
        bh.consume(d.clientId());
        bh.consume(d.seq());
        bh.consume(d.opType());
        bh.consume(d.key());
        bh.consume(d.getValue(copy, 0, d.valueLength()));
    }

    @Benchmark
    public void decodeResponse(final Blackhole bh)
    {
        if (messages.templateId(response, 0) != ClientResponseDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a response");
        }
        final ClientResponseDecoder d = messages.wrapResponse(response, 0);
        bh.consume(d.depth());
        bh.consume(d.clientId());
        bh.consume(d.seq());
        bh.consume(d.status());
        bh.consume(d.leaderHint());
        bh.consume(d.version());
        bh.consume(d.getValue(copy, 0, d.valueLength()));
    }
}
