package lab.benchmarks.e2e;

/**
 * A volatile long alone on its cache lines, so the JMH thread's request sequence and the agent's completion
 * sequence do not false-share.
 */
abstract class PaddedSequenceLhs
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class PaddedSequenceValue extends PaddedSequenceLhs
{
    volatile long value;
}

final class PaddedSequence extends PaddedSequenceValue
{
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30;

    long get()
    {
        return value;
    }

    void set(final long v)
    {
        value = v;
    }
}
