package lab.raft;

/**
 * Duplicate detection for one client session: the highest sequence number applied and the log index it got.
 */
final class Session
{
    long seq;
    long version;

    Session(final long seq, final long version)
    {
        this.seq = seq;
        this.version = version;
    }
}
