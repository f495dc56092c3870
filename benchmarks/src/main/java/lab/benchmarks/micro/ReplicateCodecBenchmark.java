package lab.benchmarks.micro;

import java.util.concurrent.TimeUnit;

import lab.primarybackup.codec.MessageHeaderDecoder;
import lab.primarybackup.codec.MessageHeaderEncoder;
import lab.primarybackup.codec.ReplicateDecoder;
import lab.primarybackup.codec.ReplicateEncoder;
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
 * Primary-backup's Replicate message (schema 101): what the primary encodes once per PUT and every backup decodes.
 * Same flyweight use as {@code PrimaryBackupReplica}: header + message encoders/decoders as reused fields.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReplicateCodecBenchmark
{
    @Param({ "64" })
    public int valueSize;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplicateEncoder encoder = new ReplicateEncoder();
    private final ReplicateDecoder decoder = new ReplicateDecoder();
    private final MutableDirectBuffer value = new UnsafeBuffer(new byte[4096]);
    private final MutableDirectBuffer copy = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer encoded = new UnsafeBuffer(new byte[4096]);
    private long index;

    @Setup
    public void setup()
    {
        for (int i = 0; i < valueSize; i++)
        {
            value.putByte(i, (byte)('a' + i % 26));
        }
        final int length = encode(1);
        encoded.putBytes(0, out, 0, length);
    }

    private int encode(final long index)
    {
        encoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .depth(2)
            .clientId(7)
            .seq(index)
            .view(3)
            .index(index)
            .commitIndex(index - 1)
            .leaseNs(123456789L)
            .key(index & 1023)
            .putValue(value, 0, valueSize);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    public int encodeReplicate()
    {
        return encode(++index);
    }

    @Benchmark
    public void decodeReplicate(final Blackhole bh)
    {
        headerDecoder.wrap(encoded, 0);
        if (headerDecoder.schemaId() != ReplicateDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != ReplicateDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a Replicate");
        }
        final ReplicateDecoder d = decoder.wrapAndApplyHeader(encoded, 0, headerDecoder);
        bh.consume(d.depth());
        bh.consume(d.clientId());
        bh.consume(d.seq());
        bh.consume(d.view());
        bh.consume(d.index());
        bh.consume(d.commitIndex());
        bh.consume(d.leaseNs());
        bh.consume(d.key());
        bh.consume(d.getValue(copy, 0, d.valueLength()));
    }
}
