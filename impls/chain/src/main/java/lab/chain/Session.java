package lab.chain;

/**
 * Duplicate detection for one client session: the last write sequenced for it and the chain sequence it got.
 */
final class Session
{
    long seq;
    long version;
    /** A retry arrived while the write was still in flight: the head answers it when the write commits. */
    boolean replyOnCommit;

    Session(final long seq, final long version)
    {
        this.seq = seq;
        this.version = version;
    }
}
